#include "handlers/template_commands.hpp"

#include "templates/renderer.hpp"

namespace loudong::handlers {
namespace {

nlohmann::json variables_of(const std::string& text) {
    auto names = nlohmann::json::array();
    for (const auto& name : templates::renderer::names_used(text)) {
        names.push_back({{"name", name}});
    }
    return names;
}

}  // namespace

handler_result handle_template(const command& cmd, context& ctx) {
    const auto& args = std::get<template_args>(cmd.args);
    const auto& locale = ctx.replies.locale();

    if (args.what == template_args::action::list) {
        auto keys = nlohmann::json::array();
        for (const auto& row : ctx.store.templates.list(locale)) {
            keys.push_back({{"key", row.key}, {"edited", row.edited}});
        }
        return ctx.answer_only("template.list", {{"count", keys.size()}, {"templates", keys}});
    }

    const auto row = ctx.store.templates.find(locale, args.key);
    if (!row) {
        return ctx.answer_only("template.not_found", {{"key", args.key}});
    }
    nlohmann::json vars{{"key", row->key},
                        {"text", row->text},
                        {"edited", row->edited},
                        {"variables", variables_of(row->default_text)}};
    switch (args.what) {
        case template_args::action::show:
            return ctx.answer_only("template.show", vars);
        case template_args::action::reset:
            ctx.store.templates.reset(locale, args.key);
            vars["text"] = row->default_text;
            return ctx.answer_only("template.reset", vars);
        case template_args::action::set: {
            if (const auto problem = templates::renderer::check(args.text, row->default_text)) {
                using problem_kind = templates::template_problem::kind;
                vars["detail"] = problem->detail;
                vars["depth"] = problem->depth;
                vars["allowed"] = problem->allowed;
                return ctx.answer_only(
                    problem->what == problem_kind::syntax     ? "template.syntax_error"
                    : problem->what == problem_kind::too_deep ? "template.too_deep"
                                                              : "template.unknown_variable",
                    vars);
            }
            ctx.store.templates.set(locale, args.key, args.text, ctx.sender.key(), ctx.now);
            vars["text"] = args.text;
            return ctx.answer_only("template.updated", vars);
        }
        case template_args::action::list:
            break;
    }
    return {};
}

}  // namespace loudong::handlers
