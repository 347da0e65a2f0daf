#include "bot/outbox_worker.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "bot/wire_json.hpp"

#include "bot/http_client.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

constexpr auto send_timeout = std::chrono::seconds(10);
constexpr std::int64_t max_backoff_seconds = 300;
// A message still undelivered after a day is news no more; record it as failed.
constexpr std::int64_t give_up_after_attempts = 200;

std::int64_t header_seconds(const http_answer& answer, const char* name) {
    const auto found = answer.headers.find(name);
    if (found == answer.headers.end()) {
        return 0;
    }
    try {
        return std::max<std::int64_t>(0, std::stoll(found->second));
    } catch (const std::exception&) {
        return 0;
    }
}

/// Maps an HTTP answer to a delivery result, the same way for every platform.
delivery classify(const http_answer& answer) {
    if (answer.status == 0) {
        return {delivery::result::retry, 0, answer.error};
    }
    if (answer.status == 429) {
        std::int64_t after = header_seconds(answer, "retry-after");
        // Telegram puts it in the body:
        // {"ok":false,"error_code":429,"parameters":{"retry_after":N}}
        const auto body = json::parse(answer.body, nullptr, false);
        if (body.is_object() && body.contains("parameters") &&
            body["parameters"].contains("retry_after") &&
            body["parameters"]["retry_after"].is_number_integer()) {
            after = body["parameters"]["retry_after"].get<std::int64_t>();
        }
        return {delivery::result::retry, after, "429 too many requests"};
    }
    if (answer.status >= 500) {
        return {delivery::result::retry, 0, "HTTP " + std::to_string(answer.status)};
    }
    if (answer.status >= 400) {
        return {delivery::result::failed, 0,
                "HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 200)};
    }
    return {delivery::result::sent, 0, {}};
}

std::string trim_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

}  // namespace

outbox_worker::outbox_worker(const std::string& db_path, const config& cfg, metrics& stats,
                             clock_ms clock)
    : db_(db_path),
      outbox_(db_.connection()),
      config_(cfg),
      stats_(stats),
      clock_(std::move(clock)) {
    limiters_.emplace("generic", rate_limiter(cfg.generic.rate));
    limiters_.emplace("onebot", rate_limiter(cfg.onebot.rate));
    limiters_.emplace("telegram", rate_limiter(cfg.telegram.rate));
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
            const auto wait = limiter->second.acquire(message.chat_id, clock_());
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
    if (message.platform == "generic") {
        if (config_.generic.outbound_url.empty()) {
            return {delivery::result::failed, 0, "no generic.outbound_url configured"};
        }
        json body{{"chat_id", message.chat_id}, {"text", message.text}};
        if (message.is_private) {
            body["private"] = true;
        }
        return classify(http_post(config_.generic.outbound_url, dump_json(body), {}, send_timeout));
    }
    if (message.platform == "onebot") {
        if (config_.onebot.api_url.empty()) {
            return {delivery::result::failed, 0, "no onebot.api_url configured"};
        }
        std::vector<std::pair<std::string, std::string>> headers;
        if (!config_.onebot.access_token.empty()) {
            headers.emplace_back("Authorization", "Bearer " + config_.onebot.access_token);
        }
        // auto_escape: what residents typed is sent as text, never read as CQ codes.
        json body{{"message", message.text}, {"auto_escape", true}};
        std::string action;
        if (message.is_private || message.chat_id.starts_with("private:")) {
            const auto user = message.chat_id.substr(message.chat_id.find(':') + 1);
            body["user_id"] = id_json(user);
            action = "/send_private_msg";
        } else {
            body["group_id"] = id_json(message.chat_id);
            action = "/send_group_msg";
        }
        const auto answer = http_post(trim_slash(config_.onebot.api_url) + action, dump_json(body),
                                      headers, send_timeout);
        auto result = classify(answer);
        // OneBot answers 200 with {"status":"failed","retcode":N} when the action itself failed.
        const auto reply = json::parse(answer.body, nullptr, false);
        if (result.outcome == delivery::result::sent && reply.is_object() &&
            reply.value("status", "ok") == "failed") {
            result = {delivery::result::failed, 0,
                      "OneBot retcode " + std::to_string(reply.value("retcode", -1))};
        }
        return result;
    }
    if (message.platform == "telegram") {
        if (config_.telegram.bot_token.empty()) {
            return {delivery::result::failed, 0, "no telegram.bot_token configured"};
        }
        const json body{{"chat_id", id_json(message.chat_id)}, {"text", message.text}};
        return classify(http_post(trim_slash(config_.telegram.api_base) + "/bot" +
                                      config_.telegram.bot_token + "/sendMessage",
                                  dump_json(body), {}, send_timeout));
    }
    return {delivery::result::failed, 0, "unknown platform " + message.platform};
}

}  // namespace loudong::bot
