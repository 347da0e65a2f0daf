#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "bot/metrics.hpp"
#include "bot/outbox/rate_limiter.hpp"
#include "bot/platforms/platform_table.hpp"
#include "storage/database.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {

/// Sends the outbox through each platform's API (SPEC §5): oldest first and in order per
/// chat, within each platform's rate limits, retrying with exponential back-off on connection
/// errors, 5xx and 429 (honouring retry-after), recording permanent failures. State lives in
/// the outbox table, so a restart resumes where it stopped.
///
/// Threads: one thread of its own, with its own SQLite connection (the writer keeps the
/// other); its small status updates wait on SQLite's busy timeout when the writer commits.
class outbox_worker {
public:
    using clock_ms = std::function<std::int64_t()>;

    outbox_worker(const std::string& db_path, const platform_table& platforms, metrics& stats,
                  clock_ms clock);
    ~outbox_worker();

    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    /// Starts the sending thread.
    void start();

    /// Wakes the worker: something was queued.
    void poke();

    /// Finishes the send in flight and stops; what is still queued stays for the next start.
    void stop();

    /// One platform call for one message, through the platform the row names.
    delivery deliver(const storage::outbox_message& message);

private:
    void run();
    /// Sends what the limits allow now; returns how long to sleep before looking again.
    std::int64_t send_due();
    void record(const storage::outbox_message& message, const delivery& result,
                std::int64_t now_ms);

    storage::database db_;
    storage::outbox_repository outbox_;
    const platform_table& platforms_;
    metrics& stats_;
    clock_ms clock_;
    std::map<std::string, rate_limiter> limiters_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace loudong::bot
