#include "bot/platforms/qq_platform.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "storage/outbox_repository.hpp"
#include "tests/support/fixtures.hpp"

namespace loudong::bot {
namespace {

using loudong::testing::fixture;
using json = nlohmann::json;

// The secret of QQ's documented op 13 example.
const std::string secret = "DG5g3B4j9X2KOErG";

const ed25519_key& key() {
    static const ed25519_key k(ed25519_key::qq_seed(secret));
    return k;
}

inbound parse(const std::string& body) {
    return parse_qq(body, key(), 42);
}

/// A fixture with its d.content replaced.
std::string with_content(const std::string& name, const std::string& content) {
    auto event = json::parse(fixture("qq/" + name));
    event["d"]["content"] = content;
    return event.dump();
}

qq_settings settings() {
    qq_settings s;
    s.enabled = true;
    s.app_id = "102000001";
    s.secret = secret;
    return s;
}

request signed_request(const std::string& body, const std::string& timestamp,
                       const std::string& signature) {
    request req{http::verb::post, "/hook/qq", 11};
    req.set("X-Signature-Timestamp", timestamp);
    req.set("X-Signature-Ed25519", signature);
    req.set("X-Bot-Appid", "102000001");
    req.body() = body;
    return req;
}

// QQ's webhook documentation: op 13 with plain_token Arq0D5A61EgUu4OxUvOp at 1725442341 is
// answered with this signature under the secret DG5g3B4j9X2KOErG.
TEST(QqAdapter, AnswersTheUrlValidationWithTheDocumentedSignature) {
    const auto in = parse(fixture("qq/validation.json"));
    ASSERT_TRUE(in.answer_now) << in.error;
    EXPECT_FALSE(in.message);
    const auto answer = json::parse(*in.answer_now);
    EXPECT_EQ(answer["plain_token"], "Arq0D5A61EgUu4OxUvOp");
    EXPECT_EQ(answer["signature"],
              "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85"
              "e85205028a1132afe09280305f13aa6909ffc2d652c706");
}

TEST(QqAdapter, ReadsAGroupMessageToTheBot) {
    const auto in = parse(with_content("group_at_message.json", " 下单 鸡蛋 2"));
    ASSERT_TRUE(in.message) << in.error;
    const auto& msg = *in.message;
    EXPECT_EQ(msg.platform, "qq");
    EXPECT_FALSE(msg.is_private);
    EXPECT_EQ(msg.chat_id, "C9F778FE6ADF9D1D1DBE395BF744A33A");
    EXPECT_EQ(msg.sender_id, "E4F4AEA33253A2797FB897C50B81D7ED");
    EXPECT_EQ(msg.message_id,
              "ROBOT1.0_eBIyWnxpmSu6uLQ7u7fU0eGloKGYg4eEa737vRyKnMCgyZjKi7JLYkQ9B0VapbiY");
    EXPECT_EQ(msg.text, "下单 鸡蛋 2");
    EXPECT_EQ(msg.time, 1699249038);  // 2023-11-06T13:37:18+08:00

    // The same moment in UTC, and with fractions of a second.
    for (const auto* at : {"2023-11-06T05:37:18Z", "2023-11-06T13:37:18.250+08:00"}) {
        auto event = json::parse(with_content("group_at_message.json", "菜单"));
        event["d"]["timestamp"] = at;
        const auto read = parse(event.dump());
        ASSERT_TRUE(read.message) << read.error;
        EXPECT_EQ(read.message->time, 1699249038) << at;
    }

    // The documentation's own example reads as its words.
    const auto plain = parse(fixture("qq/group_at_message.json"));
    ASSERT_TRUE(plain.message) << plain.error;
    EXPECT_EQ(plain.message->text, "123");
}

TEST(QqAdapter, ReadsEveryGroupMessageWhenTheOwnerAllowsIt) {
    auto event = json::parse(with_content("group_at_message.json", "菜单"));
    event["t"] = "GROUP_MESSAGE_CREATE";
    const auto in = parse(event.dump());
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "菜单");
    EXPECT_FALSE(in.message->is_private);
}

TEST(QqAdapter, ReadsAOneToOneMessage) {
    const auto in = parse(with_content("c2c_message.json", "我的订单"));
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_TRUE(in.message->is_private);
    EXPECT_EQ(in.message->chat_id, "E4F4AEA33253A2797FB897C50B81D7ED");
    EXPECT_EQ(in.message->sender_id, "E4F4AEA33253A2797FB897C50B81D7ED");
    EXPECT_EQ(in.message->message_id, "ROBOT1.0_.b6nx.CVryAO0nR58RXuU6SC.m92gc19j02qKqdm8ek!");
    EXPECT_EQ(in.message->text, "我的订单");
}

TEST(QqAdapter, AcknowledgesOtherEventsAndReadsNothing) {
    EXPECT_TRUE(parse(fixture("qq/group_add_robot.json")).ignored);
    // A picture alone has no content; other opcodes need nothing.
    auto picture = json::parse(fixture("qq/group_at_message.json"));
    picture["d"].erase("content");
    EXPECT_TRUE(parse(picture.dump()).ignored);
    EXPECT_TRUE(parse(R"({"op":11,"d":0})").ignored);
    EXPECT_TRUE(parse(with_content("group_at_message.json", "   ")).ignored);
    auto robot = json::parse(with_content("group_at_message.json", "菜单"));
    robot["d"]["author"]["bot"] = true;
    EXPECT_TRUE(parse(robot.dump()).ignored);
}

TEST(QqAdapter, NamesTheFieldThatIsWrong) {
    EXPECT_EQ(parse("[]").error, "body must be a JSON object");
    EXPECT_EQ(parse(R"({"op":"0"})").error, "field \"op\" must be a whole number");
    EXPECT_EQ(parse(R"({"op":13,"d":{"event_ts":"1"}})").error, "missing field \"d.plain_token\"");
    EXPECT_EQ(parse(R"({"op":13,"d":{"plain_token":"x","event_ts":{}}})").error,
              "field \"d.event_ts\" must be a string");
    auto event = json::parse(fixture("qq/group_at_message.json"));
    event["d"].erase("id");
    EXPECT_EQ(parse(event.dump()).error, "missing field \"d.id\"");
    event = json::parse(fixture("qq/group_at_message.json"));
    event["d"]["author"] = "someone";
    EXPECT_EQ(parse(event.dump()).error, "field \"d.author\" must be an object");
    event = json::parse(fixture("qq/group_at_message.json"));
    event["d"].erase("group_openid");
    EXPECT_EQ(parse(event.dump()).error, "missing field \"d.group_openid\"");
    event = json::parse(fixture("qq/group_at_message.json"));
    // fuzz_qq found "…TG13:…" sending date::parse into undefined behaviour.
    for (const auto* wrong : {"yesterday", "2023-11-06TG13:37:18+08:00", "2023-02-30T00:00:00Z",
                              "2023-11-06T13:37:18+0800", "2023-11-06T25:00:00Z"}) {
        event["d"]["timestamp"] = wrong;
        EXPECT_EQ(parse(event.dump()).error, "field \"d.timestamp\" must be RFC 3339 time")
            << wrong;
    }
    event = json::parse(fixture("qq/c2c_message.json"));
    event["d"]["content"] = 5;
    EXPECT_EQ(parse(event.dump()).error, "field \"d.content\" must be a string");
}

TEST(QqAdapter, MentionsBecomeIdsAndTheBotsOwnIsDropped) {
    EXPECT_EQ(qq_text("授权 <@E4F4AEA3> 志愿者", {}), "授权 @E4F4AEA3 志愿者");
    EXPECT_EQ(qq_text("确认 <@!ABC123>", {}), "确认 @ABC123");
    EXPECT_EQ(qq_text("<@BOT1> 菜单", {"BOT1"}), "菜单");
    EXPECT_EQ(qq_text("下单 鸡蛋 2 <@BOT1>", {"BOT1"}), "下单 鸡蛋 2");
    EXPECT_EQ(qq_text("确认 <@ABC>", {"BOT1"}), "确认 @ABC");
    EXPECT_EQ(qq_text("<@BOT1>", {"BOT1"}), "");
    // Not a mention: kept as typed.
    EXPECT_EQ(qq_text("下单 <@ 鸡蛋> 2", {}), "下单 <@ 鸡蛋> 2");
    EXPECT_EQ(qq_text("<@", {}), "<@");

    auto event = json::parse(with_content("group_at_message.json", "<@B0T> 菜单"));
    event["t"] = "GROUP_MESSAGE_CREATE";
    event["d"]["mentions"] = json::array({{{"member_openid", "B0T"}, {"is_you", true}}});
    const auto in = parse(event.dump());
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "菜单");
}

// signed_group_order.sig was made by Python's `cryptography` (tests/fixtures/qq/sign_event.py),
// not by loudong's OpenSSL code.
TEST(QqAdapter, LetsInAnEventSignedByAnIndependentImplementation) {
    const qq_platform qq(settings());
    const auto body = fixture("qq/signed_group_order.json");
    auto sig = fixture("qq/signed_group_order.sig");
    sig.erase(sig.find_last_not_of("\n") + 1);
    EXPECT_FALSE(qq.authenticate(signed_request(body, "1733384468", sig)));
    const auto in = qq.read(body, 42);
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "下单 鸡蛋 2");

    // Anything changed, and the signature no longer holds.
    EXPECT_TRUE(qq.authenticate(signed_request(body, "1733384469", sig)));
    EXPECT_TRUE(qq.authenticate(signed_request(body + " ", "1733384468", sig)));
    auto other = settings();
    other.secret = "another-secret";
    EXPECT_TRUE(qq_platform(other).authenticate(signed_request(body, "1733384468", sig)));
    const auto missing = qq.authenticate(signed_request(body, "", sig));
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, http::status::unauthorized);
    request unsigned_req{http::verb::post, "/hook/qq", 11};
    unsigned_req.body() = body;
    EXPECT_TRUE(qq.authenticate(unsigned_req));
}

// A forged op 13 would make the bot sign what an attacker chose: it must be signed like the
// rest (the platform signs it; botgo verifies it before answering).
TEST(QqAdapter, AnUnsignedValidationIsRefused) {
    const qq_platform qq(settings());
    const auto body = fixture("qq/validation.json");
    const auto refused = qq.authenticate(signed_request(body, "1725442341", std::string(128, '0')));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, http::status::unauthorized);
    EXPECT_FALSE(
        qq.authenticate(signed_request(body, "1725442341", key().sign_hex("1725442341" + body))));
}

TEST(QqAdapter, AcknowledgesWithOp12AndRepliesThroughTheApi) {
    const qq_platform qq(settings());
    const auto answer = qq.answer({}, {handlers::reply{"G", "已下单", "m"}});
    EXPECT_EQ(answer.status, http::status::ok);
    EXPECT_EQ(json::parse(answer.body), json::parse(R"({"op":12,"d":0})"));
    EXPECT_TRUE(qq.limits().replies_by_api);
    EXPECT_EQ(qq.limits().text.max, 2000U);
}

TEST(QqAdapter, RepliesPassivelyOnlyWithinThePlatformsWindow) {
    storage::outbox_message m;
    m.reply_to = "ROBOT1.0_x";
    m.reply_seq = 1;
    m.created_at = 1000;
    EXPECT_TRUE(qq_may_reply_passively(m, 1000));
    EXPECT_TRUE(qq_may_reply_passively(m, 1000 + 4 * 60));
    EXPECT_FALSE(qq_may_reply_passively(m, 1000 + 5 * 60));
    m.is_private = true;  // one-to-one: 60 minutes
    EXPECT_TRUE(qq_may_reply_passively(m, 1000 + 50 * 60));
    EXPECT_FALSE(qq_may_reply_passively(m, 1000 + 60 * 60));
    m.reply_seq = 6;  // at most 5 replies to one message
    EXPECT_FALSE(qq_may_reply_passively(m, 1000));
    m.reply_seq = 1;
    m.reply_to.clear();
    EXPECT_FALSE(qq_may_reply_passively(m, 1000));
}

}  // namespace
}  // namespace loudong::bot
