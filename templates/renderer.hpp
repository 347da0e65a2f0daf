#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace loudong::templates {

/// What is wrong with a template text, for the committee member who typed it.
struct template_problem {
    enum class kind { syntax, unknown_variable, too_deep } what = kind::syntax;
    std::string detail;  ///< the parser's message, or the unknown variable's name
    int depth = 0;       ///< too_deep: how deep the text nests sections
    int allowed = 0;     ///< too_deep: how deep this template may nest them
    /// syntax: what is wrong, for a reply in the committee's words rather than the parser's.
    enum class syntax {
        other,
        unclosed_tag,      ///< `{{` without `}}`
        unclosed_section,  ///< `{{#x}}` without `{{/x}}`
        unopened_section,  ///< `{{/x}}` without `{{#x}}`
        unsupported,       ///< a delimiter change or a partial
    } why = syntax::other;
    std::string tag;   ///< the section's name, or the unsupported tag as written
    std::string near;  ///< up to a few characters of the text where the problem starts
};

/// Renders chat texts with Mustache. HTML escaping is off (chat is plain text), and values are
/// inserted literally: a value that looks like `{{x}}` is never expanded again.
class renderer {
public:
    /// Renders `text` with `vars` (an object; arrays become Mustache lists). Throws
    /// std::invalid_argument when the text itself does not parse.
    static std::string render(const std::string& text, const nlohmann::json& vars);

    /// Renders a console page (SPEC §12): as render, but every `{{value}}` is HTML-escaped;
    /// `{{{value}}}` is not, and is used only for HTML the console built itself.
    static std::string render_html(const std::string& text, const nlohmann::json& vars);

    /// The variable and section names a text uses (`{{room}}`, `{{#lines}}` → room, lines).
    static std::set<std::string> names_used(const std::string& text);

    /// Checks an edited text: it must parse, use only names the default text uses, neither
    /// change the delimiters nor name a partial, and nest sections no deeper than the default
    /// (or one level).
    static std::optional<template_problem> check(const std::string& text,
                                                 const std::string& default_text);
};

/// Keeps each template text compiled after its first use, so a reply does not parse its
/// template again. Not thread-safe: one per thread (the writer owns one).
class compiled_templates {
public:
    compiled_templates();
    ~compiled_templates();
    compiled_templates(const compiled_templates&) = delete;
    compiled_templates& operator=(const compiled_templates&) = delete;

    /// As renderer::render, compiling `text` only the first time it is seen.
    std::string render(const std::string& text, const nlohmann::json& vars);

private:
    struct store;
    std::unique_ptr<store> store_;
};

}  // namespace loudong::templates
