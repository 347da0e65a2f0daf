#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/message.hpp"

namespace loudong::bot {

/// The result of reading a webhook body: a message, or the reason it was refused.
struct inbound {
    std::optional<handlers::message> message;
    std::string error;     ///< names the problem (and field) when message is empty
    bool ignored = false;  ///< a valid event that is not a text message: acknowledge, do nothing
};

/// Reads the project's own JSON format (SPEC §2, "Generic format").
inbound parse_generic(std::string_view body, std::int64_t now);

/// The generic response body: {"replies":[{"chat_id","text","reply_to"}]}.
std::string generic_response(const std::vector<handlers::reply>& replies);

/// A JSON `{"error": "…"}` body; invalid UTF-8 in the text is replaced, never echoed raw.
std::string error_body(std::string_view error);

}  // namespace loudong::bot
