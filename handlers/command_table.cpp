#include "handlers/command_table.hpp"

#include <array>
#include <cstddef>

#include "handlers/antigen.hpp"
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
constexpr std::array<command_handler, 46> handler_table{{
    {register_member, audience::everyone, handle_register, "register"},
    {me, audience::everyone, handle_me, "me"},
    {approve, audience::everyone, handle_approve, "approve"},
    {reject, audience::everyone, handle_reject, "reject"},
    {unregister, audience::everyone, handle_unregister, "unregister"},
    {menu, audience::everyone, handle_menu, "menu"},
    {order, audience::residents, handle_order, "order"},
    {myorders, audience::residents, handle_myorders, "myorders"},
    {cancel, audience::residents, handle_cancel, "cancel"},
    {antigen, audience::residents, handle_antigen, "antigen"},
    {tasks, audience::everyone, handle_tasks, "tasks"},
    {claim, audience::residents, handle_claim, "claim"},
    {myshifts, audience::everyone, handle_myshifts, "myshifts"},
    {swap, audience::residents, handle_swap, "swap"},
    {takeover, audience::residents, handle_takeover, "takeshift"},
    {checkin, audience::residents, handle_checkin, "checkin"},
    {unclaim, audience::everyone, handle_unclaim, "unclaim"},
    {roster, audience::everyone, handle_roster, "roster"},
    {done, audience::residents, handle_done, "done"},
    {hours, audience::everyone, handle_hours, "hours"},
    {summary, audience::staff, handle_summary, "summary"},
    {delivery, audience::staff, handle_delivery, "delivery"},
    {delivered, audience::staff, handle_delivered, "delivered"},
    {orderfor, audience::staff, handle_orderfor, "orderfor"},
    {shop, audience::leads, handle_shop, "shop"},
    {item, audience::leads, handle_item, "item"},
    {close, audience::leads, handle_close, "close"},
    {call, audience::leads, handle_call, "call"},
    {retest, audience::leads, handle_retest, "retest"},
    {pending, audience::leads, handle_pending, "pending"},
    {note, audience::leads, handle_note, "note"},
    {remove, audience::leads, handle_remove, "remove"},
    {task, audience::committee, handle_task, "task"},
    {rota, audience::committee, handle_rota, "rota"},
    {confirm_hours, audience::committee, handle_confirm_hours, "confirmhours"},
    {cancel_task, audience::committee, handle_cancel_task, "canceltask"},
    {test, audience::committee, handle_test, "test"},
    {stats, audience::committee, handle_stats, "stats"},
    {notice, audience::committee, handle_notice, "notice"},
    {bind, audience::committee, handle_bind, "bind"},
    {unbind, audience::committee, handle_unbind, "unbind"},
    {grant, audience::committee, handle_grant, "grant"},
    {revoke, audience::committee, handle_revoke, "revoke"},
    {template_text, audience::committee, handle_template, "template"},
    {registry, audience::committee, handle_registry, "building"},
    {help, audience::everyone, handle_help, "help"},
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

std::span<const command_handler> command_handlers() {
    return handler_table;
}

const command_handler& handler_of(command_name name) {
    return handler_table[row_by_name[static_cast<std::size_t>(name)]];
}

}  // namespace loudong::handlers
