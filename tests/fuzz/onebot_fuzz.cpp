// libFuzzer target: the OneBot v11 adapter. The input is a webhook body; what it reads as a
// message is answered with the quick-operation reply, which must carry the text back unchanged.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/platforms/onebot_platform.hpp"
#include "tests/fuzz/adapter_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace bot = loudong::bot;
using loudong::fuzz::require;

const std::string self_id = "10000";

// The quick reply echoing `text`: valid JSON that does not @ the sender, whatever the bytes.
std::string reply_text(const std::string& text) {
    const auto body = loudong::fuzz::parse_sent(bot::onebot_quick_reply({{"1", text, "1"}}));
    require(body.is_object() && body.value("at_sender", true) == false && body.contains("reply") &&
                body["reply"].is_string(),
            "a quick reply is {\"reply\": text, \"at_sender\": false}");
    return body["reply"].get<std::string>();
}

void check_message(const bot::inbound& in, const std::string& bot_id) {
    loudong::fuzz::check_inbound(in, "onebot");
    if (!in.message) {
        return;
    }
    const auto& msg = *in.message;
    require(bot_id.empty() || msg.sender_id != bot_id, "the bot's own messages are ignored");
    if (msg.is_private) {
        require(msg.chat_id == "private:" + msg.sender_id, "a private chat is its sender's");
    } else {
        require(loudong::fuzz::is_decimal_id(msg.chat_id), "a group id is a whole number");
    }
    // What the bot echoes is escaped so that no CQ code (an @全体成员, a picture) can come out of
    // a resident's words: read back as a message, the reply is the same text.
    const auto reply = reply_text(msg.text);
    require(reply.find('[') == std::string::npos && reply.find(']') == std::string::npos,
            "a reply has no CQ code");
    const nlohmann::json event{{"post_type", "message"},
                               {"message_type", "private"},
                               {"user_id", 1},
                               {"message_id", 1},
                               {"message", reply}};
    const auto echoed = bot::parse_onebot(event.dump(), "", 0);
    require(echoed.message && echoed.message->text == msg.text,
            "a reply read back is the text it echoed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = loudong::fuzz::as_text(data, size);
    check_message(bot::parse_onebot(body, self_id, 1651100000), self_id);
    check_message(bot::parse_onebot(body, "", 1651100000), "");
    // Replies may echo anything, even bytes that are not UTF-8.
    reply_text(std::string(body));
    require(bot::onebot_quick_reply({}).empty(), "no reply is an empty body");
    return 0;
}
