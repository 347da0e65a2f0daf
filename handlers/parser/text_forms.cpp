#include "handlers/parser/text_forms.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>
#include <utility>
#include <vector>

namespace loudong::handlers {

bool strip_prefix(std::string_view& s, std::string_view prefix) {
    if (!s.starts_with(prefix)) {
        return false;
    }
    s.remove_prefix(prefix.size());
    return true;
}

bool strip_suffix(std::string_view& s, std::string_view suffix) {
    if (!s.ends_with(suffix)) {
        return false;
    }
    s.remove_suffix(suffix.size());
    return true;
}

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// Digits only, at most max_digits of them, and no larger than max; never overflows.
std::optional<std::int64_t> to_number(std::string_view digits, std::size_t max_digits,
                                      std::int64_t max) {
    if (!all_digits(digits) || digits.size() > max_digits) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || value > max) {
        return std::nullopt;
    }
    return value;
}

// Longest first, so "号楼" is taken whole rather than leaving "楼" behind "号".
constexpr std::array<std::string_view, 7> building_suffixes{"号楼", "号栋", "号幢", "号",
                                                            "幢",   "栋",   "座"};

// The building part at the start of `s` ("B3", "3号楼", "12弄3号"): the lane's digits when a
// lane (弄) comes first, the building's digits, and whether a suffix, prefix or lane marked it as
// a building; `s` is advanced past it.
struct building_prefix {
    std::string_view lane;
    std::string_view digits;
    bool marked = false;
};

std::size_t leading_digits(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) {
        ++n;
    }
    return n;
}

std::optional<building_prefix> take_building(std::string_view& s) {
    building_prefix found;
    if (s.size() > 1 && (s[0] == 'B' || s[0] == 'b') && is_digit(s[1])) {
        s.remove_prefix(1);
        found.marked = true;
    }
    auto n = leading_digits(s);
    if (n == 0) {
        return std::nullopt;
    }
    // 12弄3号: Shanghai's lanes (弄) hold several numbered buildings.
    if (!found.marked && s.substr(n).starts_with("弄")) {
        found.lane = s.substr(0, n);
        found.marked = true;
        s.remove_prefix(n + std::string_view("弄").size());
        n = leading_digits(s);
        if (n == 0) {
            return std::nullopt;
        }
    }
    found.digits = s.substr(0, n);
    s.remove_prefix(n);
    for (const auto suffix : building_suffixes) {
        if (strip_prefix(s, suffix)) {
            found.marked = true;
            break;
        }
    }
    return found;
}

// The label of a building: "3", or with its lane "12弄3" (shown as 12弄3号楼).
std::optional<building_ref> building_from_digits(std::string_view digits,
                                                 std::string_view lane = {}) {
    const auto value = to_number(digits, 4, 9999);
    if (!value || *value < 1) {
        return std::nullopt;
    }
    if (lane.empty()) {
        return building_ref{std::to_string(*value)};
    }
    const auto lane_number = to_number(lane, 4, 9999);
    if (!lane_number || *lane_number < 1) {
        return std::nullopt;
    }
    return building_ref{std::to_string(*lane_number) + "弄" + std::to_string(*value)};
}

constexpr std::array<std::string_view, 38> quantity_units{
    "份", "袋", "盒", "个", "包", "箱", "瓶", "只", "桶", "件", "把", "板", "提",
    "罐", "颗", "块", "条", "根", "斤", "听", "套", "支", "棵", "捆", "扎", "组",
    "张", "本", "杯", "盘", "串", "枚", "粒", "片", "双", "对", "卷", "筐"};

bool is_leap_day_allowed(int month, int day) {
    constexpr std::array<int, 12> days_in_month{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month[month - 1];
}

std::optional<day_ref> month_day(std::string_view month, std::string_view day) {
    const auto m = to_number(month, 2, 12);
    const auto d = to_number(day, 2, 31);
    if (!m || !d || !is_leap_day_allowed(static_cast<int>(*m), static_cast<int>(*d))) {
        return std::nullopt;
    }
    return day_ref{day_ref::kind::month_day, static_cast<int>(*m), static_cast<int>(*d)};
}

// A clock time; `24:00` only when it ends a range.
std::optional<time_of_day> parse_clock(std::string_view s, bool allow_24) {
    std::optional<std::int64_t> hours;
    std::optional<std::int64_t> minutes;
    if (const auto colon = s.find(':'); colon != std::string_view::npos) {
        const auto after = s.substr(colon + 1);
        hours = to_number(s.substr(0, colon), 2, 24);
        minutes = after.size() == 2 ? to_number(after, 2, 59) : std::nullopt;
    } else if (const auto dian = s.find("点"); dian != std::string_view::npos) {
        auto after = s.substr(dian + std::string_view("点").size());
        hours = to_number(s.substr(0, dian), 2, 24);
        if (after.empty()) {
            minutes = 0;
        } else if (after == "半") {
            minutes = 30;
        } else {
            strip_suffix(after, "分");
            minutes = to_number(after, 2, 59);
        }
    }
    if (!hours || !minutes) {
        return std::nullopt;
    }
    if (*hours == 24 && (!allow_24 || *minutes != 0)) {
        return std::nullopt;
    }
    return time_of_day{static_cast<int>(*hours * 60 + *minutes)};
}

constexpr std::array<std::string_view, 6> range_separators{"-", "~", "–", "—", "到", "至"};

constexpr std::array<std::string_view, 6> glued_day_words{"今天", "明天", "每天",
                                                          "今日", "明日", "每日"};

constexpr std::array<std::string_view, 4> next_day_words{"次日", "翌日", "第二天", "隔天"};

constexpr std::array<std::string_view, 4> until_markers{"截至", "直到", "至", "到"};

// Replaces each run of digits with 'N': "14:00-16:00" → "N:N-N:N".
std::string digit_shape(std::string_view s) {
    std::string shape;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (is_digit(s[i])) {
            if (shape.empty() || shape.back() != 'N') {
                shape.push_back('N');
            }
        } else {
            shape.push_back(s[i]);
        }
    }
    return shape;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::optional<building_ref> parse_building(std::string_view token) {
    auto rest = token;
    const auto found = take_building(rest);
    if (!found || !rest.empty()) {
        return std::nullopt;
    }
    return building_from_digits(found->digits, found->lane);
}

std::optional<std::string> parse_room(std::string_view token) {
    strip_suffix(token, "室");
    if (!all_digits(token) || token.size() > 6 || token.front() == '0') {
        return std::nullopt;
    }
    return std::string(token);
}

std::optional<address> parse_address(std::string_view token) {
    auto rest = token;
    auto found = take_building(rest);
    if (!found) {
        return std::nullopt;
    }
    const bool separated = strip_prefix(rest, "-") || strip_prefix(rest, "/");
    // "3502" alone could be any split of the digits, so a marker or separator is required.
    if (!found->marked && !separated) {
        return std::nullopt;
    }
    // 12-3-502: lane, building and room, separated alike.
    if (separated && !found->marked) {
        const auto n = leading_digits(rest);
        if (n > 0 && n < rest.size() && (rest[n] == '-' || rest[n] == '/')) {
            found->lane = found->digits;
            found->digits = rest.substr(0, n);
            rest.remove_prefix(n + 1);
        }
    }
    auto building = building_from_digits(found->digits, found->lane);
    auto room = parse_room(rest);
    if (!building || !room) {
        return std::nullopt;
    }
    return address{std::move(*building), std::move(*room)};
}

std::optional<address> parse_address(std::string_view building, std::string_view room) {
    auto b = parse_building(building);
    auto r = parse_room(room);
    if (!b || !r) {
        return std::nullopt;
    }
    return address{std::move(*b), std::move(*r)};
}

bool is_quantity_unit(std::string_view unit) {
    return std::find(quantity_units.begin(), quantity_units.end(), unit) != quantity_units.end();
}

namespace {

/// A Chinese numeral from 1 to 99 at the start of a token (`两`, `三`, `十`, `十二`, `二十五`):
/// its value and its length in bytes. None when the token does not start with a well-formed one.
std::optional<std::pair<std::int64_t, std::size_t>> leading_chinese_number(std::string_view token) {
    constexpr int ten = -1;
    static constexpr std::array<std::pair<std::string_view, int>, 11> symbols{{{"十", ten},
                                                                               {"一", 1},
                                                                               {"二", 2},
                                                                               {"两", 2},
                                                                               {"三", 3},
                                                                               {"四", 4},
                                                                               {"五", 5},
                                                                               {"六", 6},
                                                                               {"七", 7},
                                                                               {"八", 8},
                                                                               {"九", 9}}};
    std::vector<int> read;
    std::size_t used = 0;
    while (read.size() < 4) {
        const auto rest = token.substr(used);
        const auto found = std::find_if(symbols.begin(), symbols.end(),
                                        [&](const auto& s) { return rest.starts_with(s.first); });
        if (found == symbols.end()) {
            break;
        }
        read.push_back(found->second);
        used += found->first.size();
    }
    const auto is_digit_value = [](int v) { return v >= 1; };
    std::optional<std::int64_t> value;
    if (read.size() == 1) {
        value = read[0] == ten ? 10 : read[0];  // 三, 十
    } else if (read.size() == 2 && read[0] == ten && is_digit_value(read[1])) {
        value = 10 + read[1];  // 十二
    } else if (read.size() == 2 && is_digit_value(read[0]) && read[1] == ten) {
        value = read[0] * 10;  // 二十
    } else if (read.size() == 3 && is_digit_value(read[0]) && read[1] == ten &&
               is_digit_value(read[2])) {
        value = read[0] * 10 + read[2];  // 二十五
    }
    if (!value) {
        return std::nullopt;
    }
    return std::pair{*value, used};
}

}  // namespace

std::optional<quantity> parse_quantity(std::string_view token) {
    if (!strip_prefix(token, "x") && !strip_prefix(token, "X") && !strip_prefix(token, "*")) {
        strip_prefix(token, "×");
    }
    // 两盒, 三份, 十个: the count written in Chinese.
    if (token.empty() || !is_digit(token[0])) {
        const auto chinese = leading_chinese_number(token);
        if (!chinese) {
            return std::nullopt;
        }
        const auto unit = token.substr(chinese->second);
        if (unit.empty()) {
            return quantity{chinese->first, std::nullopt};
        }
        if (!is_quantity_unit(unit)) {
            return std::nullopt;
        }
        return quantity{chinese->first, std::string(unit)};
    }
    std::size_t n = 0;
    while (n < token.size() && is_digit(token[n])) {
        ++n;
    }
    const auto count = to_number(token.substr(0, n), 4, max_quantity);
    if (!count || *count < 1) {
        return std::nullopt;
    }
    const auto unit = token.substr(n);
    if (unit.empty()) {
        return quantity{*count, std::nullopt};
    }
    if (!is_quantity_unit(unit)) {
        return std::nullopt;
    }
    return quantity{*count, std::string(unit)};
}

std::optional<std::int64_t> parse_price_fen(std::string_view token) {
    if (!strip_prefix(token, "¥")) {
        strip_prefix(token, "￥");
    }
    if (!strip_suffix(token, "元")) {
        strip_suffix(token, "块");
    }
    const auto dot = token.find('.');
    const auto whole = token.substr(0, dot);
    const auto yuan = to_number(whole, 6, max_price_fen / 100);
    if (!yuan) {
        return std::nullopt;
    }
    std::int64_t fen = *yuan * 100;
    if (dot != std::string_view::npos) {
        const auto decimals = token.substr(dot + 1);
        const auto part = to_number(decimals, 2, 99);
        if (!part) {
            return std::nullopt;
        }
        fen += decimals.size() == 1 ? *part * 10 : *part;
    }
    if (fen > max_price_fen) {
        return std::nullopt;
    }
    return fen;
}

std::string format_fen(std::int64_t fen) {
    const bool negative = fen < 0;
    // Work in unsigned so the most negative value does not overflow on negation.
    const auto magnitude = negative
                               ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(fen)
                               : static_cast<std::uint64_t>(fen);
    const auto cents = magnitude % 100;
    std::string out = negative ? "-" : "";
    out += std::to_string(magnitude / 100);
    out += '.';
    out += static_cast<char>('0' + cents / 10);
    out += static_cast<char>('0' + cents % 10);
    return out;
}

std::optional<std::int64_t> parse_number(std::string_view token) {
    if (!strip_prefix(token, "#") && !strip_prefix(token, "No.") && !strip_prefix(token, "no.")) {
        strip_suffix(token, "号");
    }
    const auto value = to_number(token, 12, 999'999'999'999);
    if (!value || *value < 1) {
        return std::nullopt;
    }
    return value;
}

std::optional<time_of_day> parse_time_of_day(std::string_view token) {
    return parse_clock(token, false);
}

std::string format_time_of_day(time_of_day t) {
    const int minutes = ((t.minutes % 1440) + 1440) % 1440;
    const int h = t.minutes == 1440 ? 24 : minutes / 60;
    const int m = minutes % 60;
    std::string out;
    out += static_cast<char>('0' + h / 10);
    out += static_cast<char>('0' + h % 10);
    out += ':';
    out += static_cast<char>('0' + m / 10);
    out += static_cast<char>('0' + m % 10);
    return out;
}

std::optional<when_spec> parse_time_range(std::string_view token) {
    for (const auto separator : range_separators) {
        const auto at = token.find(separator);
        if (at == std::string_view::npos) {
            continue;
        }
        const auto start = parse_clock(token.substr(0, at), false);
        // "08:00-次日08:00": an end on the next day, up to 24 hours after the start. Without the
        // word an end at or before the start is the next day's too (22:00-06:00).
        auto end_text = token.substr(at + separator.size());
        bool next_day = false;
        for (const auto word : next_day_words) {
            next_day = next_day || strip_prefix(end_text, word);
        }
        auto end = parse_clock(end_text, !next_day);
        if (!start || !end) {
            return std::nullopt;
        }
        if (next_day) {
            end->minutes += 1440;
            if (end->minutes > start->minutes + 1440) {
                return std::nullopt;
            }
        } else if (*start == *end) {
            return std::nullopt;
        }
        when_spec when;
        when.start = *start;
        when.end = *end;
        return when;
    }
    const auto start = parse_clock(token, false);
    if (!start) {
        return std::nullopt;
    }
    when_spec when;
    when.start = *start;
    return when;
}

std::optional<day_ref> parse_day(std::string_view token) {
    const auto lower = ascii_lower(token);
    if (token == "今天" || token == "今日" || lower == "today") {
        return day_ref{day_ref::kind::today};
    }
    if (token == "明天" || token == "明日" || lower == "tomorrow") {
        return day_ref{day_ref::kind::tomorrow};
    }
    if (token == "每天" || token == "每日" || lower == "daily" || lower == "everyday") {
        return day_ref{day_ref::kind::every_day};
    }
    for (const char separator : {'-', '/'}) {
        const auto at = token.find(separator);
        if (at != std::string_view::npos) {
            return month_day(token.substr(0, at), token.substr(at + 1));
        }
    }
    const auto yue = token.find("月");
    if (yue == std::string_view::npos) {
        return std::nullopt;
    }
    auto day = token.substr(yue + std::string_view("月").size());
    if (!strip_suffix(day, "日")) {
        strip_suffix(day, "号");
    }
    return month_day(token.substr(0, yue), day);
}

bool is_until_marker(std::string_view token) {
    return std::find(until_markers.begin(), until_markers.end(), token) != until_markers.end() ||
           ascii_lower(token) == "until";
}

std::optional<day_ref> parse_until(std::string_view token) {
    for (const auto marker : until_markers) {
        auto rest = token;
        if (strip_prefix(rest, marker) && !rest.empty()) {
            return parse_day(rest);
        }
    }
    return std::nullopt;
}

std::optional<when_spec> parse_when(std::span<const std::string_view> tokens, std::size_t& used) {
    used = 0;
    if (tokens.empty()) {
        return std::nullopt;
    }
    std::optional<when_spec> when;
    std::size_t next = 0;
    if (const auto day = parse_day(tokens[0])) {
        if (tokens.size() < 2) {
            used = 1;
            return std::nullopt;
        }
        when = parse_time_range(tokens[1]);
        if (!when) {
            used = 1;
            return std::nullopt;
        }
        when->day = *day;
        next = 2;
    } else if (when = parse_time_range(tokens[0]); when) {
        next = 1;
    } else {
        // A day glued to its time: "明天07:00", "4月28日14:00".
        auto token = tokens[0];
        std::size_t split = std::string_view::npos;
        for (const auto word : glued_day_words) {
            if (token.starts_with(word)) {
                split = word.size();
            }
        }
        if (split == std::string_view::npos) {
            for (const auto mark : {std::string_view("日"), std::string_view("号")}) {
                const auto at = token.find(mark);
                if (at != std::string_view::npos && token.find("月") < at) {
                    split = at + mark.size();
                    break;
                }
            }
        }
        if (split == std::string_view::npos) {
            return std::nullopt;
        }
        const auto glued_day = parse_day(token.substr(0, split));
        when = parse_time_range(token.substr(split));
        if (!glued_day || !when) {
            return std::nullopt;
        }
        when->day = *glued_day;
        next = 1;
    }
    if (next < tokens.size()) {
        if (is_until_marker(tokens[next])) {
            const auto last = next + 1 < tokens.size() ? parse_day(tokens[next + 1]) : std::nullopt;
            if (!last) {
                used = next + 1;
                return std::nullopt;
            }
            when->until = *last;
            next += 2;
        } else if (const auto last = parse_until(tokens[next])) {
            when->until = *last;
            next += 1;
        }
    }
    used = next;
    return when;
}

bool looks_like_when(std::string_view token) {
    if (parse_day(token) || parse_time_range(token)) {
        return true;
    }
    for (const auto word : glued_day_words) {
        if (token.starts_with(word)) {
            return true;
        }
    }
    const auto shape = digit_shape(token);
    if (shape.find('N') == std::string::npos) {
        return false;
    }
    if (shape.find(':') != std::string::npos) {
        return shape.find_first_not_of("N:-~") == std::string::npos;
    }
    constexpr std::array<std::string_view, 9> day_shapes{"N-N", "N/N",   "N月N日", "N月N号", "N月N",
                                                         "N点", "N点半", "N点N",   "N点N分"};
    return std::find(day_shapes.begin(), day_shapes.end(), shape) != day_shapes.end();
}

std::vector<std::string_view> list_parts(std::string_view token) {
    std::vector<std::string_view> parts;
    while (!token.empty()) {
        std::size_t cut = token.size();
        std::size_t skip = 0;
        for (const auto separator :
             {std::string_view(","), std::string_view("、"), std::string_view(";")}) {
            const auto at = token.find(separator);
            if (at < cut) {
                cut = at;
                skip = separator.size();
            }
        }
        if (cut > 0) {
            parts.push_back(token.substr(0, cut));
        }
        token.remove_prefix(std::min(token.size(), cut + skip));
    }
    return parts;
}

std::optional<buildings_args> parse_building_list(std::string_view token) {
    buildings_args list;
    const auto lower = ascii_lower(token);
    if (lower == "all" || token == "全部" || token == "所有" || token == "全体" ||
        token == "全部楼栋") {
        list.all = true;
        return list;
    }
    const auto add = [&list](building_ref b) {
        if (std::find(list.buildings.begin(), list.buildings.end(), b) == list.buildings.end()) {
            list.buildings.push_back(std::move(b));
        }
    };
    for (const auto part : list_parts(token)) {
        if (auto one = parse_building(part)) {
            add(std::move(*one));
            continue;
        }
        bool expanded = false;
        for (const auto separator : {std::string_view("-"), std::string_view("~"),
                                     std::string_view("到"), std::string_view("至")}) {
            const auto at = part.find(separator);
            if (at == std::string_view::npos) {
                continue;
            }
            const auto first = parse_building(part.substr(0, at));
            const auto last = parse_building(part.substr(at + separator.size()));
            if (!first || !last) {
                return std::nullopt;
            }
            const auto from = to_number(first->label, 4, 9999);
            const auto to = to_number(last->label, 4, 9999);
            if (!from || !to || *from > *to || *to - *from >= max_building_range) {
                return std::nullopt;
            }
            for (auto b = *from; b <= *to; ++b) {
                add(building_ref{std::to_string(b)});
            }
            expanded = true;
            break;
        }
        if (!expanded) {
            return std::nullopt;
        }
    }
    if (list.buildings.empty()) {
        return std::nullopt;
    }
    return list;
}

std::optional<role> parse_role(std::string_view token) {
    const auto lower = ascii_lower(token);
    if (lower == "volunteer" || lower == "volunteers" || token == "志愿者" || token == "义工") {
        return role::volunteer;
    }
    if (lower == "lead" || lower == "leader" || token == "楼组长" || token == "楼长" ||
        token == "组长") {
        return role::lead;
    }
    if (lower == "committee" || token == "居委" || token == "居委会" || token == "委员" ||
        token == "委员会") {
        return role::committee;
    }
    return std::nullopt;
}

std::optional<antigen_args::result> parse_antigen_result(std::string_view token) {
    // Residents end a report with a full stop or an exclamation mark; "-" and "+" are results.
    while (token.size() > 1) {
        if (strip_suffix(token, "。")) {
            continue;
        }
        const char last = token.back();
        if (last != '.' && last != '!' && last != ',' && last != '~') {
            break;
        }
        token.remove_suffix(1);
    }
    const auto lower = ascii_lower(token);
    if (lower == "negative" || lower == "neg" || token == "阴性" || token == "阴" || token == "-") {
        return antigen_args::result::negative;
    }
    if (lower == "positive" || lower == "pos" || token == "阳性" || token == "阳" || token == "+") {
        return antigen_args::result::positive;
    }
    if (lower == "invalid" || token == "无效") {
        return antigen_args::result::invalid;
    }
    return std::nullopt;
}

}  // namespace loudong::handlers
