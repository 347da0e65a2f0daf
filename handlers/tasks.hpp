#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `发布任务 物资搬运 4-28 14:00-16:00 6 地点 1号门`: posts a task; `每天 … 至 5-10` posts one
/// task per day of the rota, each claimable on its own.
handler_result handle_task(const command& cmd, context& ctx);

/// `排班 东门,南门 11-29 08:00 至 11-30 08:00 每2小时 3人`: one task per gate and shift,
/// numbered gate by gate, answered with one summary.
handler_result handle_rota(const command& cmd, context& ctx);
handler_result handle_checkin(const command& cmd, context& ctx);
handler_result handle_confirm_hours(const command& cmd, context& ctx);

/// `任务 [页]`: open tasks that have not started and still have free slots, soonest first,
/// ten a page.
handler_result handle_tasks(const command& cmd, context& ctx);

/// `揭榜 12` / `报名 12`: takes a free slot, or a place on the waiting list (候补) when full.
/// `揭榜 12 13 15`, `揭榜 12-15` and `揭榜 东门 11-29 全天` claim several shifts, each on its
/// own (an overlap refuses only that shift), answered with one line per shift.
handler_result handle_claim(const command& cmd, context& ctx);

/// `换班 12 3-502`: the holder of a shift offers it to another registered volunteer, told in
/// the task's chat; the shift stays the holder's until the other accepts.
handler_result handle_swap(const command& cmd, context& ctx);

/// `接班 12`: accepts a shift offered to the sender; the slot moves, the offerer is told, and
/// so are the committee and the leads of the offerer's building.
handler_result handle_takeover(const command& cmd, context& ctx);

/// `我的班次`: the sender's coming shifts, held or waited for.
handler_result handle_myshifts(const command& cmd, context& ctx);

/// `退出 12`: gives a slot (or a waiting place) back; the first in line takes the slot and is
/// told in the task's chat.
handler_result handle_unclaim(const command& cmd, context& ctx);

/// `名单 12`: who holds the slots (names and rooms), and the waiting list.
handler_result handle_roster(const command& cmd, context& ctx);

/// `完成 12`: checks the sender out of a slot they hold; hours come from the task's time.
handler_result handle_done(const command& cmd, context& ctx);

/// `时长`: this month's checked-out hours per volunteer, most first.
handler_result handle_hours(const command& cmd, context& ctx);

/// `取消任务 12`: the committee cancels a task; its claimants are told in the task's chat.
handler_result handle_cancel_task(const command& cmd, context& ctx);

/// Reminds a task's slot holders shortly before it starts, and tells the committee chat when
/// slots are still free (a timed job).
handler_result run_task_reminder_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
