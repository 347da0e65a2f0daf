#include "bot/outbox/outbox_worker.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace loudong::bot {
namespace {

// A message still undelivered after a day is news no more; record it as failed.
constexpr std::int64_t give_up_after_attempts = 200;
constexpr std::int64_t max_backoff_seconds = 300;

// One-to-one chats are limited apart from a group that happens to have the same id.
std::string limiter_key(const storage::outbox_message& message) {
    return message.is_private ? "private:" + message.chat_id : message.chat_id;
}

}  // namespace

outbox_worker::outbox_worker(const std::string& db_path, const platform_table& platforms,
                             metrics& stats, clock_ms clock)
    : db_(db_path),
      outbox_(db_.connection()),
      platforms_(platforms),
      stats_(stats),
      clock_(std::move(clock)) {
    for (const auto& p : platforms_.all()) {
        limiters_.emplace(std::string(p->name()), rate_limiter(p->limits().rate));
    }
}

outbox_worker::~outbox_worker() {
    stop();
}

void outbox_worker::start() {
    thread_ = std::thread([this] { run(); });
}

void outbox_worker::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_one();
}

void outbox_worker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void outbox_worker::run() {
    for (;;) {
        std::int64_t sleep_ms = 1000;
        try {
            sleep_ms = send_due();
        } catch (const std::exception& e) {
            // A locked or unwritable database: keep the queue, try again shortly.
            spdlog::error("outbox: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms),
                       [this] { return stopping_ || poked_; });
        poked_ = false;
        if (stopping_) {
            return;
        }
    }
}

std::int64_t outbox_worker::send_due() {
    std::int64_t sleep_ms = 1000;
    for (;;) {
        const auto now_ms = clock_();
        const auto due = outbox_.due(now_ms, 500);
        stats_.set_outbox_depth(outbox_.depth());
        if (due.empty()) {
            if (const auto next = outbox_.next_attempt()) {
                sleep_ms = std::clamp<std::int64_t>(*next - now_ms, 10, 1000);
            }
            return sleep_ms;
        }
        bool sent_any = false;
        std::int64_t wait_ms = 1000;
        for (const auto& message : due) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) {
                    return 0;
                }
            }
            auto limiter = limiters_.find(message.platform);
            if (limiter == limiters_.end()) {
                record(message, {delivery::result::failed, 0, "unknown platform"}, now_ms);
                continue;
            }
            const auto wait = limiter->second.acquire(limiter_key(message), clock_());
            if (wait > 0) {
                wait_ms = std::min(wait_ms, wait);
                continue;
            }
            record(message, deliver(message), clock_());
            sent_any = true;
        }
        if (!sent_any) {
            return std::max<std::int64_t>(wait_ms, 1);
        }
    }
}

void outbox_worker::record(const storage::outbox_message& message, const delivery& result,
                           std::int64_t now_ms) {
    const auto now_s = now_ms / 1000;
    switch (result.outcome) {
        case delivery::result::sent:
            outbox_.mark_sent(message.id, now_s);
            stats_.record_outbox("sent");
            spdlog::info("outbox {} sent to {}:{}", message.id, message.platform, message.chat_id);
            // A message that had failed went through: the platform is back, so the others
            // waiting out a back-off for it need not wait any longer.
            if (message.attempts > 0) {
                if (const int waiting = outbox_.retry_now(message.platform, now_ms)) {
                    spdlog::info("{} is back: {} waiting message(s) due now", message.platform,
                                 waiting);
                }
            }
            return;
        case delivery::result::retry: {
            if (message.attempts + 1 >= give_up_after_attempts) {
                outbox_.mark_failed(message.id, "gave up: " + result.error, now_s);
                stats_.record_outbox("failed");
                spdlog::warn("outbox {} to {}:{} given up: {}", message.id, message.platform,
                             message.chat_id, result.error);
                return;
            }
            const auto backoff = std::min<std::int64_t>(
                max_backoff_seconds, std::int64_t{1} << std::min(message.attempts, 9));
            const auto delay = std::max(backoff, result.retry_after_seconds);
            outbox_.retry_at(message.id, now_ms + delay * 1000, result.error);
            stats_.record_outbox("retried");
            spdlog::warn("outbox {} to {}:{} retry in {}s: {}", message.id, message.platform,
                         message.chat_id, delay, result.error);
            return;
        }
        case delivery::result::failed:
            outbox_.mark_failed(message.id, result.error, now_s);
            stats_.record_outbox("failed");
            spdlog::warn("outbox {} to {}:{} failed: {}", message.id, message.platform,
                         message.chat_id, result.error);
            return;
    }
}

delivery outbox_worker::deliver(const storage::outbox_message& message) {
    if (const auto* to = platforms_.find(message.platform)) {
        return to->send(message);
    }
    return {delivery::result::failed, 0, "unknown platform " + message.platform};
}

}  // namespace loudong::bot
