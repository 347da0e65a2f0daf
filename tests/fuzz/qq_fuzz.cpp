// libFuzzer target: the QQ official bot adapter. The input is a webhook body: an op 13
// validation must be answered with a signature that verifies; an op 0 event is a message, an
// ignored event or an error naming the field, never more than one; a message's text is
// trimmed, non-empty UTF-8 with mentions as "@openid". The body is also tried as a signature:
// Ed25519 verification of arbitrary hex never crashes and never accepts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/platforms/qq_platform.hpp"
#include "bot/platforms/wire_json.hpp"
#include "tests/fuzz/adapter_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace bot = loudong::bot;
using loudong::fuzz::require;

const bot::ed25519_key& key() {
    static const bot::ed25519_key k(bot::ed25519_key::qq_seed("DG5g3B4j9X2KOErG"));
    return k;
}

void check(const bot::inbound& in, std::string_view body) {
    const int outcomes = (in.message ? 1 : 0) + (in.ignored ? 1 : 0) + (in.answer_now ? 1 : 0) +
                         (!in.error.empty() ? 1 : 0);
    require(outcomes == 1, "a body is exactly one of message, ignored, answer or error");
    if (!in.error.empty()) {
        const auto sent = loudong::fuzz::parse_sent(bot::error_body(in.error));
        require(sent.is_object() && sent["error"].is_string(), "an error body is {\"error\"}");
        return;
    }
    if (in.answer_now) {
        const auto answer = loudong::fuzz::parse_sent(*in.answer_now);
        const auto request = nlohmann::json::parse(body);
        const auto& ts = request["d"]["event_ts"];
        const auto event_ts = ts.is_string() ? ts.get<std::string>() : ts.dump();
        require(answer["plain_token"] == request["d"]["plain_token"],
                "the validation answer returns plain_token");
        require(key().verify_hex(event_ts + answer["plain_token"].get<std::string>(),
                                 answer["signature"].get<std::string>()),
                "the validation answer's signature verifies");
        return;
    }
    if (!in.message) {
        return;
    }
    const auto& msg = *in.message;
    require(msg.platform == "qq", "a message names its platform");
    require(!msg.message_id.empty() && !msg.sender_id.empty() && !msg.chat_id.empty(),
            "a message has its ids");
    require(!msg.is_private || msg.chat_id == msg.sender_id, "a one-to-one chat is its user");
    require(!msg.text.empty() && loudong::fuzz::is_utf8(msg.text), "a message has UTF-8 text");
    const auto space = std::string_view(" \t\r\n");
    require(space.find(msg.text.front()) == std::string_view::npos &&
                space.find(msg.text.back()) == std::string_view::npos,
            "a message's text is trimmed");
    require(msg.time >= 0, "a message's time is not before 1970");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = loudong::fuzz::as_text(data, size);
    check(bot::parse_qq(body, key(), 1651100000), body);
    const auto text = bot::qq_text(body, {"BOT"});
    require(text.empty() || (text.front() != ' ' && text.back() != ' '), "qq_text trims");
    require(!key().verify_hex(body, std::string_view(body).substr(0, 128)),
            "arbitrary bytes are no signature");
    return 0;
}
