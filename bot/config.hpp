#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loudong::bot {

/// A config file the server will not run with; the message names the key.
class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The generic JSON platform (SPEC §2).
struct generic_settings {
    std::string secret;        ///< HMAC-SHA256 key for X-Loudong-Signature; empty = unsigned
    std::string outbound_url;  ///< where the outbox POSTs {"chat_id","text"}
};

/// OneBot v11 (QQ through go-cqhttp, NapCat, Lagrange).
struct onebot_settings {
    std::string secret;
    std::string api_url;
    std::string access_token;
    std::string self_id;
};

/// Telegram Bot API.
struct telegram_settings {
    std::string secret_token;
    std::string api_base = "https://api.telegram.org";
    std::string bot_token;
    std::string bot_username;
};

/// When reminders go out.
struct reminder_settings {
    int task_lead_minutes = 30;
    std::string antigen_daily = "08:00";
    std::string antigen_pending = "12:00";
    int test_call_interval_minutes = 15;
};

/// Everything the server runs with: defaults, then the JSON file, then flags.
struct config {
    std::string listen = "127.0.0.1";
    int port = 8080;
    int threads = 2;
    std::string db = "loudong.db";
    std::string timezone = "Asia/Shanghai";
    std::string locale = "zh-CN";
    std::size_t body_limit = 65536;
    std::string admin_token;
    std::vector<std::string> committee;  ///< "platform:user id"
    generic_settings generic;
    onebot_settings onebot;
    telegram_settings telegram;
    reminder_settings reminders;

    /// Overlays a parsed config file; throws config_error naming an unknown or mistyped key.
    void apply(const nlohmann::json& file);

    /// Reads and overlays a config file; throws config_error when unreadable or invalid.
    void apply_file(const std::string& path);

    /// Checks values that are well-typed but unusable (a port of 70000, an unknown zone).
    void validate() const;
};

}  // namespace loudong::bot
