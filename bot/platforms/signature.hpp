#pragma once

#include <string>
#include <string_view>

namespace loudong::bot {

/// The HMAC digests the platforms sign webhook bodies with.
enum class digest { sha1, sha256 };

/// Lower-case hex HMAC of `body` under `secret`.
std::string hmac_hex(digest kind, std::string_view secret, std::string_view body);

/// Checks a header such as `sha256=<hex>` against the body, in constant time.
bool signature_matches(digest kind, std::string_view header, std::string_view secret,
                       std::string_view body);

/// Compares a shared secret token (Telegram's secret_token header) in constant time.
bool secret_matches(std::string_view given, std::string_view expected);

}  // namespace loudong::bot
