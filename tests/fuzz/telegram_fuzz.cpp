// libFuzzer target: the Telegram adapter. The input is an Update; what it reads as a message is
// answered with a sendMessage call, which must carry the text and the ids back unchanged.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/platforms/telegram_platform.hpp"
#include "tests/fuzz/adapter_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace bot = loudong::bot;
using loudong::fuzz::require;

// An id in a method call, a JSON number (or, past int64, a string) read back as text.
std::string id_sent(const nlohmann::json& id) {
    return id.is_string() ? id.get<std::string>() : id.dump();
}

void check_message(const bot::inbound& in) {
    loudong::fuzz::check_inbound(in, "telegram");
    if (!in.message) {
        return;
    }
    const auto& msg = *in.message;
    // A forum topic is "<chat>/<topic>", both whole numbers.
    const auto [chat, topic] = bot::telegram_chat_of(msg.chat_id);
    require(loudong::fuzz::is_decimal_id(chat) &&
                (topic.empty() || loudong::fuzz::is_decimal_id(topic)),
            "a chat id is a whole number, or two for a forum topic");
    if (!msg.moved_to.empty()) {
        return;  // no words to answer
    }
    // "/cmd@this_bot" loses its suffix and "/cmd@other_bot" is ignored, so the parser never
    // sees an addressed command word.
    if (msg.text.starts_with('/')) {
        const auto word = std::string_view(msg.text).substr(0, msg.text.find_first_of(" \t\r\n"));
        require(word.find('@') == std::string_view::npos, "a command word is not addressed");
    }
    const auto call = loudong::fuzz::parse_sent(bot::telegram_method_reply(
        {{msg.chat_id, msg.text, msg.message_id}}, msg.chat_id, msg.message_id));
    require(call.is_object() && call.value("method", "") == "sendMessage",
            "a reply is a sendMessage call");
    require(call.value("text", "") == msg.text, "a reply carries its text unchanged");
    require(id_sent(call["chat_id"]) == chat, "a reply goes to the chat it answers");
    require(topic.empty() ? !call.contains("message_thread_id")
                          : id_sent(call["message_thread_id"]) == topic,
            "a reply to a forum topic stays in it");
    require(id_sent(call["reply_to_message_id"]) == msg.message_id, "a reply answers the message");
}

// With the bot's name known, a mention of it before or after the words is not part of them.
void check_unmentioned(const bot::inbound& in) {
    if (!in.message) {
        return;
    }
    std::string lower = in.message->text;
    for (auto& c : lower) {
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    const std::string_view t = lower;
    constexpr std::string_view name = "@loudong_bot";
    const auto separate = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    require(!(t.starts_with(name) && (t.size() == name.size() || separate(t[name.size()]))),
            "a leading mention of this bot is dropped");
    require(
        !(t.ends_with(name) && t.size() > name.size() && separate(t[t.size() - name.size() - 1])),
        "a trailing mention of this bot is dropped");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = loudong::fuzz::as_text(data, size);
    const auto named = bot::parse_telegram(body, "loudong_bot", 1651100000);
    check_message(named);
    check_unmentioned(named);
    check_message(bot::parse_telegram(body, "", 1651100000));
    // Replies may echo anything, even bytes that are not UTF-8.
    const auto call = loudong::fuzz::parse_sent(
        bot::telegram_method_reply({{"1", std::string(body), ""}}, "-1001987654321", ""));
    require(!call.contains("reply_to_message_id"), "a reply to nothing names no message");
    require(bot::telegram_method_reply({}, "1", "1").empty(), "no reply is an empty body");
    return 0;
}
