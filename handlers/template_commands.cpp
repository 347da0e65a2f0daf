#include "handlers/template_commands.hpp"

#include <map>

#include "handlers/text_parts.hpp"
#include "templates/default_templates.hpp"
#include "templates/renderer.hpp"

namespace loudong::handlers {
namespace {

// The longest template text a committee may save (SPEC §8 item 11), in characters.
constexpr std::size_t max_template_chars = 2000;

nlohmann::json variables_of(const std::string& text) {
    auto names = nlohmann::json::array();
    for (const auto& name : templates::renderer::names_used(text)) {
        // Written as they are used, so the committee can copy them ("{{building}}").
        names.push_back({{"name", "{{" + name + "}}"}});
    }
    return names;
}

}  // namespace

handler_result handle_template(const command& cmd, context& ctx) {
    const auto& args = std::get<template_args>(cmd.args);
    const auto& locale = ctx.replies.locale();

    const auto& groups = templates::shipped_descriptions(locale);
    std::map<std::string, bool> edited;
    for (const auto& row : ctx.store.templates.list(locale)) {
        edited[row.key] = row.edited;
    }

    if (args.what == template_args::action::list) {
        if (groups.empty()) {  // a locale without descriptions lists its keys
            auto keys = nlohmann::json::array();
            for (const auto& [key, changed] : edited) {
                keys.push_back({{"key", key}, {"edited", changed}});
            }
            return ctx.answer_only("template.list", {{"count", keys.size()}, {"templates", keys}});
        }
        auto listed = nlohmann::json::array();
        for (const auto& g : groups) {
            bool changed = false;
            for (const auto& entry : g.templates) {
                changed = changed || edited[entry.first];
            }
            listed.push_back(
                {{"name", g.name}, {"count", g.templates.size()}, {"edited", changed}});
        }
        return ctx.answer_only("template.groups", {{"count", groups.size()}, {"groups", listed}});
    }

    // A template is named by its description ("下单成功") or its key ("order.placed"); a
    // group's name lists the group.
    auto key = args.key;
    auto name = args.key;
    for (const auto& g : groups) {
        if (g.name == args.key && args.what == template_args::action::show) {
            std::string names;
            for (const auto& [k, description] : g.templates) {
                names += (names.empty() ? "" : "、") + description + (edited[k] ? "*" : "");
            }
            return ctx.answer_only("template.group", {{"group", g.name},
                                                      {"count", g.templates.size()},
                                                      {"names", names},
                                                      {"example", g.templates.front().second}});
        }
        for (const auto& [k, description] : g.templates) {
            if (description == args.key || k == args.key) {
                key = k;
                name = description;
            }
        }
    }
    const auto row = ctx.store.templates.find(locale, key);
    if (!row) {
        return ctx.answer_only("template.not_found", {{"key", args.key}});
    }
    nlohmann::json vars{{"key", row->key},
                        {"name", name},
                        {"text", row->text},
                        {"edited", row->edited},
                        {"variables", variables_of(row->default_text)}};
    switch (args.what) {
        case template_args::action::show:
            return ctx.answer_only("template.show", vars);
        case template_args::action::reset:
            ctx.store.templates.reset(locale, row->key);
            vars["text"] = row->default_text;
            return ctx.answer_only("template.reset", vars);
        case template_args::action::set: {
            // A template is a message, not a document: a 60 KB one repeated per household made
            // every answer megabytes long (SPEC §8 item 11).
            if (const auto length = text_length(args.text, length_unit::characters);
                length > max_template_chars) {
                vars["max"] = max_template_chars;
                vars["count"] = length;
                return ctx.answer_only("template.too_long", vars);
            }
            if (const auto problem = templates::renderer::check(args.text, row->default_text)) {
                using problem_kind = templates::template_problem::kind;
                using syntax = templates::template_problem::syntax;
                vars["detail"] = problem->detail;
                vars["depth"] = problem->depth;
                vars["allowed"] = problem->allowed;
                vars["near"] = problem->near;
                vars["tag"] = problem->tag;
                // Values are inserted as they are, never read as tags again.
                vars["example"] = "{{building}}";
                vars["opener"] = "{{#" + problem->tag + "}}";
                vars["closer"] = "{{/" + problem->tag + "}}";
                const auto syntax_key = [&] {
                    switch (problem->why) {
                        case syntax::unclosed_tag:
                            return "template.unclosed_tag";
                        case syntax::unclosed_section:
                            return "template.unclosed_section";
                        case syntax::unopened_section:
                            return "template.unopened_section";
                        case syntax::unsupported:
                            return "template.unsupported";
                        case syntax::other:
                            break;
                    }
                    return "template.syntax_error";
                };
                return ctx.answer_only(problem->what == problem_kind::syntax ? syntax_key()
                                       : problem->what == problem_kind::too_deep
                                           ? "template.too_deep"
                                           : "template.unknown_variable",
                                       vars);
            }
            ctx.store.templates.set(locale, row->key, args.text, ctx.sender.key(), ctx.now);
            vars["text"] = args.text;
            return ctx.answer_only("template.updated", vars);
        }
        case template_args::action::list:
            break;
    }
    return {};
}

}  // namespace loudong::handlers
