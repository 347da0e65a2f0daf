#include "bot/config.hpp"

#include <map>

#include <gtest/gtest.h>

namespace loudong::bot {
namespace {

config applied(const std::string& text) {
    config cfg;
    cfg.apply(nlohmann::json::parse(text));
    return cfg;
}

std::string error_of(const std::string& text) {
    try {
        auto cfg = applied(text);
        cfg.validate();
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

TEST(Config, DefaultsMatchTheSpec) {
    config cfg;
    EXPECT_EQ(cfg.port, 8080);
    EXPECT_EQ(cfg.db, "loudong.db");
    EXPECT_EQ(cfg.timezone, "Asia/Shanghai");
    EXPECT_EQ(cfg.locale, "zh-CN");
    EXPECT_EQ(cfg.body_limit, 65536u);
    EXPECT_EQ(cfg.floods.member_per_minute, 20);
    EXPECT_EQ(cfg.floods.staff_per_minute, 120);
    EXPECT_NO_THROW(cfg.validate());
    EXPECT_EQ(applied(R"({"floods": {"member_per_minute": 0}})").floods.member_per_minute, 0);
}

TEST(Config, TheSpecExampleIsAccepted) {
    const auto cfg =
        applied(R"({"listen": "127.0.0.1", "port": 8080, "threads": 2, "db": "loudong.db",
      "timezone": "Asia/Shanghai", "locale": "zh-CN", "body_limit": 65536, "admin_token": "t",
      "committee": ["generic:u-admin", "onebot:10001", "telegram:123456"],
      "generic":  {"secret": "s", "outbound_url": "http://127.0.0.1:9000/send"},
      "onebot":   {"secret": "s", "api_url": "http://127.0.0.1:5700", "access_token": "a", "self_id": "10000"},
      "telegram": {"secret_token": "s", "api_base": "https://api.telegram.org", "bot_token": "b", "bot_username": "loudong_bot"},
      "reminders": {"task_lead_minutes": 30, "antigen_daily": "08:00", "antigen_pending": "12:00",
                    "test_call_interval_minutes": 15}})");
    EXPECT_NO_THROW(cfg.validate());
    EXPECT_EQ(cfg.committee.size(), 3u);
    EXPECT_EQ(cfg.onebot.self_id, "10000");
    EXPECT_EQ(cfg.reminders.antigen_pending, "12:00");
}

TEST(Config, UnknownKeysAndWrongTypesAreNamed) {
    EXPECT_NE(error_of(R"({"prot": 80})").find("\"prot\""), std::string::npos);
    EXPECT_NE(error_of(R"({"generic": {"secrte": "x"}})").find("\"generic.secrte\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"port": "8080"})").find("\"port\""), std::string::npos);
    EXPECT_NE(error_of(R"({"committee": "generic:u-admin"})").find("\"committee\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"reminders": {"antigen_daily": 8}})").find("reminders.antigen_daily"),
              std::string::npos);
    EXPECT_NE(error_of(R"([1, 2])").find("object"), std::string::npos);
}

TEST(Config, UnusableValuesAreRefused) {
    EXPECT_NE(error_of(R"({"port": 70000})").find("port"), std::string::npos);
    EXPECT_NE(error_of(R"({"timezone": "Mars/Olympus"})").find("Mars/Olympus"), std::string::npos);
    EXPECT_NE(error_of(R"({"locale": "fr"})").find("locale"), std::string::npos);
    EXPECT_NE(error_of(R"({"committee": ["u-admin"]})").find("u-admin"), std::string::npos);
    EXPECT_NE(error_of(R"({"reminders": {"antigen_daily": "25:00"}})").find("antigen_daily"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"floods": {"member_per_minute": -1}})").find("floods"),
              std::string::npos);
}

// SPEC §8 item 10: a webhook that verifies nothing is refused unless the section says so.
TEST(Config, AnUnsignedOnebotOrTelegramSectionIsRefusedUnlessItSaysUnsigned) {
    const auto onebot = error_of(R"({"onebot": {"api_url": "http://127.0.0.1:5700"}})");
    EXPECT_NE(onebot.find("\"onebot.secret\" is empty"), std::string::npos) << onebot;
    EXPECT_NE(onebot.find("\"unsigned\": true"), std::string::npos) << onebot;
    const auto telegram = error_of(R"({"telegram": {"bot_token": "b"}})");
    EXPECT_NE(telegram.find("\"telegram.secret_token\" is empty"), std::string::npos) << telegram;
    EXPECT_NE(error_of(R"({"onebot": {"unsigned": "yes"}})").find("onebot.unsigned"),
              std::string::npos);
    const auto unsigned_ok =
        applied(R"({"onebot": {"unsigned": true}, "telegram": {"secret_token": "t"}})");
    EXPECT_NO_THROW(unsigned_ok.validate());
    std::map<std::string, endpoint_note> by_path;
    for (const auto& e : unsigned_ok.endpoints()) {
        by_path[e.path] = e;
    }
    EXPECT_TRUE(by_path.at("/hook/onebot").warning);
    EXPECT_NE(by_path.at("/hook/onebot").how.find("UNSIGNED"), std::string::npos);
    EXPECT_FALSE(by_path.at("/hook/telegram").warning);
    EXPECT_NE(by_path.at("/hook/generic").how.find("unsigned, served because listen 127.0.0.1"),
              std::string::npos);
}

TEST(Config, APlatformIsOnlyWhenItsSectionIsThere) {
    EXPECT_FALSE(applied(R"({"port": 8080})").onebot.enabled);
    EXPECT_TRUE(applied(R"({"onebot": {"secret": "s"}})").onebot.enabled);
    EXPECT_FALSE(applied(R"({"onebot": {"secret": "s"}})").telegram.enabled);
    auto everywhere = applied(R"({"listen": "0.0.0.0"})");
    EXPECT_FALSE(everywhere.serves_generic());
    EXPECT_NE(everywhere.endpoints().front().how.find("not served"), std::string::npos);
    everywhere.generic.secret = "g";
    EXPECT_TRUE(everywhere.serves_generic());
}

TEST(Config, AQqSectionNeedsTheBotsAppIdAndSecret) {
    EXPECT_FALSE(applied(R"({"port": 8080})").qq.enabled);
    const auto missing = error_of(R"({"qq": {"app_id": "102000001"}})");
    EXPECT_NE(missing.find("\"qq.secret\" must both be set"), std::string::npos) << missing;
    const auto qq = applied(
        R"({"qq": {"app_id": "102000001", "secret": "DG5g3B4j9X2KOErG",
                   "api_base": "https://sandbox.api.sgroup.qq.com"},
            "committee": ["qq:E4F4AEA33253A2797FB897C50B81D7ED"]})");
    EXPECT_NO_THROW(qq.validate());
    EXPECT_TRUE(qq.qq.enabled);
    EXPECT_EQ(qq.qq.api_base, "https://sandbox.api.sgroup.qq.com");
    EXPECT_EQ(qq.qq.token_url, "https://bots.qq.com/app/getAppAccessToken");
    std::map<std::string, endpoint_note> by_path;
    for (const auto& e : qq.endpoints()) {
        by_path[e.path] = e;
    }
    EXPECT_NE(by_path.at("/hook/qq").how.find("Ed25519"), std::string::npos);
    EXPECT_NE(error_of(R"({"qq": {"app_id": 1}})").find("qq.app_id"), std::string::npos);
}

TEST(Config, AWecomSectionNeedsTheTokenAndA43CharacterKey) {
    EXPECT_NE(error_of(R"({"wecom": {"token": "t"}})").find("wecom.encoding_aes_key"),
              std::string::npos);
    EXPECT_NE(
        error_of(R"({"wecom": {"token": "t", "encoding_aes_key": "short"}})").find("43 characters"),
        std::string::npos);
    const auto ok = applied(R"({"wecom": {"token": "QDG6eK",
        "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"},
        "committee": ["wecom:zhangwei"]})");
    EXPECT_NO_THROW(ok.validate());
    EXPECT_EQ(ok.wecom.webhook_base, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send");
    EXPECT_EQ(ok.wecom.rate.per_chat_per_minute, 20);
}

TEST(Config, OnebotRepliesQuicklyOrThroughTheApi) {
    EXPECT_EQ(applied(R"({"onebot": {"secret": "s"}})").onebot.reply, "quick");
    EXPECT_NE(error_of(R"({"onebot": {"secret": "s", "reply": "fast"}})")
                  .find("\"onebot.reply\" must be \"quick\" or \"api\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"onebot": {"secret": "s", "reply": "api"}})").find("onebot.api_url"),
              std::string::npos);
    EXPECT_EQ(error_of(R"({"onebot": {"secret": "s", "reply": "api",
                                      "api_url": "http://127.0.0.1:3000"}})"),
              "");
}

// SPEC §7's example: a street office's compounds, each with its committee, and its own staff.
TEST(Config, CompoundsAndTheStreetOfficeAreReadAsTheSpecShowsThem) {
    const auto cfg = applied(
        R"({"compounds": {"zijing": {"name": "紫荆小区", "committee": ["onebot:10001"]},
                          "gumei9": {"name": "古美九村", "committee": ["telegram:5087654321"]}},
            "street": ["onebot:90001"]})");
    EXPECT_NO_THROW(cfg.validate());
    const auto compounds = cfg.effective_compounds();
    ASSERT_EQ(compounds.size(), 2u);
    EXPECT_EQ(compounds.at("zijing").name, "紫荆小区");
    EXPECT_EQ(compounds.at("gumei9").committee, std::vector<std::string>{"telegram:5087654321"});
    EXPECT_EQ(cfg.street, std::vector<std::string>{"onebot:90001"});
}

TEST(Config, WithoutCompoundsTheTopLevelCommitteeRunsCompoundDefault) {
    const auto cfg = applied(R"({"committee": ["generic:u-admin"]})");
    const auto compounds = cfg.effective_compounds();
    ASSERT_EQ(compounds.size(), 1u);
    EXPECT_EQ(compounds.begin()->first, "default");
    EXPECT_EQ(compounds.begin()->second.committee, std::vector<std::string>{"generic:u-admin"});
}

TEST(Config, UnusableCompoundsAreRefusedNamingTheKey) {
    EXPECT_NE(error_of(R"({"compounds": {"zijing": {"name": "紫荆小区", "comittee": []}}})")
                  .find("compounds.zijing.comittee"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"compounds": {"紫荆": {"name": "紫荆小区"}}})").find("compounds.紫荆"),
              std::string::npos);
    EXPECT_NE(
        error_of(R"({"compounds": {"zijing": {"committee": []}}})").find("compounds.zijing.name"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"compounds": {"a": {"name": "紫荆小区"}, "b": {"name": "紫荆小区"}}})")
                  .find("names two compounds"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"compounds": {"a": {"name": "A", "committee": ["10001"]}}})")
                  .find("compounds.a.committee"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"street": ["90001"]})").find("\"street\""), std::string::npos);
    // A top-level committee beside compounds would be nobody's: refused, not guessed.
    EXPECT_NE(error_of(R"({"committee": ["generic:u-admin"],
                           "compounds": {"a": {"name": "A"}}})")
                  .find("compounds.<id>.committee"),
              std::string::npos);
}

}  // namespace
}  // namespace loudong::bot
