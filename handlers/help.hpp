#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// `帮助`: the commands the sender may use; `帮助 登记`: one command's usage.
handler_result handle_help(const command& cmd, context& ctx);

}  // namespace loudong::handlers
