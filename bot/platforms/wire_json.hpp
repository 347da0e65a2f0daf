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

/// A valid event that is not a text message: acknowledged, nothing done.
inline inbound ignored_inbound() {
    inbound in;
    in.ignored = true;
    return in;
}

}  // namespace loudong::bot
