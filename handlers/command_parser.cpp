#include "handlers/command_parser.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "handlers/text_forms.hpp"

namespace loudong::handlers {
namespace {

struct command_entry {
    command_name name;
    std::string_view english;
    std::string_view chinese;
};

// SPEC §3, in the order of the command table.
constexpr std::array<command_entry, 31> command_table{{
    {command_name::help, "help", "帮助"},
    {command_name::register_member, "register", "登记"},
    {command_name::me, "me", "我的"},
    {command_name::bind, "bind", "绑定"},
    {command_name::grant, "grant", "授权"},
    {command_name::revoke, "revoke", "撤销"},
    {command_name::shop, "shop", "开团"},
    {command_name::item, "item", "上架"},
    {command_name::menu, "menu", "菜单"},
    {command_name::order, "order", "下单"},
    {command_name::myorders, "myorders", "我的订单"},
    {command_name::cancel, "cancel", "取消"},
    {command_name::close, "close", "截单"},
    {command_name::summary, "summary", "汇总"},
    {command_name::delivery, "delivery", "配送单"},
    {command_name::delivered, "delivered", "送达"},
    {command_name::task, "task", "发布任务"},
    {command_name::tasks, "tasks", "任务"},
    {command_name::claim, "claim", "揭榜"},
    {command_name::unclaim, "unclaim", "退出"},
    {command_name::roster, "roster", "名单"},
    {command_name::done, "done", "完成"},
    {command_name::hours, "hours", "时长"},
    {command_name::test, "test", "核酸"},
    {command_name::call, "call", "叫号"},
    {command_name::antigen, "antigen", "抗原"},
    {command_name::pending, "pending", "未报"},
    {command_name::stats, "stats", "统计"},
    {command_name::notice, "notice", "通知"},
    {command_name::template_text, "template", "模板"},
    // After the table of SPEC §3: the committee cancels a task. "取消任务" wins over "取消" as
    // the longer keyword.
    {command_name::cancel_task, "canceltask", "取消任务"},
}};

struct alias_entry {
    std::string_view word;
    command_name name;
};

constexpr std::array<alias_entry, 2> chinese_aliases{{
    {"接龙", command_name::order},
    {"报名", command_name::claim},
}};

// Telegram sends /start when someone first opens a chat with the bot.
constexpr std::array<alias_entry, 1> english_aliases{{
    {"start", command_name::help},
}};

// ---- normalisation -------------------------------------------------------------------------

// Normalised text, with where each of its bytes came from in the original, so that parts
// typed deliberately (a notice, a template) can be taken verbatim.
struct normalized_text {
    std::string text;
    std::vector<std::size_t> begin;  ///< per byte of text: offset of its character
    std::vector<std::size_t> end;    ///< per byte of text: offset just past its character
};

// Length of the well-formed UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    const auto c0 = static_cast<unsigned char>(s[i]);
    if (c0 < 0x80) {
        cp = c0;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((c0 & 0xE0) == 0xC0) {
        len = 2;
        cp = c0 & 0x1F;
        min = 0x80;
    } else if ((c0 & 0xF0) == 0xE0) {
        len = 3;
        cp = c0 & 0x0F;
        min = 0x800;
    } else if ((c0 & 0xF8) == 0xF0) {
        len = 4;
        cp = c0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (s.size() - i < len) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

bool is_space(char32_t cp) {
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

// Invisible characters that chat clients insert around mentions and pasted text.
bool is_dropped(char32_t cp) {
    return cp == 0x200B || cp == 0x2060 || cp == 0xFEFF;
}

normalized_text normalize(std::string_view s) {
    normalized_text out;
    out.text.reserve(s.size());
    out.begin.reserve(s.size() + 1);
    out.end.reserve(s.size() + 1);
    const auto emit = [&out](char c, std::size_t from, std::size_t to) {
        out.text.push_back(c);
        out.begin.push_back(from);
        out.end.push_back(to);
    };
    std::size_t space_at = 0;
    bool space_pending = false;
    std::size_t i = 0;
    while (i < s.size()) {
        char32_t cp = 0;
        const auto len = decode_utf8(s, i, cp);
        if (len != 0 && is_space(cp)) {
            if (!space_pending && !out.text.empty()) {
                space_pending = true;
                space_at = i;
            }
            i += len;
            continue;
        }
        if (len != 0 && is_dropped(cp)) {
            i += len;
            continue;
        }
        if (space_pending) {
            emit(' ', space_at, space_at + 1);
            space_pending = false;
        }
        if (len == 0) {
            emit(s[i], i, i + 1);
            ++i;
        } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
            emit(static_cast<char>(cp - 0xFEE0), i, i + len);
            i += len;
        } else {
            for (std::size_t k = 0; k < len; ++k) {
                emit(s[i + k], i, i + len);
            }
            i += len;
        }
    }
    return out;
}

std::vector<std::string_view> split_tokens(std::string_view s) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        auto next = s.find(' ', i);
        if (next == std::string_view::npos) {
            next = s.size();
        }
        if (next > i) {
            tokens.push_back(s.substr(i, next - i));
        }
        i = next + 1;
    }
    return tokens;
}

std::string join(std::span<const std::string_view> tokens) {
    std::string out;
    for (const auto t : tokens) {
        if (!out.empty()) {
            out += ' ';
        }
        out += t;
    }
    return out;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// ---- recognising the command word ------------------------------------------------------------

struct keyword_match {
    command_name name;
    std::size_t length;
};

std::optional<keyword_match> match_chinese(std::string_view s) {
    std::optional<keyword_match> best;
    const auto consider = [&](std::string_view word, command_name name) {
        if (s.starts_with(word) && (!best || word.size() > best->length)) {
            best = keyword_match{name, word.size()};
        }
    };
    for (const auto& entry : command_table) {
        consider(entry.chinese, entry.name);
    }
    for (const auto& alias : chinese_aliases) {
        consider(alias.word, alias.name);
    }
    return best;
}

std::optional<command_name> match_english(std::string_view word) {
    const auto lower = ascii_lower(word);
    for (const auto& entry : command_table) {
        if (entry.english == lower) {
            return entry.name;
        }
    }
    for (const auto& alias : english_aliases) {
        if (alias.word == lower) {
            return alias.name;
        }
    }
    return std::nullopt;
}

// A Chinese keyword is a command only when what follows cannot be the rest of a Chinese
// sentence: "我的天啊" and "取消了吗" are chat. "抗原阴性" is the one glued form residents use.
bool keyword_ends(std::string_view rest, command_name name) {
    if (rest.empty() || static_cast<unsigned char>(rest.front()) < 0x80) {
        return true;
    }
    return name == command_name::antigen &&
           (rest.starts_with("阴性") || rest.starts_with("阳性") || rest.starts_with("无效"));
}

// ---- argument parsing ------------------------------------------------------------------------

struct parse_input {
    std::string_view original;
    const normalized_text& norm;
    command_name name;
    std::string keyword;
    std::string addressed_to;
    std::vector<std::string_view> tokens;
};

parse_result usage(const parse_input& in, std::string reason, std::string_view token) {
    return usage_error{in.name, in.keyword, std::move(reason), std::string(token), in.addressed_to};
}

parse_result accept(const parse_input& in, command_args args) {
    return command{in.name, in.keyword, std::move(args), in.addressed_to};
}

// The original text from `token` to the end of the message, as the sender typed it.
std::string verbatim_from(const parse_input& in, std::string_view token) {
    const auto at = static_cast<std::size_t>(token.data() - in.norm.text.data());
    const auto from = in.norm.begin[at];
    const auto to = in.norm.end.back();
    return std::string(in.original.substr(from, to > from ? to - from : 0));
}

parse_result no_arguments(const parse_input& in) {
    if (!in.tokens.empty()) {
        // "任务 完成了吗" and "我的 天呐" are chat that happens to start with a keyword; only
        // a slash command is surely meant for the bot and worth a usage hint.
        if (!in.keyword.starts_with('/')) {
            return not_a_command{};
        }
        return usage(in, "too_many_arguments", in.tokens.front());
    }
    return accept(in, no_args{});
}

parse_result parse_help(const parse_input& in) {
    help_args args;
    if (!in.tokens.empty()) {
        args.topic = std::string(in.tokens.front());
    }
    return accept(in, args);
}

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
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    const auto lower = ascii_lower(t[0]);
    bind_args args;
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
    auto member = t[0];
    auto which = parse_role(t[1]);
    // "授权 志愿者 @王阿姨" names the same thing the other way round.
    if (!which && parse_role(t[0])) {
        which = parse_role(t[0]);
        member = t[1];
    }
    if (!which) {
        return usage(in, "bad_role", t[1]);
    }
    if (t.size() > 2) {
        return usage(in, "too_many_arguments", t[2]);
    }
    if (member.starts_with('@')) {
        member.remove_prefix(1);
    }
    if (member.empty()) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, role_args{std::string(member), *which});
}

bool is_cutoff_marker(std::string_view token) {
    return token == "截单" || token == "截止" || token == "截单时间" || token == "截止时间" ||
           ascii_lower(token) == "until";
}

parse_result parse_shop(const parse_input& in) {
    const auto& t = in.tokens;
    shop_args args;
    std::size_t title_end = t.size();
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (is_cutoff_marker(t[i])) {
            if (i + 1 >= t.size()) {
                return usage(in, "missing_argument", "");
            }
            args.until = parse_time_of_day(t[i + 1]);
            if (!args.until) {
                return usage(in, "bad_time", t[i + 1]);
            }
            if (i + 2 < t.size()) {
                return usage(in, "too_many_arguments", t[i + 2]);
            }
            title_end = i;
            break;
        }
        auto glued = t[i];
        if (i > 0 && (glued.starts_with("截单") || glued.starts_with("截止"))) {
            glued.remove_prefix(std::string_view("截单").size());
            if (const auto time = parse_time_of_day(glued)) {
                if (i + 1 < t.size()) {
                    return usage(in, "too_many_arguments", t[i + 1]);
                }
                args.until = time;
                title_end = i;
                break;
            }
        }
    }
    // "开团 华联超市 18:00": a bare time after the title is the cut-off too.
    if (!args.until && title_end > 1) {
        if (const auto time = parse_time_of_day(t[title_end - 1])) {
            args.until = time;
            --title_end;
        }
    }
    if (title_end == 0) {
        return usage(in, "missing_argument", "");
    }
    args.title = join(std::span(t).first(title_end));
    return accept(in, args);
}

bool is_limit_marker(std::string_view token) {
    return token == "限购" || token == "每人限购" || token == "限" || ascii_lower(token) == "limit";
}

// Stock as typed: "200", "200盒" (a unit glued on is taken as the unit).
struct stock_form {
    std::int64_t count = 0;
    std::string unit;
};

std::optional<stock_form> parse_stock(std::string_view token) {
    std::size_t n = 0;
    while (n < token.size() && is_digit(token[n])) {
        ++n;
    }
    if (n == 0 || n > 7) {
        return std::nullopt;
    }
    stock_form stock;
    for (std::size_t k = 0; k < n; ++k) {
        stock.count = stock.count * 10 + (token[k] - '0');
    }
    const auto unit = token.substr(n);
    if (unit.find_first_of("0123456789.-+") != std::string_view::npos) {
        return std::nullopt;
    }
    stock.unit = std::string(unit);
    return stock;
}

parse_result parse_item(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
    item_args args;
    args.name = std::string(t[0]);
    auto price = t[1];
    // "15.8/盒" and "15.8元/盒" carry the unit with the price.
    if (const auto slash = price.find('/'); slash != std::string_view::npos && slash > 0) {
        if (slash + 1 < price.size()) {
            args.unit = std::string(price.substr(slash + 1));
        }
        price = price.substr(0, slash);
    }
    const auto fen = parse_price_fen(price);
    if (!fen) {
        return usage(in, "bad_price", t[1]);
    }
    args.price_fen = *fen;
    for (std::size_t i = 2; i < t.size(); ++i) {
        const auto token = t[i];
        if (is_limit_marker(token)) {
            if (i + 1 >= t.size()) {
                return usage(in, "missing_argument", "");
            }
            const auto limit = parse_quantity(t[i + 1]);
            if (!limit) {
                return usage(in, "bad_number", t[i + 1]);
            }
            args.limit_per_person = limit->count;
            ++i;
            continue;
        }
        if (token.starts_with("限购") || token.starts_with("每人限购")) {
            auto rest = token.substr(token.find("限购") + std::string_view("限购").size());
            const auto limit = parse_quantity(rest);
            if (!limit) {
                return usage(in, "bad_number", token);
            }
            args.limit_per_person = limit->count;
            continue;
        }
        const bool numeric =
            is_digit(token.front()) || token.front() == '-' || token.front() == '+';
        if (numeric && !args.stock) {
            const auto stock = parse_stock(token);
            if (!stock) {
                return usage(in, "bad_number", token);
            }
            args.stock = stock->count;
            if (!stock->unit.empty() && !args.unit) {
                args.unit = stock->unit;
            }
            continue;
        }
        if (!numeric && !args.unit && token.size() <= 24) {
            args.unit = std::string(token);
            continue;
        }
        return usage(in, "too_many_arguments", token);
    }
    return accept(in, args);
}

// A token that is meant as a quantity, well formed or not: "2", "x2", "0", "-1", "2份".
bool is_quantity_attempt(std::string_view token) {
    if (parse_quantity(token)) {
        return true;
    }
    for (const auto marker : {std::string_view("x"), std::string_view("X"), std::string_view("*"),
                              std::string_view("×")}) {
        if (token.starts_with(marker) && token.size() > marker.size()) {
            token.remove_prefix(marker.size());
            break;
        }
    }
    if (!token.empty() && (token.front() == '-' || token.front() == '+')) {
        token.remove_prefix(1);
    }
    std::size_t n = 0;
    while (n < token.size() && is_digit(token[n])) {
        ++n;
    }
    return n > 0 && (n == token.size() || is_quantity_unit(token.substr(n)));
}

// "鸡蛋2", "鸡蛋x2", "鸡蛋2盒": a quantity glued to the end of a name. Only one or two digits,
// and only after a Chinese character or an explicit x/×/*, so "大米5kg", "农夫山泉550" and
// "iPhone13" stay names.
struct glued_line {
    std::string_view name;
    std::string_view count_digits;
    std::optional<std::string> unit;
};

std::optional<glued_line> split_glued_quantity(std::string_view token) {
    glued_line line;
    auto body = token;
    for (std::size_t cut = body.size(); cut > 0; --cut) {
        if (is_quantity_unit(body.substr(cut))) {
            line.unit = std::string(body.substr(cut));
            body = body.substr(0, cut);
            break;
        }
    }
    std::size_t start = body.size();
    while (start > 0 && is_digit(body[start - 1])) {
        --start;
    }
    const auto digits = body.substr(start);
    if (digits.empty() || digits.size() > 2) {
        return std::nullopt;
    }
    auto name = body.substr(0, start);
    bool marked = false;
    for (const auto marker : {std::string_view("x"), std::string_view("X"), std::string_view("*"),
                              std::string_view("×")}) {
        if (name.ends_with(marker)) {
            name.remove_suffix(marker.size());
            marked = true;
            break;
        }
    }
    if (name.empty() || (!marked && static_cast<unsigned char>(name.back()) < 0x80)) {
        return std::nullopt;
    }
    line.name = name;
    line.count_digits = digits;
    return line;
}

// "鸡蛋 2，大米 1" and "鸡蛋2、大米1": residents separate items with commas as often as spaces.
std::vector<std::string_view> split_item_separators(std::span<const std::string_view> tokens) {
    std::vector<std::string_view> out;
    for (auto token : tokens) {
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
                out.push_back(token.substr(0, cut));
            }
            token.remove_prefix(std::min(token.size(), cut + skip));
        }
    }
    return out;
}

struct lines_error {
    std::string reason;
    std::string_view token;
};

// Order lines from tokens: `鸡蛋 2 大米5kg 1`, `鸡蛋 x2`, `1 2` (item number, quantity),
// `鸡蛋2`. Errors name the first bad quantity.
std::variant<std::vector<order_line>, lines_error> parse_order_lines(
    std::span<const std::string_view> typed) {
    const auto t = split_item_separators(typed);
    std::vector<order_line> lines;
    std::size_t i = 0;
    while (i < t.size()) {
        const auto token = t[i];
        if (token.starts_with('-') && token.size() > 1 && is_digit(token[1])) {
            return lines_error{"bad_quantity", token};
        }
        order_line line;
        if (i + 1 < t.size() && is_quantity_attempt(t[i + 1])) {
            const auto q = parse_quantity(t[i + 1]);
            if (!q) {
                return lines_error{"bad_quantity", t[i + 1]};
            }
            line.item = std::string(token);
            line.quantity = q->count;
            line.unit = q->unit;
            i += 2;
        } else if (const auto glued = split_glued_quantity(token)) {
            const auto q = parse_quantity(glued->count_digits);
            if (!q) {
                return lines_error{"bad_quantity", token};
            }
            line.item = std::string(glued->name);
            line.quantity = q->count;
            line.unit = glued->unit;
            ++i;
        } else {
            line.item = std::string(token);
            ++i;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

// One numbered line of a relay list: "12. 3-502 鸡蛋2 大米1"; nullopt for other lines.
std::optional<relay_entry> parse_relay_line(std::string_view raw) {
    const auto text = normalize_text(raw);
    std::string_view line = text;
    std::size_t n = 0;
    while (n < line.size() && is_digit(line[n])) {
        ++n;
    }
    if (n == 0 || n > 4 || n >= line.size()) {
        return std::nullopt;
    }
    auto rest = line.substr(n);
    bool marked = false;
    for (const auto marker : {std::string_view("."), std::string_view("、"), std::string_view(")"),
                              std::string_view("。")}) {
        if (rest.starts_with(marker)) {
            rest.remove_prefix(marker.size());
            marked = true;
            break;
        }
    }
    if (!marked) {
        return std::nullopt;
    }
    while (rest.starts_with(' ')) {
        rest.remove_prefix(1);
    }
    relay_entry entry;
    for (std::size_t k = 0; k < n; ++k) {
        entry.number = entry.number * 10 + (line[k] - '0');
    }
    entry.text = std::string(rest);
    const auto tokens = split_tokens(rest);
    std::span<const std::string_view> items(tokens);
    // Names (a nickname) may come before the address; items come after it.
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (auto combined = parse_address(tokens[k])) {
            entry.building = std::move(combined->building);
            entry.room = std::move(combined->room);
            items = std::span(tokens).subspan(k + 1);
            break;
        }
        const bool marked_building = !tokens[k].empty() && !is_digit(tokens[k].back());
        if (k + 1 < tokens.size() && marked_building) {
            if (auto pair = parse_address(tokens[k], tokens[k + 1])) {
                entry.building = std::move(pair->building);
                entry.room = std::move(pair->room);
                items = std::span(tokens).subspan(k + 2);
                break;
            }
        }
    }
    auto lines = parse_order_lines(items);
    if (auto* ok = std::get_if<std::vector<order_line>>(&lines)) {
        entry.lines = std::move(*ok);
    }
    return entry;
}

parse_result parse_order(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (in.keyword == "接龙") {
        // A pasted relay list keeps one entry per line, so read the original line by line.
        const auto at = static_cast<std::size_t>(t.front().data() - in.norm.text.data());
        auto rest = in.original.substr(in.norm.begin[at]);
        order_args args;
        while (!rest.empty()) {
            const auto newline = rest.find('\n');
            if (auto entry = parse_relay_line(rest.substr(0, newline))) {
                args.relay.push_back(std::move(*entry));
            }
            rest =
                newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        }
        if (!args.relay.empty()) {
            return accept(in, args);
        }
    }
    auto lines = parse_order_lines(t);
    if (const auto* error = std::get_if<lines_error>(&lines)) {
        return usage(in, error->reason, error->token);
    }
    if (std::get<std::vector<order_line>>(lines).empty()) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, order_args{std::move(std::get<std::vector<order_line>>(lines)), {}});
}

parse_result parse_optional_order_number(const parse_input& in) {
    const auto& t = in.tokens;
    order_number_args args;
    if (t.empty()) {
        return accept(in, args);
    }
    args.order = parse_number(t[0]);
    if (!args.order) {
        return usage(in, "bad_number", t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, args);
}

parse_result parse_optional_building(const parse_input& in) {
    const auto& t = in.tokens;
    building_opt_args args;
    if (t.empty()) {
        return accept(in, args);
    }
    args.building = parse_building(t[0]);
    if (!args.building) {
        return usage(in, "bad_building", t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, args);
}

parse_result parse_required_building(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    auto building = parse_building(t[0]);
    if (!building) {
        return usage(in, "bad_building", t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, building_args{std::move(*building)});
}

parse_result parse_delivered(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    delivered_args args;
    const auto token = t[0];
    // Bare digits are an order number; "3号楼", "3栋", "B3" a building.
    const bool plain_number =
        std::all_of(token.begin(), token.end(), is_digit) || token.starts_with('#');
    if (plain_number) {
        args.order = parse_number(token);
    } else {
        args.building = parse_building(token);
        if (!args.building) {
            args.order = parse_number(token);
        }
    }
    if (!args.order && !args.building) {
        return usage(in, "bad_target", token);
    }
    return accept(in, args);
}

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
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    const auto number = parse_number(t[0]);
    if (!number) {
        return usage(in, "bad_number", t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, task_number_args{*number});
}

// Buildings starting at t[i]; "3, 5, 7" typed with spaces after the commas is one list.
// Advances i past the tokens read.
std::optional<buildings_args> take_building_list(std::span<const std::string_view> t,
                                                 std::size_t& i, std::string& typed) {
    typed = std::string(t[i]);
    while (i + 1 < t.size() && (typed.ends_with(",") || typed.ends_with("、"))) {
        typed += t[++i];
    }
    ++i;
    return parse_building_list(typed);
}

// Where the buildings start in "核酸 …" and "通知 …": a time may come first ("通知 明天 07:00 all
// …"). "1-5" and "4-28" read both as buildings and as a day, so a leading day counts only when
// a time and then buildings follow it. Sets `when`, or returns the usage error to give.
std::optional<parse_result> leading_when(const parse_input& in, std::optional<when_spec>& when,
                                         std::size_t& targets_at) {
    const std::span<const std::string_view> t(in.tokens);
    targets_at = 0;
    if (!looks_like_when(t[0])) {
        return std::nullopt;
    }
    std::size_t used = 0;
    auto parsed = parse_when(t, used);
    const bool digits_and_dash = t[0].find_first_not_of("0123456789-") == std::string_view::npos;
    if (digits_and_dash || parse_building_list(t[0])) {
        if (parsed && used < t.size() && parse_building_list(t[used])) {
            when = parsed;
            targets_at = used;
        }
        return std::nullopt;
    }
    if (!parsed) {
        return used < t.size() ? usage(in, "bad_time", t[used]) : usage(in, "missing_argument", "");
    }
    if (used >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    when = parsed;
    targets_at = used;
    return std::nullopt;
}

parse_result parse_test(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    test_args args;
    const auto word = ascii_lower(t[0]);
    if (word == "cancel" || t[0] == "取消") {
        if (t.size() > 1) {
            return usage(in, "too_many_arguments", t[1]);
        }
        args.what = test_args::action::cancel;
        return accept(in, args);
    }
    if (word == "postpone" || t[0] == "推迟" || t[0] == "延后") {
        if (t.size() < 2) {
            return usage(in, "missing_argument", "");
        }
        // "推迟 30", "推迟 30分钟", "推迟 30min"
        auto minutes_text = std::string(t[1]);
        for (const std::string_view suffix : {"分钟", "分", "min", "m"}) {
            if (minutes_text.size() > suffix.size() && minutes_text.ends_with(suffix)) {
                minutes_text.resize(minutes_text.size() - suffix.size());
                break;
            }
        }
        const auto minutes = parse_number(minutes_text);
        if (!minutes || *minutes > 24 * 60) {
            return usage(in, "bad_number", t[1]);
        }
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        args.what = test_args::action::postpone;
        args.postpone_minutes = *minutes;
        return accept(in, args);
    }
    std::optional<when_spec> when;
    std::size_t i = 0;
    if (auto error = leading_when(in, when, i)) {
        return std::move(*error);
    }
    const auto first = i;
    std::string typed;
    auto targets = take_building_list(t, i, typed);
    if (!targets) {
        return usage(in, "bad_target", t[first]);
    }
    args.targets = std::move(*targets);
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
    args.place = join(t.subspan(i));
    return accept(in, args);
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

parse_result parse_antigen(const parse_input& in) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    const auto value = parse_antigen_result(t[0]);
    if (!value) {
        return usage(in, "bad_result", t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, antigen_args{*value});
}

parse_result parse_notice(const parse_input& in) {
    const std::span<const std::string_view> t(in.tokens);
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    notice_args args;
    if (ascii_lower(t[0]) == "status" || t[0] == "状态" || t[0] == "情况") {
        args.status = true;
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        if (t.size() == 2) {
            args.number = parse_number(t[1]);
            if (!args.number) {
                return usage(in, "bad_number", t[1]);
            }
        }
        return accept(in, args);
    }
    std::size_t i = 0;
    // "通知 明天 07:00 all …" schedules; a time after the buildings is part of the text.
    if (auto error = leading_when(in, args.at, i)) {
        return std::move(*error);
    }
    const auto first = i;
    std::string typed;
    auto targets = take_building_list(t, i, typed);
    if (!targets) {
        return usage(in, "bad_target", t[first]);
    }
    args.targets = std::move(*targets);
    if (i >= t.size()) {
        return usage(in, "missing_argument", "");
    }
    args.text = verbatim_from(in, t[i]);
    return accept(in, args);
}

parse_result parse_template(const parse_input& in) {
    const auto& t = in.tokens;
    template_args args;
    if (t.empty()) {
        return accept(in, args);
    }
    args.key = std::string(t[0]);
    if (t.size() == 1) {
        args.what = template_args::action::show;
        return accept(in, args);
    }
    const auto action = ascii_lower(t[1]);
    if (action == "set" || t[1] == "设置" || t[1] == "修改") {
        if (t.size() < 3) {
            return usage(in, "missing_argument", "");
        }
        args.what = template_args::action::set;
        args.text = verbatim_from(in, t[2]);
        return accept(in, args);
    }
    if (action == "reset" || t[1] == "恢复" || t[1] == "重置") {
        if (t.size() > 2) {
            return usage(in, "too_many_arguments", t[2]);
        }
        args.what = template_args::action::reset;
        return accept(in, args);
    }
    return usage(in, "too_many_arguments", t[1]);
}

parse_result parse_arguments(const parse_input& in) {
    switch (in.name) {
        case command_name::help:
            return parse_help(in);
        case command_name::register_member:
            return parse_register(in);
        case command_name::bind:
            return parse_bind(in);
        case command_name::grant:
        case command_name::revoke:
            return parse_role_change(in);
        case command_name::shop:
            return parse_shop(in);
        case command_name::item:
            return parse_item(in);
        case command_name::order:
            return parse_order(in);
        case command_name::cancel:
            return parse_optional_order_number(in);
        case command_name::summary:
        case command_name::pending:
            return parse_optional_building(in);
        case command_name::delivery:
            return parse_required_building(in);
        case command_name::delivered:
            return parse_delivered(in);
        case command_name::task:
            return parse_task(in);
        case command_name::claim:
        case command_name::unclaim:
        case command_name::roster:
        case command_name::done:
        case command_name::cancel_task:
            return parse_task_number(in);
        case command_name::test:
            return parse_test(in);
        case command_name::call:
            return parse_call(in);
        case command_name::antigen:
            return parse_antigen(in);
        case command_name::notice:
            return parse_notice(in);
        case command_name::template_text:
            return parse_template(in);
        case command_name::me:
        case command_name::menu:
        case command_name::myorders:
        case command_name::close:
        case command_name::tasks:
        case command_name::hours:
        case command_name::stats:
            return no_arguments(in);
    }
    return no_arguments(in);
}

// Telegram allows command names of up to 32 letters, digits and underscores.
constexpr std::size_t max_command_word = 32;

bool is_word_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

parse_result parse_normalized(std::string_view original, const normalized_text& norm) {
    const std::string_view s = norm.text;
    std::size_t pos = 0;
    while (pos < s.size() && s[pos] == '@') {
        const auto space = s.find(' ', pos);
        if (space == std::string_view::npos) {
            return not_a_command{};
        }
        pos = space + 1;
    }
    if (pos >= s.size()) {
        return not_a_command{};
    }
    const bool slash = s[pos] == '/';
    if (slash || s[pos] == '#') {
        ++pos;
    }
    std::optional<command_name> name;
    std::string keyword;
    std::string addressed_to;
    std::size_t after = pos;
    if (const auto chinese = match_chinese(s.substr(pos))) {
        after = pos + chinese->length;
        if (!keyword_ends(s.substr(after), chinese->name)) {
            return not_a_command{};
        }
        name = chinese->name;
        keyword = std::string(s.substr(pos, chinese->length));
    } else if (slash) {
        while (after < s.size() && is_word_char(s[after])) {
            ++after;
        }
        const auto word = s.substr(pos, after - pos);
        if (word.empty() || word.size() > max_command_word || is_digit(word.front()) ||
            word.front() == '_') {
            return not_a_command{};
        }
        if (after < s.size() && s[after] == '@') {
            const auto space = std::min(s.find(' ', after), s.size());
            addressed_to = std::string(s.substr(after + 1, space - after - 1));
            after = space;
        }
        // "/usr/bin" or "/:)" is not a command word.
        if (after < s.size() && s[after] != ' ') {
            return not_a_command{};
        }
        name = match_english(word);
        if (!name) {
            return unknown_command{std::string(word), addressed_to};
        }
        keyword = "/" + std::string(word);
    } else {
        return not_a_command{};
    }
    // "通知: all …" and "登记:3-502" put a colon after the keyword.
    while (after < s.size() && (s[after] == ' ' || s[after] == ':' || s[after] == ',')) {
        ++after;
    }
    parse_input in{original,
                   norm,
                   *name,
                   std::move(keyword),
                   std::move(addressed_to),
                   split_tokens(s.substr(after))};
    return parse_arguments(in);
}

// The entry points below promise never to throw, and nothing in them should throw but an
// allocation. Under a fuzzer anything else (std::out_of_range from a substr, say) is a bug to be
// reported, not swallowed, so there the exception goes on; in the product the parser stays
// silent instead.
void rethrow_when_fuzzing() {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    throw;
#endif
}

}  // namespace

std::string normalize_text(std::string_view text) {
    try {
        return normalize(text).text;
    } catch (...) {
        rethrow_when_fuzzing();
        // Only allocation can fail here; the original text is the safest fallback.
        return std::string(text);
    }
}

parse_result parse_command(std::string_view text) {
    try {
        const auto norm = normalize(text);
        return parse_normalized(text, norm);
    } catch (...) {
        rethrow_when_fuzzing();
        // Nothing above throws except on allocation failure; staying silent is the safe reply.
        return not_a_command{};
    }
}

std::optional<command_name> find_command(std::string_view topic) {
    try {
        const auto norm = normalize_text(topic);
        std::string_view word = norm;
        if (word.starts_with('/') || word.starts_with('#')) {
            word.remove_prefix(1);
        }
        word = word.substr(0, word.find('@'));
        if (const auto english = match_english(word)) {
            return english;
        }
        if (const auto chinese = match_chinese(word); chinese && chinese->length == word.size()) {
            return chinese->name;
        }
    } catch (...) {
        rethrow_when_fuzzing();
        // As parse_command: only allocation can fail.
    }
    return std::nullopt;
}

std::string_view english_name(command_name name) {
    for (const auto& entry : command_table) {
        if (entry.name == name) {
            return entry.english;
        }
    }
    return "help";
}

std::string_view chinese_keyword(command_name name) {
    for (const auto& entry : command_table) {
        if (entry.name == name) {
            return entry.chinese;
        }
    }
    return "帮助";
}

}  // namespace loudong::handlers
