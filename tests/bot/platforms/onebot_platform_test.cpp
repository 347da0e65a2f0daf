#include "bot/platforms/onebot_platform.hpp"
#include "bot/platforms/wire_json.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loudong::bot {
namespace {

const std::string self_id = "10000";

std::string fixture(const std::string& name) {
    std::ifstream file(std::string(LOUDONG_FIXTURES) + "/onebot/" + name, std::ios::binary);
    EXPECT_TRUE(file) << "missing fixture " << name;
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

inbound parse(const std::string& body) {
    return parse_onebot(body, self_id, 42);
}

/// A minimal group message event around one `message` value (a JSON literal).
std::string group_event(const std::string& message) {
    return R"({"post_type":"message","message_type":"group","sub_type":"normal","time":1651100000,
               "self_id":10000,"message_id":7,"group_id":610254837,"user_id":10001,
               "sender":{"user_id":10001,"nickname":"王阿姨","card":""},"message":)" +
           message + "}";
}

std::string text_of(const std::string& message) {
    const auto in = parse(group_event(message));
    EXPECT_TRUE(in.message) << in.error << (in.ignored ? " (ignored)" : "");
    return in.message ? in.message->text : std::string();
}

TEST(OnebotAdapter, ReadsAGoCqhttpGroupMessageAndStripsTheMentionOfTheBot) {
    const auto in = parse(fixture("group_message_cq_string.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_FALSE(in.ignored);
    const auto& msg = *in.message;
    EXPECT_EQ(msg.platform, "onebot");
    EXPECT_EQ(msg.text, "登记 3号楼 502");
    EXPECT_EQ(msg.chat_id, "610254837");
    EXPECT_FALSE(msg.is_private);
    EXPECT_EQ(msg.sender_id, "10001");
    EXPECT_EQ(msg.sender_name, "3号楼502-王");  // the group card wins over the nickname
    EXPECT_EQ(msg.message_id, "-1843902671");   // go-cqhttp ids are int32 and may be negative
    EXPECT_EQ(msg.time, 1651100000);
    EXPECT_TRUE(msg.chat_title.empty());
}

TEST(OnebotAdapter, DecodesCqEscapesAndDropsRepliesAndFaces) {
    const auto in = parse(fixture("group_message_cq_escapes.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "通知 all 今晚8点全员核酸[3号楼先做]，请带好身份证&手机");
    EXPECT_EQ(in.message->sender_name, "居委会-陈");
}

TEST(OnebotAdapter, ReadsANapcatArrayMessageAndKeepsMentionsOfOthers) {
    const auto in = parse(fixture("group_message_array.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "授权 @10002 志愿者");
    EXPECT_EQ(in.message->chat_id, "610254837");
    EXPECT_EQ(in.message->sender_id, "10003");
    EXPECT_EQ(in.message->sender_name, "5号楼楼长-李");
    EXPECT_EQ(in.message->message_id, "361878627");
}

TEST(OnebotAdapter, PrivateMessagesGetTheirOwnChatIdAndTheNickname) {
    const auto in = parse(fixture("private_message.json"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_TRUE(in.message->is_private);
    EXPECT_EQ(in.message->chat_id, "private:10001");
    EXPECT_EQ(in.message->sender_id, "10001");
    EXPECT_EQ(in.message->sender_name, "王阿姨");
    EXPECT_EQ(in.message->text, "抗原 阴性");
    EXPECT_EQ(in.message->message_id, "12");
}

TEST(OnebotAdapter, AcknowledgesAndIgnoresEventsThatAreNotMessages) {
    for (const char* name :
         {"meta_heartbeat.json", "meta_lifecycle.json", "notice_group_increase.json",
          "request_friend.json", "message_sent.json"}) {
        const auto in = parse(fixture(name));
        EXPECT_TRUE(in.ignored) << name;
        EXPECT_FALSE(in.message) << name;
        EXPECT_TRUE(in.error.empty()) << name << ": " << in.error;
    }
}

TEST(OnebotAdapter, IgnoresTheBotsOwnMessagesEvenWithoutAConfiguredSelfId) {
    const auto own = R"({"post_type":"message","message_type":"group","self_id":10000,
                         "message_id":8,"group_id":610254837,"user_id":10000,
                         "message":"已登记：3号楼502室。"})";
    EXPECT_TRUE(parse_onebot(own, "10000", 0).ignored);
    EXPECT_TRUE(parse_onebot(own, "", 0).ignored);
    // Without a configured id, the event's self_id is the bot: its mention is stripped too.
    const auto in = parse_onebot(group_event(R"("[CQ:at,qq=10000] 我的")"), "", 0);
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "我的");
}

TEST(OnebotAdapter, IgnoresMessagesWithNothingToRead) {
    EXPECT_TRUE(
        parse(group_event(R"("[CQ:image,file=abc.jpg,url=https://x/y?a=1&amp;b=2]")")).ignored);
    EXPECT_TRUE(parse(group_event(R"("[CQ:at,qq=10000]")")).ignored);
    EXPECT_TRUE(parse(group_event(R"([{"type":"face","data":{"id":"178"}}])")).ignored);
    EXPECT_TRUE(parse(group_event(R"("   ")")).ignored);
    // Guild messages are not compound chats.
    auto guild = nlohmann::json::parse(group_event(R"("登记 3 502")"));
    guild["message_type"] = "guild";
    EXPECT_TRUE(parse(guild.dump()).ignored);
}

TEST(OnebotAdapter, AnAnonymousMessageIsReadButMarked) {
    // Anonymous senders all share one stand-in user_id (botuniverse/onebot v11
    // specs/event/message.md: sub_type "anonymous", the anonymous object).
    auto anonymous = nlohmann::json::parse(group_event(R"("登记 3 502")"));
    anonymous["sub_type"] = "anonymous";
    anonymous["user_id"] = 80000000;
    anonymous["anonymous"] = {{"id", 1234567}, {"name", "无名氏"}, {"flag", "abc|1234567"}};
    const auto in = parse(anonymous.dump());
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_TRUE(in.message->anonymous);
    EXPECT_FALSE(parse(group_event(R"("登记 3 502")")).message->anonymous);
}

TEST(OnebotAdapter, AForwardIsNoCommandOfItsSender) {
    EXPECT_TRUE(parse(fixture("group_message_forward.json")).ignored);
    // However it comes: the CQ string, or beside words of the sender's own.
    EXPECT_TRUE(parse(group_event(R"("[CQ:forward,id=7100000000000000001]")")).ignored);
    EXPECT_TRUE(parse(group_event(R"([{"type":"text","data":{"text":"抗原 阳性"}},)"
                                  R"({"type":"forward","data":{"id":"7100000000000000001"}}])"))
                    .ignored);
    EXPECT_EQ(text_of(R"([{"type":"text","data":{"text":"抗原 阳性"}}])"), "抗原 阳性");
}

TEST(OnebotAdapter, DecodesEveryCqEscapeInText) {
    EXPECT_EQ(text_of(R"("&#91;3号楼&#93; A&amp;B&#44;C &amp;#91; &lt;")"),
              "[3号楼] A&B,C &#91; &lt;");
    // An unfinished code is text, not a reason to drop the rest.
    EXPECT_EQ(text_of(R"("下单 鸡蛋 2 [CQ:face")"), "下单 鸡蛋 2 [CQ:face");
}

TEST(OnebotAdapter, MentionsOfOthersBecomeWordsAndMentionsOfTheBotLeaveAGap) {
    EXPECT_EQ(text_of(R"("授权[CQ:at,qq=10002]志愿者")"), "授权 @10002 志愿者");
    EXPECT_EQ(text_of(R"("抗原[CQ:at,qq=10000]阴性")"), "抗原 阴性");
    EXPECT_EQ(text_of(R"("[CQ:at,qq=all] 今晚核酸")"), "今晚核酸");
    EXPECT_EQ(text_of(R"("[CQ:at,qq=10000,name=楼栋助手] 帮助")"), "帮助");
    EXPECT_EQ(text_of(R"([{"type":"reply","data":{"id":"5"}},{"type":"at","data":{"qq":10002}},
                         {"type":"text","data":{"text":"撤销 志愿者"}}])"),
              "@10002 撤销 志愿者");
    // Array texts are not escaped: "&amp;" there is what the resident typed.
    EXPECT_EQ(text_of(R"([{"type":"text","data":{"text":"A&amp;B"}}])"), "A&amp;B");
}

TEST(OnebotAdapter, TakesTheChatTitleFromGroupNameWhenTheImplementationSendsIt) {
    auto event = nlohmann::json::parse(group_event(R"("帮助")"));
    event["group_name"] = "阳光花园3号楼业主群";
    const auto in = parse(event.dump());
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->chat_title, "阳光花园3号楼业主群");
    EXPECT_EQ(in.message->sender_name, "王阿姨");  // empty card: the nickname
}

TEST(OnebotAdapter, TimeDefaultsToNowAndIdsMayBeDecimalStrings) {
    const auto in = parse(R"({"post_type":"message","message_type":"group","message_id":"9",
                             "group_id":"610254837","user_id":"10001","message":"帮助"})");
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->time, 42);
    EXPECT_EQ(in.message->chat_id, "610254837");
    EXPECT_TRUE(in.message->sender_name.empty());
}

TEST(OnebotAdapter, NamesTheMissingOrMistypedField) {
    const auto error = [](const std::string& body) {
        const auto in = parse(body);
        EXPECT_FALSE(in.message);
        EXPECT_FALSE(in.ignored);
        return in.error;
    };
    const auto without = [](const char* field) {
        auto event = nlohmann::json::parse(group_event(R"("帮助")"));
        event.erase(field);
        return event.dump();
    };
    const auto with = [](const char* field, const nlohmann::json& value) {
        auto event = nlohmann::json::parse(group_event(R"("帮助")"));
        event[field] = value;
        return event.dump();
    };
    for (const char* field :
         {"post_type", "message_type", "user_id", "message_id", "group_id", "message"}) {
        EXPECT_NE(error(without(field)).find(std::string("\"") + field + "\""), std::string::npos)
            << field;
    }
    EXPECT_NE(error(with("user_id", "王阿姨")).find("user_id"), std::string::npos);
    EXPECT_NE(error(with("group_id", 6.5)).find("group_id"), std::string::npos);
    EXPECT_NE(error(with("post_type", 1)).find("post_type"), std::string::npos);
    EXPECT_NE(error(with("time", "now")).find("time"), std::string::npos);
    EXPECT_NE(error(with("message", 5)).find("message"), std::string::npos);
    EXPECT_NE(error(group_event(R"([{"type":"text","data":{"text":"a"}},"b"])")).find("message[1]"),
              std::string::npos);
    EXPECT_NE(error(group_event(R"([{"data":{"text":"a"}}])")).find("message[0].type"),
              std::string::npos);
    EXPECT_NE(error(group_event(R"([{"type":"text","data":{}}])")).find("message[0].data.text"),
              std::string::npos);
    EXPECT_NE(error(R"({"post_type":"message",)").find("malformed JSON"), std::string::npos);
    EXPECT_NE(error("[]").find("object"), std::string::npos);
    EXPECT_NE(error("").find("malformed JSON"), std::string::npos);
    // nlohmann throws out_of_range, not parse_error, for a number no double can hold.
    EXPECT_NE(error(R"({"post_type":"message","time":1e400})").find("malformed JSON"),
              std::string::npos);
}

TEST(OnebotAdapter, InvalidUtf8IsAnErrorNotACrash) {
    inbound in;
    EXPECT_NO_THROW(in = parse(group_event("\"\xff\xfe 登记\"")));
    EXPECT_FALSE(in.message);
    EXPECT_NE(in.error.find("malformed JSON"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(error_body(in.error)));
}

TEST(OnebotAdapter, QuickReplyJoinsRepliesAndDoesNotMentionTheSender) {
    const auto body = nlohmann::json::parse(onebot_quick_reply(
        {{"610254837", "已登记：3号楼502室。", "7"}, {"610254837", "欢迎加入！", "7"}}));
    EXPECT_EQ(body["reply"], "已登记：3号楼502室。\n欢迎加入！");
    EXPECT_EQ(body["at_sender"], false);
    EXPECT_EQ(onebot_quick_reply({}), "");
}

TEST(OnebotAdapter, QuickReplyEscapesWhatResidentsTypedSoItIsNeverACqCode) {
    const auto body = nlohmann::json::parse(
        onebot_quick_reply({{"610254837", "已下单：[CQ:at,qq=all] & 鸡蛋", "7"}}));
    EXPECT_EQ(body["reply"], "已下单：&#91;CQ:at,qq=all&#93; &amp; 鸡蛋");
    // Invalid UTF-8 in a reply is replaced, never thrown.
    std::string reply;
    EXPECT_NO_THROW(reply = onebot_quick_reply({{"1", "坏\xff字", "7"}}));
    EXPECT_TRUE(nlohmann::json::accept(reply));
}

}  // namespace
}  // namespace loudong::bot
