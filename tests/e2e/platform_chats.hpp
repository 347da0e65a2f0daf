#pragma once

// The Telegram and OneBot sides the end-to-end tests share: a config section pointing at a fake
// platform, and the committee member's messages as each platform posts them
// (tests/fixtures/).

#include <string>

#include <nlohmann/json.hpp>

#include "../support/fixtures.hpp"
#include "bot/config.hpp"
#include "bot/platforms/signature.hpp"

namespace loudong::testing {

/// The Telegram section: its webhook secret "tg-secret", its Bot API at `api_base` (a fake).
inline void use_telegram(bot::config& cfg, const std::string& api_base) {
    cfg.telegram.enabled = true;
    cfg.telegram.secret_token = "tg-secret";
    cfg.telegram.bot_username = "loudong_bot";
    cfg.telegram.bot_token = "123:ABC";
    cfg.telegram.api_base = api_base;
}

/// The OneBot section: signed with "onebot-secret", its HTTP API at `api_url` (a fake).
inline void use_onebot(bot::config& cfg, const std::string& api_url) {
    cfg.onebot.enabled = true;
    cfg.onebot.secret = "onebot-secret";
    cfg.onebot.self_id = "10000";
    cfg.onebot.api_url = api_url;
}

/// The QQ official bot section: the secret of QQ's documented example, its OpenAPI and token
/// endpoint on a fake at `api_base`.
inline void use_qq(bot::config& cfg, const std::string& api_base) {
    cfg.qq.enabled = true;
    cfg.qq.app_id = "102000001";
    cfg.qq.secret = "DG5g3B4j9X2KOErG";
    cfg.qq.api_base = api_base;
    cfg.qq.token_url = api_base + "/app/getAppAccessToken";
}

/// The headers QQ signs an event with (Ed25519 over timestamp + body, key from the secret).
inline std::map<std::string, std::string> qq_signature(
    const std::string& body, const std::string& timestamp = "1733384468") {
    static const bot::ed25519_key key(bot::ed25519_key::qq_seed("DG5g3B4j9X2KOErG"));
    return {{"X-Signature-Ed25519", key.sign_hex(timestamp + body)},
            {"X-Signature-Timestamp", timestamp},
            {"X-Bot-Appid", "102000001"}};
}

/// A group message to the bot (qq/group_at_message.json) from `member` in `group`, with a
/// new message id `n`.
inline std::string qq_group_event(const std::string& group, const std::string& member,
                                  const std::string& text, int n) {
    auto event = nlohmann::json::parse(fixture("qq/group_at_message.json"));
    event["d"]["group_openid"] = group;
    event["d"]["author"]["member_openid"] = member;
    event["d"]["content"] = " " + text;
    event["d"]["id"] = "ROBOT1.0_msg" + std::to_string(n);
    event["d"].erase("timestamp");  // now
    return event.dump();
}

/// An update in which 林老师 (telegram:5087654321) says `text` in the supergroup of
/// telegram/supergroup_command.json; `n` makes its update and message ids new.
inline std::string telegram_update(const std::string& text, int n) {
    auto update = nlohmann::json::parse(fixture("telegram/supergroup_command.json"));
    update["update_id"] = update["update_id"].get<std::int64_t>() + n;
    update["message"]["message_id"] = 50000 + n;
    update["message"]["text"] = text;
    update["message"].erase("entities");
    return update.dump();
}

/// The headers of a OneBot event post signed with "onebot-secret".
inline std::map<std::string, std::string> onebot_signature(const std::string& body) {
    return {{"X-Signature", "sha1=" + bot::hmac_hex(bot::digest::sha1, "onebot-secret", body)}};
}

}  // namespace loudong::testing
