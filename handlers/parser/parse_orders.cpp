// The syntax of the group buy: 开团, 上架, 下单/接龙, 取消, 送达 (handled in handlers/orders.cpp).
#include "handlers/parser/parse_input.hpp"

#include <algorithm>
#include <span>
#include <variant>
#include <vector>

#include "handlers/parser/command_parser.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

bool is_cutoff_marker(std::string_view token) {
    return token == "截单" || token == "截止" || token == "截单时间" || token == "截止时间" ||
           ascii_lower(token) == "until";
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
    for (const auto token : tokens) {
        const auto parts = list_parts(token);
        out.insert(out.end(), parts.begin(), parts.end());
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

// A campaign as typed: "2团", "第2团".
std::optional<std::int64_t> parse_campaign_ref(std::string_view token) {
    if (token.starts_with("第")) {
        token.remove_prefix(std::string_view("第").size());
    }
    if (!token.ends_with("团")) {
        return std::nullopt;
    }
    token.remove_suffix(std::string_view("团").size());
    if (token.empty() || token.size() > 6 || !std::all_of(token.begin(), token.end(), is_digit)) {
        return std::nullopt;
    }
    return parse_number(token);
}

// The input without its first campaign token ("2团"), which goes to `campaign`.
parse_input without_campaign(const parse_input& in, std::optional<std::int64_t>& campaign) {
    parse_input rest = in;
    for (auto it = rest.tokens.begin(); it != rest.tokens.end(); ++it) {
        if (auto number = parse_campaign_ref(*it)) {
            campaign = number;
            rest.tokens.erase(it);
            break;
        }
    }
    return rest;
}

}  // namespace

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

parse_result parse_item(const parse_input& typed) {
    item_args args;
    const auto in = without_campaign(typed, args.campaign);
    const auto& t = in.tokens;
    if (t.size() < 2) {
        return usage(in, "missing_argument", "");
    }
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
        if (token == "不限量" || token == "不限库存" || token == "无限") {
            args.unlimited_stock = true;
            continue;
        }
        if (token == "不限购") {
            args.no_limit = true;
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
    // "200 不限量" or "限购 2 不限购" contradict themselves.
    if ((args.unlimited_stock && args.stock) || (args.no_limit && args.limit_per_person)) {
        return usage(in, "too_many_arguments", args.no_limit ? "不限购" : "不限量");
    }
    return accept(in, args);
}

parse_result parse_order(const parse_input& typed) {
    std::optional<std::int64_t> campaign;
    const auto in = without_campaign(typed, campaign);
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (in.keyword == "接龙") {
        // A pasted relay list keeps one entry per line, so read the original line by line.
        const auto at = static_cast<std::size_t>(t.front().data() - in.norm.text.data());
        auto rest = in.original.substr(in.norm.begin[at]);
        order_args args;
        args.campaign = campaign;
        for (std::size_t read = 0; !rest.empty(); ++read) {
            if (read == max_relay_lines) {
                args.relay_cut = true;
                break;
            }
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
    return accept(in,
                  order_args{std::move(std::get<std::vector<order_line>>(lines)), {}, campaign});
}

parse_result parse_orderfor(const parse_input& typed) {
    orderfor_args args;
    const auto in = without_campaign(typed, args.campaign);
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    std::size_t next = 0;
    if (auto combined = parse_address(t[0])) {
        args.building = std::move(combined->building);
        args.room = std::move(combined->room);
        next = 1;
    } else if (t.size() > 1) {
        if (auto pair = parse_address(t[0], t[1])) {
            args.building = std::move(pair->building);
            args.room = std::move(pair->room);
            next = 2;
        }
    }
    if (next == 0) {
        return usage(in, "bad_address", t[0]);
    }
    auto lines = parse_order_lines(std::span(t).subspan(next));
    if (const auto* error = std::get_if<lines_error>(&lines)) {
        return usage(in, error->reason, error->token);
    }
    args.lines = std::move(std::get<std::vector<order_line>>(lines));
    if (args.lines.empty()) {
        return usage(in, "missing_argument", "");
    }
    return accept(in, std::move(args));
}

parse_result parse_menu(const parse_input& in) {
    // "菜单 2" and "菜单 2团" show one campaign; any other words after 菜单 are chat.
    if (in.tokens.size() == 1) {
        auto number = parse_campaign_ref(in.tokens[0]);
        if (!number && std::all_of(in.tokens[0].begin(), in.tokens[0].end(), is_digit)) {
            number = parse_number(in.tokens[0]);
        }
        if (number) {
            return accept(in, campaign_args{std::nullopt, number});
        }
    }
    if (const auto none = no_arguments(in); !std::holds_alternative<command>(none)) {
        return none;
    }
    return accept(in, campaign_args{});
}

parse_result parse_close(const parse_input& in) {
    campaign_args args;
    const auto rest = without_campaign(in, args.campaign);
    if (!args.campaign && rest.tokens.size() == 1 &&
        std::all_of(rest.tokens[0].begin(), rest.tokens[0].end(), is_digit)) {
        if (const auto number = parse_number(rest.tokens[0])) {
            return accept(in, campaign_args{std::nullopt, number});
        }
        return in.keyword.starts_with('/') ? usage(in, "bad_number", rest.tokens[0])
                                           : parse_result{not_a_command{}};
    }
    if (!rest.tokens.empty()) {
        // "截单了吗" is chat; only a slash command is surely meant for the bot.
        if (!in.keyword.starts_with('/')) {
            return not_a_command{};
        }
        return usage(rest, "too_many_arguments", rest.tokens.front());
    }
    return accept(in, args);
}

parse_result parse_campaign_building(const parse_input& typed, bool building_required) {
    campaign_args args;
    const auto in = without_campaign(typed, args.campaign);
    const auto& t = in.tokens;
    if (t.empty()) {
        return building_required ? usage(in, "missing_argument", "") : accept(in, args);
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

parse_result parse_summary(const parse_input& in) {
    return parse_campaign_building(in, false);
}

parse_result parse_delivery(const parse_input& in) {
    return parse_campaign_building(in, true);
}

parse_result parse_cancel(const parse_input& in) {
    return one_argument(in, false, "bad_number", parse_number,
                        [](std::optional<std::int64_t> n) { return order_number_args{n}; });
}

parse_result parse_delivered(const parse_input& typed) {
    delivered_args args;
    const auto in = without_campaign(typed, args.campaign);
    const auto& t = in.tokens;
    if (t.empty()) {
        return usage(in, "missing_argument", "");
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
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

}  // namespace loudong::handlers
