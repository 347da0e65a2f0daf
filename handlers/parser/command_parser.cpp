#include "handlers/parser/command_parser.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "handlers/parser/parse_input.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

// SPEC §3: every command, in the order of its enumerator (checked below). A command is one
// row here and one in the handler table (handlers/command_table.cpp), in /help order there.
constexpr std::array<command_syntax, 48> command_table{{
    {command_name::help, "help", "帮助", parse_help},
    {command_name::register_member, "register", "登记", parse_register},
    {command_name::me, "me", "我的", no_arguments},
    {command_name::bind, "bind", "绑定", parse_bind},
    {command_name::grant, "grant", "授权", parse_role_change},
    {command_name::revoke, "revoke", "撤销", parse_role_change},
    {command_name::shop, "shop", "开团", parse_shop},
    {command_name::item, "item", "上架", parse_item},
    {command_name::menu, "menu", "菜单", parse_menu},
    {command_name::order, "order", "下单", parse_order},
    {command_name::myorders, "myorders", "我的订单", no_arguments},
    {command_name::cancel, "cancel", "取消", parse_cancel},
    {command_name::close, "close", "截单", parse_close},
    {command_name::summary, "summary", "汇总", parse_summary},
    {command_name::delivery, "delivery", "配送单", parse_delivery},
    {command_name::delivered, "delivered", "送达", parse_delivered},
    {command_name::task, "task", "发布任务", parse_task},
    {command_name::tasks, "tasks", "任务", parse_page},
    {command_name::claim, "claim", "揭榜", parse_claim},
    {command_name::unclaim, "unclaim", "退出", parse_task_number},
    {command_name::roster, "roster", "名单", parse_task_number},
    {command_name::done, "done", "完成", parse_task_number},
    {command_name::hours, "hours", "时长", no_arguments},
    {command_name::test, "test", "核酸", parse_test},
    {command_name::call, "call", "叫号", parse_call},
    {command_name::antigen, "antigen", "抗原", parse_antigen},
    {command_name::pending, "pending", "未报", parse_optional_building},
    {command_name::stats, "stats", "统计", no_arguments},
    {command_name::notice, "notice", "通知", parse_notice},
    {command_name::template_text, "template", "模板", parse_template},
    // After the table of SPEC §3: the committee cancels a task. "取消任务" wins over "取消" as
    // the longer keyword.
    {command_name::cancel_task, "canceltask", "取消任务", parse_task_number},
    // Release 2: the household registry (SPEC §7).
    {command_name::registry, "building", "楼栋", parse_registry},
    {command_name::note, "note", "备注", parse_note},
    // Release 2: trust (SPEC §8).
    {command_name::unbind, "unbind", "解绑", no_arguments},
    {command_name::approve, "approve", "确认", parse_member},
    {command_name::reject, "reject", "拒绝", parse_member},
    {command_name::remove, "remove", "移出", parse_named_member},
    {command_name::unregister, "unregister", "注销", no_arguments},
    {command_name::orderfor, "orderfor", "代下单", parse_orderfor},
    // Release 2: rotas (issue 19).
    {command_name::rota, "rota", "排班", parse_rota},
    {command_name::myshifts, "myshifts", "我的班次", no_arguments},
    {command_name::swap, "swap", "换班", parse_swap},
    {command_name::takeover, "takeshift", "接班", parse_task_number},
    {command_name::checkin, "checkin", "签到", parse_task_number},
    {command_name::confirm_hours, "confirmhours", "确认时长", parse_confirm_hours},
    {command_name::retest, "retest", "补采", parse_retest},
    // Release 2: the committee console (SPEC §12).
    {command_name::console, "console", "控制台", no_arguments},
    {command_name::console_logout, "consolelogout", "退出控制台", no_arguments},
}};

// Row i is the command whose enumerator is i, so a row is found by its name without a search.
constexpr bool rows_in_enum_order() {
    for (std::size_t i = 0; i < command_table.size(); ++i) {
        if (static_cast<std::size_t>(command_table[i].name) != i) {
            return false;
        }
    }
    return true;
}
static_assert(rows_in_enum_order(), "command_table: one row per command, in enumerator order");

const command_syntax& syntax_of(command_name name) {
    return command_table[static_cast<std::size_t>(name)];
}

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
        // Telegram's "/menu@loudong_bot": its adapter drops commands addressed to other bots.
        if (after < s.size() && s[after] == '@') {
            after = std::min(s.find(' ', after), s.size());
        }
        // "/usr/bin" or "/:)" is not a command word.
        if (after < s.size() && s[after] != ' ') {
            return not_a_command{};
        }
        name = match_english(word);
        if (!name) {
            return unknown_command{std::string(word)};
        }
        keyword = "/" + std::string(word);
    } else {
        return not_a_command{};
    }
    // "通知: all …" and "登记:3-502" put a colon after the keyword.
    while (after < s.size() && (s[after] == ' ' || s[after] == ':' || s[after] == ',')) {
        ++after;
    }
    parse_input in{original, norm, *name, std::move(keyword), split_tokens(s.substr(after))};
    return syntax_of(in.name).parse(in);
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

// ---- shared by the domains' parse functions ----

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

parse_result usage(const parse_input& in, std::string reason, std::string_view token) {
    return usage_error{in.name, in.keyword, std::move(reason), std::string(token)};
}

parse_result accept(const parse_input& in, command_args args) {
    return command{in.name, in.keyword, std::move(args)};
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

parse_result parse_optional_building(const parse_input& in) {
    return one_argument(
        in, false, "bad_building", parse_building,
        [](std::optional<building_ref> b) { return building_opt_args{std::move(b)}; });
}

namespace {

// Buildings starting at t[i]; "3, 5, 7" typed with spaces after the commas is one list.
// Advances i past the tokens read.
std::optional<buildings_args> take_building_list(std::span<const std::string_view> t,
                                                 std::size_t& i) {
    std::string typed(t[i]);
    while (i + 1 < t.size() && (typed.ends_with(",") || typed.ends_with("、"))) {
        typed += t[++i];
    }
    ++i;
    return parse_building_list(typed);
}

// "通知 明天 07:00 all …": a time may come first. "1-5" and "4-28" read both as buildings and
// as a day, so a leading day counts only when a time and then buildings follow it.
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

}  // namespace

std::optional<parse_result> read_targets(const parse_input& in, std::optional<when_spec>& when,
                                         buildings_args& targets, std::size_t& next) {
    if (auto error = leading_when(in, when, next)) {
        return error;
    }
    const auto first = next;
    if (first < in.tokens.size() &&
        (in.tokens[first] == "志愿者" || in.tokens[first] == "志愿者群" ||
         ascii_lower(in.tokens[first]) == "volunteers")) {
        targets = buildings_args{};
        targets.volunteers = true;
        ++next;
        return std::nullopt;
    }
    auto read = take_building_list(in.tokens, next);
    if (!read) {
        return usage(in, "bad_target", in.tokens[first]);
    }
    targets = std::move(*read);
    return std::nullopt;
}

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

namespace {

// Commands whose text may go on over the lines after the command word.
bool takes_following_lines(command_name name) {
    switch (name) {
        case command_name::notice:
        case command_name::template_text:
        case command_name::registry:
        case command_name::order:
        case command_name::orderfor:
        case command_name::note:
            return true;
        default:
            return false;
    }
}

command_name name_of(const parse_result& parsed) {
    if (const auto* cmd = std::get_if<command>(&parsed)) {
        return cmd->name;
    }
    if (const auto* error = std::get_if<usage_error>(&parsed)) {
        return error->name;
    }
    return command_name::help;
}

}  // namespace

std::optional<std::vector<std::string>> command_lines(std::string_view text) {
    if (text.find('\n') == std::string_view::npos) {
        return std::nullopt;
    }
    std::vector<std::string> lines;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        auto line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (normalize_text(line).empty()) {
            continue;
        }
        const auto parsed = parse_command(line);
        if (std::holds_alternative<not_a_command>(parsed) ||
            (lines.empty() && takes_following_lines(name_of(parsed)))) {
            return std::nullopt;
        }
        lines.emplace_back(line);
    }
    if (lines.size() < 2) {
        return std::nullopt;
    }
    return lines;
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
    return syntax_of(name).english;
}

std::string_view chinese_keyword(command_name name) {
    return syntax_of(name).chinese;
}

std::span<const command_syntax> command_syntaxes() {
    return command_table;
}

}  // namespace loudong::handlers
