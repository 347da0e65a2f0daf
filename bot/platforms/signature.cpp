#include "bot/platforms/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace loudong::bot {

std::string hmac_hex(digest kind, std::string_view secret, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(kind == digest::sha1 ? EVP_sha1() : EVP_sha256(), secret.data(),
         static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
         body.size(), mac, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[mac[i] >> 4];
        out += hex[mac[i] & 0xf];
    }
    return out;
}

bool signature_matches(digest kind, std::string_view header, std::string_view secret,
                       std::string_view body) {
    const std::string_view prefix = kind == digest::sha1 ? "sha1=" : "sha256=";
    if (!header.starts_with(prefix)) {
        return false;
    }
    header.remove_prefix(prefix.size());
    const auto expected = hmac_hex(kind, secret, body);
    if (header.size() != expected.size()) {
        return false;
    }
    // Hex digits may arrive in upper case from some clients.
    std::string given(header);
    for (auto& c : given) {
        if (c >= 'A' && c <= 'F') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

bool secret_matches(std::string_view given, std::string_view expected) {
    return given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace loudong::bot
