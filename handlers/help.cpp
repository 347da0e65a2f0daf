#include "handlers/help.hpp"

#include "handlers/command_parser.hpp"

namespace loudong::handlers {
namespace {

// The order commands are listed in: what a resident needs first, then staff tools.
constexpr command_name listing_order[] = {
    command_name::register_member,
    command_name::me,
    command_name::menu,
    command_name::order,
    command_name::myorders,
    command_name::cancel,
    command_name::antigen,
    command_name::tasks,
    command_name::claim,
    command_name::unclaim,
    command_name::roster,
    command_name::done,
    command_name::hours,
    command_name::summary,
    command_name::delivery,
    command_name::delivered,
    command_name::shop,
    command_name::item,
    command_name::close,
    command_name::call,
    command_name::pending,
    command_name::task,
    command_name::cancel_task,
    command_name::test,
    command_name::stats,
    command_name::notice,
    command_name::bind,
    command_name::grant,
    command_name::revoke,
    command_name::template_text,
    command_name::help,
};

nlohmann::json command_vars(command_name name, context& ctx) {
    const std::string english(english_name(name));
    return {{"keyword", std::string(chinese_keyword(name))},
            {"name", english},
            {"summary", ctx.replies.text("summary." + english)}};
}

}  // namespace

handler_result handle_help(const command& cmd, context& ctx) {
    const auto& args = std::get<help_args>(cmd.args);
    handler_result result;
    if (args.topic) {
        const auto name = find_command(*args.topic);
        if (!name) {
            result.replies.push_back(ctx.answer("help.unknown_topic", {{"topic", *args.topic}}));
            return result;
        }
        auto vars = command_vars(*name, ctx);
        vars["usage"] = ctx.replies.text("usage." + std::string(english_name(*name)));
        vars["allowed"] = may_use(*name, ctx.sender_standing);
        vars["who"] = ctx.replies.text(std::string(who_template(audience_of(*name))));
        result.replies.push_back(ctx.answer("help.command", vars));
        return result;
    }
    nlohmann::json commands = nlohmann::json::array();
    for (const auto name : listing_order) {
        if (may_use(name, ctx.sender_standing)) {
            commands.push_back(command_vars(name, ctx));
        }
    }
    result.replies.push_back(ctx.answer("help.list", {{"commands", commands}}));
    return result;
}

}  // namespace loudong::handlers
