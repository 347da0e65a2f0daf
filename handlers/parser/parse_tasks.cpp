// The syntax of volunteer tasks: 发布任务 and the commands on one task (handled in
// handlers/tasks.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>
#include <span>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

bool is_place_marker(std::string_view token) {
    const auto lower = ascii_lower(token);
    return token == "地点" || token == "地址" || lower == "place" || lower == "at";
}

namespace {

bool is_note_marker(std::string_view token) {
    return token == "备注" || ascii_lower(token) == "note";
}

// Slots as typed: "6", "6人", "6名", "6位", "6个".
std::optional<std::int64_t> parse_slots(std::string_view token) {
    for (const auto suffix : {std::string_view("人"), std::string_view("名"),
                              std::string_view("位"), std::string_view("个")}) {
        if (token.ends_with(suffix)) {
            token.remove_suffix(suffix.size());
            break;
        }
    }
    // Up to 9 digits: a number that large is still a number of people, and too many for one
    // task is the handler's to say ("一个任务最多500人"), not "not a number".
    if (token.empty() || token.size() > 9 || !std::all_of(token.begin(), token.end(), is_digit)) {
        return std::nullopt;
    }
    std::int64_t slots = 0;
    for (const char c : token) {
        slots = slots * 10 + (c - '0');
    }
    if (slots < 1) {
        return std::nullopt;
    }
    return slots;
}

// A range of task numbers no wider than this reads as a typing slip, not a claim.
constexpr std::int64_t widest_range = 200;

// Splits at ',' and '、' (a full-width comma is ',' after normalisation); empty pieces kept.
std::vector<std::string_view> split_list(std::string_view s) {
    std::vector<std::string_view> pieces;
    while (true) {
        const auto comma = s.find(',');
        const auto dun = s.find("、");
        const auto at = std::min(comma, dun);
        if (at == std::string_view::npos) {
            pieces.push_back(s);
            return pieces;
        }
        pieces.push_back(s.substr(0, at));
        s.remove_prefix(at + (at == comma ? 1 : std::string_view("、").size()));
    }
}

// "12", "#12", "12-15", "12,13、15": task numbers in the order written; nullopt when any piece
// is not a number or a range of them.
std::optional<std::vector<std::int64_t>> task_numbers(std::string_view token) {
    std::vector<std::int64_t> numbers;
    for (const auto piece : split_list(token)) {
        const auto dash = piece.find('-');
        if (dash == std::string_view::npos) {
            const auto n = parse_number(piece);
            if (!n) {
                return std::nullopt;
            }
            numbers.push_back(*n);
            continue;
        }
        const auto first = parse_number(piece.substr(0, dash));
        const auto last = parse_number(piece.substr(dash + 1));
        if (!first || !last || *last < *first || *last - *first >= widest_range) {
            return std::nullopt;
        }
        for (auto n = *first; n <= *last; ++n) {
            numbers.push_back(n);
        }
    }
    return numbers;
}

bool is_whole_day(std::string_view token) {
    const auto lower = ascii_lower(token);
    return token == "全天" || token == "整天" || token == "全部" || lower == "all" ||
           lower == "allday";
}

// "每2小时", "每30分钟", "2h", "90m", "每2个小时": a shift's length in minutes.
std::optional<std::int64_t> parse_shift_length(std::string_view token) {
    const bool every = strip_prefix(token, "每");
    std::int64_t unit = 0;
    if (strip_suffix(token, "小时") || strip_suffix(token, "h") || strip_suffix(token, "H")) {
        strip_suffix(token, "个");
        unit = 60;
    } else if (strip_suffix(token, "分钟") || strip_suffix(token, "min") ||
               strip_suffix(token, "m")) {
        unit = 1;
    } else {
        return std::nullopt;
    }
    if (token.empty() && every) {
        return unit;  // "每小时"
    }
    if (token.empty() || token.size() > 4 || !std::all_of(token.begin(), token.end(), is_digit)) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    for (const char c : token) {
        n = n * 10 + (c - '0');
    }
    return n * unit > 0 ? std::optional<std::int64_t>(n * unit) : std::nullopt;
}

// Place and note, in either order, to the end: "地点 东门岗亭 备注 带好测温枪".
std::optional<parse_result> read_place_and_note(const parse_input& in, std::size_t i,
                                                std::optional<std::string>& place,
                                                std::optional<std::string>& note) {
    const std::span<const std::string_view> t(in.tokens);
    std::optional<std::string>* text_field = nullptr;
    std::vector<std::string_view> text_tokens;
    const auto flush = [&] {
        if (text_field != nullptr) {
            *text_field = join(text_tokens);
        }
        text_tokens.clear();
    };
    for (; i < t.size(); ++i) {
        if (is_place_marker(t[i]) || is_note_marker(t[i])) {
            flush();
            text_field = is_place_marker(t[i]) ? &place : &note;
            continue;
        }
        if (text_field == nullptr) {
            return usage(in, "too_many_arguments", t[i]);
        }
        text_tokens.push_back(t[i]);
    }
    flush();
    if ((place && place->empty()) || (note && note->empty())) {
        return usage(in, "missing_argument", "");
    }
    return std::nullopt;
}

}  // namespace

parse_result parse_task(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    std::size_t when_at = 0;
    while (when_at < t.size() && !looks_like_when(t[when_at])) {
        ++when_at;
    }
    if (when_at == 0 || when_at == t.size()) {
        return usage(in, "missing_argument", "");
    }
    task_args args;
    args.title = join(t.first(when_at));
    std::size_t used = 0;
    const auto when = parse_when(t.subspan(when_at), used);
    if (!when) {
        const auto bad = when_at + used;
        return bad < t.size() ? usage(in, "bad_time", t[bad]) : usage(in, "missing_argument", "");
    }
    args.when = *when;
    std::size_t i = when_at + used;
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    const auto slots = parse_slots(t[i]);
    if (!slots) {
        return usage(in, "bad_number", t[i]);
    }
    args.slots = *slots;
    ++i;
    // The rest, in any order: "至 5-10", "地点 1号门", "备注 带好手套".
    std::optional<std::string>* text_field = nullptr;
    std::vector<std::string_view> text_tokens;
    const auto flush = [&] {
        if (text_field != nullptr) {
            *text_field = join(text_tokens);
        }
        text_tokens.clear();
    };
    while (i < t.size()) {
        const auto token = t[i];
        if (is_until_marker(token) && !args.when.until) {
            const auto last = i + 1 < t.size() ? parse_day(t[i + 1]) : std::nullopt;
            if (!last) {
                return i + 1 < t.size() ? usage(in, "bad_time", t[i + 1])
                                        : usage(in, "missing_argument", "");
            }
            flush();
            text_field = nullptr;
            args.when.until = *last;
            i += 2;
            continue;
        }
        if (!args.when.until && text_field == nullptr) {
            if (const auto last = parse_until(token)) {
                args.when.until = *last;
                ++i;
                continue;
            }
        }
        if (is_place_marker(token) || is_note_marker(token)) {
            flush();
            text_field = is_place_marker(token) ? &args.place : &args.note;
            ++i;
            continue;
        }
        if (text_field == nullptr) {
            return usage(in, "too_many_arguments", token);
        }
        text_tokens.push_back(token);
        ++i;
    }
    flush();
    if ((args.place && args.place->empty()) || (args.note && args.note->empty())) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, args);
}

parse_result parse_claim(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    claim_args args;
    if (task_numbers(t[0])) {
        for (const auto token : t) {
            const auto numbers = task_numbers(token);
            if (!numbers) {
                return usage(in, "bad_number", token);
            }
            for (const auto n : *numbers) {
                if (std::find(args.tasks.begin(), args.tasks.end(), n) == args.tasks.end()) {
                    args.tasks.push_back(n);
                }
            }
        }
        return accept(in, args);
    }
    // A title, then its day, then 全天 if one likes: "揭榜 东门 11-29 全天".
    std::size_t day_at = 1;
    while (day_at < t.size() && !parse_day(t[day_at])) {
        ++day_at;
    }
    if (day_at == t.size()) {
        // "揭榜 门岗": neither a number nor a title with its day.
        if (t.size() == 1) {
            return usage(in, "bad_number", t[0]);
        }
        return looks_like_when(t.back()) ? usage(in, "bad_time", t.back())
                                         : usage(in, "missing_argument", "");
    }
    args.title = join(t.first(day_at));
    args.day = parse_day(t[day_at]);
    if (args.day->which == day_ref::kind::every_day) {
        return usage(in, "bad_time", t[day_at]);
    }
    std::size_t next = day_at + 1;
    if (next < t.size() && is_whole_day(t[next])) {
        ++next;
    }
    if (next < t.size()) {
        return usage(in, "too_many_arguments", t[next]);
    }
    return accept(in, args);
}

parse_result parse_rota(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    rota_args args;
    // The gates: "东门,南门", also typed "东门, 南门".
    std::string typed(t[0]);
    std::size_t i = 1;
    while (i < t.size() && (typed.ends_with(",") || typed.ends_with("、"))) {
        typed += t[i++];
    }
    for (const auto gate : split_list(typed)) {
        if (gate.empty() || looks_like_when(gate)) {
            return usage(in, "bad_target", gate.empty() ? t[0] : gate);
        }
        if (std::find(args.gates.begin(), args.gates.end(), gate) == args.gates.end()) {
            args.gates.emplace_back(gate);
        }
    }
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    const auto when_at = i;
    std::size_t used = 0;
    auto from = parse_when(t.subspan(i), used);
    if (!from && used >= 2 && i + used < t.size() && is_until_marker(t[i + used - 1])) {
        // "08:00 至 20:00": an end without its day is the first such time after the start.
        std::size_t before = 0;
        auto start = parse_when(t.subspan(i, used - 1), before);
        const auto end = parse_time_of_day(t[i + used]);
        if (start && end && before == used - 1 && !start->end) {
            from = start;
            args.to = when_spec{};
            args.to->start = *end;
            used += 1;
        }
    }
    if (!from) {
        return i + used < t.size() ? usage(in, "bad_time", t[i + used])
                                   : usage(in, "missing_argument", "");
    }
    i += used;
    if (from->day.which == day_ref::kind::every_day) {
        return usage(in, "bad_time", t[when_at]);
    }
    if (from->until && !args.to) {
        // "08:00 至 11-30 08:00": parse_when read the day after 至; its time comes next.
        const auto end = i < t.size() ? parse_time_of_day(t[i]) : std::nullopt;
        if (!end || from->end) {
            return i < t.size() ? usage(in, "bad_time", t[i]) : usage(in, "missing_argument", "");
        }
        args.to = when_spec{};
        args.to->day = *from->until;
        args.to->start = *end;
        from->until.reset();
        ++i;
    } else if (!from->end && !args.to) {
        return i < t.size() ? usage(in, "bad_time", t[i]) : usage(in, "missing_argument", "");
    }
    args.from = *from;
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    // "每2小时" or "every 2h".
    if (ascii_lower(t[i]) == "every" && i + 1 < t.size()) {
        ++i;
    }
    const auto length = parse_shift_length(t[i]);
    if (!length) {
        return usage(in, "bad_time", t[i]);
    }
    args.shift_minutes = *length;
    if (++i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    const auto slots = parse_slots(t[i]);
    if (!slots) {
        return usage(in, "bad_number", t[i]);
    }
    args.slots = *slots;
    if (auto error = read_place_and_note(in, i + 1, args.place, args.note)) {
        return *error;
    }
    return accept(in, args);
}

parse_result parse_page(const parse_input& in) {
    // "任务 2" pages; anything else after 任务 ("任务 完成了吗", "任务 2 个人够吗") is chat, as
    // after any command that takes nothing.
    if (!in.tokens.empty() && !in.keyword.starts_with('/') &&
        (in.tokens.size() > 1 || !parse_number(in.tokens.front()))) {
        return not_a_command{};
    }
    return one_argument(in, false, "bad_number", parse_number,
                        [](std::optional<std::int64_t> n) { return page_args{n.value_or(1)}; });
}

parse_result parse_swap(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
    const auto task = parse_number(t[0]);
    if (!task) {
        return usage(in, "bad_number", t[0]);
    }
    if (t.size() > 2) {
        return usage(in, "too_many_arguments", t[2]);
    }
    auto member = t[1];
    if (member.starts_with('@')) {
        member.remove_prefix(1);
    }
    if (member.empty()) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, swap_args{*task, std::string(member)});
}

parse_result parse_confirm_hours(const parse_input& in) {
    if (in.tokens.empty()) {
        return accept(in, confirm_args{});
    }
    auto read = parse_claim(in);
    if (auto* c = std::get_if<command>(&read)) {
        c->args = confirm_args{std::get<claim_args>(c->args)};
    }
    return read;
}

parse_result parse_task_number(const parse_input& in) {
    return one_argument(in, true, "bad_number", parse_number,
                        [](std::optional<std::int64_t> n) { return task_number_args{*n}; });
}

}  // namespace loudong::handlers
