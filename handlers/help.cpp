#include "handlers/help.hpp"

#include "handlers/command_table.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::handlers {
namespace {

nlohmann::json command_vars(const command_handler& row, context& ctx) {
    return {{"keyword", std::string(chinese_keyword(row.name))},
            {"name", std::string(english_name(row.name))},
            {"summary", ctx.replies.text("summary." + std::string(row.help))}};
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
        const auto& row = handler_of(*name);
        auto vars = command_vars(row, ctx);
        vars["usage"] = ctx.replies.text("usage." + std::string(row.help));
        vars["allowed"] = may_use(*name, ctx.sender_standing);
        vars["who"] = ctx.replies.text(std::string(who_template(row.who)));
        result.replies.push_back(ctx.answer("help.command", vars));
        return result;
    }
    nlohmann::json commands = nlohmann::json::array();
    for (const auto& row : command_handlers()) {
        if (may_use(row.name, ctx.sender_standing)) {
            commands.push_back(command_vars(row, ctx));
        }
    }
    result.replies.push_back(ctx.answer("help.list", {{"commands", commands}}));
    return result;
}

}  // namespace loudong::handlers
