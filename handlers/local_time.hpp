#pragma once

#include <cstdint>
#include <string>

#include <date/tz.h>

#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// A moment as Unix seconds, resolved from what a user typed.
struct resolved_when {
    std::int64_t start = 0;
    std::int64_t end = 0;  ///< equals start when no range was typed; past midnight if overnight
};

/// Resolves a typed day and time in the compound's zone against `now`. A time with no day
/// means its next occurrence; `M-D` means this year, or next year when that date is more than
/// a day past.
resolved_when resolve_when(const when_spec& when, std::int64_t now, const date::time_zone* zone);

/// "4月29日 07:00" in the compound's zone.
std::string format_local(std::int64_t moment, const date::time_zone* zone);

/// "07:15" in the compound's zone.
std::string format_clock(std::int64_t moment, const date::time_zone* zone);

/// The next moment (after `now`) the local clock shows `minutes` after midnight.
std::int64_t next_daily(int minutes, std::int64_t now, const date::time_zone* zone);

/// The calendar day in the compound's zone, as "2022-04-28".
std::string local_day(std::int64_t moment, const date::time_zone* zone);

}  // namespace loudong::handlers
