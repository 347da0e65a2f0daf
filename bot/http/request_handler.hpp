#pragma once

#include <functional>
#include <map>
#include <string>

#include "bot/config.hpp"
#include "bot/console/console_site.hpp"
#include "bot/metrics.hpp"
#include "bot/net.hpp"
#include "bot/platforms/platform_table.hpp"
#include "bot/writer/writer.hpp"
#include "handlers/context.hpp"

namespace loudong::bot {

/// The HTTP request handler (model: Asio's `request_handler`): maps each request to a
/// platform's webhook, /healthz, /metrics or the CSV export (SPEC §2), and answers either at
/// once or, for commands, when the writer has committed them.
class request_handler {
public:
    request_handler(const config& cfg, const platform_table& platforms, writer& store,
                    metrics& stats);

    /// Handles one request; `respond` is called exactly once, possibly on another thread.
    void handle(request&& req, std::function<void(response)> respond);

    /// Where answers to stored messages are encoded: on these I/O threads rather than on the
    /// writer's, which is the bottleneck under load. Without it, on the writer's.
    void encode_on(net::io_context& io) {
        io_ = &io;
        console_.encode_on(io);
    }

private:
    /// What a platform that never retries tells the sender when their message was not stored.
    std::string unavailable_text() const;
    void export_orders(request&& req, std::function<void(response)> respond);
    /// `/hook/<platform>`: authenticate, read, parse, store and handle, answer.
    void handle_hook(const platform& from, request&& req, std::function<void(response)> respond);

    const config& config_;
    /// The compounds by id, for a compound named in a message (统计 紫荆小区).
    std::map<std::string, handlers::compound_settings> compounds_;
    const platform_table& platforms_;
    writer& writer_;
    metrics& stats_;
    net::io_context* io_ = nullptr;
    console_site console_;
};

/// The config's compounds as the handlers take them.
std::map<std::string, handlers::compound_settings> compound_settings_of(const config& cfg);

/// A response with a body, content type and the request's keep-alive and version.
response make_response(const request& req, http::status status, std::string body,
                       std::string_view content_type = "application/json");

}  // namespace loudong::bot
