#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `核酸 all 明天 07:00 小区广场`: plans the calling order and tells each building its time;
/// `核酸 推迟 30` and `核酸 取消` change the latest round and tell every affected building.
handler_result handle_test(const command& cmd, context& ctx);

/// `叫号 3号楼` / `叫号 下一栋`: tells a building to come down now; the plan advances.
handler_result handle_call(const command& cmd, context& ctx);
/// `补采 3-502 [14:00] [地点 …]`: rooms called back to a re-test, told privately.
handler_result handle_retest(const command& cmd, context& ctx);

/// The evening-before notice and the shortly-before reminder of a round (timed jobs).
handler_result run_test_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
