#pragma once

// Small JSON helpers shared by the platforms, the request handler and `loudong say`.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/platforms/platform.hpp"

namespace loudong::bot {

/// Serialises JSON for the wire; invalid UTF-8 in a value is replaced, never thrown on.
inline std::string dump_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A JSON number when the id is an int64 (as OneBot and Telegram want it), else the string.
inline nlohmann::json id_json(const std::string& id) {
    std::int64_t number = 0;
    const auto* end = id.data() + id.size();
    const auto [stop, ec] = std::from_chars(id.data(), end, number);
    if (!id.empty() && ec == std::errc() && stop == end) {
        return number;
    }
    return id;
}

/// Parses a webhook body that must be a JSON object; returns the problem, or nullopt.
inline std::optional<std::string> parse_object(std::string_view body, nlohmann::json& out) {
    try {
        out = nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {
        // nlohmann's message says where and why. Besides parse_error (which also covers
        // ill-formed UTF-8) it throws out_of_range for numbers such as 1e400.
        return std::string("malformed JSON: ") + e.what();
    }
    if (!out.is_object()) {
        return "body must be a JSON object";
    }
    return std::nullopt;
}

/// A string field of an event, or "" when it is absent or not a string (best-effort fields such
/// as a sender's nickname).
inline std::string optional_string(const nlohmann::json& object, const char* field) {
    const auto found = object.find(field);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

/// The texts of several replies as one chat message, a line each (platforms answer a webhook
/// with one message).
inline std::string joined_text(const std::vector<handlers::reply>& replies) {
    std::string text;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (i > 0) {
            text += '\n';
        }
        text += replies[i].text;
    }
    return text;
}

/// A JSON `{"error": "…"}` body; invalid UTF-8 in the text is replaced, never echoed raw.
inline std::string error_body(std::string_view error) {
    return dump_json(nlohmann::json{{"error", error}});
}

/// Whether a byte is ASCII white space as chat texts have it.
inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// The text without white space at either end.
inline std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// The trimmed text without the words at its start and end that `names_bot` says mention this
/// bot ("@loudong_bot 下单 鸡蛋 2", "菜单 @loudong_bot": residents tap the bot's name on either
/// side).
template <class Predicate>
std::string_view without_bot_mentions(std::string_view text, Predicate names_bot) {
    text = trim_spaces(text);
    constexpr std::string_view spaces = " \t\r\n";
    for (;;) {
        const auto space = text.find_first_of(spaces);
        if (text.empty() || !names_bot(text.substr(0, space))) {
            break;
        }
        text =
            space == std::string_view::npos ? std::string_view{} : trim_spaces(text.substr(space));
    }
    for (;;) {
        const auto space = text.find_last_of(spaces);
        const auto last = space == std::string_view::npos ? text : text.substr(space + 1);
        if (text.empty() || !names_bot(last)) {
            break;
        }
        text = space == std::string_view::npos ? std::string_view{}
                                               : trim_spaces(text.substr(0, space));
    }
    return text;
}

/// A valid event that is not a text message: acknowledged, nothing done.
inline inbound ignored_inbound() {
    inbound in;
    in.ignored = true;
    return in;
}

}  // namespace loudong::bot
