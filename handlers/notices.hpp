#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `通知 all 今晚8点全员核酸` broadcasts now; `通知 明天 07:00 3,5 …` schedules;
/// `通知 状态 [N]` shows how a notice was delivered.
handler_result handle_notice(const command& cmd, context& ctx);

/// Sends a scheduled notice when its job is due, or tells the committee it was dropped when
/// the job is stale (the server was down past its time).
handler_result run_notice_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
