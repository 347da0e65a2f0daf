#include "handlers/local_time.hpp"

#include <chrono>

namespace loudong::handlers {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

date::local_seconds local_now(std::int64_t now, const date::time_zone* zone) {
    return zone->to_local(date::sys_seconds{seconds{now}});
}

std::int64_t to_unix(date::local_seconds local, const date::time_zone* zone) {
    // A time skipped or repeated by a DST change (not in Asia/Shanghai) takes the earlier one.
    return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

}  // namespace

resolved_when resolve_when(const when_spec& when, std::int64_t now, const date::time_zone* zone) {
    const auto local = local_now(now, zone);
    const auto today = date::floor<days>(local);
    date::local_days day = today;
    switch (when.day.which) {
        case day_ref::kind::tomorrow:
            day = today + days{1};
            break;
        case day_ref::kind::month_day: {
            const date::year_month_day ymd{today};
            auto candidate = date::local_days{ymd.year() / when.day.month / when.day.day};
            if (candidate < today - days{1}) {
                candidate =
                    date::local_days{(ymd.year() + date::years{1}) / when.day.month / when.day.day};
            }
            day = candidate;
            break;
        }
        case day_ref::kind::unspecified:
            if (today + minutes{when.start.minutes} <= local) {
                day = today + days{1};
            }
            break;
        case day_ref::kind::today:
        case day_ref::kind::every_day:
            break;
    }
    resolved_when out;
    out.start = to_unix(day + minutes{when.start.minutes}, zone);
    out.end = out.start;
    if (when.end) {
        auto end_local = day + minutes{when.end->minutes};
        if (when.end->minutes <= when.start.minutes) {
            end_local += days{1};  // a night shift, 22:00-06:00
        }
        out.end = to_unix(end_local, zone);
    }
    return out;
}

std::string format_local(std::int64_t moment, const date::time_zone* zone) {
    const auto local = local_now(moment, zone);
    const date::year_month_day ymd{date::floor<days>(local)};
    const date::hh_mm_ss time{local - date::floor<days>(local)};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%u月%u日 %02d:%02d", static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    return buffer;
}

std::string format_clock(std::int64_t moment, const date::time_zone* zone) {
    const auto local = local_now(moment, zone);
    return date::format("%H:%M", date::floor<minutes>(local));
}

std::int64_t next_daily(int minutes_after_midnight, std::int64_t now, const date::time_zone* zone) {
    when_spec daily;
    daily.start = time_of_day{minutes_after_midnight};
    return resolve_when(daily, now, zone).start;
}

std::string local_day(std::int64_t moment, const date::time_zone* zone) {
    return date::format("%F", date::floor<days>(local_now(moment, zone)));
}

}  // namespace loudong::handlers
