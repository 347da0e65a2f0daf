#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>

namespace loudong::handlers {

/// How many command messages a minute a member may send; 0: no limit.
struct flood_limits {
    std::size_t member = 20;
    std::size_t staff = 120;  ///< committee members, street staff and leads
};

/// Per member, the command messages of the last minute (SPEC §8 item 11): one who sends more
/// than 20 (committee members and leads, who set up campaigns and rotas: 120) is told once to
/// slow down and ignored until the minute is over; nobody else is slowed.
///
/// Threads: the writer's only, like the dispatcher that holds it.
class flood_guard {
public:
    static constexpr std::int64_t window_seconds = 60;

    explicit flood_guard(flood_limits limits = {}) : limits_(limits) {}

    enum class verdict {
        pass,    ///< handle it
        warn,    ///< the first over the limit: say 发得太快了
        ignore,  ///< over the limit and already told: no answer
    };

    /// Counts a command message from `who` at `now` (Unix seconds). `is_staff` is asked only
    /// when a member passes the lower limit.
    verdict check(const std::string& who, std::int64_t now, const std::function<bool()>& is_staff);

private:
    struct window {
        std::deque<std::int64_t> times;  ///< the counted messages of the last minute
        std::int64_t quiet_until = 0;    ///< told to slow down: ignored until then
    };

    flood_limits limits_;
    std::unordered_map<std::string, window> members_;
};

}  // namespace loudong::handlers
