#include "bot/platforms/wecom_platform.hpp"

#include <chrono>
#include <utility>

#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"
#include "bot/platforms/signature.hpp"
#include "bot/platforms/wire_json.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

// The group robot's answer when a robot sent more than 20 messages in a minute (45009 "api
// freq out of limit"; 130101 on some accounts, as issue 15 saw): wait for the minute to pass.
constexpr long long robot_too_fast = 45009;
constexpr long long robot_too_fast_alt = 130101;

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("OpenSSL has no random bytes");
    }
    return out;
}

/// The texts of a message: text, voice (WeCom transcribes it), and the text items of a mixed one.
std::optional<std::string> words_of(const json& message, const std::string& type) {
    const auto content_of = [](const json& holder, const char* key) -> std::optional<std::string> {
        const auto found = holder.find(key);
        if (found == holder.end() || !found->is_object()) {
            return std::nullopt;
        }
        const auto content = found->find("content");
        if (content == found->end() || !content->is_string()) {
            return std::nullopt;
        }
        return content->get<std::string>();
    };
    if (type == "text" || type == "voice") {
        return content_of(message, type.c_str());
    }
    if (type == "mixed") {
        const auto mixed = message.find("mixed");
        if (mixed == message.end() || !mixed->is_object() || !mixed->contains("msg_item") ||
            !(*mixed)["msg_item"].is_array()) {
            return std::nullopt;
        }
        std::string text;
        for (const auto& item : (*mixed)["msg_item"]) {
            if (item.is_object() && item.value("msgtype", json()) == "text") {
                if (auto part = content_of(item, "text")) {
                    text += (text.empty() ? "" : "\n") + *part;
                }
            }
        }
        return text;
    }
    return std::nullopt;
}

}  // namespace

std::string query_parameter(std::string_view target, std::string_view name) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) {
        return {};
    }
    auto query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return url_decoded(eq == std::string_view::npos ? std::string_view{}
                                                            : pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return {};
}

inbound parse_wecom(std::string_view plain, std::int64_t now) {
    json message;
    if (auto problem = parse_object(plain, message)) {
        return {std::nullopt, std::move(*problem)};
    }
    const auto type = optional_string(message, "msgtype");
    if (type.empty()) {
        return {std::nullopt, "field \"msgtype\" must be a string"};
    }
    // Events (entering the chat, feedback, card clicks), stream refreshes, pictures and files:
    // acknowledged, nothing to read.
    auto words = words_of(message, type);
    if (!words) {
        return type == "text" || type == "voice" || type == "mixed"
                   ? inbound{std::nullopt, "field \"" + type + ".content\" must be a string"}
                   : ignored_inbound();
    }
    handlers::message msg;
    msg.platform = "wecom";
    msg.message_id = optional_string(message, "msgid");
    if (msg.message_id.empty()) {
        return {std::nullopt, "field \"msgid\" must be a non-empty string"};
    }
    const auto from = message.find("from");
    if (from == message.end() || !from->is_object()) {
        return {std::nullopt, "field \"from\" must be an object"};
    }
    msg.sender_id = optional_string(*from, "userid");
    if (msg.sender_id.empty()) {
        return {std::nullopt, "field \"from.userid\" must be a non-empty string"};
    }
    const bool group = optional_string(message, "chattype") == "group";
    if (group) {
        msg.chat_id = optional_string(message, "chatid");
        if (msg.chat_id.empty()) {
            return {std::nullopt, "field \"chatid\" must be a non-empty string in a group"};
        }
    } else {
        msg.chat_id = msg.sender_id;
        msg.is_private = true;
    }
    msg.time = now;
    if (const auto at = message.find("create_time");
        at != message.end() && at->is_number_integer() && at->get<std::int64_t>() >= 0) {
        msg.time = at->get<std::int64_t>();
    }
    std::string_view text = trim_spaces(*words);
    // In a group the bot is only told of messages that @ it, and that mention leads the text.
    if (group && text.starts_with('@')) {
        const auto space = text.find_first_of(" \t\r\n");
        text =
            space == std::string_view::npos ? std::string_view{} : trim_spaces(text.substr(space));
    }
    if (text.empty()) {
        return ignored_inbound();
    }
    msg.text = std::string(text);
    return {std::move(msg), {}};
}

std::string wecom_encrypted_answer(const wecom_crypto& crypto, std::string_view plain,
                                   const std::string& timestamp, const std::string& nonce,
                                   std::string_view random_16) {
    const auto encrypted = crypto.encrypt(plain, random_16);
    return dump_json(json{{"encrypt", encrypted},
                          {"msgsignature", crypto.signature(timestamp, nonce, encrypted)},
                          {"timestamp", timestamp},
                          {"nonce", nonce}});
}

wecom_platform::wecom_platform(const wecom_settings& settings)
    // A group robot's text message takes at most 2,048 bytes of UTF-8.
    : settings_(settings),
      crypto_(settings.token, settings.encoding_aes_key),
      limits_{settings.rate, handlers::text_limit{2048, handlers::length_unit::bytes}} {}

std::optional<refusal> wecom_platform::authenticate(const request& req) const {
    if (req.method() != http::verb::post) {
        return std::nullopt;  // GET is answer_get's
    }
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto signature = query_parameter(target, "msg_signature");
    const auto timestamp = query_parameter(target, "timestamp");
    const auto nonce = query_parameter(target, "nonce");
    if (signature.empty() || timestamp.empty() || nonce.empty()) {
        return refusal{http::status::unauthorized, "missing msg_signature, timestamp or nonce"};
    }
    const auto body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("encrypt") || !body["encrypt"].is_string()) {
        return refusal{http::status::bad_request, "body must be {\"encrypt\": …}"};
    }
    if (!crypto_.signature_matches(signature, timestamp, nonce,
                                   body["encrypt"].get_ref<const std::string&>())) {
        return refusal{http::status::unauthorized, "bad msg_signature"};
    }
    return std::nullopt;
}

// URL verification: echostr, signed like a message, is decrypted and its plain text answered.
std::optional<hook_answer> wecom_platform::answer_get(const request& req) const {
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto signature = query_parameter(target, "msg_signature");
    const auto timestamp = query_parameter(target, "timestamp");
    const auto nonce = query_parameter(target, "nonce");
    const auto echo = query_parameter(target, "echostr");
    if (signature.empty() || timestamp.empty() || nonce.empty() || echo.empty() ||
        !crypto_.signature_matches(signature, timestamp, nonce, echo)) {
        return hook_answer{http::status::unauthorized,
                           error_body("bad or missing msg_signature, timestamp, nonce, echostr")};
    }
    const auto plain = crypto_.decrypt(echo);
    if (!plain) {
        return hook_answer{http::status::bad_request, error_body("echostr does not decrypt")};
    }
    return hook_answer{http::status::ok, *plain};
}

inbound wecom_platform::read(std::string_view body, std::int64_t now) const {
    json envelope;
    if (auto problem = parse_object(body, envelope)) {
        return {std::nullopt, std::move(*problem)};
    }
    const auto encrypted = envelope.find("encrypt");
    if (encrypted == envelope.end() || !encrypted->is_string()) {
        return {std::nullopt, "field \"encrypt\" must be a string"};
    }
    const auto plain = crypto_.decrypt(encrypted->get_ref<const std::string&>());
    if (!plain) {
        return {std::nullopt, "field \"encrypt\" does not decrypt with wecom.encoding_aes_key"};
    }
    return parse_wecom(*plain, now);
}

hook_answer wecom_platform::answer(const handlers::message&,
                                   const std::vector<handlers::reply>& replies) const {
    if (replies.empty()) {
        return {http::status::ok, {}};  // WeCom's "empty packet": nothing to say
    }
    // One finished stream message: the whole answer at once.
    const json stream{
        {"msgtype", "stream"},
        {"stream",
         {{"id", to_hex(random_bytes(8))}, {"finish", true}, {"content", joined_text(replies)}}}};
    return {http::status::ok,
            wecom_encrypted_answer(crypto_, dump_json(stream), std::to_string(unix_seconds()),
                                   to_hex(random_bytes(5)), random_bytes(16))};
}

delivery wecom_platform::send(const storage::outbox_message& message) const {
    // A group robot posts only in its own group: nobody can be messaged privately this way.
    if (message.is_private) {
        return {delivery::result::failed, 0, "WeCom: a group robot cannot message one person"};
    }
    if (message.webhook_key.empty()) {
        return {delivery::result::failed, 0,
                "WeCom: no group robot webhook for this chat (绑定 … webhook <key>)"};
    }
    const json body{{"msgtype", "text"}, {"text", {{"content", message.text}}}};
    const auto answer = http_post(settings_.webhook_base + "?key=" + message.webhook_key,
                                  dump_json(body), {}, send_timeout);
    auto result = delivery_of(answer);
    if (result.outcome != delivery::result::sent) {
        // The URL carries the key: the error never repeats it.
        if (answer.status >= 400) {
            result.error = "WeCom: HTTP " + std::to_string(answer.status);
        }
        return result;
    }
    // The robot answers 200 with {"errcode": N, "errmsg": …}.
    const auto reply = json::parse(answer.body, nullptr, false);
    const auto code = reply.is_object() ? reply.value("errcode", json(0)) : json(0);
    if (!code.is_number_integer() || code.get<long long>() == 0) {
        return result;
    }
    const auto reason = "WeCom errcode " + std::to_string(code.get<long long>()) + ": " +
                        (reply.value("errmsg", json("")).is_string()
                             ? reply["errmsg"].get<std::string>().substr(0, 120)
                             : std::string());
    if (code.get<long long>() == robot_too_fast || code.get<long long>() == robot_too_fast_alt) {
        // Kept like a 429: the wait is not cut short when the platform answers again.
        return {delivery::result::retry, 60, "429 " + reason};
    }
    return {delivery::result::failed, 0, reason};
}

}  // namespace loudong::bot
