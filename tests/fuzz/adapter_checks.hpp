#pragma once

// What a platform adapter promises for any webhook body, whatever the platform: exactly one of
// a message, an ignored event or an error; an error that makes a JSON error body; a message with
// its ids, a trimmed non-empty UTF-8 text and its platform's name.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/platforms/generic_platform.hpp"
#include "bot/platforms/wire_json.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace loudong::fuzz {

/// A whole number as OneBot and Telegram ids are written: decimal, perhaps negative.
inline bool is_decimal_id(std::string_view id) {
    if (id.starts_with('-')) {
        id.remove_prefix(1);
    }
    return !id.empty() && id.find_first_not_of("0123456789") == std::string_view::npos;
}

/// Parses what the bot would send back; a body that is not JSON stops the run.
inline nlohmann::json parse_sent(const std::string& body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    require(!parsed.is_discarded(), "what the bot sends is valid JSON");
    return parsed;
}

inline void check_inbound(const bot::inbound& in, std::string_view platform) {
    if (in.message) {
        require(in.error.empty() && !in.ignored, "a message is neither an error nor ignored");
    } else if (in.ignored) {
        require(in.error.empty(), "an ignored event is not an error");
    } else {
        require(!in.error.empty(), "a refused body says why");
        const auto body = parse_sent(bot::error_body(in.error));
        require(body.is_object() && body.contains("error") && body["error"].is_string(),
                "an error body is {\"error\": text}");
        return;
    }
    if (!in.message) {
        return;
    }
    const auto& msg = *in.message;
    require(msg.platform == platform, "a message names its platform");
    require(is_decimal_id(msg.sender_id) && is_decimal_id(msg.message_id),
            "sender and message ids are whole numbers");
    require(!msg.chat_id.empty(), "a message has a chat");
    // A chat that moved (a Telegram group upgraded to a supergroup) says where, and no words.
    if (!msg.moved_to.empty()) {
        require(is_decimal_id(msg.moved_to) && msg.text.empty(),
                "a moved chat names its new id and carries no text");
        return;
    }
    require(!msg.text.empty(), "a message has text");
    const auto space = std::string_view(" \t\r\n");
    require(space.find(msg.text.front()) == std::string_view::npos &&
                space.find(msg.text.back()) == std::string_view::npos,
            "a message's text is trimmed");
    require(is_utf8(msg.text) && is_utf8(msg.sender_name) && is_utf8(msg.chat_title),
            "texts read from JSON are UTF-8");
    require(msg.time >= 0, "a message's time is not before 1970");
}

}  // namespace loudong::fuzz
