#pragma once

#include <cstddef>
#include <map>
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

/// How fast the outbox may send to one platform.
struct rate_limits {
    int per_chat_interval_ms = 1000;  ///< at least this long between two messages to one chat
    int per_chat_per_minute = 20;     ///< at most this many messages to one chat a minute
    int global_per_second = 30;       ///< at most this many messages a second in all
};

/// The generic JSON platform (SPEC §2).
struct generic_settings {
    std::string secret;        ///< HMAC-SHA256 key for X-Loudong-Signature; empty = unsigned
    std::string outbound_url;  ///< where the outbox POSTs {"chat_id","text"}
    rate_limits rate{100, 600, 200};
};

/// OneBot v11 (QQ through go-cqhttp, NapCat, Lagrange).
struct onebot_settings {
    bool enabled = false;         ///< the config has an "onebot" section: /hook/onebot is served
    bool allow_unsigned = false;  ///< "unsigned": true, to run without a secret (warned at start)
    std::string secret;
    std::string api_url;
    std::string access_token;
    std::string self_id;
    /// "quick": answers ride in the webhook's answer (OneBot's quick operation); "api": through
    /// send_group_msg / send_private_msg (Lagrange.OneBot and LLOneBot before 3.19.1 ignore
    /// quick operations).
    std::string reply = "quick";
    /// QQ has no published bot limits; these stay well below what triggers its risk control.
    rate_limits rate{1000, 20, 20};
};

/// Telegram Bot API.
struct telegram_settings {
    bool enabled = false;         ///< the config has a "telegram" section: /hook/telegram is served
    bool allow_unsigned = false;  ///< "unsigned": true, to run without secret_token
    std::string secret_token;
    std::string api_base = "https://api.telegram.org";
    std::string bot_token;
    std::string bot_username;
    /// Telegram's published limits: about 1/s per chat, 20/min per group, 30/s in all.
    rate_limits rate{1000, 20, 30};
};

/// QQ's official bot API v2 (SPEC §9): events signed with Ed25519 by a key made from the bot
/// secret, replies and outbox messages through the OpenAPI with an access token.
struct qq_settings {
    bool enabled = false;  ///< the config has a "qq" section: /hook/qq is served
    std::string app_id;
    std::string secret;  ///< the bot secret (AppSecret): signs events and fetches tokens
    std::string api_base = "https://api.sgroup.qq.com";
    std::string token_url = "https://bots.qq.com/app/getAppAccessToken";
    /// QQ publishes no per-group rate for groups; 5 a second per channel is its channel limit.
    /// These keep a notice to every building well inside both.
    rate_limits rate{500, 40, 40};
};

/// WeCom's AI bot in API mode (SPEC §9): encrypted callbacks, passive stream replies, and the
/// outbox through each chat's group robot webhook.
struct wecom_settings {
    bool enabled = false;          ///< the config has a "wecom" section: /hook/wecom is served
    std::string token;             ///< the AI bot's API settings: Token
    std::string encoding_aes_key;  ///< and EncodingAESKey (43 characters)
    std::string webhook_base = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
    /// A group robot takes at most 20 messages a minute.
    rate_limits rate{3000, 20, 20};
};

/// One compound (小区) of a street office's instance.
struct compound_config {
    std::string name;                    ///< as residents call it: 紫荆小区
    std::vector<std::string> committee;  ///< "platform:user id"
};

/// When reminders go out.
struct reminder_settings {
    int task_lead_minutes = 30;
    std::string antigen_daily = "08:00";
    std::string antigen_pending = "12:00";
    int test_call_interval_minutes = 15;
    /// A timed job found this late (the server was down) is dropped, and the committee told.
    int stale_after_minutes = 120;
};

/// How many command messages a minute one member may send (SPEC §8 item 11); 0: no limit (for
/// benchmarks that send thousands from a few residents).
struct flood_settings {
    int member_per_minute = 20;
    int staff_per_minute = 120;  ///< committee members, street staff and leads
};

/// One HTTP endpoint as the start-up log lists it (SPEC §8 item 10).
struct endpoint_note {
    std::string path;
    std::string how;       ///< how it is authenticated, or why it is not served
    bool warning = false;  ///< served without authentication on purpose
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
    /// Where the console is reached from outside, e.g. https://loudong.example.org (SPEC §12);
    /// empty: `控制台` says the console is off.
    std::string public_url;
    /// Without `compounds`: the committee of the one compound, "default".
    std::vector<std::string> committee;                ///< "platform:user id"
    std::map<std::string, compound_config> compounds;  ///< by id, e.g. "zijing"
    std::vector<std::string> street;  ///< street office staff: committee rights everywhere
    generic_settings generic;
    onebot_settings onebot;
    telegram_settings telegram;
    qq_settings qq;
    wecom_settings wecom;
    reminder_settings reminders;
    flood_settings floods;

    /// Overlays a parsed config file; throws config_error naming an unknown or mistyped key.
    void apply(const nlohmann::json& file);

    /// Reads and overlays a config file; throws config_error when unreadable or invalid.
    void apply_file(const std::string& path);

    /// The compounds to run: `compounds`, or else one "default" with the top-level committee.
    std::map<std::string, compound_config> effective_compounds() const;

    /// Checks values that are well-typed but unusable (a port of 70000, an unknown zone), and
    /// refuses a OneBot or Telegram section that verifies nothing unless it says "unsigned".
    void validate() const;

    /// Whether `listen` accepts connections from this machine only.
    bool listens_locally() const;

    /// /hook/generic is served on a loopback `listen`, or anywhere once generic.secret is set.
    bool serves_generic() const { return listens_locally() || !generic.secret.empty(); }

    /// Every endpoint and how it is authenticated, for the start-up log.
    std::vector<endpoint_note> endpoints() const;
};

}  // namespace loudong::bot
