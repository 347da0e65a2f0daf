#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/generic_adapter.hpp"
#include "handlers/message.hpp"

namespace loudong::bot {

/// Reads a Telegram Bot API Update; bot_username (without "@") tells this bot's commands from
/// other bots' in a group, or is empty to accept every "/cmd@name".
inbound parse_telegram(std::string_view body, const std::string& bot_username, std::int64_t now);

/// The webhook response body: a sendMessage method call answering reply_to in chat_id; empty
/// when there is nothing to say (the router then answers 200 with `{}`).
std::string telegram_method_reply(const std::vector<handlers::reply>& replies,
                                  const std::string& chat_id, const std::string& reply_to);

}  // namespace loudong::bot
