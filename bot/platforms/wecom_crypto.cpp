#include "bot/platforms/wecom_crypto.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "bot/platforms/signature.hpp"

namespace loudong::bot {
namespace {

constexpr std::size_t block = 32;  // WeCom pads to 32 bytes, not AES's 16

struct cipher_ctx_free {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free>;

// AES-256-CBC without OpenSSL's own padding: the input is whole blocks already.
std::string aes_cbc(const std::string& key, std::string_view input, bool encrypt) {
    cipher_ctx ctx(EVP_CIPHER_CTX_new());
    const auto* k = reinterpret_cast<const unsigned char*>(key.data());
    std::string out(input.size() + 32, '\0');
    int written = 0;
    int last = 0;
    if (!ctx ||
        EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k, encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                         reinterpret_cast<const unsigned char*>(input.data()),
                         static_cast<int>(input.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + written,
                           &last) != 1) {
        throw std::runtime_error("OpenSSL AES-256-CBC failed");
    }
    out.resize(static_cast<std::size_t>(written + last));
    return out;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    const auto valid = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
    };
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
        ++padding;
    }
    if (!std::all_of(text.begin(), text.end() - static_cast<std::ptrdiff_t>(padding), valid)) {
        return std::nullopt;
    }
    std::string out(text.size() / 4 * 3, '\0');
    // EVP_DecodeBlock counts the padding's zero bytes; they are cut below.
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0 || static_cast<std::size_t>(n) < padding) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

wecom_crypto::wecom_crypto(std::string token, std::string_view encoding_aes_key)
    : token_(std::move(token)) {
    auto key = encoding_aes_key.size() == 43 ? base64_decode(std::string(encoding_aes_key) + "=")
                                             : std::nullopt;
    if (!key || key->size() != 32) {
        throw std::invalid_argument("an EncodingAESKey is 43 Base64 characters (32 bytes)");
    }
    key_ = std::move(*key);
}

std::string wecom_crypto::signature(std::string_view timestamp, std::string_view nonce,
                                    std::string_view encrypted) const {
    std::array<std::string_view, 4> parts{token_, timestamp, nonce, encrypted};
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (const auto part : parts) {
        joined += part;
    }
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
    return to_hex({reinterpret_cast<const char*>(digest), sizeof digest});
}

bool wecom_crypto::signature_matches(std::string_view given, std::string_view timestamp,
                                     std::string_view nonce, std::string_view encrypted) const {
    const auto expected = signature(timestamp, nonce, encrypted);
    return given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::optional<std::string> wecom_crypto::decrypt(std::string_view base64) const {
    const auto cipher = base64_decode(base64);
    if (!cipher || cipher->empty() || cipher->size() % 16 != 0) {
        return std::nullopt;
    }
    const auto plain = aes_cbc(key_, *cipher, false);
    const auto pad = static_cast<unsigned char>(plain.back());
    if (pad < 1 || pad > block || pad > plain.size()) {
        return std::nullopt;
    }
    if (!std::all_of(plain.end() - pad, plain.end(),
                     [&](char c) { return static_cast<unsigned char>(c) == pad; })) {
        return std::nullopt;
    }
    const std::string_view content(plain.data(), plain.size() - pad);
    if (content.size() < 20) {
        return std::nullopt;
    }
    const auto* length_bytes = reinterpret_cast<const unsigned char*>(content.data() + 16);
    const std::size_t length = (std::size_t{length_bytes[0]} << 24) |
                               (std::size_t{length_bytes[1]} << 16) |
                               (std::size_t{length_bytes[2]} << 8) | length_bytes[3];
    if (length > content.size() - 20) {
        return std::nullopt;
    }
    // What follows the message is the receive id: empty for an AI bot, a corp id otherwise.
    return std::string(content.substr(20, length));
}

std::string wecom_crypto::encrypt(std::string_view message, std::string_view random_16) const {
    if (random_16.size() != 16) {
        throw std::invalid_argument("WeCom's encryption takes 16 random bytes");
    }
    std::string plain(random_16);
    const auto length = static_cast<std::uint32_t>(message.size());
    plain += static_cast<char>((length >> 24) & 0xff);
    plain += static_cast<char>((length >> 16) & 0xff);
    plain += static_cast<char>((length >> 8) & 0xff);
    plain += static_cast<char>(length & 0xff);
    plain += message;
    const auto pad = block - plain.size() % block;
    plain.append(pad, static_cast<char>(pad));
    return base64_encode(aes_cbc(key_, plain, true));
}

}  // namespace loudong::bot
