#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/generic_adapter.hpp"
#include "handlers/message.hpp"

namespace loudong::bot {

/// Reads a OneBot v11 event report (go-cqhttp, NapCat, Lagrange); self_id is the bot's QQ
/// number, or empty to take it from the event.
inbound parse_onebot(std::string_view body, const std::string& self_id, std::int64_t now);

/// The quick-operation response body {"reply","at_sender"}; empty when there is nothing to say
/// (the router then answers 204).
std::string onebot_quick_reply(const std::vector<handlers::reply>& replies);

}  // namespace loudong::bot
