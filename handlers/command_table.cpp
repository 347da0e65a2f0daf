#include "handlers/command_table.hpp"

#include <array>
#include <cstddef>

#include "handlers/antigen.hpp"
#include "handlers/console.hpp"
#include "handlers/help.hpp"
#include "handlers/notices.hpp"
#include "handlers/orders.hpp"
#include "handlers/registration.hpp"
#include "handlers/registry.hpp"
#include "handlers/tasks.hpp"
#include "handlers/template_commands.hpp"
#include "handlers/test_rounds.hpp"

namespace loudong::handlers {
namespace {

using enum command_name;

// Anyone registered may volunteer: claiming (揭榜) needs an address, since the roster shows
// rooms, but no role, and so does 完成 for a slot one holds; claiming grants no role.
constexpr std::array<command_handler, 48> handler_table{{
    {register_member, audience::everyone, handle_register, "register", job::household},
    {me, audience::everyone, handle_me, "me", job::household},
    {approve, audience::everyone, handle_approve, "approve", job::household},
    {reject, audience::everyone, handle_reject, "reject", job::household},
    {unregister, audience::everyone, handle_unregister, "unregister", job::household},
    {menu, audience::everyone, handle_menu, "menu", job::groupbuy},
    {order, audience::residents, handle_order, "order", job::groupbuy},
    {myorders, audience::residents, handle_myorders, "myorders", job::groupbuy},
    {cancel, audience::residents, handle_cancel, "cancel", job::groupbuy},
    {antigen, audience::residents, handle_antigen, "antigen", job::health},
    {tasks, audience::everyone, handle_tasks, "tasks", job::volunteer},
    {claim, audience::residents, handle_claim, "claim", job::volunteer},
    {myshifts, audience::everyone, handle_myshifts, "myshifts", job::volunteer},
    {swap, audience::residents, handle_swap, "swap", job::volunteer},
    {takeover, audience::residents, handle_takeover, "takeshift", job::volunteer},
    {checkin, audience::residents, handle_checkin, "checkin", job::volunteer},
    {unclaim, audience::everyone, handle_unclaim, "unclaim", job::volunteer},
    {roster, audience::everyone, handle_roster, "roster", job::volunteer},
    {done, audience::residents, handle_done, "done", job::volunteer},
    {hours, audience::everyone, handle_hours, "hours", job::volunteer},
    {summary, audience::staff, handle_summary, "summary", job::groupbuy},
    {delivery, audience::staff, handle_delivery, "delivery", job::groupbuy},
    {delivered, audience::staff, handle_delivered, "delivered", job::groupbuy},
    {orderfor, audience::staff, handle_orderfor, "orderfor", job::groupbuy},
    {shop, audience::leads, handle_shop, "shop", job::groupbuy},
    {item, audience::leads, handle_item, "item", job::groupbuy},
    {close, audience::leads, handle_close, "close", job::groupbuy},
    {call, audience::leads, handle_call, "call", job::health},
    {retest, audience::leads, handle_retest, "retest", job::health},
    {pending, audience::leads, handle_pending, "pending", job::health},
    {note, audience::leads, handle_note, "note", job::household},
    {remove, audience::leads, handle_remove, "remove", job::household},
    {task, audience::committee, handle_task, "task", job::volunteer},
    {rota, audience::committee, handle_rota, "rota", job::volunteer},
    {confirm_hours, audience::committee, handle_confirm_hours, "confirmhours", job::volunteer},
    {cancel_task, audience::committee, handle_cancel_task, "canceltask", job::volunteer},
    {test, audience::committee, handle_test, "test", job::health},
    {stats, audience::committee, handle_stats, "stats", job::health},
    {notice, audience::committee, handle_notice, "notice", job::chats},
    {bind, audience::committee, handle_bind, "bind", job::chats},
    {unbind, audience::committee, handle_unbind, "unbind", job::chats},
    {grant, audience::committee, handle_grant, "grant", job::settings},
    {revoke, audience::committee, handle_revoke, "revoke", job::settings},
    {template_text, audience::committee, handle_template, "template", job::settings},
    {registry, audience::committee, handle_registry, "building", job::household},
    {console, audience::leads, handle_console, "console", job::settings},
    {console_logout, audience::leads, handle_console_logout, "consolelogout", job::settings},
    {help, audience::everyone, handle_help, "help", job::help},
}};

// Each command once; that each has a row at all is checked against the parser's table by
// tests/handlers/command_table_test.cpp.
constexpr bool names_distinct() {
    for (std::size_t i = 0; i < handler_table.size(); ++i) {
        for (std::size_t j = i + 1; j < handler_table.size(); ++j) {
            if (handler_table[i].name == handler_table[j].name) {
                return false;
            }
        }
    }
    return true;
}
static_assert(names_distinct(), "handler_table: one row per command");

// Row index by enumerator, so that finding a command's row is one lookup.
constexpr std::array<std::size_t, handler_table.size()> row_by_name = [] {
    std::array<std::size_t, handler_table.size()> rows{};
    for (std::size_t i = 0; i < handler_table.size(); ++i) {
        rows[static_cast<std::size_t>(handler_table[i].name)] = i;
    }
    return rows;
}();

}  // namespace

std::string_view job_template(job group) {
    // In the order of the enumerators.
    static constexpr std::array<std::string_view, 7> names{
        "help.job.household", "help.job.groupbuy", "help.job.health", "help.job.volunteer",
        "help.job.chats",     "help.job.settings", "help.job.help"};
    return names[static_cast<std::size_t>(group)];
}

std::span<const command_handler> command_handlers() {
    return handler_table;
}

const command_handler& handler_of(command_name name) {
    return handler_table[row_by_name[static_cast<std::size_t>(name)]];
}

}  // namespace loudong::handlers
