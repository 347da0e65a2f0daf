#include "bot/platforms/platform_table.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bot/platforms/signature.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {
namespace {

request post(const std::string& body) {
    request req{http::verb::post, "/hook/x", 11};
    req.body() = body;
    return req;
}

// Every platform configured, none verifying (as with "unsigned": true).
config all_platforms() {
    config cfg;
    cfg.onebot.enabled = true;
    cfg.onebot.allow_unsigned = true;
    cfg.telegram.enabled = true;
    cfg.telegram.allow_unsigned = true;
    return cfg;
}

config with_secrets() {
    auto cfg = all_platforms();
    cfg.generic.secret = "g-secret";
    cfg.onebot.secret = "o-secret";
    cfg.telegram.secret_token = "t-secret";
    return cfg;
}

TEST(PlatformTable, FindsEachPlatformByItsNameAndNothingElse) {
    const auto cfg = all_platforms();
    const platform_table table(cfg);
    std::set<std::string> names;
    for (const auto& p : table.all()) {
        EXPECT_EQ(table.find(p->name()), p.get());
        names.emplace(p->name());
    }
    EXPECT_EQ(names, (std::set<std::string>{"generic", "onebot", "telegram"}));
    EXPECT_EQ(table.find("wechat"), nullptr);
    EXPECT_EQ(table.find(""), nullptr);
    EXPECT_EQ(table.find("OneBot"), nullptr);
}

TEST(PlatformTable, OnlyConfiguredPlatformsAreServed) {
    // The default: /hook/generic on loopback, nothing else (SPEC §8 item 10).
    config cfg;
    const platform_table local(cfg);
    ASSERT_EQ(local.all().size(), 1u);
    EXPECT_NE(local.find("generic"), nullptr);
    // Listening on every address, the generic hook needs its secret.
    cfg.listen = "0.0.0.0";
    EXPECT_EQ(platform_table(cfg).find("generic"), nullptr);
    cfg.generic.secret = "g-secret";
    EXPECT_NE(platform_table(cfg).find("generic"), nullptr);
    cfg.onebot.enabled = true;
    cfg.onebot.secret = "o-secret";
    const platform_table with_onebot(cfg);
    EXPECT_NE(with_onebot.find("onebot"), nullptr);
    EXPECT_EQ(with_onebot.find("telegram"), nullptr);
}

TEST(PlatformTable, EachPlatformSendsWithinTheRatesOfItsConfig) {
    auto cfg = all_platforms();
    cfg.onebot.rate = {1500, 12, 5};
    const platform_table table(cfg);
    EXPECT_EQ(table.find("onebot")->limits().rate.per_chat_interval_ms, 1500);
    EXPECT_EQ(table.find("onebot")->limits().rate.per_chat_per_minute, 12);
    EXPECT_EQ(table.find("telegram")->limits().rate.global_per_second, 30);
    // Without an API to send parts through, no platform states a limit.
    for (const auto& p : table.all()) {
        EXPECT_EQ(p->limits().text.max, 0u) << p->name();
    }
    // sendMessage takes 1-4096 characters, counted in UTF-16 units; QQ's spam control holds
    // back long messages, so OneBot parts are at most 1,500 characters.
    cfg.telegram.bot_token = "123:abc";
    cfg.onebot.api_url = "http://127.0.0.1:5700";
    const platform_table sending(cfg);
    EXPECT_EQ(sending.find("telegram")->limits().text.max, 4096u);
    EXPECT_EQ(sending.find("telegram")->limits().text.unit, handlers::length_unit::utf16);
    EXPECT_EQ(sending.find("onebot")->limits().text.max, 1500u);
    EXPECT_EQ(sending.find("onebot")->limits().text.unit, handlers::length_unit::characters);
    EXPECT_EQ(sending.find("generic")->limits().text.max, 0u);
}

TEST(PlatformTable, WithoutSecretsEveryRequestIsLetIn) {
    const auto cfg = all_platforms();
    const platform_table table(cfg);
    for (const auto& p : table.all()) {
        EXPECT_FALSE(p->authenticate(post("{}"))) << p->name();
    }
}

TEST(PlatformTable, EachPlatformChecksItsOwnSignatureTheWayItsProtocolSays) {
    const auto cfg = with_secrets();
    const platform_table table(cfg);
    const std::string body = R"({"post_type":"message"})";

    auto onebot = post(body);
    EXPECT_EQ(table.find("onebot")->authenticate(onebot)->status, http::status::unauthorized);
    onebot.set("X-Signature", "sha1=" + hmac_hex(digest::sha1, "wrong", body));
    EXPECT_EQ(table.find("onebot")->authenticate(onebot)->status, http::status::forbidden);
    onebot.set("X-Signature", "sha1=" + hmac_hex(digest::sha1, "o-secret", body));
    EXPECT_FALSE(table.find("onebot")->authenticate(onebot));

    auto generic = post(body);
    EXPECT_EQ(table.find("generic")->authenticate(generic)->reason, "missing X-Loudong-Signature");
    generic.set("X-Loudong-Signature", "sha256=" + hmac_hex(digest::sha256, "g-secret", body));
    EXPECT_FALSE(table.find("generic")->authenticate(generic));
    // Another platform's secret is no key here.
    generic.set("X-Loudong-Signature", "sha256=" + hmac_hex(digest::sha256, "o-secret", body));
    EXPECT_EQ(table.find("generic")->authenticate(generic)->reason, "bad X-Loudong-Signature");

    auto telegram = post(body);
    telegram.set("X-Telegram-Bot-Api-Secret-Token", "g-secret");
    EXPECT_EQ(table.find("telegram")->authenticate(telegram)->status, http::status::unauthorized);
    telegram.set("X-Telegram-Bot-Api-Secret-Token", "t-secret");
    EXPECT_FALSE(table.find("telegram")->authenticate(telegram));
}

TEST(PlatformTable, NothingToSayIsEachPlatformsOwnEmptyAnswer) {
    const auto cfg = all_platforms();
    const platform_table table(cfg);
    const auto onebot = table.find("onebot")->answer({}, {});
    EXPECT_EQ(onebot.status, http::status::no_content);
    EXPECT_EQ(onebot.body, "");
    const auto telegram = table.find("telegram")->answer({}, {});
    EXPECT_EQ(telegram.status, http::status::ok);
    EXPECT_EQ(telegram.body, "{}");
    const auto generic = table.find("generic")->answer({}, {});
    EXPECT_EQ(generic.status, http::status::ok);
    EXPECT_EQ(nlohmann::json::parse(generic.body)["replies"].size(), 0u);
}

TEST(PlatformTable, AnAnswerGoesToTheMessagesChatAsItsPlatformAddressesIt) {
    const auto cfg = all_platforms();
    const platform_table table(cfg);
    handlers::message msg;
    msg.chat_id = "-1001987654321";
    msg.message_id = "1204";
    const std::vector<handlers::reply> replies{{msg.chat_id, "已登记：3号楼502室。", "1204"}};
    const auto telegram = nlohmann::json::parse(table.find("telegram")->answer(msg, replies).body);
    EXPECT_EQ(telegram["method"], "sendMessage");
    EXPECT_EQ(telegram["chat_id"], -1001987654321);
    EXPECT_EQ(telegram["reply_to_message_id"], 1204);
    const auto onebot = nlohmann::json::parse(table.find("onebot")->answer(msg, replies).body);
    EXPECT_EQ(onebot["reply"], "已登记：3号楼502室。");
    EXPECT_EQ(onebot["at_sender"], false);
}

TEST(PlatformTable, ASendWithoutItsApiConfiguredFailsAndSaysWhichSetting) {
    const auto cfg = all_platforms();
    const platform_table table(cfg);
    storage::outbox_message message;
    message.chat_id = "610254837";
    message.text = "通知";
    for (const auto& [name, setting] :
         {std::pair{"generic", "generic.outbound_url"}, std::pair{"onebot", "onebot.api_url"},
          std::pair{"telegram", "telegram.bot_token"}}) {
        message.platform = name;
        const auto result = table.find(name)->send(message);
        EXPECT_EQ(result.outcome, delivery::result::failed) << name;
        EXPECT_NE(result.error.find(setting), std::string::npos) << result.error;
    }
}

}  // namespace
}  // namespace loudong::bot
