#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/platforms/platform.hpp"

namespace loudong::bot {

/// QQ through a OneBot v11 implementation (go-cqhttp, NapCat, Lagrange): events POSTed with
/// an HMAC-SHA1 X-Signature, answers as quick operations, sends through its HTTP API
/// (send_group_msg, send_private_msg).
class onebot_platform : public platform {
public:
    explicit onebot_platform(const onebot_settings& settings);

    std::string_view name() const override { return "onebot"; }
    std::optional<refusal> authenticate(const request& req) const override;
    inbound read(std::string_view body, std::int64_t now) const override;
    hook_answer answer(const handlers::message& msg,
                       const std::vector<handlers::reply>& replies) const override;
    hook_answer unavailable(const handlers::message& msg, const std::string& text) const override;
    delivery send(const storage::outbox_message& message) const override;
    const platform_limits& limits() const override { return limits_; }

private:
    onebot_settings settings_;
    platform_limits limits_;
};

/// Reads a OneBot v11 event report (go-cqhttp, NapCat, Lagrange); self_id is the bot's QQ
/// number, or empty to take it from the event.
inbound parse_onebot(std::string_view body, const std::string& self_id, std::int64_t now);

/// The quick-operation response body {"reply","at_sender"}; empty when there is nothing to say
/// (the request handler then answers 204).
std::string onebot_quick_reply(const std::vector<handlers::reply>& replies);

}  // namespace loudong::bot
