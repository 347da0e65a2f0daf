// The syntax of 核酸 and 叫号 (handled in handlers/test_rounds.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>
#include <span>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_test(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    test_args args;
    const auto word = ascii_lower(t[0]);
    if (word == "list" || t[0] == "列表" || t[0] == "安排" || t[0] == "轮次") {
        if (t.size() > 1) {
            return usage(in, "too_many_arguments", t[1]);
        }
        args.what = test_args::action::list;
        return accept(in, args);
    }
    if (word == "cancel" || t[0] == "取消") {
        // "取消", "取消 2", "取消 #2"
        if (t.size() > 1) {
            args.round = parse_number(t[1]);
            if (!args.round) {
                return usage(in, "bad_number", t[1]);
            }
        }
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        args.what = test_args::action::cancel;
        return accept(in, args);
    }
    if (word == "postpone" || t[0] == "推迟" || t[0] == "延后") {
        if (t.size() < 2) {
            return usage(in, "missing_argument", "");
        }
        // "推迟 30", "推迟 2 30分钟", "推迟 #2 30min": the round's number comes first.
        std::size_t at = 1;
        if (t.size() > 2) {
            args.round = parse_number(t[1]);
            if (!args.round) {
                return usage(in, "bad_number", t[1]);
            }
            at = 2;
        }
        auto minutes_text = std::string(t[at]);
        for (const std::string_view suffix : {"分钟", "分", "min", "m"}) {
            if (minutes_text.size() > suffix.size() && minutes_text.ends_with(suffix)) {
                minutes_text.resize(minutes_text.size() - suffix.size());
                break;
            }
        }
        const auto minutes = parse_number(minutes_text);
        if (!minutes || *minutes > 24 * 60) {
            return usage(in, "bad_number", t[at]);
        }
        if (t.size() > at + 1) {
            return usage(in, "too_many_arguments", t[at + 1]);
        }
        args.what = test_args::action::postpone;
        args.postpone_minutes = *minutes;
        return accept(in, args);
    }
    std::optional<when_spec> when;
    std::size_t i = 0;
    if (auto error = read_targets(in, when, args.targets, i)) {
        return std::move(*error);
    }
    if (args.targets.volunteers) {  // a test round calls buildings
        return usage(in, "bad_target", t[i - 1]);
    }
    if (!when) {
        if (i >= t.size()) {
            return usage(in, "missing_argument", "");
        }
        std::size_t used = 0;
        when = parse_when(t.subspan(i), used);
        if (!when) {
            return i + used < t.size() ? usage(in, "bad_time", t[i + used])
                                       : usage(in, "missing_argument", "");
        }
        i += used;
    }
    args.when = *when;
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    auto place = t.subspan(i);
    // "… 小区广场 确认": a second round the same day, knowingly.
    if (place.size() > 1 && (place.back() == "确认" || ascii_lower(place.back()) == "confirm")) {
        args.confirmed = true;
        place = place.first(place.size() - 1);
    }
    args.place = join(place);
    return accept(in, args);
}

parse_result parse_retest(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    constexpr std::size_t most_rooms = 20;
    retest_args args;
    std::size_t i = 0;
    for (; i < t.size(); ++i) {
        // "4-29 14:00" is a day and its time, not room 29 of building 4.
        if (i > 0 && i + 1 < t.size() && parse_day(t[i]) && looks_like_when(t[i + 1])) {
            break;
        }
        auto where = parse_address(t[i]);
        if (!where) {
            break;
        }
        if (std::find(args.rooms.begin(), args.rooms.end(), *where) == args.rooms.end()) {
            args.rooms.push_back(std::move(*where));
        }
        if (args.rooms.size() > most_rooms) {
            return usage(in, "too_many_arguments", t[i]);
        }
    }
    if (args.rooms.empty()) {
        return usage(in, parse_building(t[0]) ? "bad_room" : "bad_building", t[0]);
    }
    if (i < t.size() && !is_place_marker(t[i])) {
        std::size_t used = 0;
        args.when = parse_when(t.subspan(i), used);
        if (!args.when || args.when->until) {
            return usage(in, "bad_time", t[i]);
        }
        i += used;
    }
    if (i < t.size()) {
        if (!is_place_marker(t[i])) {
            return usage(in, "too_many_arguments", t[i]);
        }
        if (i + 1 == t.size()) {
            return usage(in, "missing_argument", "");
        }
        args.place = verbatim_from(in, t[i + 1]);
    }
    return accept(in, std::move(args));
}

parse_result parse_call(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    call_args args;
    if (t[0] == "下一栋" || t[0] == "下一个" || t[0] == "下一" || t[0] == "下一幢" ||
        ascii_lower(t[0]) == "next") {
        args.next = true;
    } else {
        args.building = parse_building(t[0]);
        if (!args.building) {
            return usage(in, "bad_building", t[0]);
        }
    }
    return accept(in, args);
}

}  // namespace loudong::handlers
