#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

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

/// An Ed25519 key pair (RFC 8032) made from a 32-byte seed, as QQ's official bot derives it from
/// the bot secret. OpenSSL signs and verifies; the key is read-only once made, so one object
/// serves every I/O thread.
class ed25519_key {
public:
    /// From the 32-byte seed (RFC 8032's "secret key"); throws std::invalid_argument otherwise.
    explicit ed25519_key(std::string_view seed);
    ~ed25519_key();
    ed25519_key(const ed25519_key&) = delete;
    ed25519_key& operator=(const ed25519_key&) = delete;

    /// QQ's key: the secret repeated until it has 32 bytes, cut at 32 (the platform's Go code).
    static std::string qq_seed(std::string_view secret);

    /// The 64-byte signature of `message`, in lower-case hex.
    std::string sign_hex(std::string_view message) const;

    /// Whether `signature_hex` (128 hex digits, either case) signs `message`.
    bool verify_hex(std::string_view message, std::string_view signature_hex) const;

    /// The 32-byte public key in lower-case hex.
    std::string public_hex() const;

private:
    EVP_PKEY* key_ = nullptr;
};

/// Lower-case hex of bytes.
std::string to_hex(std::string_view bytes);

/// The value of a hex digit (either case), or -1.
int hex_digit(char c);

/// `%xx` and `+` decoded (a URL's query, a form's body); a malformed escape is kept as typed.
std::string url_decoded(std::string_view text);

/// Bytes of an even-length hex string; nullopt when it is not hex.
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace loudong::bot
