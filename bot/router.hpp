#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "bot/config.hpp"
#include "bot/metrics.hpp"
#include "bot/net.hpp"
#include "bot/writer.hpp"

namespace loudong::bot {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// Maps HTTP requests to the webhook adapters, /healthz and /metrics (SPEC §2). Answers either
/// at once or, for commands, when the writer has committed them.
class router {
public:
    router(const config& cfg, writer& store, metrics& stats);

    /// Handles one request; `respond` is called exactly once, possibly on another thread.
    void handle(request&& req, std::function<void(response)> respond);

    /// Where answers to stored messages are encoded: on these I/O threads rather than on the
    /// writer's, which is the bottleneck under load. Without it, on the writer's.
    void encode_on(net::io_context& io) { io_ = &io; }

private:
    void export_orders(request&& req, std::function<void(response)> respond);
    void handle_hook(const std::string& platform, request&& req,
                     std::function<void(response)> respond);
    /// The refusal for a request whose signature or secret does not match, if any.
    std::optional<response> authenticate(const std::string& platform, const request& req) const;
    /// The platform's response body for these replies (empty replies: its "nothing" answer).
    response encode(const std::string& platform, const request& req, const handlers::message& msg,
                    const std::vector<handlers::reply>& replies) const;

    const config& config_;
    writer& writer_;
    metrics& stats_;
    net::io_context* io_ = nullptr;
};

/// A response with a body, content type and the request's keep-alive and version.
response make_response(const request& req, http::status status, std::string body,
                       std::string_view content_type = "application/json");

}  // namespace loudong::bot
