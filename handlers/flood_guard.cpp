#include "handlers/flood_guard.hpp"

namespace loudong::handlers {

flood_guard::verdict flood_guard::check(const std::string& who, std::int64_t now,
                                        const std::function<bool()>& is_staff) {
    if (limits_.member == 0) {
        return verdict::pass;
    }
    // Forget members quiet for a minute, so a busy day's senders do not pile up.
    if (members_.size() > 4096) {
        std::erase_if(members_, [now](const auto& entry) {
            const auto& w = entry.second;
            return w.quiet_until <= now &&
                   (w.times.empty() || w.times.back() <= now - window_seconds);
        });
    }
    auto& w = members_[who];
    if (w.quiet_until > now) {
        return verdict::ignore;
    }
    while (!w.times.empty() && w.times.front() <= now - window_seconds) {
        w.times.pop_front();
    }
    w.times.push_back(now);
    if (w.times.size() <= limits_.member ||
        ((limits_.staff == 0 || w.times.size() <= limits_.staff) && is_staff && is_staff())) {
        return verdict::pass;
    }
    // Quiet until the minute in which the limit was passed is over.
    w.quiet_until = w.times.front() + window_seconds;
    w.times.clear();
    return verdict::warn;
}

}  // namespace loudong::handlers
