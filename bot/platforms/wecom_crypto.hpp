#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loudong::bot {

/// WeCom's callback encryption (企业微信 "回调和回复的加解密方案", as its WXBizJsonMsgCrypt does):
/// the AES key is the 43-character EncodingAESKey with "=" appended, Base64-decoded to 32 bytes;
/// a message is 16 random bytes, its length (4 bytes, network order), the message and the receive
/// id (empty for an AI bot), PKCS#7-padded to a multiple of 32 bytes and encrypted with
/// AES-256-CBC, the IV being the key's first 16 bytes, then Base64-encoded; the signature is the
/// SHA-1 (hex) of the token, timestamp, nonce and ciphertext sorted and joined.
class wecom_crypto {
public:
    /// Throws std::invalid_argument when the key is not 43 Base64 characters of 32 bytes.
    wecom_crypto(std::string token, std::string_view encoding_aes_key);

    /// msg_signature of a ciphertext (or of echostr in URL verification).
    std::string signature(std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypted) const;

    /// Whether `given` is that signature (constant time).
    bool signature_matches(std::string_view given, std::string_view timestamp,
                           std::string_view nonce, std::string_view encrypted) const;

    /// The message inside a Base64 ciphertext; nullopt when it is not one of ours (bad Base64,
    /// a length not of whole blocks, bad padding, a length field past the end).
    std::optional<std::string> decrypt(std::string_view base64) const;

    /// Encrypts `message` with these 16 random bytes in front (random_16 of another size is an
    /// error); Base64.
    std::string encrypt(std::string_view message, std::string_view random_16) const;

private:
    std::string token_;
    std::string key_;  ///< 32 bytes
};

/// Standard Base64 (with padding); nullopt on a character outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace loudong::bot
