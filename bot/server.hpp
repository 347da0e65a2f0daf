#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bot/config.hpp"
#include "bot/listener.hpp"
#include "bot/metrics.hpp"
#include "bot/net.hpp"
#include "bot/router.hpp"
#include "bot/writer.hpp"

namespace loudong::bot {

/// The whole webhook server: database writer, router, listener and I/O threads.
class server {
public:
    /// Opens the database and binds the port; throws on failure (nothing is left running).
    explicit server(const config& cfg);
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

private:
    void drain();

    config config_;
    metrics stats_;
    writer writer_;
    router router_;
    net::io_context ioc_;
    net::signal_set signals_;
    std::shared_ptr<listener> listener_;
    std::mutex sessions_mutex_;
    std::list<std::weak_ptr<http_session>> sessions_;
};

}  // namespace loudong::bot
