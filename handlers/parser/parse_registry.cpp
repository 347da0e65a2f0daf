// The syntax of 楼栋 and 备注 (handled in handlers/registry.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

// A count with its unit written or not: "18层" or "18", "4户" or "4".
std::optional<std::int64_t> count_with_unit(std::string_view token, std::string_view unit,
                                            std::int64_t most) {
    if (token.ends_with(unit)) {
        token.remove_suffix(unit.size());
    }
    const auto n = parse_number(token);
    if (!n || *n < 1 || *n > most) {
        return std::nullopt;
    }
    return n;
}

bool is_rooms_word(std::string_view token) {
    return token == "房号" || token == "房间" || ascii_lower(token) == "rooms";
}

}  // namespace

parse_result parse_registry(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
    auto building = parse_building(t[0]);
    if (!building) {
        return usage(in, "bad_building", t[0]);
    }
    registry_args args{std::move(*building), {}};
    if (is_rooms_word(t[1])) {
        if (t.size() < 3) {
            return usage(in, "missing_argument", "");
        }
        for (std::size_t i = 2; i < t.size(); ++i) {
            for (const auto part : list_parts(t[i])) {
                auto room = parse_room(part);
                if (!room) {
                    return usage(in, "bad_room", part);
                }
                if (std::find(args.rooms.begin(), args.rooms.end(), *room) == args.rooms.end()) {
                    args.rooms.push_back(std::move(*room));
                }
                if (args.rooms.size() > max_registry_rooms) {
                    return usage(in, "too_many_arguments", part);
                }
            }
        }
        // "房号 ，": separators and no room (found by the fuzzer).
        if (args.rooms.empty()) {
            return usage(in, "missing_argument", "");
        }
        return accept(in, std::move(args));
    }
    // 18层 4户: rooms 101…104 up to 1801…1804, as Shanghai's towers number them.
    const auto floors = count_with_unit(t[1], "层", 99);
    if (!floors) {
        return usage(in, "bad_number", t[1]);
    }
    if (t.size() < 3) {
        return usage(in, "missing_argument", "");
    }
    const auto per_floor = count_with_unit(t[2], "户", 99);
    if (!per_floor) {
        return usage(in, "bad_number", t[2]);
    }
    if (t.size() > 3) {
        return usage(in, "too_many_arguments", t[3]);
    }
    for (std::int64_t floor = 1; floor <= *floors; ++floor) {
        for (std::int64_t unit = 1; unit <= *per_floor; ++unit) {
            args.rooms.push_back(std::to_string(floor * 100 + unit));
        }
    }
    return accept(in, std::move(args));
}

parse_result parse_note(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    std::size_t next = 1;
    auto where = parse_address(t[0]);
    if (!where && t.size() > 1) {
        where = parse_address(t[0], t[1]);
        next = 2;
    }
    if (!where) {
        if (!parse_building(t[0])) {
            return usage(in, "bad_building", t[0]);
        }
        return t.size() > 1 ? usage(in, "bad_room", t[1]) : usage(in, "missing_argument", "");
    }
    if (next >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    note_args args{std::move(where->building), std::move(where->room), {}};
    const bool clear = t.size() == next + 1 &&
                       (t[next] == "清除" || t[next] == "删除" || ascii_lower(t[next]) == "clear");
    if (!clear) {
        args.text = verbatim_from(in, t[next]);
    }
    return accept(in, std::move(args));
}

}  // namespace loudong::handlers
