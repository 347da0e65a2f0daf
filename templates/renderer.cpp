#include "templates/renderer.hpp"

#include <algorithm>
#include <cctype>

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <kainjow/mustache.hpp>

namespace loudong::templates {
namespace {

namespace mustache = kainjow::mustache;

mustache::data to_data(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            mustache::data object{mustache::data::type::object};
            for (const auto& [key, item] : value.items()) {
                object.set(key, to_data(item));
            }
            return object;
        }
        case nlohmann::json::value_t::array: {
            mustache::data list{mustache::data::type::list};
            for (const auto& item : value) {
                list.push_back(to_data(item));
            }
            return list;
        }
        case nlohmann::json::value_t::string:
            return mustache::data{value.get<std::string>()};
        case nlohmann::json::value_t::boolean:
            return mustache::data{value.get<bool>()};
        case nlohmann::json::value_t::null:
            return mustache::data{false};
        default:
            return mustache::data{value.dump()};
    }
}

// Mustache's partial tag ({{>name}}) renders the value of `name` as a template of its own, which
// would re-interpret what a resident typed (and recurse without end on a value "{{>name}}").
// Chat texts have no partials: this context never finds one, so the tag renders nothing.
class literal_context : public mustache::context<std::string> {
public:
    using mustache::context<std::string>::context;
    const mustache::data* get_partial(const std::string& /*name*/) const override {
        return nullptr;
    }
};

std::string render_literally(mustache::mustache& tmpl, const nlohmann::json& vars) {
    const auto data = to_data(vars);
    literal_context context{&data};
    return tmpl.render(context);
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// The trimmed inside of each {{…}} tag of a text, in order ("{{ #lines }}" → "#lines").
std::vector<std::string> tags_of(const std::string& text) {
    std::vector<std::string> tags;
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string::npos) {
        const auto end = text.find("}}", pos + 2);
        if (end == std::string::npos) {
            break;
        }
        tags.push_back(trim(text.substr(pos + 2, end - pos - 2)));
        pos = end + 2;
    }
    return tags;
}

// How deep sections ({{#x}}, {{^x}}) nest in a text.
int section_depth(const std::string& text) {
    int depth = 0;
    int deepest = 0;
    for (const auto& tag : tags_of(text)) {
        if (tag.starts_with('#') || tag.starts_with('^')) {
            deepest = std::max(deepest, ++depth);
        } else if (tag.starts_with('/')) {
            --depth;
        }
    }
    return deepest;
}

}  // namespace

std::string renderer::render(const std::string& text, const nlohmann::json& vars) {
    mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) {
        throw std::invalid_argument(tmpl.error_message());
    }
    tmpl.set_custom_escape([](const std::string& value) { return value; });
    return render_literally(tmpl, vars);
}

std::string renderer::render_html(const std::string& text, const nlohmann::json& vars) {
    mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) {
        throw std::invalid_argument(tmpl.error_message());
    }
    // Mustache's own escape: & < > " ' become entities, so a value is text in an element or
    // an attribute, never markup.
    return render_literally(tmpl, vars);
}

struct compiled_templates::store {
    // Texts are few (one per template key and edit), so the map stays small; an edited
    // template simply adds its new text.
    std::unordered_map<std::string, std::unique_ptr<mustache::mustache>> compiled;
};

compiled_templates::compiled_templates() : store_(std::make_unique<store>()) {}
compiled_templates::~compiled_templates() = default;

std::string compiled_templates::render(const std::string& text, const nlohmann::json& vars) {
    auto& slot = store_->compiled[text];
    if (!slot) {
        auto tmpl = std::make_unique<mustache::mustache>(text);
        if (!tmpl->is_valid()) {
            const auto error = tmpl->error_message();
            store_->compiled.erase(text);
            throw std::invalid_argument(error);
        }
        tmpl->set_custom_escape([](const std::string& value) { return value; });
        slot = std::move(tmpl);
    }
    return render_literally(*slot, vars);
}

std::set<std::string> renderer::names_used(const std::string& text) {
    std::set<std::string> names;
    for (auto tag : tags_of(text)) {
        if (tag.empty()) {
            continue;
        }
        const char sigil = tag.front();
        if (sigil == '!' || sigil == '/' || sigil == '=' || sigil == '>') {
            continue;
        }
        if (sigil == '#' || sigil == '^' || sigil == '&' || sigil == '{') {
            tag = trim(tag.substr(1));
        }
        if (!tag.empty() && tag.back() == '}') {
            tag.pop_back();
        }
        if (!tag.empty() && tag != ".") {
            names.insert(tag);
        }
    }
    return names;
}

namespace {

template_problem make_problem(template_problem::kind what, std::string detail) {
    template_problem problem;
    problem.what = what;
    problem.detail = std::move(detail);
    return problem;
}

// The parser's message ("Unclosed section \"lines\" at 12", kainjow/mustache.hpp) read back
// into what went wrong, where, and with which section.
template_problem explain_syntax(const std::string& message, const std::string& text) {
    auto problem = make_problem(template_problem::kind::syntax, message);
    const std::pair<std::string_view, template_problem::syntax> starts[] = {
        {"Unclosed tag at ", template_problem::syntax::unclosed_tag},
        {"Unclosed section \"", template_problem::syntax::unclosed_section},
        {"Unopened section \"", template_problem::syntax::unopened_section},
        {"Invalid set delimiter tag at ", template_problem::syntax::unsupported},
    };
    for (const auto& [start, why] : starts) {
        if (message.starts_with(start)) {
            problem.why = why;
        }
    }
    if (const auto quote = message.find('"'); quote != std::string::npos) {
        problem.tag = message.substr(quote + 1, message.find('"', quote + 1) - quote - 1);
    }
    if (const auto at = message.rfind(" at "); at != std::string::npos) {
        std::size_t position = 0;
        for (std::size_t i = at + 4;
             i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
            position = position * 10 + static_cast<std::size_t>(message[i] - '0');
        }
        // A byte offset: back to the start of its UTF-8 character, then about ten characters.
        position = std::min(position, text.size());
        while (position > 0 && (static_cast<unsigned char>(text[position]) & 0xC0) == 0x80) {
            --position;
        }
        std::size_t end = position;
        for (int chars = 0; end < text.size() && chars < 10; ++chars) {
            ++end;
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
                ++end;
            }
        }
        problem.near = text.substr(position, end - position);
    }
    if (problem.why == template_problem::syntax::unsupported) {
        problem.tag = problem.near;
    }
    return problem;
}

}  // namespace

std::optional<template_problem> renderer::check(const std::string& text,
                                                const std::string& default_text) {
    mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) {
        return explain_syntax(tmpl.error_message(), text);
    }
    for (const auto& tag : tags_of(text)) {
        // After {{=<% %>=}} the names are in tags that names_used cannot see, so an edit could
        // show a variable the default keeps out of the chat; and partials render nothing here.
        const auto inside = tag.starts_with('{') ? trim(tag.substr(1)) : tag;
        if (inside.starts_with('=')) {
            auto problem = make_problem(
                template_problem::kind::syntax,
                "changing the delimiters ({{=" + inside.substr(1) + "}}) is not supported");
            problem.why = template_problem::syntax::unsupported;
            problem.tag = "{{" + tag + "}}";
            return problem;
        }
        if (inside.starts_with('>')) {
            auto problem = make_problem(template_problem::kind::syntax,
                                        "partials ({{" + inside + "}}) are not supported");
            problem.why = template_problem::syntax::unsupported;
            problem.tag = "{{" + tag + "}}";
            return problem;
        }
    }
    // Each section inside a list section runs once per element of that list, and a name not
    // found in the element is looked up outside it: `{{#lines}}` nested in itself k times
    // renders n^k times. No deeper than the shipped text (or one level) keeps that bounded.
    const auto deepest = std::max(1, section_depth(default_text));
    if (const auto depth = section_depth(text); depth > deepest) {
        auto problem = make_problem(template_problem::kind::too_deep,
                                    "sections nested " + std::to_string(depth) +
                                        " deep; this template allows " + std::to_string(deepest));
        problem.depth = depth;
        problem.allowed = deepest;
        return problem;
    }
    const auto allowed = names_used(default_text);
    for (const auto& name : names_used(text)) {
        if (!allowed.contains(name)) {
            return make_problem(template_problem::kind::unknown_variable, name);
        }
    }
    return std::nullopt;
}

}  // namespace loudong::templates
