#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// `模板`: list, show, edit (`set`) or reset a reply template.
handler_result handle_template(const command& cmd, context& ctx);

}  // namespace loudong::handlers
