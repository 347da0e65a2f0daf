#include "handlers/reply_builder.hpp"

#include <stdexcept>

#include "templates/renderer.hpp"

namespace loudong::handlers {

namespace {

// List templates leave a space before a line break or a blank line at the end; in a chat
// bubble those read as noise, so they are cut.
std::string tidy(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\n') {
            while (!out.empty() && out.back() == ' ') {
                out.pop_back();
            }
        }
        out += c;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

}  // namespace

reply_builder::reply_builder(storage::template_repository& templates, std::string locale)
    : templates_(templates), locale_(std::move(locale)) {}

std::string reply_builder::text(const std::string& key, const nlohmann::json& vars) {
    auto row = templates_.find(locale_, key);
    if (!row && locale_ != "zh-CN") {
        row = templates_.find("zh-CN", key);
    }
    if (!row) {
        // A missing key is a programming error; say so plainly rather than stay silent.
        return "[" + key + "]";
    }
    try {
        return tidy(compiled_.render(row->text, vars));
    } catch (const std::invalid_argument&) {
        return tidy(compiled_.render(row->default_text, vars));
    }
}

}  // namespace loudong::handlers
