#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

// The committee console from the chat (SPEC §12): a login link, and logging out.

namespace loudong::handlers {

/// `控制台`: a one-time login link, sent privately to a committee member or lead.
handler_result handle_console(const command& cmd, context& ctx);

/// `退出控制台`: ends every console session of the sender.
handler_result handle_console_logout(const command& cmd, context& ctx);

}  // namespace loudong::handlers
