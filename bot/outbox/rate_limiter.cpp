#include "bot/outbox/rate_limiter.hpp"

#include <algorithm>

namespace loudong::bot {

std::int64_t rate_limiter::acquire(const std::string& chat, std::int64_t now_ms) {
    while (!global_.empty() && global_.front() <= now_ms - 1000) {
        global_.pop_front();
    }
    if (static_cast<int>(global_.size()) >= limits_.global_per_second) {
        return std::max<std::int64_t>(1, global_.front() + 1000 - now_ms);
    }
    auto found = per_chat_.find(chat);
    if (found != per_chat_.end()) {
        auto& sends = found->second;
        while (!sends.empty() && sends.front() <= now_ms - 60'000) {
            sends.pop_front();
        }
        if (!sends.empty()) {
            const auto since_last = now_ms - sends.back();
            if (since_last < limits_.per_chat_interval_ms) {
                return limits_.per_chat_interval_ms - since_last;
            }
            if (static_cast<int>(sends.size()) >= limits_.per_chat_per_minute) {
                return std::max<std::int64_t>(1, sends.front() + 60'000 - now_ms);
            }
        }
    }
    // Forget quiet chats so 600 building chats do not keep 600 entries forever.
    if (per_chat_.size() > 1024) {
        std::erase_if(per_chat_, [now_ms](const auto& entry) {
            return entry.second.empty() || entry.second.back() <= now_ms - 60'000;
        });
    }
    per_chat_[chat].push_back(now_ms);
    global_.push_back(now_ms);
    return 0;
}

}  // namespace loudong::bot
