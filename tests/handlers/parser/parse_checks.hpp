#pragma once

// What the parser's tests share: read a message and expect a command, a usage error or chat.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "handlers/parser/command_parser.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers::testing {

inline std::string describe(const parse_result& result) {
    if (std::holds_alternative<not_a_command>(result)) {
        return "ordinary chat";
    }
    if (const auto* unknown = std::get_if<unknown_command>(&result)) {
        return "unknown command /" + unknown->word;
    }
    if (const auto* error = std::get_if<usage_error>(&result)) {
        return "usage error " + std::string(english_name(error->name)) + ": " + error->reason +
               " [" + error->token + "]";
    }
    return "command " + std::string(english_name(std::get<command>(result).name));
}

// The recognised command, or a failure saying what the parser made of the text instead.
inline command command_of(std::string_view text, command_name expected) {
    const auto result = parse_command(text);
    const auto* cmd = std::get_if<command>(&result);
    if (cmd == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" gave " << describe(result) << ", expected command "
                      << english_name(expected);
        return command{};
    }
    EXPECT_EQ(english_name(cmd->name), english_name(expected)) << "\"" << text << "\"";
    return *cmd;
}

template <class Args>
Args args_of(std::string_view text, command_name expected) {
    const auto cmd = command_of(text, expected);
    const auto* args = std::get_if<Args>(&cmd.args);
    if (args == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" carried other arguments";
        return Args{};
    }
    return *args;
}

inline usage_error error_of(std::string_view text) {
    const auto result = parse_command(text);
    const auto* error = std::get_if<usage_error>(&result);
    if (error == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" gave " << describe(result)
                      << ", expected a usage error";
        return usage_error{};
    }
    return *error;
}

inline void expect_usage(std::string_view text, std::string_view reason, std::string_view token) {
    const auto error = error_of(text);
    EXPECT_EQ(error.reason, reason) << "\"" << text << "\"";
    EXPECT_EQ(error.token, token) << "\"" << text << "\"";
}

inline bool is_chat(std::string_view text) {
    return std::holds_alternative<not_a_command>(parse_command(text));
}

inline std::vector<std::string> labels(const buildings_args& list) {
    std::vector<std::string> out;
    for (const auto& b : list.buildings) {
        out.push_back(b.label);
    }
    return out;
}

constexpr int minutes(int h, int m) {
    return h * 60 + m;
}

constexpr day_ref on(int month, int day) {
    return day_ref{day_ref::kind::month_day, month, day};
}

}  // namespace loudong::handlers::testing
