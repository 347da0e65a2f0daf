#include "bot/platforms/signature.hpp"

#include <memory>
#include <stdexcept>

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

std::string to_hex(std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = hex_digit(hex[i]);
        const int low = hex_digit(hex[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
    }
    return out;
}

namespace {

struct md_ctx_free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using md_ctx = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;

}  // namespace

ed25519_key::ed25519_key(std::string_view seed) {
    if (seed.size() != 32) {
        throw std::invalid_argument("an Ed25519 seed is 32 bytes");
    }
    key_ = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                        reinterpret_cast<const unsigned char*>(seed.data()), 32);
    if (key_ == nullptr) {
        throw std::runtime_error("OpenSSL could not make an Ed25519 key");
    }
}

ed25519_key::~ed25519_key() {
    EVP_PKEY_free(key_);
}

std::string ed25519_key::qq_seed(std::string_view secret) {
    if (secret.empty()) {
        throw std::invalid_argument("an empty secret makes no Ed25519 seed");
    }
    std::string seed(secret);
    while (seed.size() < 32) {
        seed += seed;
    }
    return seed.substr(0, 32);
}

std::string ed25519_key::sign_hex(std::string_view message) const {
    md_ctx ctx(EVP_MD_CTX_new());
    unsigned char signature[64];
    std::size_t length = sizeof signature;
    // Ed25519 signs the message itself ("one-shot"): no digest is named.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_) != 1 ||
        EVP_DigestSign(ctx.get(), signature, &length,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        throw std::runtime_error("OpenSSL could not sign with Ed25519");
    }
    return to_hex({reinterpret_cast<const char*>(signature), length});
}

bool ed25519_key::verify_hex(std::string_view message, std::string_view signature_hex) const {
    const auto signature = from_hex(signature_hex);
    if (!signature || signature->size() != 64) {
        return false;
    }
    md_ctx ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                            signature->size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

std::string ed25519_key::public_hex() const {
    unsigned char raw[32];
    std::size_t length = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key_, raw, &length) != 1) {
        throw std::runtime_error("OpenSSL could not read the Ed25519 public key");
    }
    return to_hex({reinterpret_cast<const char*>(raw), length});
}

std::string url_decoded(std::string_view text) {
    std::string value;
    value.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
            hex_digit(text[i + 2]) >= 0) {
            value += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
            i += 2;
        } else if (text[i] == '+') {
            value += ' ';
        } else {
            value += text[i];
        }
    }
    return value;
}

}  // namespace loudong::bot
