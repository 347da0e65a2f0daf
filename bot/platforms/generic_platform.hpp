#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bot/platforms/platform.hpp"

namespace loudong::bot {

/// loudong's own JSON format (SPEC §2), for bridges and tests: HMAC-SHA256 signatures in
/// X-Loudong-Signature, replies in the response body, outbox messages POSTed to outbound_url.
class generic_platform : public platform {
public:
    explicit generic_platform(const generic_settings& settings);

    std::string_view name() const override { return "generic"; }
    std::optional<refusal> authenticate(const request& req) const override;
    inbound read(std::string_view body, std::int64_t now) const override;
    hook_answer answer(const handlers::message& msg,
                       const std::vector<handlers::reply>& replies) const override;
    delivery send(const storage::outbox_message& message) const override;
    const platform_limits& limits() const override { return limits_; }

private:
    generic_settings settings_;
    platform_limits limits_;
};

/// Reads the project's own JSON format (SPEC §2, "Generic format").
inbound parse_generic(std::string_view body, std::int64_t now);

/// The generic response body: {"replies":[{"chat_id","text","reply_to"}]}.
std::string generic_response(const std::vector<handlers::reply>& replies);

}  // namespace loudong::bot
