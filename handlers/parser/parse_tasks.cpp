// The syntax of volunteer tasks: 发布任务 and the commands on one task (handled in
// handlers/tasks.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>
#include <span>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

bool is_place_marker(std::string_view token) {
    const auto lower = ascii_lower(token);
    return token == "地点" || token == "地址" || lower == "place" || lower == "at";
}

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

parse_result parse_task_number(const parse_input& in) {
    return one_argument(in, true, "bad_number", parse_number,
                        [](std::optional<std::int64_t> n) { return task_number_args{*n}; });
}

}  // namespace loudong::handlers
