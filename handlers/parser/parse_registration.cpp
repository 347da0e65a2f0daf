// The syntax of 登记, 绑定, 授权 and 撤销 (handled in handlers/registration.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

parse_result parse_register(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (auto combined = parse_address(t[0])) {
        if (t.size() > 1) {
            return usage(in, "too_many_arguments", t[1]);
        }
        return accept(in, register_args{std::move(combined->building), std::move(combined->room)});
    }
    auto building = parse_building(t[0]);
    if (!building) {
        return usage(in, "bad_building", t[0]);
    }
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
    auto room = parse_room(t[1]);
    if (!room) {
        return usage(in, "bad_room", t[1]);
    }
    if (t.size() > 2) {
        return usage(in, "too_many_arguments", t[2]);
    }
    return accept(in, register_args{std::move(*building), std::move(*room)});
}

parse_result parse_bind(const parse_input& in) {
    auto t = in.tokens;
    bind_args args;
    // A trailing 确认 confirms a change the bot asked about.
    if (t.size() > 1 && (t.back() == "确认" || ascii_lower(t.back()) == "confirm")) {
        args.confirmed = true;
        t.pop_back();
    }
    // "webhook <key>": a WeCom group robot's key (the part after key= in its webhook address).
    if (t.size() > 2 && ascii_lower(t[t.size() - 2]) == "webhook") {
        const auto key = t.back();
        const bool plain =
            key.size() >= 8 && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       c == '-';
            });
        if (!plain) {
            return usage(in, "bad_webhook_key", key);
        }
        args.webhook_key = std::string(key);
        t.resize(t.size() - 2);
    }
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    const auto lower = ascii_lower(t[0]);
    if (lower == "committee" || t[0] == "居委" || t[0] == "居委会" || t[0] == "委员会") {
        args.kind = bind_args::target::committee;
    } else if (lower == "volunteers" || lower == "volunteer" || t[0] == "志愿者") {
        args.kind = bind_args::target::volunteers;
    } else if (auto building = parse_building(t[0])) {
        args.building = std::move(*building);
    } else {
        return usage(in, "bad_target", t[0]);
    }
    return accept(in, args);
}

parse_result parse_role_change(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
    std::string member(t[0]);
    auto which = parse_role(t[1]);
    std::size_t next = 2;
    // "授权 3-502 王叔叔 志愿者": one of several members of a room, by name.
    if (!which && t.size() >= 3 && parse_address(t[0]) && !parse_role(t[0]) && parse_role(t[2])) {
        member = std::string(t[0]) + " " + std::string(t[1]);
        which = parse_role(t[2]);
        next = 3;
    }
    // "授权 志愿者 @王阿姨" names the same thing the other way round.
    if (!which && parse_role(t[0])) {
        which = parse_role(t[0]);
        member = std::string(t[1]);
    }
    if (!which) {
        return usage(in, "bad_role", t[1]);
    }
    // A lead's buildings follow the role: `授权 @x 楼组长 3号楼,5号楼` or `… 3号楼 5号楼`.
    std::vector<building_ref> buildings;
    for (std::size_t i = next; i < t.size(); ++i) {
        if (*which != role::lead) {
            return usage(in, "too_many_arguments", t[i]);
        }
        const auto list = parse_building_list(t[i]);
        if (!list || list->all) {
            return usage(in, "bad_building", t[i]);
        }
        for (const auto& b : list->buildings) {
            if (std::find(buildings.begin(), buildings.end(), b) == buildings.end()) {
                buildings.push_back(b);
            }
        }
    }
    if (member.starts_with('@')) {
        member.erase(0, 1);
    }
    if (member.empty()) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, role_args{std::move(member), *which, std::move(buildings)});
}

parse_result parse_member(const parse_input& in) {
    auto t = in.tokens;
    member_args args;
    // `移出 3-502 王叔叔`: the room first, then the name (or the room alone).
    if (!t.empty()) {
        if (auto address = parse_address(t[0])) {
            args.building = std::move(address->building);
            args.room = std::move(address->room);
            t.erase(t.begin());
        }
    }
    // A name may hold spaces (Telegram's "Wang Ayi"): the rest of the line is the name.
    for (const auto& word : t) {
        args.member += (args.member.empty() ? "" : " ") + std::string(word);
    }
    if (args.member.starts_with('@')) {
        // "@ 王叔叔" (a space after the @): the name without either.
        args.member.erase(0, args.member.find_first_not_of("@ "));
    }
    return accept(in, std::move(args));
}

parse_result parse_named_member(const parse_input& in) {
    if (in.tokens.empty()) {
        return usage(in, "missing_argument", "");
    }
    return parse_member(in);
}

}  // namespace loudong::handlers
