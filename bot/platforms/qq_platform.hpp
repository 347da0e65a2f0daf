#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bot/platforms/platform.hpp"
#include "bot/platforms/signature.hpp"

namespace loudong::bot {

/// QQ's official bot API v2 (SPEC §9), the compliant way into ordinary QQ groups: webhook events
/// signed with Ed25519 by a key made from the bot secret; op 13 validates the callback URL, op 0
/// carries events and is acknowledged with op 12. The webhook answer carries no message: replies
/// go through the OpenAPI as passive messages (msg_id, msg_seq) and outbox messages as active
/// ones, with an access token fetched by app id and secret and kept until shortly before it
/// expires.
///
/// Sources: the platform's documentation (github.com/tencent-connect/bot-docs, api-v2:
/// event-emit/webhook, send-receive/event and send) and its Go SDK (tencent-connect/botgo,
/// interaction/webhook and interaction/signature).
class qq_platform : public platform {
public:
    explicit qq_platform(const qq_settings& settings);

    std::string_view name() const override { return "qq"; }
    std::optional<refusal> authenticate(const request& req) const override;
    inbound read(std::string_view body, std::int64_t now) const override;
    hook_answer answer(const handlers::message& msg,
                       const std::vector<handlers::reply>& replies) const override;
    hook_answer unavailable(const handlers::message& msg, const std::string& text) const override;
    delivery send(const storage::outbox_message& message) const override;
    const platform_limits& limits() const override { return limits_; }

private:
    // The access token, fetched when there is none or it expires within a minute; empty with
    // the reason in `error` when the token URL did not give one.
    std::string access_token(std::string& error) const;
    void forget_token(const std::string& token) const;

    qq_settings settings_;
    ed25519_key key_;
    platform_limits limits_;
    mutable std::mutex token_mutex_;
    mutable std::string token_;
    mutable std::int64_t token_expires_ms_ = 0;  ///< steady-clock milliseconds
};

/// Reads a QQ webhook body. Op 13 (URL validation) is answered at once with plain_token signed
/// by `key` (event_ts + plain_token); op 0 message events become messages; other events and
/// opcodes are acknowledged and ignored.
inbound parse_qq(std::string_view body, const ed25519_key& key, std::int64_t now);

/// The text of a QQ message: mentions written <@openid> or <@!openid> become "@openid" (so that
/// 授权 and 确认 can name the member), and a mention of this bot at either end is dropped.
std::string qq_text(std::string_view content, const std::vector<std::string>& bot_ids);

/// Passive replies must come within the platform's window after the message (5 minutes in a
/// group, 60 in a one-to-one chat) and at most 5 per message; later ones go as active messages.
bool qq_may_reply_passively(const storage::outbox_message& message, std::int64_t now);

}  // namespace loudong::bot
