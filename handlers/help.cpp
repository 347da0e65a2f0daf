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
    // One line per job, the commands the sender may use in the table's order (SPEC §8.12: a
    // list a phone shows without scrolling); `帮助 <命令>` has the rest.
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto group :
         {job::household, job::groupbuy, job::health, job::volunteer, job::chats, job::settings}) {
        std::string keywords;
        std::string slashes;
        for (const auto& row : command_handlers()) {
            if (row.group == group && may_use(row.name, ctx.sender_standing)) {
                keywords += (keywords.empty() ? "" : "、") + std::string(chinese_keyword(row.name));
                slashes += (slashes.empty() ? "/" : " /") + std::string(english_name(row.name));
            }
        }
        if (!keywords.empty()) {
            jobs.push_back({{"title", ctx.replies.text(std::string(job_template(group)))},
                            {"commands", keywords},
                            {"slashes", slashes}});
        }
    }
    result.replies.push_back(ctx.answer("help.list", {{"jobs", jobs}}));
    return result;
}

}  // namespace loudong::handlers
