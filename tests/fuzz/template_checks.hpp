#pragma once

// Shared by the two renderer targets: values as hostile as residents can type them, and the
// checks every rendering must pass.
//
// Two marker bytes that the fuzzed texts and values never contain (they are taken out) stand
// for what must not come out: \x01 is the value of a variable that only re-expanding a value
// can reach, \x02 one that the default text does not show.

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "templates/renderer.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace loudong::fuzz {

/// A variable that values name in every kind of tag, and its value.
inline constexpr std::string_view hidden_name = "x_hidden";
inline constexpr char hidden_marker = '\x01';
/// The value of a variable a template must not show.
inline constexpr char unshown_marker = '\x02';

/// Fuzzed text without the marker bytes.
inline std::string unmarked(std::string_view typed) {
    std::string out(typed);
    std::erase_if(out, [](char c) { return c == hidden_marker || c == unshown_marker; });
    return out;
}

/// What a resident can type into a value: `typed`, then every kind of tag naming the hidden
/// variable.
inline std::string hostile(std::string_view typed) {
    const std::string h(hidden_name);
    return unmarked(typed) + "{{" + h + "}}{{{" + h + "}}}{{&" + h + "}}{{>" + h + "}}{{#" + h +
           "}}{{.}}{{/" + h + "}}{{=<% %>=}}<%" + h + "%>";
}

/// The values for a text: `vars` and, unless the text itself names it, the hidden variable.
inline nlohmann::json with_hidden(nlohmann::json vars, const std::string& text) {
    if (text.find(hidden_name) == std::string::npos) {
        vars[std::string(hidden_name)] = std::string(1, hidden_marker);
    }
    return vars;
}

/// Renders `text` with `vars` as renderer::render and compiled_templates do (both, compared);
/// nullopt when the text does not parse, the one exception the renderer documents.
inline std::optional<std::string> render_checked(const std::string& text,
                                                 const nlohmann::json& vars) {
    std::string out;
    try {
        out = templates::renderer::render(text, vars);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
    templates::compiled_templates compiled;
    require(compiled.render(text, vars) == out, "a compiled template renders the same text");
    require(compiled.render(text, vars) == out, "a template compiled once renders the same again");
    require(out.find(hidden_marker) == std::string::npos,
            "values are inserted literally, never expanded as templates");
    return out;
}

}  // namespace loudong::fuzz
