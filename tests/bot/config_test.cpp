#include "bot/config.hpp"

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
    EXPECT_NO_THROW(cfg.validate());
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
}

}  // namespace
}  // namespace loudong::bot
