// libFuzzer target: the WeCom AI bot adapter and its decryption. The input is tried as a
// ciphertext (corrupt ones are refused, never crash, and what decrypts is a message that
// encrypts back to it), as a decrypted message (a message, an ignored event or an error naming
// the field, never more than one) and as a message to encrypt (it decrypts unchanged).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/platforms/wecom_platform.hpp"
#include "bot/platforms/wire_json.hpp"
#include "tests/fuzz/adapter_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace bot = loudong::bot;
using loudong::fuzz::require;

const bot::wecom_crypto& crypto() {
    static const bot::wecom_crypto c("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
    return c;
}

void check(const bot::inbound& in) {
    const int outcomes = (in.message ? 1 : 0) + (in.ignored ? 1 : 0) + (!in.error.empty() ? 1 : 0);
    require(outcomes == 1, "a message is exactly one of message, ignored or error");
    if (!in.error.empty()) {
        const auto sent = loudong::fuzz::parse_sent(bot::error_body(in.error));
        require(sent.is_object() && sent["error"].is_string(), "an error body is {\"error\"}");
        return;
    }
    if (!in.message) {
        return;
    }
    const auto& msg = *in.message;
    require(msg.platform == "wecom", "a message names its platform");
    require(!msg.message_id.empty() && !msg.sender_id.empty() && !msg.chat_id.empty(),
            "a message has its ids");
    require(!msg.text.empty() && loudong::fuzz::is_utf8(msg.text), "a message has UTF-8 text");
    const auto space = std::string_view(" \t\r\n");
    require(space.find(msg.text.front()) == std::string_view::npos &&
                space.find(msg.text.back()) == std::string_view::npos,
            "a message's text is trimmed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = loudong::fuzz::as_text(data, size);
    if (const auto plain = crypto().decrypt(input)) {
        const auto again = crypto().decrypt(crypto().encrypt(*plain, "0123456789abcdef"));
        require(again && *again == *plain, "what decrypts encrypts back");
    }
    check(bot::parse_wecom(input, 1651100000));
    const auto encrypted = crypto().encrypt(input, "fedcba9876543210");
    require(crypto().decrypt(encrypted) == std::string(input), "encryption round-trips");
    const auto decoded = bot::base64_decode(input);
    if (decoded) {
        require(bot::base64_decode(bot::base64_encode(*decoded)) == *decoded, "Base64 round-trips");
    }
    (void)bot::query_parameter(input, "echostr");
    return 0;
}
