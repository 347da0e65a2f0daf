#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/config.hpp"
#include "bot/net.hpp"
#include "handlers/message.hpp"
#include "handlers/text_parts.hpp"

namespace loudong::storage {
struct outbox_message;
}

namespace loudong::bot {

struct http_answer;

/// The result of reading a webhook body: a message, or the reason it was refused.
struct inbound {
    std::optional<handlers::message> message;
    std::string error;     ///< names the problem (and field) when message is empty
    bool ignored = false;  ///< a valid event that is not a text message: acknowledge, do nothing
    /// A request the platform answers itself, with this body (QQ's op 13 URL validation).
    std::optional<std::string> answer_now{};
};

/// Why a webhook request is not let in: the status to answer and the reason in its body.
struct refusal {
    http::status status = http::status::unauthorized;
    std::string reason;
};

/// A webhook's answer as the platform expects it.
struct hook_answer {
    http::status status = http::status::ok;
    std::string body;
};

/// How one send attempt ended.
struct delivery {
    enum class result { sent, retry, failed } outcome = result::failed;
    std::int64_t retry_after_seconds = 0;  ///< what the platform asked for (429), else 0
    std::string error;
    /// The platform says the chat now has this id (Telegram: a group upgraded to a supergroup):
    /// the chat moves and the message is tried again there.
    std::string moved_to{};
};

/// What a platform takes: how fast the outbox may send, and how long one message may be.
struct platform_limits {
    rate_limits rate;
    /// The longest text one message may carry, as the platform counts it; none (0) when the
    /// platform states none or cannot send (without an API, a long reply has nowhere to go in
    /// parts but the webhook's one answer).
    handlers::text_limit text;
    /// The webhook's answer carries no message (QQ's official bot; OneBot with "reply": "api"):
    /// replies go out through the outbox and send().
    bool replies_by_api = false;
};

/// How long one platform API call may take before the outbox worker gives it up and retries.
inline constexpr std::chrono::seconds send_timeout{10};

/// One chat platform with all of its protocol (model: NoneBot2's adapters): it lets a webhook
/// request in or refuses it, turns its payload into the neutral message, renders the answer
/// to it, sends an outbox message through its API, and states its limits. The request handler
/// and the outbox worker ask the platform table, never a platform's name.
///
/// Threads: read and answer run on the I/O threads, send on the outbox worker's; a platform
/// holds only its settings, so all may run at once.
class platform {
public:
    virtual ~platform() = default;

    /// The name in `/hook/<name>`, in member keys (`onebot:10001`) and in outbox rows.
    virtual std::string_view name() const = 0;

    /// The refusal when the request's signature or secret does not match, if any.
    virtual std::optional<refusal> authenticate(const request& req) const = 0;

    /// The answer to a GET of the webhook (WeCom's URL verification); nullopt: GET is not
    /// served (405).
    virtual std::optional<hook_answer> answer_get(const request&) const { return std::nullopt; }

    /// Reads a webhook body; `now` stands in for a missing time.
    virtual inbound read(std::string_view body, std::int64_t now) const = 0;

    /// The webhook answer carrying these replies to `msg`; no replies: the platform's "nothing".
    virtual hook_answer answer(const handlers::message& msg,
                               const std::vector<handlers::reply>& replies) const = 0;

    /// The answer when the message could not be stored (the database is down). 503 asks the
    /// platform to deliver it again; a platform that never does (OneBot) answers `text`, so the
    /// resident knows to send it once more.
    virtual hook_answer unavailable(const handlers::message& msg, const std::string& text) const;

    /// Sends one outbox message through the platform's API (blocking, with a deadline).
    virtual delivery send(const storage::outbox_message& message) const = 0;

    /// How fast and how much the outbox may send.
    virtual const platform_limits& limits() const = 0;
};

/// Maps an HTTP answer to a delivery result, the same way for every platform: no answer and
/// 5xx retry, 429 retries after what the platform asked, other 4xx fail for good.
delivery delivery_of(const http_answer& answer);

/// The wall clock in Unix seconds (a message's arrival, a reply's timestamp).
std::int64_t unix_seconds();

/// A URL without its trailing slashes, to append an API path to.
std::string without_trailing_slash(std::string url);

}  // namespace loudong::bot
