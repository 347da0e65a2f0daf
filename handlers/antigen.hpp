#pragma once

#include <cstdint>

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `抗原 阴性`: records today's result for the sender's room. The reply never states the
/// result; a positive or invalid one alerts the committee chat and advises the reporter
/// privately.
handler_result handle_antigen(const command& cmd, context& ctx);

/// `未报 [楼号]`: rooms with a registered resident that have not reported today (rooms only).
handler_result handle_pending(const command& cmd, context& ctx);

/// `统计`: reported / registered rooms and positives per building today, in the committee chat.
handler_result handle_stats(const command& cmd, context& ctx);

/// Makes sure the next daily reminder and pending list are scheduled (once per day each).
void schedule_daily_antigen(repositories& store, const settings& config, std::int64_t now);

/// The daily reminder to every building chat, or each building's pending rooms.
handler_result run_antigen_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
