#include "bot/outbox/outbox_worker.hpp"

#include <algorithm>

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include "storage/chat_repository.hpp"

namespace loudong::bot {
namespace {

// A message still undelivered after a day is news no more; record it as failed.
constexpr std::int64_t give_up_after_attempts = 200;
constexpr std::int64_t max_backoff_seconds = 300;
// Heads of chats' lanes looked at per round: more than a street office's building chats.
constexpr int due_per_round = 2000;
// How long the heads read from the table are used before it is read again, at most: the next
// message of a chat whose head was sent waits this long at worst (a chat takes one a second
// on most platforms anyway).
constexpr std::int64_t requery_ms = 200;
// How often the outbox_depth gauge is counted again.
constexpr std::int64_t depth_every_ms = 1000;

// One-to-one chats are limited apart from a group that happens to have the same id.
std::string limiter_key(const storage::outbox_message& message) {
    return message.is_private ? "private:" + message.chat_id : message.chat_id;
}

std::string chat_key(const storage::outbox_message& message) {
    return message.platform + '\n' + limiter_key(message);
}

// Senders a lane leaves free for the earlier ones: none for alerts, one for direct messages,
// two for broadcasts.
int kept_free_for_earlier_lanes(int lane) {
    return std::clamp(lane, 0, 2);
}

}  // namespace

outbox_worker::outbox_worker(const std::string& db_path, const platform_table& platforms,
                             metrics& stats, clock_ms clock)
    : db_(db_path), outbox_(db_.connection()), stats_(stats), clock_(std::move(clock)) {
    for (const auto& p : platforms.all()) {
        pools_.emplace(std::string(p->name()),
                       std::make_unique<sender_pool>(p.get(), p->limits().rate));
    }
}

outbox_worker::~outbox_worker() {
    stop();
}

void outbox_worker::start() {
    for (auto& [name, pool] : pools_) {
        for (int i = 0; i < senders_per_platform; ++i) {
            pool->threads.emplace_back([this, p = pool.get()] { send_loop(*p); });
        }
    }
    thread_ = std::thread([this] { run(); });
}

void outbox_worker::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
        new_rows_ = true;
    }
    wake_.notify_one();
}

void outbox_worker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    for (auto& [name, pool] : pools_) {
        pool->has_job.notify_all();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    for (auto& [name, pool] : pools_) {
        for (auto& t : pool->threads) {
            if (t.joinable()) {
                t.join();
            }
        }
        pool->threads.clear();
    }
}

void outbox_worker::run() {
    for (;;) {
        std::vector<finished> done;
        bool stopping = false;
        {
            std::lock_guard lock(mutex_);
            done.swap(finished_);
            stopping = stopping_;
            if (stopping) {
                // Sends not yet begun stay pending in the table for the next start.
                for (auto& [name, pool] : pools_) {
                    for (const auto& m : pool->jobs) {
                        busy_chats_.erase(chat_key(m));
                        --pool->in_flight;
                    }
                    pool->jobs.clear();
                }
            }
        }
        std::int64_t sleep_ms = 1000;
        try {
            if (!done.empty()) {
                record(done);
            }
            if (!stopping) {
                sleep_ms = dispatch();
            }
        } catch (const std::exception& e) {
            // A locked or unwritable database: keep the queue, try again shortly.
            spdlog::error("outbox: {}", e.what());
        }
        if (stopping) {
            const bool sending = std::any_of(pools_.begin(), pools_.end(),
                                             [](const auto& p) { return p.second->in_flight > 0; });
            if (!sending) {
                return;
            }
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(100),
                           [this] { return !finished_.empty(); });
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms),
                       [this] { return stopping_ || poked_ || !finished_.empty(); });
        poked_ = false;
    }
}

void outbox_worker::send_loop(sender_pool& pool) {
    for (;;) {
        storage::outbox_message job;
        {
            std::unique_lock lock(mutex_);
            pool.has_job.wait(lock, [&] { return stopping_ || !pool.jobs.empty(); });
            if (stopping_) {
                return;
            }
            job = std::move(pool.jobs.front());
            pool.jobs.pop_front();
        }
        delivery result;
        try {
            result = pool.to->send(job);
        } catch (const std::exception& e) {
            result = {delivery::result::retry, 0, e.what()};
        }
        {
            std::lock_guard lock(mutex_);
            finished_.push_back(finished{std::move(job), std::move(result), 0});
        }
        wake_.notify_one();
    }
}

std::int64_t outbox_worker::dispatch() {
    const auto now_ms = clock_();
    {
        std::lock_guard lock(mutex_);
        requery_ = requery_ || new_rows_;
        new_rows_ = false;
    }
    // Reading the heads costs a query over every pending row (milliseconds for a 600-chat
    // notice); handing out eight at a time, it would be most of the drain. So the heads found
    // are used until something new is queued, they are all out, or requery_ms have passed.
    if (requery_ || heads_.empty() || now_ms - queried_at_ms_ >= requery_ms) {
        heads_ = outbox_.due(now_ms, due_per_round);
        queried_at_ms_ = now_ms;
        requery_ = false;
    }
    // Counting the pending rows is a pass over all of them (tens of thousands behind a slow
    // platform), and the heads are read after every send: the gauge is refreshed once a second.
    if (!depth_at_ms_ || now_ms - *depth_at_ms_ >= depth_every_ms) {
        stats_.set_outbox_depth(outbox_.depth());
        depth_at_ms_ = now_ms;
    }
    if (heads_.empty()) {
        if (const auto next = outbox_.next_attempt()) {
            return std::clamp<std::int64_t>(*next - now_ms, 10, 1000);
        }
        return 1000;
    }
    std::int64_t wait_ms = requery_ms;
    std::vector<storage::outbox_message> kept;
    for (auto& message : heads_) {
        const auto found = pools_.find(message.platform);
        if (found == pools_.end()) {
            record_one({message, {delivery::result::failed, 0, "unknown platform"}, now_ms});
            continue;
        }
        auto& pool = *found->second;
        const auto chat = chat_key(message);
        // One send per chat at a time keeps its messages in order; a busy platform keeps
        // senders free for the earlier lanes. Either way a finished send wakes the dispatcher.
        if (busy_chats_.contains(chat) ||
            pool.in_flight >= senders_per_platform - kept_free_for_earlier_lanes(message.lane)) {
            kept.push_back(std::move(message));
            continue;
        }
        const auto wait = pool.limiter.acquire(limiter_key(message), now_ms);
        if (wait > 0) {
            wait_ms = std::min(wait_ms, wait);
            kept.push_back(std::move(message));
            continue;
        }
        busy_chats_.insert(chat);
        ++pool.in_flight;
        {
            std::lock_guard lock(mutex_);
            pool.jobs.push_back(std::move(message));
        }
        pool.has_job.notify_one();
    }
    heads_ = std::move(kept);
    return std::max<std::int64_t>(wait_ms, 1);
}

void outbox_worker::record(std::vector<finished>& done) {
    const auto now_ms = clock_();
    // Heads read while these were in flight still hold them: they are not to go out again.
    std::set<std::int64_t> ids;
    for (const auto& f : done) {
        ids.insert(f.message.id);
    }
    std::erase_if(heads_, [&](const auto& m) { return ids.contains(m.id); });
    for (auto& f : done) {
        f.at_ms = now_ms;
        busy_chats_.erase(chat_key(f.message));
        if (const auto found = pools_.find(f.message.platform); found != pools_.end()) {
            --found->second->in_flight;
        }
    }
    // One commit for the batch: with synchronous=FULL each commit is a sync of the file.
    SQLite::Transaction batch(db_.connection());
    for (const auto& f : done) {
        record_one(f);
        // A chat with more to send has a new head: read the heads again.
        if (!requery_ &&
            outbox_.has_pending(f.message.platform, f.message.chat_id, f.message.is_private)) {
            requery_ = true;
        }
    }
    batch.commit();
}

void outbox_worker::record_one(const finished& f) {
    const auto& message = f.message;
    const auto& result = f.result;
    const auto now_ms = f.at_ms;
    const auto now_s = now_ms / 1000;
    if (!result.moved_to.empty()) {
        storage::move_chat(db_.connection(), message.platform, message.chat_id, result.moved_to);
        outbox_.retry_at(message.id, now_ms, "chat moved to " + result.moved_to);
        requery_ = true;
        spdlog::info("outbox {}: {}:{} is now {}; its messages move there", message.id,
                     message.platform, message.chat_id, result.moved_to);
        return;
    }
    switch (result.outcome) {
        case delivery::result::sent:
            outbox_.mark_sent(message.id, now_s);
            if (message.is_private && message.member_id) {
                outbox_.reached_privately(*message.member_id);
            }
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
            // Refused privately (not a friend, never pressed Start): once more in the chat
            // where it was asked for, as a mention (SPEC §10).
            if (message.is_private) {
                if (const auto instead = outbox_.refused_privately(message, result.error, now_s)) {
                    requery_ = true;
                    spdlog::info("outbox {}: private message refused, sent as {} to {}:{}",
                                 message.id, *instead, message.platform, *message.fallback_chat);
                }
            }
            return;
    }
}

}  // namespace loudong::bot
