#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/config.hpp"
#include "bot/http/listener.hpp"
#include "bot/http/request_handler.hpp"
#include "bot/metrics.hpp"
#include "bot/net.hpp"
#include "bot/outbox/outbox_worker.hpp"
#include "bot/platforms/platform_table.hpp"
#include "bot/writer/writer.hpp"

namespace loudong::bot {

/// The whole webhook server: database writer, outbox worker, platforms, request handler, listener
/// and I/O threads.
class server {
public:
    /// Milliseconds since the Unix epoch; tests pass a clock they can move.
    using clock_ms = std::function<std::int64_t()>;

    /// The system clock.
    static std::int64_t system_clock_ms();

    /// Opens the database and binds the port; throws on failure (nothing is left running).
    explicit server(const config& cfg, clock_ms clock = system_clock_ms);
    ~server();

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The port actually bound.
    unsigned short port() const;

    /// Runs until SIGINT/SIGTERM or stop(); then stops accepting, finishes requests in
    /// flight, commits what is queued, and returns.
    void run();

    /// Asks run() to shut down gracefully; safe from any thread.
    void stop();

    /// Looks for due timed jobs now instead of within the next second (after moving a clock).
    void check_jobs() { writer_.poke(); }

private:
    void drain();

    config config_;
    metrics stats_;
    platform_table platforms_;
    writer writer_;
    outbox_worker outbox_;
    request_handler handler_;
    net::io_context ioc_;
    net::signal_set signals_;
    std::shared_ptr<listener> listener_;
    std::mutex sessions_mutex_;
    std::list<std::weak_ptr<http_session>> sessions_;
};

}  // namespace loudong::bot
