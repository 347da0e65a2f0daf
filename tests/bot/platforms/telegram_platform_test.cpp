#include "bot/platforms/telegram_platform.hpp"
#include "bot/platforms/wire_json.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loudong::bot {
namespace {

const std::string bot_username = "loudong_bot";

std::string fixture(const std::string& name) {
    std::ifstream file(std::string(LOUDONG_FIXTURES) + "/telegram/" + name, std::ios::binary);
    EXPECT_TRUE(file) << "missing fixture " << name;
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

inbound parse(const std::string& body, const std::string& username = bot_username) {
    return parse_telegram(body, username, 42);
}

/// The supergroup fixture with its text replaced.
std::string with_text(const std::string& text) {
    auto update = nlohmann::json::parse(fixture("supergroup_command.json"));
    update["message"]["text"] = text;
    update["message"].erase("entities");
    return update.dump();
}

std::string text_of(const std::string& text, const std::string& username = bot_username) {
    const auto in = parse(with_text(text), username);
    EXPECT_TRUE(in.message) << in.error << (in.ignored ? " (ignored)" : "");
    return in.message ? in.message->text : std::string();
}

TEST(TelegramAdapter, ReadsAGroupMessage) {
    const auto in = parse(fixture("group_message.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_FALSE(in.ignored);
    const auto& msg = *in.message;
    EXPECT_EQ(msg.platform, "telegram");
    EXPECT_EQ(msg.chat_id, "-4012345678");
    EXPECT_EQ(msg.chat_title, "3号楼业主群");
    EXPECT_FALSE(msg.is_private);
    EXPECT_EQ(msg.sender_id, "5012345678");
    EXPECT_EQ(msg.sender_name, "Wang Li");
    EXPECT_EQ(msg.message_id, "57");
    EXPECT_EQ(msg.text, "登记 3号楼 502");
    EXPECT_EQ(msg.time, 1651100000);
}

TEST(TelegramAdapter, StripsThisBotsNameFromASupergroupCommand) {
    const auto in = parse(fixture("supergroup_command.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "/register 3 502");
    EXPECT_EQ(in.message->chat_id, "-1001987654321");
    EXPECT_EQ(in.message->chat_title, "阳光花园3号楼");
    EXPECT_EQ(in.message->sender_name, "林老师");  // no last_name: no trailing space
    EXPECT_EQ(in.message->message_id, "1204");
}

TEST(TelegramAdapter, StripsALeadingMentionOfThisBot) {
    const auto in = parse(fixture("supergroup_mention.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "下单 鸡蛋 2");
    EXPECT_EQ(text_of("@LouDong_Bot /me"), "/me");
    EXPECT_EQ(text_of("@loudong_botx 下单"), "@loudong_botx 下单");
    EXPECT_EQ(text_of("  /help@loudong_bot\n登记  "), "/help\n登记");
    EXPECT_TRUE(parse(with_text("@loudong_bot")).ignored);
}

TEST(TelegramAdapter, StripsATrailingMentionOfThisBot) {
    const auto in = parse(fixture("supergroup_trailing_mention.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "下单 鸡蛋 2");
    EXPECT_EQ(text_of("菜单 @loudong_bot"), "菜单");
    EXPECT_EQ(text_of("/menu\n@LOUDONG_BOT"), "/menu");
    EXPECT_EQ(text_of("@loudong_bot 我的 @loudong_bot"), "我的");
    // Someone else's name, or the bot's name inside a word, stays.
    EXPECT_EQ(text_of("授权 @wang_ayi 志愿者"), "授权 @wang_ayi 志愿者");
    EXPECT_EQ(text_of("下单 鸡蛋 @loudong_botx"), "下单 鸡蛋 @loudong_botx");
    EXPECT_EQ(text_of("下单 鸡蛋@loudong_bot"), "下单 鸡蛋@loudong_bot");
}

TEST(TelegramAdapter, APhotosCaptionIsItsText) {
    const auto in = parse(fixture("photo_caption.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "抗原 阴性");
    EXPECT_EQ(in.message->message_id, "1207");
    auto update = nlohmann::json::parse(fixture("photo_caption.json"));
    update["message"]["caption"] = 7;
    EXPECT_EQ(parse(update.dump()).error, "field \"message.caption\" must be a string");
    update["message"].erase("caption");
    EXPECT_TRUE(parse(update.dump()).ignored);
}

TEST(TelegramAdapter, AForwardedMessageIsNoCommandOfTheForwarder) {
    EXPECT_TRUE(parse(fixture("forwarded_message.json")).ignored);
    auto update = nlohmann::json::parse(fixture("forwarded_message.json"));
    update["message"].erase("forward_origin");
    const auto own = parse(update.dump());
    ASSERT_TRUE(own.message) << own.error;
    EXPECT_EQ(own.message->text, "抗原 阳性");
    // Servers before Bot API 7.0, and a channel post copied into its discussion group.
    for (const auto* key : {"forward_from", "forward_from_chat", "forward_sender_name"}) {
        auto legacy = update;
        legacy["message"][key] = key == std::string("forward_sender_name")
                                     ? nlohmann::json("张师傅")
                                     : nlohmann::json{{"id", 5023456789}};
        EXPECT_TRUE(parse(legacy.dump()).ignored) << key;
    }
    auto automatic = update;
    automatic["message"]["is_automatic_forward"] = true;
    EXPECT_TRUE(parse(automatic.dump()).ignored);
}

TEST(TelegramAdapter, ReadsAPrivateChat) {
    const auto in = parse(fixture("private_message.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_TRUE(in.message->is_private);
    EXPECT_EQ(in.message->chat_id, "5012345678");
    EXPECT_TRUE(in.message->chat_title.empty());
    EXPECT_EQ(in.message->text, "抗原 阴性");
}

TEST(TelegramAdapter, CommandsForAnotherBotAreIgnored) {
    EXPECT_TRUE(parse(with_text("/register@other_bot 3 502")).ignored);
    EXPECT_EQ(text_of("/register@LOUDONG_BOT 3 502"), "/register 3 502");
    EXPECT_EQ(text_of("/register 3 502"), "/register 3 502");
    // Without a configured username every suffix is taken as ours.
    EXPECT_EQ(text_of("/register@other_bot 3 502", ""), "/register 3 502");
    EXPECT_EQ(text_of("@loudong_bot 我的", ""), "@loudong_bot 我的");
    // Only the command word is looked at: an e-mail address in the arguments stays.
    EXPECT_EQ(text_of("/bind wang@example.com"), "/bind wang@example.com");
}

TEST(TelegramAdapter, AcknowledgesAndIgnoresUpdatesThatAreNotNewTextMessages) {
    for (const char* name : {"edited_message.json", "my_chat_member.json"}) {
        const auto in = parse(fixture(name));
        EXPECT_TRUE(in.ignored) << name;
        EXPECT_FALSE(in.message) << name;
        EXPECT_TRUE(in.error.empty()) << name << ": " << in.error;
    }
    EXPECT_TRUE(parse(R"({"update_id":1,"callback_query":{"id":"4382","data":"x"}})").ignored);
    EXPECT_TRUE(parse(R"({"update_id":2,"channel_post":{"message_id":1,"date":1,
                          "chat":{"id":-1001,"type":"channel"},"text":"通知"}})")
                    .ignored);
}

TEST(TelegramAdapter, IgnoresBotsAndChannelsAndMarksAnonymousAdmins) {
    auto update = nlohmann::json::parse(fixture("group_message.json"));
    update["message"]["from"]["is_bot"] = true;
    EXPECT_TRUE(parse(update.dump()).ignored);
    // An anonymous admin: from is the bot GroupAnonymousBot (id 1087968824) and sender_chat the
    // group itself (Bot API Message.sender_chat).
    update["message"]["from"] = {{"id", 1087968824},
                                 {"is_bot", true},
                                 {"first_name", "Group"},
                                 {"username", "GroupAnonymousBot"}};
    update["message"]["sender_chat"] = update["message"]["chat"];
    const auto anonymous = parse(update.dump());
    ASSERT_TRUE(anonymous.message) << anonymous.error;
    EXPECT_TRUE(anonymous.message->anonymous);
    update = nlohmann::json::parse(fixture("group_message.json"));
    update["message"].erase("from");
    EXPECT_TRUE(parse(update.dump()).ignored);
    update = nlohmann::json::parse(fixture("group_message.json"));
    update["message"]["chat"]["type"] = "channel";
    EXPECT_TRUE(parse(update.dump()).ignored);
}

TEST(TelegramAdapter, DateDefaultsToNow) {
    auto update = nlohmann::json::parse(fixture("group_message.json"));
    update["message"].erase("date");
    const auto in = parse(update.dump());
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->time, 42);
}

TEST(TelegramAdapter, NamesTheMissingOrMistypedField) {
    const auto error = [](const std::string& body) {
        const auto in = parse(body);
        EXPECT_FALSE(in.message);
        EXPECT_FALSE(in.ignored);
        return in.error;
    };
    const auto edited = [](const auto& change) {
        auto update = nlohmann::json::parse(fixture("group_message.json"));
        change(update);
        return update.dump();
    };
    EXPECT_NE(error(edited([](auto& u) { u.erase("update_id"); })).find("\"update_id\""),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["update_id"] = "x"; })).find("update_id"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"] = "登记"; })).find("\"message\""),
              std::string::npos);
    EXPECT_NE(
        error(edited([](auto& u) { u["message"].erase("message_id"); })).find("message.message_id"),
        std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"].erase("chat"); })).find("message.chat"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"]["chat"] = 5; })).find("message.chat"),
              std::string::npos);
    EXPECT_NE(
        error(edited([](auto& u) { u["message"]["chat"].erase("id"); })).find("message.chat.id"),
        std::string::npos);
    EXPECT_NE(error(edited([](auto& u) {
                  u["message"]["chat"].erase("type");
              })).find("message.chat.type"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"]["from"] = 5; })).find("message.from"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) {
                  u["message"]["from"]["id"] = "5012345678";
              })).find("message.from.id"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"]["date"] = "today"; })).find("message.date"),
              std::string::npos);
    EXPECT_NE(error(edited([](auto& u) { u["message"]["text"] = 502; })).find("message.text"),
              std::string::npos);
    EXPECT_NE(error(R"({"update_id":)").find("malformed JSON"), std::string::npos);
    EXPECT_NE(error("\"update\"").find("object"), std::string::npos);
    // nlohmann throws out_of_range, not parse_error, for a number no double can hold.
    EXPECT_NE(error(R"({"update_id":1e400})").find("malformed JSON"), std::string::npos);
}

TEST(TelegramAdapter, InvalidUtf8IsAnErrorNotACrash) {
    inbound in;
    EXPECT_NO_THROW(in = parse(with_text("登记") + "\xff"));
    EXPECT_NO_THROW(in = parse("{\"update_id\":1,\"message\":{\"text\":\"\xc3\x28\"}}"));
    EXPECT_FALSE(in.message);
    EXPECT_NE(in.error.find("malformed JSON"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(error_body(in.error)));
}

TEST(TelegramAdapter, MethodReplyIsOneSendMessageWithNumericIds) {
    const auto body = nlohmann::json::parse(telegram_method_reply(
        {{"-1001987654321", "已登记：3号楼502室。", "1204"}, {"-1001987654321", "欢迎！", "1204"}},
        "-1001987654321", "1204"));
    EXPECT_EQ(body["method"], "sendMessage");
    ASSERT_TRUE(body["chat_id"].is_number_integer());
    EXPECT_EQ(body["chat_id"].get<std::int64_t>(), -1001987654321);
    EXPECT_EQ(body["text"], "已登记：3号楼502室。\n欢迎！");
    ASSERT_TRUE(body["reply_to_message_id"].is_number_integer());
    EXPECT_EQ(body["reply_to_message_id"].get<std::int64_t>(), 1204);
    EXPECT_EQ(body["allow_sending_without_reply"], true);
    EXPECT_FALSE(body.contains("parse_mode"));
}

TEST(TelegramAdapter, MethodReplyKeepsNonNumericIdsAsStringsAndSaysNothingWhenSilent) {
    const auto body = nlohmann::json::parse(
        telegram_method_reply({{"@compound_channel", "好的", ""}}, "@compound_channel", ""));
    EXPECT_EQ(body["chat_id"], "@compound_channel");
    EXPECT_FALSE(body.contains("reply_to_message_id"));
    EXPECT_EQ(telegram_method_reply({}, "-1001987654321", "1204"), "");
    EXPECT_EQ(nlohmann::json::parse(
                  telegram_method_reply({{"1", "x", "12a"}}, "1", "12a"))["reply_to_message_id"],
              "12a");
    std::string reply;
    EXPECT_NO_THROW(reply = telegram_method_reply({{"1", "坏\xff字", "2"}}, "1", "2"));
    EXPECT_TRUE(nlohmann::json::accept(reply));
}

// SPEC §8 item 5: a tap-mention names the member by id; a sender's username is kept.
TEST(TelegramPlatform, ATextMentionBecomesTheMembersIdAndTheUsernameIsRead) {
    const auto in = parse(fixture("text_mention.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "授权 @5087650001 志愿者");
    EXPECT_EQ(in.message->sender_username, "lin_3_1201");
    // Offsets count UTF-16 units: an emoji before the mention is two.
    auto update = nlohmann::json::parse(fixture("text_mention.json"));
    update["message"]["text"] = "😀 确认 王阿姨";
    update["message"]["entities"][0]["offset"] = 6;
    const auto emoji = parse(update.dump());
    ASSERT_TRUE(emoji.message) << emoji.error;
    EXPECT_EQ(emoji.message->text, "😀 确认 @5087650001");
    // An entity past the end, or without a user, leaves the words as typed.
    update["message"]["entities"][0]["offset"] = 40;
    EXPECT_EQ(parse(update.dump()).message->text, "😀 确认 王阿姨");
    update["message"]["entities"][0]["offset"] = 6;
    update["message"]["entities"][0].erase("user");
    EXPECT_EQ(parse(update.dump()).message->text, "😀 确认 王阿姨");
}

// A group upgraded to a supergroup: both service messages say the same move (old → new).
TEST(TelegramAdapter, AnUpgradedGroupIsAChatThatMoved) {
    for (const auto* name : {"group_migrated.json", "supergroup_migrated_from.json"}) {
        const auto in = parse(fixture(name));
        ASSERT_TRUE(in.message) << name << ": " << in.error;
        EXPECT_EQ(in.message->chat_id, "-4012345678") << name;
        EXPECT_EQ(in.message->moved_to, "-1002012345678") << name;
        EXPECT_TRUE(in.message->text.empty());
    }
}

TEST(TelegramAdapter, EachForumTopicIsAChatAndRepliesStayInIt) {
    const auto in = parse(fixture("forum_topic_message.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->chat_id, "-1002098765432/85");
    EXPECT_EQ(in.message->text, "绑定 3号楼");
    const auto call = nlohmann::json::parse(telegram_method_reply(
        {{in.message->chat_id, "本群已绑定为3号楼群。", in.message->message_id}},
        in.message->chat_id, in.message->message_id));
    EXPECT_EQ(call["chat_id"], -1002098765432);
    EXPECT_EQ(call["message_thread_id"], 85);
    EXPECT_EQ(call["reply_to_message_id"], 88);
    // A reply thread in an ordinary supergroup is no topic: the chat stays one.
    const auto reply = parse(fixture("supergroup_reply_thread.json"));
    ASSERT_TRUE(reply.message) << reply.error;
    EXPECT_EQ(reply.message->chat_id, "-1001987654321");
    const auto plain = nlohmann::json::parse(telegram_method_reply(
        {{reply.message->chat_id, "x", "1310"}}, reply.message->chat_id, "1310"));
    EXPECT_FALSE(plain.contains("message_thread_id"));
    EXPECT_EQ(telegram_chat_of("-1002098765432/85").topic, "85");
    EXPECT_EQ(telegram_chat_of("-1002098765432").topic, "");
}

}  // namespace
}  // namespace loudong::bot
