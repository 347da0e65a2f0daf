#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/platforms/platform.hpp"

namespace loudong::bot {

/// The Telegram Bot API: updates POSTed with X-Telegram-Bot-Api-Secret-Token, answers as a
/// sendMessage method call in the response body, outbox messages through sendMessage.
class telegram_platform : public platform {
public:
    explicit telegram_platform(const telegram_settings& settings);

    std::string_view name() const override { return "telegram"; }
    std::optional<refusal> authenticate(const request& req) const override;
    inbound read(std::string_view body, std::int64_t now) const override;
    hook_answer answer(const handlers::message& msg,
                       const std::vector<handlers::reply>& replies) const override;
    delivery send(const storage::outbox_message& message) const override;
    const platform_limits& limits() const override { return limits_; }

private:
    telegram_settings settings_;
    platform_limits limits_;
};

/// Reads a Telegram Bot API Update; bot_username (without "@") tells this bot's commands from
/// other bots' in a group, or is empty to accept every "/cmd@name".
inbound parse_telegram(std::string_view body, const std::string& bot_username, std::int64_t now);

/// A loudong chat id of Telegram: the chat, and the forum topic ("-100…/85") when it is one.
struct telegram_chat {
    std::string chat;
    std::string topic;  ///< message_thread_id, or empty
};
telegram_chat telegram_chat_of(const std::string& chat_id);

/// The webhook response body: a sendMessage method call answering reply_to in chat_id; empty
/// when there is nothing to say (the request handler then answers 200 with `{}`).
std::string telegram_method_reply(const std::vector<handlers::reply>& replies,
                                  const std::string& chat_id, const std::string& reply_to);

}  // namespace loudong::bot
