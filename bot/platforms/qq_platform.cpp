#include "bot/platforms/qq_platform.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"
#include "bot/platforms/wire_json.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

constexpr std::string_view group_at = "GROUP_AT_MESSAGE_CREATE";
constexpr std::string_view group_all = "GROUP_MESSAGE_CREATE";
constexpr std::string_view one_to_one = "C2C_MESSAGE_CREATE";

// QQ's answer to a repeated msg_id + msg_seq: the reply was delivered by an earlier attempt
// (one answered but not recorded before a restart).
constexpr long long duplicate_reply = 40054005;

/// A required string field, reporting its path when it is missing or not a non-empty string.
bool read_string(const json& object, const char* field, const std::string& path,
                 std::string& target, std::string& error) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) {
        error = "missing field \"" + path + "\"";
        return false;
    }
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
        error = "field \"" + path + "\" must be a non-empty string";
        return false;
    }
    target = found->get<std::string>();
    return true;
}

/// The digits of `text` from `at` for `count` characters as a number; -1 if any is no digit.
int digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

/// RFC 3339 ("2023-11-06T13:37:18+08:00", "…Z", fractions of a second allowed) or Unix
/// seconds; nullopt when neither. Read by hand: date::parse runs into undefined behaviour on
/// some malformed times (found by fuzz_qq).
std::optional<std::int64_t> event_time(const json& value) {
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        return value.get<std::int64_t>();
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    const std::string_view t = value.get_ref<const std::string&>();
    const int year = digits(t, 0, 4);
    const int month = digits(t, 5, 2);
    const int day = digits(t, 8, 2);
    const int hour = digits(t, 11, 2);
    const int minute = digits(t, 14, 2);
    const int second = digits(t, 17, 2);
    if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
        t[13] != ':' || t[16] != ':' || year < 1970 || month < 1 || day < 1 || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    if (t[at] == '.') {
        ++at;
        while (at < t.size() && t[at] >= '0' && t[at] <= '9') {
            ++at;
        }
    }
    int offset_minutes = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z') && at + 1 == t.size()) {
        offset_minutes = 0;
    } else if (at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && t[at + 3] == ':') {
        const int hours = digits(t, at + 1, 2);
        const int minutes = digits(t, at + 4, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
            return std::nullopt;
        }
        offset_minutes = (t[at] == '+' ? 1 : -1) * (hours * 60 + minutes);
    } else {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                   date::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    const auto days = date::sys_days(ymd).time_since_epoch().count();
    return std::int64_t{days} * 86400 + hour * 3600 + minute * 60 + second -
           std::int64_t{offset_minutes} * 60;
}

/// The ids of this bot among a message's mentions (marked "is_you" or "bot").
std::vector<std::string> bot_mentions(const json& d) {
    std::vector<std::string> ids;
    const auto mentions = d.find("mentions");
    if (mentions == d.end() || !mentions->is_array()) {
        return ids;
    }
    for (const auto& m : *mentions) {
        if (!m.is_object()) {
            continue;
        }
        const auto flag = [&](const char* key) {
            const auto found = m.find(key);
            return found != m.end() && found->is_boolean() && found->get<bool>();
        };
        if (!flag("is_you") && !flag("bot")) {
            continue;
        }
        for (const auto* key : {"member_openid", "user_openid", "id"}) {
            if (auto id = optional_string(m, key); !id.empty()) {
                ids.push_back(std::move(id));
            }
        }
    }
    return ids;
}

/// The error QQ's OpenAPI gives in a refusal's body: {"code":…,"message":…}.
std::string refusal_reason(const http_answer& answer) {
    const auto body = json::parse(answer.body, nullptr, false);
    if (body.is_object()) {
        const auto code = body.value("code", json());
        const auto message = body.value("message", json());
        if (code.is_number_integer() || message.is_string()) {
            return "QQ " +
                   (code.is_number_integer() ? std::to_string(code.get<long long>()) : "?") + ": " +
                   (message.is_string() ? message.get<std::string>() : "") + " (HTTP " +
                   std::to_string(answer.status) + ")";
        }
    }
    return "HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 200);
}

/// Whether an openid can go into a URL path as it is (the platform's are hex).
bool plain_id(std::string_view id) {
    return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '_' || c == '-';
    });
}

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string qq_text(std::string_view content, const std::vector<std::string>& bot_ids) {
    // <@openid> and <@!openid> → @openid.
    std::string text;
    std::size_t i = 0;
    while (i < content.size()) {
        if (content.compare(i, 2, "<@") == 0) {
            auto from = i + 2;
            if (from < content.size() && content[from] == '!') {
                ++from;
            }
            const auto close = content.find('>', from);
            if (close != std::string_view::npos && plain_id(content.substr(from, close - from))) {
                text += '@';
                text += content.substr(from, close - from);
                i = close + 1;
                continue;
            }
        }
        text += content[i++];
    }
    const auto words = without_bot_mentions(text, [&](std::string_view word) {
        return word.size() > 1 && word.front() == '@' &&
               std::find(bot_ids.begin(), bot_ids.end(), word.substr(1)) != bot_ids.end();
    });
    return std::string(words);
}

inbound parse_qq(std::string_view body, const ed25519_key& key, std::int64_t now) {
    json payload;
    if (auto problem = parse_object(body, payload)) {
        return {std::nullopt, std::move(*problem)};
    }
    const auto op = payload.find("op");
    if (op == payload.end() || !op->is_number_integer()) {
        return {std::nullopt, "field \"op\" must be a whole number"};
    }
    const auto d = payload.find("d");
    // Op 13: the platform checks the callback URL by having plain_token signed.
    if (op->get<std::int64_t>() == 13) {
        if (d == payload.end() || !d->is_object()) {
            return {std::nullopt, "field \"d\" must be an object"};
        }
        std::string error;
        std::string token;
        if (!read_string(*d, "plain_token", "d.plain_token", token, error)) {
            return {std::nullopt, error};
        }
        const auto ts = d->find("event_ts");
        std::string event_ts;
        if (ts != d->end() && ts->is_string()) {
            event_ts = ts->get<std::string>();
        } else if (ts != d->end() && ts->is_number_unsigned()) {
            event_ts = std::to_string(ts->get<std::uint64_t>());
        } else {
            return {std::nullopt, "field \"d.event_ts\" must be a string"};
        }
        inbound in;
        in.answer_now =
            dump_json(json{{"plain_token", token}, {"signature", key.sign_hex(event_ts + token)}});
        return in;
    }
    if (op->get<std::int64_t>() != 0) {
        return ignored_inbound();
    }
    const auto type = payload.find("t");
    if (type == payload.end() || !type->is_string()) {
        return {std::nullopt, "field \"t\" must be a string"};
    }
    const bool group = *type == group_at || *type == group_all;
    // GROUP_ADD_ROBOT, FRIEND_ADD, INTERACTION_CREATE, guild events …: acknowledged, not read.
    if (!group && *type != one_to_one) {
        return ignored_inbound();
    }
    if (d == payload.end() || !d->is_object()) {
        return {std::nullopt, "field \"d\" must be an object"};
    }
    handlers::message msg;
    msg.platform = "qq";
    msg.is_private = !group;
    std::string error;
    if (!read_string(*d, "id", "d.id", msg.message_id, error)) {
        return {std::nullopt, error};
    }
    const auto author = d->find("author");
    if (author == d->end() || !author->is_object()) {
        return {std::nullopt, "field \"d.author\" must be an object"};
    }
    if (group) {
        // A member's openid is the bot's own name for them in this group.
        if (!read_string(*author, "member_openid", "d.author.member_openid", msg.sender_id,
                         error) ||
            !read_string(*d, "group_openid", "d.group_openid", msg.chat_id, error)) {
            return {std::nullopt, error};
        }
    } else {
        if (!read_string(*author, "user_openid", "d.author.user_openid", msg.sender_id, error)) {
            return {std::nullopt, error};
        }
        msg.chat_id = msg.sender_id;
    }
    if (const auto is_bot = author->find("bot");
        is_bot != author->end() && is_bot->is_boolean() && is_bot->get<bool>()) {
        return ignored_inbound();
    }
    msg.sender_name = optional_string(*author, "username");
    msg.time = now;
    if (const auto at = d->find("timestamp"); at != d->end() && !at->is_null()) {
        const auto seconds = event_time(*at);
        if (!seconds) {
            return {std::nullopt, "field \"d.timestamp\" must be RFC 3339 time"};
        }
        msg.time = *seconds;
    }
    const auto content = d->find("content");
    if (content == d->end() || content->is_null()) {
        return ignored_inbound();  // a picture or a file alone
    }
    if (!content->is_string()) {
        return {std::nullopt, "field \"d.content\" must be a string"};
    }
    msg.text = qq_text(content->get_ref<const std::string&>(), bot_mentions(*d));
    if (msg.text.empty()) {
        return ignored_inbound();
    }
    return {std::move(msg), {}};
}

bool qq_may_reply_passively(const storage::outbox_message& message, std::int64_t now) {
    if (message.reply_to.empty() || message.reply_seq < 1 || message.reply_seq > 5) {
        return false;
    }
    // A little inside the window: the request takes time to arrive.
    const std::int64_t window = message.is_private ? 60 * 60 : 5 * 60;
    return now - message.created_at < window - 15;
}

qq_platform::qq_platform(const qq_settings& settings)
    // QQ's limit for a text message is 2,000 characters.
    : settings_(settings),
      key_(ed25519_key::qq_seed(settings.secret)),
      limits_{settings.rate, handlers::text_limit{2000, handlers::length_unit::characters}, true} {}

std::optional<refusal> qq_platform::authenticate(const request& req) const {
    const auto signature = req["X-Signature-Ed25519"];
    const auto timestamp = req["X-Signature-Timestamp"];
    if (signature.empty() || timestamp.empty()) {
        return refusal{http::status::unauthorized,
                       "missing X-Signature-Ed25519 or X-Signature-Timestamp"};
    }
    // The platform signs the timestamp followed by the body as it sent it.
    std::string message(timestamp);
    message += req.body();
    if (!key_.verify_hex(message, signature)) {
        return refusal{http::status::unauthorized, "bad X-Signature-Ed25519"};
    }
    return std::nullopt;
}

inbound qq_platform::read(std::string_view body, std::int64_t now) const {
    return parse_qq(body, key_, now);
}

hook_answer qq_platform::answer(const handlers::message&,
                                const std::vector<handlers::reply>&) const {
    // Op 12 with d 0: received. Replies went to the outbox (limits().replies_by_api).
    return {http::status::ok, R"({"op":12,"d":0})"};
}

// Op 12 with d 1: not handled. The platform delivers the event again (tencent-connect/botgo,
// interaction/webhook: "如果处理失败，则返回的 d 为 1，服务端会尝试重试"), which a message that was
// not stored needs, rather than a request to the resident to send it again.
hook_answer qq_platform::unavailable(const handlers::message&, const std::string&) const {
    return {http::status::ok, R"({"op":12,"d":1})"};
}

std::string qq_platform::access_token(std::string& error) const {
    std::lock_guard lock(token_mutex_);
    if (!token_.empty() && steady_ms() < token_expires_ms_ - 60'000) {
        return token_;
    }
    const auto answer =
        http_post(settings_.token_url,
                  dump_json(json{{"appId", settings_.app_id}, {"clientSecret", settings_.secret}}),
                  {}, send_timeout);
    const auto body = json::parse(answer.body, nullptr, false);
    if (answer.status != 200 || !body.is_object() || !body.contains("access_token") ||
        !body["access_token"].is_string() || body["access_token"].get<std::string>().empty()) {
        // The answer may echo what was sent; only its status and code are kept.
        error = answer.status == 0 ? "QQ token: " + answer.error
                                   : "QQ token: HTTP " + std::to_string(answer.status) +
                                         (body.is_object() && body.contains("code")
                                              ? " code " + body["code"].dump()
                                              : std::string());
        return {};
    }
    std::int64_t seconds = 7200;
    // The platform sends expires_in as a string ("7200").
    if (const auto& expires = body["expires_in"]; expires.is_number_integer()) {
        seconds = expires.get<std::int64_t>();
    } else if (expires.is_string()) {
        try {
            seconds = std::stoll(expires.get<std::string>());
        } catch (const std::exception&) {
            seconds = 0;
        }
    }
    token_ = body["access_token"].get<std::string>();
    token_expires_ms_ = steady_ms() + std::max<std::int64_t>(seconds, 0) * 1000;
    return token_;
}

void qq_platform::forget_token(const std::string& token) const {
    std::lock_guard lock(token_mutex_);
    if (token_ == token) {
        token_.clear();
    }
}

delivery qq_platform::send(const storage::outbox_message& message) const {
    if (!plain_id(message.chat_id)) {
        return {delivery::result::failed, 0, "not a QQ openid: " + message.chat_id.substr(0, 64)};
    }
    std::string error;
    const auto token = access_token(error);
    if (token.empty()) {
        return {delivery::result::retry, 0, error};
    }
    json body{{"content", message.text}, {"msg_type", 0}};
    if (qq_may_reply_passively(message, unix_seconds())) {
        body["msg_id"] = message.reply_to;
        body["msg_seq"] = message.reply_seq;
    }
    const auto url = without_trailing_slash(settings_.api_base) +
                     (message.is_private ? "/v2/users/" : "/v2/groups/") + message.chat_id +
                     "/messages";
    const auto answer = http_post(
        url, dump_json(body),
        {{"Authorization", "QQBot " + token}, {"X-Union-Appid", settings_.app_id}}, send_timeout);
    if (answer.status == 401) {
        // The token was revoked or expired early: fetch a new one on the next attempt.
        forget_token(token);
        return {delivery::result::retry, 0, "QQ: token refused (HTTP 401)"};
    }
    auto result = delivery_of(answer);
    if (result.outcome != delivery::result::sent && answer.status >= 400) {
        const auto reply = json::parse(answer.body, nullptr, false);
        if (reply.is_object() && reply.value("code", json()) == duplicate_reply) {
            return {delivery::result::sent, 0, {}};
        }
        result.error = refusal_reason(answer);
    }
    return result;
}

}  // namespace loudong::bot
