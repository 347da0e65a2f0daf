// libFuzzer target: a template text as a committee member edits it with `模板 <key> set …`,
// checked as the handler checks it, then rendered with values residents typed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "templates/renderer.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/template_checks.hpp"

namespace {

namespace t = loudong::templates;
using loudong::fuzz::require;

// The default being edited: a shipped order reply's shape. The handler also passes the
// resident's name, which this text does not show, and an edit must not be able to show it.
const std::string default_text =
    "{{room}} 下单成功：{{#lines}}{{item}}×{{quantity}} {{/lines}}合计{{total}}元";

nlohmann::json values_for(const std::string& text) {
    nlohmann::json vars{{"room", loudong::fuzz::hostile("3-502")},
                        {"total", loudong::fuzz::hostile("31.60")},
                        {"lines", {{{"item", loudong::fuzz::hostile("鸡蛋")}, {"quantity", 2}}}},
                        {"name", std::string(1, loudong::fuzz::unshown_marker)}};
    // Whatever else the text names gets a value too, so every tag is exercised.
    for (const auto& name : t::renderer::names_used(text)) {
        if (!vars.contains(name)) {
            vars[name] = loudong::fuzz::hostile(name);
        }
    }
    return loudong::fuzz::with_hidden(std::move(vars), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = loudong::fuzz::unmarked(loudong::fuzz::as_text(data, size));
    const auto own = t::renderer::check(text, text);
    require(!own || own->what == t::template_problem::kind::syntax,
            "a text uses no name that it does not use");
    const auto out = loudong::fuzz::render_checked(text, values_for(text));
    require(out.has_value() || own.has_value(), "a text the check accepts renders");
    if (!out) {
        return 0;
    }
    require(!loudong::fuzz::is_utf8(text) || loudong::fuzz::is_utf8(*out),
            "a UTF-8 text with UTF-8 values renders UTF-8");
    // An edit the check accepts shows only what the default shows.
    if (!t::renderer::check(text, default_text)) {
        require(out->find(loudong::fuzz::unshown_marker) == std::string::npos,
                "an accepted edit shows no variable the default does not use");
    }
    return 0;
}
