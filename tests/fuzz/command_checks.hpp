#pragma once

// The properties every parse_command result must have, whatever the text: the argument type
// the handlers will std::get for the command, values within the ranges SPEC §3 allows, error
// tokens and verbatim texts taken from what was typed, and well-formed UTF-8 out of well-formed
// UTF-8 in. Shared by the command parser and the relay-list targets.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <variant>

#include "handlers/parser/command.hpp"
#include "handlers/parser/command_parser.hpp"
#include "handlers/parser/text_forms.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace loudong::fuzz {

namespace h = loudong::handlers;

inline bool digits_only(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline bool is_number_label(std::string_view s) {
    return !s.empty() && s.size() <= 4 && s.front() != '0' && digits_only(s);
}

/// A label is what parse_building canonicalises to: 1 to 9999, no leading zero, after a lane
/// of the same form and 弄 when there is one ("3", "12弄3").
inline void check_building(const h::building_ref& b) {
    const std::string_view label = b.label;
    const auto lane = label.find("\xE5\xBC\x84");  // 弄
    require(lane == std::string_view::npos
                ? is_number_label(label)
                : is_number_label(label.substr(0, lane)) && is_number_label(label.substr(lane + 3)),
            "a building label is a number from 1 to 9999, after a lane number and 弄");
}

inline void check_room(const std::string& room) {
    require(!room.empty() && room.size() <= 6 && room.front() != '0' && digits_only(room),
            "a room is 1 to 6 digits without a leading zero");
}

inline void check_time(h::time_of_day t, bool may_end_at_midnight) {
    require(
        t.minutes >= 0 && (t.minutes < 24 * 60 || (may_end_at_midnight && t.minutes == 24 * 60)),
        "a time of day is within the day (24:00 only as the end of a range)");
}

inline void check_day(const h::day_ref& d) {
    if (d.which == h::day_ref::kind::month_day) {
        require(d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31,
                "a date has a month 1-12 and a day 1-31");
    } else {
        require(d.month == 0 && d.day == 0, "only a date carries a month and a day");
    }
}

inline void check_when(const h::when_spec& w) {
    check_day(w.day);
    check_time(w.start, false);
    if (w.end) {
        // An end written 次日… is past 24:00, at most a day after the start.
        if (w.end->minutes > 24 * 60) {
            require(w.end->minutes <= w.start.minutes + 24 * 60,
                    "a range ending the next day lasts at most 24 hours");
        } else {
            check_time(*w.end, true);
        }
        require(*w.end != w.start, "a time range does not end where it starts");
    }
    if (w.until) {
        check_day(*w.until);
    }
}

inline void check_targets(const h::buildings_args& t) {
    if (t.all) {
        require(t.buildings.empty(), "`all` lists no buildings");
        return;
    }
    require(!t.buildings.empty(), "a building list names at least one building");
    for (auto it = t.buildings.begin(); it != t.buildings.end(); ++it) {
        check_building(*it);
        require(std::find(t.buildings.begin(), it, *it) == it, "a building list has no repeats");
    }
}

inline void check_order_line(const h::order_line& line, bool utf8) {
    require(!line.item.empty(), "an order line names an item");
    require(line.quantity >= 1 && line.quantity <= h::max_quantity,
            "an order line's quantity is 1 to max_quantity");
    require(!line.unit || h::is_quantity_unit(*line.unit), "an order line's unit is a unit");
    require(!utf8 || is_utf8(line.item), "an order line's item is UTF-8");
}

/// One numbered line of a 接龙 list.
inline void check_relay_entry(const h::relay_entry& entry, bool utf8) {
    require(entry.number >= 0 && entry.number <= 9999, "a relay line's number has 1-4 digits");
    if (entry.building) {
        check_building(*entry.building);
        check_room(entry.room);
    } else {
        require(entry.room.empty(), "a relay line has a room only with a building");
    }
    require(entry.text.find('\n') == std::string::npos, "a relay line's text is one line");
    require(!utf8 || is_utf8(entry.text), "a relay line's text is UTF-8");
    for (const auto& line : entry.lines) {
        check_order_line(line, utf8);
    }
}

/// The arguments of one command, against the ranges their parsers promise.
struct argument_checks {
    std::string_view typed;  ///< the message as received
    bool utf8 = false;       ///< whether it was well-formed UTF-8

    /// A text taken verbatim (a notice, a template) is a part of what was typed.
    void verbatim(const std::string& text) const {
        require(!text.empty() && typed.find(text) != std::string_view::npos,
                "a verbatim text is a non-empty part of the message");
        require(!utf8 || is_utf8(text), "a verbatim text is UTF-8");
    }

    void operator()(const h::no_args&) const {}
    void operator()(const h::help_args& a) const {
        require(!a.topic || !a.topic->empty(), "a help topic is not empty");
    }
    void operator()(const h::register_args& a) const {
        check_building(a.building);
        check_room(a.room);
    }
    void operator()(const h::bind_args& a) const {
        if (a.kind == h::bind_args::target::building) {
            check_building(a.building);
        }
    }
    void operator()(const h::role_args& a) const {
        require(!a.member.empty() && a.member.find(' ') == std::string::npos,
                "a member is one non-empty word");
        require(a.buildings.empty() || a.which == h::role::lead, "only a lead has buildings");
        for (const auto& b : a.buildings) {
            check_building(b);
        }
    }
    void operator()(const h::shop_args& a) const {
        require(!a.title.empty(), "a campaign has a title");
        if (a.until) {
            check_time(*a.until, false);
        }
    }
    void operator()(const h::item_args& a) const {
        require(!a.name.empty(), "an item has a name");
        require(a.price_fen >= 0 && a.price_fen <= h::max_price_fen, "a price is 0 to the most");
        require(!a.stock || (*a.stock >= 0 && *a.stock <= 9'999'999), "stock has 1-7 digits");
        require(!a.limit_per_person ||
                    (*a.limit_per_person >= 1 && *a.limit_per_person <= h::max_quantity),
                "a purchase limit is a quantity");
        require(!(a.unlimited_stock && a.stock), "stock is a number or unlimited, not both");
        require(!a.campaign || *a.campaign >= 1, "a campaign number is positive");
    }
    void operator()(const h::order_args& a) const {
        require(a.lines.empty() != a.relay.empty(), "an order has either lines or a relay list");
        for (const auto& line : a.lines) {
            check_order_line(line, utf8);
        }
        for (const auto& entry : a.relay) {
            check_relay_entry(entry, utf8);
        }
    }
    void operator()(const h::order_number_args& a) const {
        require(!a.order || *a.order >= 1, "an order number is positive");
    }
    void operator()(const h::building_opt_args& a) const {
        if (a.building) {
            check_building(*a.building);
        }
    }
    void operator()(const h::campaign_args& a) const {
        if (a.building) {
            check_building(*a.building);
        }
        require(!a.campaign || *a.campaign >= 1, "a campaign number is positive");
    }
    void operator()(const h::orderfor_args& a) const {
        check_building(a.building);
        require(!a.room.empty(), "an order for a household names its room");
        require(!a.lines.empty(), "an order for a household has lines");
        for (const auto& line : a.lines) {
            check_order_line(line, utf8);
        }
        require(!a.campaign || *a.campaign >= 1, "a campaign number is positive");
    }
    void operator()(const h::delivered_args& a) const {
        require(a.order.has_value() != a.building.has_value(),
                "delivered names an order or a building");
        require(!a.order || *a.order >= 1, "an order number is positive");
        if (a.building) {
            check_building(*a.building);
        }
    }
    void operator()(const h::task_args& a) const {
        require(!a.title.empty(), "a task has a title");
        check_when(a.when);
        require(a.slots >= 1 && a.slots <= 999'999'999, "a task has 1 to 9 digits of slots");
        require(!a.place || !a.place->empty(), "a task's place is not empty");
        require(!a.note || !a.note->empty(), "a task's note is not empty");
    }
    void operator()(const h::task_number_args& a) const {
        require(a.task >= 1, "a task number is positive");
    }
    void operator()(const h::claim_args& a) const {
        require(a.day.has_value() != !a.tasks.empty(), "a claim names numbers or a day, not both");
        require(a.day.has_value() == !a.title.empty(), "a claim by day names a title");
        for (std::size_t i = 0; i < a.tasks.size(); ++i) {
            require(a.tasks[i] >= 1, "a claimed task number is positive");
            for (std::size_t j = 0; j < i; ++j) {
                require(a.tasks[i] != a.tasks[j], "a claim names each task once");
            }
        }
        if (a.day) {
            check_day(*a.day);
            require(a.day->which != h::day_ref::kind::every_day, "a claim's day is one day");
        }
    }
    void operator()(const h::rota_args& a) const {
        require(!a.gates.empty(), "a rota has a gate");
        for (const auto& g : a.gates) {
            require(!g.empty(), "a gate has a name");
        }
        check_when(a.from);
        require(a.from.end.has_value() != a.to.has_value(), "a rota ends by a range or by 至");
        if (a.to) {
            check_when(*a.to);
        }
        require(!a.from.until, "a rota's end is read as its to");
        require(a.shift_minutes >= 1, "a shift has a length");
        require(a.slots >= 1 && a.slots <= 999'999'999, "a shift has 1 to 9 digits of slots");
        require(!a.place || !a.place->empty(), "a rota's place is not empty");
        require(!a.note || !a.note->empty(), "a rota's note is not empty");
    }
    void operator()(const h::page_args& a) const { require(a.page >= 1, "a page is positive"); }
    void operator()(const h::confirm_args& a) const {
        if (a.shifts) {
            (*this)(*a.shifts);
        }
    }
    void operator()(const h::retest_args& a) const {
        require(!a.rooms.empty() && a.rooms.size() <= 20, "a re-test names 1 to 20 rooms");
        for (std::size_t i = 0; i < a.rooms.size(); ++i) {
            require(!a.rooms[i].room.empty() && !a.rooms[i].building.label.empty(),
                    "a re-tested room has a building and a number");
            for (std::size_t j = 0; j < i; ++j) {
                require(!(a.rooms[i] == a.rooms[j]), "a re-test names each room once");
            }
        }
        if (a.when) {
            require(!a.when->until, "a re-test is one time");
        }
    }
    void operator()(const h::swap_args& a) const {
        require(a.task >= 1, "a swapped task number is positive");
        require(!a.member.empty() && !a.member.starts_with('@'), "a swap names a member");
    }
    void operator()(const h::test_args& a) const {
        switch (a.what) {
            case h::test_args::action::schedule:
                check_targets(a.targets);
                check_when(a.when);
                require(!a.place.empty(), "a test round has a place");
                require(!a.round, "a new round has no number yet");
                break;
            case h::test_args::action::postpone:
                require(a.postpone_minutes >= 1 && a.postpone_minutes <= 24 * 60,
                        "a postponement is 1 minute to a day");
                break;
            case h::test_args::action::cancel:
            case h::test_args::action::list:
                break;
        }
        require(!a.round || *a.round >= 1, "a round number is positive");
        require(a.what != h::test_args::action::list || !a.round, "a list names no round");
    }
    void operator()(const h::call_args& a) const {
        require(a.next != a.building.has_value(), "a call is for the next or one building");
        if (a.building) {
            check_building(*a.building);
        }
    }
    void operator()(const h::antigen_args&) const {}
    void operator()(const h::notice_args& a) const {
        if (a.status) {
            require(!a.number || *a.number >= 1, "a notice number is positive");
            return;
        }
        check_targets(a.targets);
        if (a.at) {
            check_when(*a.at);
        }
        verbatim(a.text);
    }
    void operator()(const h::template_args& a) const {
        require(a.what == h::template_args::action::list || !a.key.empty(),
                "a template command names its key");
        if (a.what == h::template_args::action::set) {
            verbatim(a.text);
        }
    }
    void operator()(const h::registry_args& a) const {
        check_building(a.building);
        require(!a.rooms.empty() && a.rooms.size() <= 99 * 99, "a registry lists some rooms");
        for (auto it = a.rooms.begin(); it != a.rooms.end(); ++it) {
            check_room(*it);
            require(std::find(a.rooms.begin(), it, *it) == it, "a registry lists a room once");
        }
    }
    void operator()(const h::note_args& a) const {
        check_building(a.building);
        check_room(a.room);
        verbatim(a.text);
    }
    void operator()(const h::member_args& a) const {
        if (a.building) {
            check_building(*a.building);
            check_room(a.room);
        } else {
            require(a.room.empty(), "a room comes with its building");
        }
        require(!a.member.starts_with(' ') && !a.member.ends_with(' '),
                "a member's name is trimmed");
    }
};

/// Whether `args` holds the alternative the handler of `name` takes with std::get.
inline bool holds_arguments_of(h::command_name name, const h::command_args& args) {
    using n = h::command_name;
    switch (name) {
        case n::help:
            return std::holds_alternative<h::help_args>(args);
        case n::register_member:
            return std::holds_alternative<h::register_args>(args);
        case n::bind:
            return std::holds_alternative<h::bind_args>(args);
        case n::grant:
        case n::revoke:
            return std::holds_alternative<h::role_args>(args);
        case n::shop:
            return std::holds_alternative<h::shop_args>(args);
        case n::item:
            return std::holds_alternative<h::item_args>(args);
        case n::order:
            return std::holds_alternative<h::order_args>(args);
        case n::cancel:
            return std::holds_alternative<h::order_number_args>(args);
        case n::pending:
            return std::holds_alternative<h::building_opt_args>(args);
        case n::summary:
        case n::delivery:
        case n::menu:
        case n::close:
            return std::holds_alternative<h::campaign_args>(args);
        case n::orderfor:
            return std::holds_alternative<h::orderfor_args>(args);
        case n::delivered:
            return std::holds_alternative<h::delivered_args>(args);
        case n::task:
            return std::holds_alternative<h::task_args>(args);
        case n::claim:
            return std::holds_alternative<h::claim_args>(args);
        case n::rota:
            return std::holds_alternative<h::rota_args>(args);
        case n::swap:
            return std::holds_alternative<h::swap_args>(args);
        case n::confirm_hours:
            return std::holds_alternative<h::confirm_args>(args);
        case n::retest:
            return std::holds_alternative<h::retest_args>(args);
        case n::tasks:
            return std::holds_alternative<h::page_args>(args);
        case n::takeover:
        case n::checkin:
        case n::unclaim:
        case n::roster:
        case n::done:
        case n::cancel_task:
            return std::holds_alternative<h::task_number_args>(args);
        case n::test:
            return std::holds_alternative<h::test_args>(args);
        case n::call:
            return std::holds_alternative<h::call_args>(args);
        case n::antigen:
            return std::holds_alternative<h::antigen_args>(args);
        case n::notice:
            return std::holds_alternative<h::notice_args>(args);
        case n::template_text:
            return std::holds_alternative<h::template_args>(args);
        case n::registry:
            return std::holds_alternative<h::registry_args>(args);
        case n::note:
            return std::holds_alternative<h::note_args>(args);
        case n::approve:
        case n::reject:
        case n::remove:
            return std::holds_alternative<h::member_args>(args);
        case n::me:
        case n::myorders:
        case n::myshifts:
        case n::hours:
        case n::stats:
        case n::unbind:
        case n::unregister:
        case n::console:
        case n::console_logout:
            return std::holds_alternative<h::no_args>(args);
    }
    return false;
}

/// Checks one parse_command result for the message `typed`.
inline void check_parse_result(std::string_view typed, const h::parse_result& result) {
    const bool utf8 = is_utf8(typed);
    const auto normalized = h::normalize_text(typed);
    if (const auto* cmd = std::get_if<h::command>(&result)) {
        require(h::find_command(cmd->keyword) == cmd->name, "the keyword names the command");
        require(holds_arguments_of(cmd->name, cmd->args),
                "a command carries the arguments its handler takes");
        std::visit(argument_checks{typed, utf8}, cmd->args);
    } else if (const auto* error = std::get_if<h::usage_error>(&result)) {
        static constexpr std::array<std::string_view, 12> reasons{
            "missing_argument", "bad_building", "bad_room",     "bad_address",
            "bad_number",       "bad_price",    "bad_quantity", "bad_time",
            "bad_role",         "bad_result",   "bad_target",   "too_many_arguments"};
        require(std::find(reasons.begin(), reasons.end(), error->reason) != reasons.end(),
                "a usage error gives a documented reason");
        require(h::find_command(error->keyword) == error->name, "the keyword names the command");
        require(normalized.find(error->token) != std::string::npos,
                "a usage error's token is a part of the message");
        require(!utf8 || is_utf8(error->token), "a usage error's token is UTF-8");
    } else if (const auto* unknown = std::get_if<h::unknown_command>(&result)) {
        require(!unknown->word.empty() && unknown->word.size() <= 32,
                "an unknown command word has 1 to 32 characters");
        require(!h::find_command(unknown->word), "an unknown command word names no command");
        require(normalized.find("/" + unknown->word) != std::string::npos,
                "an unknown command word is a part of the message");
    }
}

}  // namespace loudong::fuzz
