#include "bot/writer/writer.hpp"

#include <chrono>

#include <SQLiteCpp/Exception.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "templates/default_templates.hpp"

namespace loudong::bot {
namespace {

// Large enough to amortise one fsync over a burst, small enough that the first message in a
// batch does not wait long for the last.
constexpr std::size_t max_batch = 256;

// Platforms retry for at most a day (Telegram); a week of history is plenty for idempotency.
constexpr std::int64_t processed_retention_seconds = 7 * 24 * 3600;

/// A failure of the database itself (disk full, read-only, I/O error, corruption, locked) as
/// opposed to a bug in one message's handling: it fails the whole batch, so every message in
/// it is answered 503 and retried by its platform instead of being answered with an apology.
bool is_storage_failure(const std::exception& failure) {
    const auto* e = dynamic_cast<const SQLite::Exception*>(&failure);
    if (e == nullptr) {
        return false;
    }
    switch (e->getErrorCode()) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_NOMEM:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_PROTOCOL:
            return true;
        default:
            return false;
    }
}

}  // namespace

writer::writer(const std::string& db_path, handlers::settings config, metrics& stats,
               clock_fn clock)
    : db_(db_path),
      message_savepoint_(db_.connection(), "message"),
      job_savepoint_(db_.connection(), "job"),
      dispatcher_(db_.connection(), std::move(config)),
      stats_(stats),
      clock_(std::move(clock)) {
    dispatcher_.store().templates.load_defaults(templates::shipped_defaults(), clock_());
    dispatcher_.schedule_daily_jobs(clock_());
}

writer::~writer() {
    stop();
}

void writer::start() {
    thread_ = std::thread([this] { run(); });
}

void writer::submit(handlers::message msg, handlers::parse_result parsed,
                    std::function<void(write_result)> done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(job{std::move(msg), std::move(done), {}, std::move(parsed)});
    }
    wake_.notify_one();
}

void writer::run(std::function<void(handlers::dispatcher&, std::int64_t now)> task,
                 std::function<void(bool)> done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(job{std::nullopt,
                             [done = std::move(done)](write_result result) { done(result.stored); },
                             std::move(task),
                             {}});
    }
    wake_.notify_one();
}

void writer::check_health(std::function<void(storage_health)> done) {
    {
        std::lock_guard lock(mutex_);
        // The completion runs on the writer thread right after the probe's commit, so it may
        // read health_ there.
        queue_.push_back(job{
            std::nullopt, [this, done = std::move(done)](write_result) { done(health_); }, {}, {}});
    }
    wake_.notify_one();
}

void writer::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_one();
}

void writer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void writer::run() {
    for (;;) {
        std::deque<job> batch;
        bool poked = false;
        {
            std::unique_lock lock(mutex_);
            // Timed jobs are checked at least once a second, and whenever poked.
            wake_.wait_for(lock, std::chrono::seconds(1),
                           [this] { return stopping_ || poked_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) {
                return;  // everything queued is done
            }
            poked = poked_;
            poked_ = false;
            while (!queue_.empty() && batch.size() < max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (!batch.empty()) {
            run_batch(batch);
        }
        // Jobs are due by the second: look once a second, not after every batch under load.
        if (const auto now = clock_(); poked || now != last_jobs_check_) {
            last_jobs_check_ = now;
            run_due_jobs();
        }
    }
}

void writer::run_batch(std::deque<job>& batch) {
    auto& db = db_.connection();
    const auto now = clock_();
    std::vector<write_result> results(batch.size());
    bool committed = false;
    double commit_seconds = 0;
    std::string error;
    int queued = 0;
    try {
        db.exec("BEGIN IMMEDIATE");
        for (std::size_t i = 0; i < batch.size(); ++i) {
            storage::savepoint message(message_savepoint_);
            try {
                if (batch[i].msg) {
                    results[i].outcome = dispatcher_.process(*batch[i].msg, batch[i].parsed, now);
                    queued += results[i].outcome.queued;
                } else if (batch[i].task) {
                    batch[i].task(dispatcher_, now);
                } else {
                    db.exec("INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, " +
                            std::to_string(now) + ")");
                }
                message.release();
            } catch (const std::exception& e) {
                if (is_storage_failure(e)) {
                    throw;  // the whole batch fails: see is_storage_failure
                }
                message.roll_back();
                dispatcher_.forget_cached();
                spdlog::error("message {} in chat {} failed and was rolled back: {}",
                              batch[i].msg ? batch[i].msg->message_id : "(probe)",
                              batch[i].msg ? batch[i].msg->chat_id : "", e.what());
                if (batch[i].msg) {
                    results[i].outcome = dispatcher_.failed(*batch[i].msg, now);
                    queued += results[i].outcome.queued;
                }
            }
        }
        if (now - last_prune_ > 3600) {
            dispatcher_.store().processed.prune(now - processed_retention_seconds);
            last_prune_ = now;
        }
        const auto commit_started = std::chrono::steady_clock::now();
        db.exec("COMMIT");
        commit_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_started)
                .count();
        committed = true;
    } catch (const std::exception& e) {
        error = e.what();
        try {
            db.exec("ROLLBACK");
        } catch (const std::exception&) {
            // Nothing more to undo: SQLite already rolled the transaction back.
        }
        dispatcher_.forget_cached();
    }
    note_commit(committed, error, now);
    stats_.record_batch(batch.size(), commit_seconds);
    if (committed && queued > 0 && on_queued_) {
        on_queued_();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        results[i].stored = committed;
        if (!committed) {
            results[i].outcome = {};
        }
        batch[i].done(std::move(results[i]));
    }
}

void writer::note_commit(bool ok, const std::string& error, std::int64_t now) {
    if (ok) {
        if (!health_.writable) {
            spdlog::warn("database takes writes again after {} s and {} failed commit(s)",
                         now - health_.failing_since, health_.failed_batches);
            health_ = {};
            stats_.set_storage_writable(true);
        }
        return;
    }
    if (health_.writable) {
        spdlog::error("database stopped taking writes: {} (answering 503 until it recovers)",
                      error);
        health_ = {false, error, now, 0};
        stats_.set_storage_writable(false);
    }
    health_.error = error;
    ++health_.failed_batches;
    // One line per failed spell above; the rest at debug, so a full disk does not also fill
    // the log.
    spdlog::debug("write batch could not be committed: {}", error);
}

void writer::run_due_jobs() {
    auto& db = db_.connection();
    const auto now = clock_();
    int queued = 0;
    try {
        const auto due = dispatcher_.due_jobs(now);
        if (due.empty()) {
            return;
        }
        db.exec("BEGIN IMMEDIATE");
        for (const auto& timed : due) {
            storage::savepoint this_job(job_savepoint_);
            try {
                queued += dispatcher_.run_job(timed, now);
                this_job.release();
            } catch (const std::exception& e) {
                if (is_storage_failure(e)) {
                    throw;  // the disk, not the job: it stays due and runs when the disk is back
                }
                this_job.roll_back();
                dispatcher_.forget_cached();
                // Marked failed so a broken job does not fire again every second.
                dispatcher_.store().jobs.finish(timed.id, storage::job_outcome::failed, now);
                spdlog::error("job {} ({}) failed: {}", timed.id,
                              timed.kind ? storage::stored_word(*timed.kind) : "unknown", e.what());
            }
        }
        db.exec("COMMIT");
        note_commit(true, "", now);
        spdlog::info("ran {} timed job(s), {} message(s) queued", due.size(), queued);
    } catch (const std::exception& e) {
        spdlog::error("timed jobs could not be committed: {}", e.what());
        if (is_storage_failure(e)) {
            note_commit(false, e.what(), now);  // /healthz and the metric say so at once
        }
        try {
            db.exec("ROLLBACK");
        } catch (const std::exception&) {
            // Already rolled back by SQLite.
        }
        dispatcher_.forget_cached();
        return;
    }
    if (queued > 0 && on_queued_) {
        on_queued_();
    }
}

}  // namespace loudong::bot
