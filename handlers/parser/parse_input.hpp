#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "handlers/parser/command.hpp"

// Inside the parser library: what a command's parse function receives, the helpers the
// domains' parse functions share, and those functions (one file per domain, beside the
// handler of the same name). The table that ties a command word to its parse function is in
// command_parser.cpp.

namespace loudong::handlers {

/// Normalised text, with where each of its bytes came from in the original, so that parts
/// typed deliberately (a notice, a template) can be taken verbatim.
struct normalized_text {
    std::string text;
    std::vector<std::size_t> begin;  ///< per byte of text: offset of its character
    std::vector<std::size_t> end;    ///< per byte of text: offset just past its character
};

/// One recognised command word and the tokens after it, for its parse function.
struct parse_input {
    std::string_view original;  ///< the message as received
    const normalized_text& norm;
    command_name name;
    std::string keyword;  ///< as typed: "登记", "/register"
    std::vector<std::string_view> tokens;
};

/// Reads the arguments of one command; never throws but on allocation.
using parse_fn = parse_result (*)(const parse_input&);

/// The command's arguments did not parse: `reason` is a `parse.*` template key's suffix.
parse_result usage(const parse_input& in, std::string reason, std::string_view token);

/// The command with its parsed arguments.
parse_result accept(const parse_input& in, command_args args);

/// The original text from `token` (one of in.tokens) to the end of the message, as typed.
std::string verbatim_from(const parse_input& in, std::string_view token);

/// Splits normalised text at its single spaces.
std::vector<std::string_view> split_tokens(std::string_view s);

/// Tokens joined by single spaces.
std::string join(std::span<const std::string_view> tokens);

/// An ASCII decimal digit.
bool is_digit(char c);

/// The shape of every command of at most one argument (`取消 [N]`, `配送单 <楼>`, `揭榜 <N>`,
/// `抗原 <结果>`): absent (missing_argument when `required`), unreadable by `read` (`bad`), or
/// followed by another token (too_many_arguments). `make` builds the arguments from what
/// `read` returned, or from nullopt when an optional argument is absent.
template <typename Read, typename Make>
parse_result one_argument(const parse_input& in, bool required, std::string bad, Read read,
                          Make make) {
    const auto& t = in.tokens;
    if (t.empty()) {
        return required ? usage(in, "missing_argument", "")
                        : accept(in, make(decltype(read(std::string_view{})){}));
    }
    auto value = read(t[0]);
    if (!value) {
        return usage(in, std::move(bad), t[0]);
    }
    if (t.size() > 1) {
        return usage(in, "too_many_arguments", t[1]);
    }
    return accept(in, make(std::move(value)));
}

/// Commands that take no arguments (`菜单`, `我的`); words after a Chinese keyword make it chat.
parse_result no_arguments(const parse_input& in);

/// `汇总 [楼]`, `未报 [楼]`.
parse_result parse_optional_building(const parse_input& in);

/// The start shared by "核酸 …" and "通知 …": an optional time (`通知 明天 07:00 all …`), then
/// the buildings (`all`, `3,5,7`, `1-5`). Sets `when` and `targets`, and `next` to the token
/// after them, or returns the usage error to give.
std::optional<parse_result> read_targets(const parse_input& in, std::optional<when_spec>& when,
                                         buildings_args& targets, std::size_t& next);

// One file per domain, named after the handler's file.
parse_result parse_help(const parse_input& in);           // parse_help.cpp
parse_result parse_register(const parse_input& in);       // parse_registration.cpp
parse_result parse_bind(const parse_input& in);           // parse_registration.cpp
parse_result parse_role_change(const parse_input& in);    // parse_registration.cpp
parse_result parse_member(const parse_input& in);         // parse_registration.cpp
parse_result parse_named_member(const parse_input& in);   // parse_registration.cpp
parse_result parse_shop(const parse_input& in);           // parse_orders.cpp
parse_result parse_item(const parse_input& in);           // parse_orders.cpp
parse_result parse_order(const parse_input& in);          // parse_orders.cpp
parse_result parse_cancel(const parse_input& in);         // parse_orders.cpp
parse_result parse_delivered(const parse_input& in);      // parse_orders.cpp
parse_result parse_orderfor(const parse_input& in);       // parse_orders.cpp
parse_result parse_menu(const parse_input& in);           // parse_orders.cpp
parse_result parse_close(const parse_input& in);          // parse_orders.cpp
parse_result parse_summary(const parse_input& in);        // parse_orders.cpp
parse_result parse_delivery(const parse_input& in);       // parse_orders.cpp
parse_result parse_task(const parse_input& in);           // parse_tasks.cpp
parse_result parse_task_number(const parse_input& in);    // parse_tasks.cpp
parse_result parse_claim(const parse_input& in);          // parse_tasks.cpp
parse_result parse_rota(const parse_input& in);           // parse_tasks.cpp
parse_result parse_page(const parse_input& in);           // parse_tasks.cpp
parse_result parse_swap(const parse_input& in);           // parse_tasks.cpp
parse_result parse_confirm_hours(const parse_input& in);  // parse_tasks.cpp
/// `地点`, `地址`, `place`, `at`: the rest of the line is a place.
bool is_place_marker(std::string_view token);  // parse_tasks.cpp

parse_result parse_test(const parse_input& in);      // parse_test_rounds.cpp
parse_result parse_retest(const parse_input& in);    // parse_test_rounds.cpp
parse_result parse_call(const parse_input& in);      // parse_test_rounds.cpp
parse_result parse_antigen(const parse_input& in);   // parse_antigen.cpp
parse_result parse_notice(const parse_input& in);    // parse_notices.cpp
parse_result parse_template(const parse_input& in);  // parse_template_commands.cpp
parse_result parse_registry(const parse_input& in);  // parse_registry.cpp
parse_result parse_note(const parse_input& in);      // parse_registry.cpp

}  // namespace loudong::handlers
