#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bot/metrics.hpp"
#include "bot/outbox/rate_limiter.hpp"
#include "bot/platforms/platform_table.hpp"
#include "storage/database.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {

/// Sends the outbox through each platform's API (SPEC §5, §10): alerts before direct messages
/// before broadcasts, each lane in order per chat, within each platform's rate limits, retrying
/// with exponential back-off on connection errors, 5xx and 429 (honouring retry-after),
/// recording permanent failures. State lives in the outbox table, so a restart resumes where
/// it stopped; a row is marked sent only after the platform's 2xx.
///
/// Threads: a dispatcher with its own SQLite connection (the writer keeps the other) picks
/// what is due and records how each send ended, a batch per transaction; each platform has
/// `senders_per_platform` threads of its own that make the (blocking, 10 s) API calls over
/// kept-alive connections (bot/http/http_client.hpp). So a platform that hangs holds only its
/// own senders, and a chat that hangs one of them: one send per chat is in flight at a time,
/// which keeps a chat's messages in order. Blocking senders rather than Beast's async client
/// on the I/O threads: the platforms' send() stays a plain function (NoneBot2's model), and
/// eight threads per platform cost nothing beside the sends' own waiting.
class outbox_worker {
public:
    using clock_ms = std::function<std::int64_t()>;

    /// Sends in flight at once per platform. Broadcasts may take all but two of them and direct
    /// messages all but one, so an alert never waits for a free sender behind them.
    static constexpr int senders_per_platform = 8;

    outbox_worker(const std::string& db_path, const platform_table& platforms, metrics& stats,
                  clock_ms clock);
    ~outbox_worker();

    outbox_worker(const outbox_worker&) = delete;
    outbox_worker& operator=(const outbox_worker&) = delete;

    /// Starts the dispatcher and the senders.
    void start();

    /// Wakes the worker: something was queued.
    void poke();

    /// Finishes the sends in flight, records them, and stops; what is still queued stays for
    /// the next start.
    void stop();

private:
    /// How one send ended, handed from a sender to the dispatcher.
    struct finished {
        storage::outbox_message message;
        delivery result;
        std::int64_t at_ms = 0;
    };

    /// One platform's senders and the sends handed to them.
    struct sender_pool {
        const platform* to = nullptr;
        rate_limiter limiter;
        std::deque<storage::outbox_message> jobs;  ///< guarded by mutex_
        int in_flight = 0;                         ///< handed out, not yet recorded (dispatcher)
        std::condition_variable has_job;
        std::vector<std::thread> threads;

        sender_pool(const platform* p, rate_limits limits) : to(p), limiter(limits) {}
    };

    void run();
    void send_loop(sender_pool& pool);
    /// Hands out what the limits and free senders allow now; returns how long to sleep before
    /// looking again if nothing else wakes the dispatcher.
    std::int64_t dispatch();
    /// Records how the finished sends ended, in one transaction.
    void record(std::vector<finished>& done);
    void record_one(const finished& f);

    storage::database db_;
    storage::outbox_repository outbox_;
    metrics& stats_;
    clock_ms clock_;
    std::map<std::string, std::unique_ptr<sender_pool>> pools_;  ///< by platform name
    std::set<std::string> busy_chats_;  ///< chats with a send in flight (dispatcher only)
    /// The heads of the chats' lanes the last query found and not yet handed out, in lane
    /// order (dispatcher only). Only the dispatcher changes rows' states, so they stay right
    /// until something is queued (a poke) or a finished send leaves its chat more to send; the
    /// table is read again then, once they are all out, or at the latest 200 ms later.
    std::vector<storage::outbox_message> heads_;
    std::int64_t queried_at_ms_ = 0;
    std::optional<std::int64_t> depth_at_ms_;  ///< when the pending rows were last counted
    bool requery_ = true;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool new_rows_ = false;  ///< poked since the last query (guarded by mutex_)
    std::vector<finished> finished_;
    bool poked_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace loudong::bot
