#include "bot/platforms/generic_platform.hpp"
#include "bot/platforms/wire_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loudong::bot {
namespace {

TEST(GenericAdapter, ReadsTheSpecExample) {
    const auto in = parse_generic(
        R"({"message_id":"m-1","chat_id":"bldg-3","chat_title":"3号楼业主群",
            "sender":{"id":"u-502a","name":"王阿姨"},"text":"下单 鸡蛋 2","time":1651100000})",
        5);
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->platform, "generic");
    EXPECT_EQ(in.message->chat_title, "3号楼业主群");
    EXPECT_EQ(in.message->sender_name, "王阿姨");
    EXPECT_EQ(in.message->text, "下单 鸡蛋 2");
    EXPECT_EQ(in.message->time, 1651100000);
    EXPECT_FALSE(in.message->is_private);
}

TEST(GenericAdapter, TimeDefaultsToNowAndPrivateIsRead) {
    const auto in = parse_generic(
        R"({"message_id":"m","chat_id":"dm","sender":{"id":"u"},"text":"我的","private":true})",
        77);
    ASSERT_TRUE(in.message);
    EXPECT_EQ(in.message->time, 77);
    EXPECT_TRUE(in.message->is_private);
}

TEST(GenericAdapter, NamesTheMissingOrMistypedField) {
    const auto error = [](const char* body) { return parse_generic(body, 0).error; };
    EXPECT_NE(error(R"({"chat_id":"c","sender":{"id":"u"},"text":"t"})").find("message_id"),
              std::string::npos);
    EXPECT_NE(error(R"({"message_id":"m","sender":{"id":"u"},"text":"t"})").find("chat_id"),
              std::string::npos);
    EXPECT_NE(error(R"({"message_id":"m","chat_id":"c","text":"t"})").find("sender.id"),
              std::string::npos);
    EXPECT_NE(
        error(R"({"message_id":"m","chat_id":"c","sender":{"id":7},"text":"t"})").find("sender.id"),
        std::string::npos);
    EXPECT_NE(error(R"({"message_id":"m","chat_id":"c","sender":{"id":"u"}})").find("text"),
              std::string::npos);
    EXPECT_NE(error(R"({"message_id":1,"chat_id":"c","sender":{"id":"u"},"text":"t"})")
                  .find("message_id"),
              std::string::npos);
    EXPECT_NE(
        error(R"({"message_id":"m","chat_id":"c","sender":{"id":"u"},"text":"t","time":"now"})")
            .find("time"),
        std::string::npos);
    EXPECT_NE(error(R"({"message_id":"m","chat_id":"c","sender":"u","text":"t"})").find("sender"),
              std::string::npos);
    EXPECT_NE(error(R"({"message_id":"m",)").find("malformed JSON"), std::string::npos);
    EXPECT_NE(error("[]").find("object"), std::string::npos);
    EXPECT_NE(error("{\"message_id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":"
                    "\"\xff\xfe\"}")
                  .find("malformed JSON"),
              std::string::npos);
}

TEST(GenericAdapter, ErrorBodiesAreValidJsonEvenForInvalidUtf8) {
    const auto body = error_body("bad \xff byte");
    EXPECT_TRUE(nlohmann::json::accept(body));
}

TEST(GenericAdapter, ResponseCarriesEveryReply) {
    const auto body =
        nlohmann::json::parse(generic_response({{"bldg-3", "已登记：3号楼502室。", "m-1"}}));
    ASSERT_EQ(body["replies"].size(), 1u);
    EXPECT_EQ(body["replies"][0]["chat_id"], "bldg-3");
    EXPECT_EQ(body["replies"][0]["reply_to"], "m-1");
    EXPECT_EQ(nlohmann::json::parse(generic_response({}))["replies"].size(), 0u);
}

}  // namespace
}  // namespace loudong::bot
