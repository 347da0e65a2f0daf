// libFuzzer target: the values residents type (item names, titles, notices, nicknames) rendered
// into the shipped templates and into a list template whose output is known exactly.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "templates/default_templates.hpp"
#include "templates/renderer.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/template_checks.hpp"

namespace {

namespace t = loudong::templates;
using loudong::fuzz::require;

std::vector<const std::string*> shipped_texts() {
    std::vector<const std::string*> texts;
    for (const auto& [locale, keys] : t::shipped_defaults()) {
        for (const auto& [key, text] : keys) {
            texts.push_back(&text);
        }
    }
    return texts;
}

bool is_section(const std::string& text, const std::string& name) {
    return text.find("{{#" + name + "}}") != std::string::npos ||
           text.find("{{^" + name + "}}") != std::string::npos;
}

// Values for every name `text` uses: a list of objects for a section, else a typed string.
nlohmann::json values_for(const std::string& text, FuzzedDataProvider& input, bool& all_utf8) {
    const auto names = t::renderer::names_used(text);
    const auto typed = [&] {
        const auto value = input.ConsumeRandomLengthString(64);
        all_utf8 = all_utf8 && loudong::fuzz::is_utf8(value);
        return loudong::fuzz::hostile(value);
    };
    auto vars = nlohmann::json::object();
    for (const auto& name : names) {
        if (!is_section(text, name)) {
            vars[name] = typed();
            continue;
        }
        auto list = nlohmann::json::array();
        for (auto n = input.ConsumeIntegralInRange(0, 3); n > 0; --n) {
            nlohmann::json entry = nlohmann::json::object();
            for (const auto& field : names) {
                if (!is_section(text, field)) {
                    entry[field] = typed();
                }
            }
            list.push_back(std::move(entry));
        }
        vars[name] = std::move(list);
    }
    return loudong::fuzz::with_hidden(std::move(vars), text);
}

// A list template whose output is known: values are copied as they are, whatever they hold.
void check_exact(FuzzedDataProvider& input) {
    const auto a = loudong::fuzz::unmarked(input.ConsumeRandomLengthString(64));
    const auto b = loudong::fuzz::unmarked(input.ConsumeRandomLengthString(64));
    nlohmann::json lines = nlohmann::json::array();
    std::string expected = a + "|";
    for (auto n = input.ConsumeIntegralInRange(0, 3); n > 0; --n) {
        const auto item = loudong::fuzz::unmarked(input.ConsumeRandomLengthString(32));
        const auto quantity = input.ConsumeIntegral<std::int16_t>();
        lines.push_back({{"item", item}, {"quantity", quantity}});
        expected += item + "×" + std::to_string(quantity) + ";";
    }
    expected += "|" + b;
    const auto out =
        loudong::fuzz::render_checked("{{a}}|{{#lines}}{{item}}×{{quantity}};{{/lines}}|{{b}}",
                                      {{"a", a}, {"b", b}, {"lines", lines}});
    require(out == expected, "values are copied into the text as they are");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto texts = shipped_texts();
    FuzzedDataProvider input(data, size);
    const auto& text = *texts[input.ConsumeIntegralInRange<std::size_t>(0, texts.size() - 1)];
    bool all_utf8 = true;
    const auto vars = values_for(text, input, all_utf8);
    const auto out = loudong::fuzz::render_checked(text, vars);
    require(out.has_value(), "every shipped text renders");
    require(!all_utf8 || loudong::fuzz::is_utf8(*out), "UTF-8 values render UTF-8");
    check_exact(input);
    return 0;
}
