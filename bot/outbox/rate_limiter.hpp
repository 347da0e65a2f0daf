#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "bot/config.hpp"

namespace loudong::bot {

/// Per-chat and overall send limits of one platform, as sliding windows over send times.
class rate_limiter {
public:
    explicit rate_limiter(rate_limits limits) : limits_(limits) {}

    /// Takes a send slot for `chat` at `now_ms`: 0 when allowed (and counted), otherwise how
    /// many milliseconds to wait before asking again.
    std::int64_t acquire(const std::string& chat, std::int64_t now_ms);

private:
    rate_limits limits_;
    std::map<std::string, std::deque<std::int64_t>> per_chat_;  ///< sends in the last minute
    std::deque<std::int64_t> global_;                           ///< sends in the last second
};

}  // namespace loudong::bot
