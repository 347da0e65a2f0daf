#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "bot/metrics.hpp"
#include "handlers/dispatcher.hpp"
#include "storage/database.hpp"
#include "storage/savepoint.hpp"

namespace loudong::bot {

/// How one submitted message ended.
struct write_result {
    handlers::processing_outcome outcome;
    bool stored = true;  ///< false when the transaction could not be committed (disk, I/O)
};

/// Whether the database takes writes, as the writer last found it.
struct storage_health {
    bool writable = true;
    std::string error;  ///< SQLite's message for the failure ("database or disk is full")
    std::int64_t failing_since = 0;    ///< Unix seconds of the first failed commit in this spell
    std::uint64_t failed_batches = 0;  ///< commits that failed in this spell
};

/// The single writer: one thread owns the write connection and commits queued messages in
/// batches, one transaction per batch (group commit), each message inside its own savepoint
/// so a failing one rolls back alone. A completion runs only after its batch is durable.
///
/// Threads: completions are called on the writer thread; callers post them where they belong.
class writer {
public:
    using clock_fn = std::function<std::int64_t()>;

    /// Opens the database (throws if it cannot), migrates it and loads default templates.
    writer(const std::string& db_path, handlers::settings config, metrics& stats, clock_fn clock);
    ~writer();

    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    /// Starts the writer thread.
    void start();

    /// Queues a message with its text parsed by the caller (parse_command(msg.text), off the
    /// writer's thread); `done` is called once it is committed (or failed).
    void submit(handlers::message msg, handlers::parse_result parsed,
                std::function<void(write_result)> done);

    /// Runs `task` on the writer thread with the dispatcher and the writer's clock (Unix
    /// seconds), for reads that need the same view as the writes (an export, the console) and
    /// for writes that are no chat message (a console login); `done(false)` if its transaction
    /// failed.
    void run(std::function<void(handlers::dispatcher&, std::int64_t now)> task,
             std::function<void(bool)> done);

    /// Queues a write probe; `done` gets the health found by it (writable when it committed).
    void check_health(std::function<void(storage_health)> done);

    /// Called (on the writer thread) after a commit that put messages in the outbox.
    void on_queued(std::function<void()> notify) { on_queued_ = std::move(notify); }

    /// Wakes the writer to look for due timed jobs now (tests move the clock, then poke).
    void poke();

    /// Finishes everything queued, then stops the thread.
    void stop();

private:
    struct job {
        std::optional<handlers::message> msg;  ///< empty for a health probe or a task
        std::function<void(write_result)> done;
        std::function<void(handlers::dispatcher&, std::int64_t)> task;
        handlers::parse_result parsed;  ///< msg's text, parsed
    };

    void run();
    void run_batch(std::deque<job>& batch);
    void run_due_jobs();
    /// Records how a commit went; logs when the database stops or starts taking writes.
    void note_commit(bool ok, const std::string& error, std::int64_t now);

    storage::database db_;
    storage::savepoint_statements message_savepoint_;
    storage::savepoint_statements job_savepoint_;
    handlers::dispatcher dispatcher_;
    metrics& stats_;
    clock_fn clock_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<job> queue_;
    bool stopping_ = false;
    bool poked_ = false;
    std::function<void()> on_queued_;
    std::thread thread_;
    std::int64_t last_prune_ = 0;
    std::int64_t last_jobs_check_ = 0;
    storage_health health_;  ///< writer thread only; probes get a copy
};

}  // namespace loudong::bot
