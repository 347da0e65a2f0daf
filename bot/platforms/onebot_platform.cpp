#include "bot/platforms/onebot_platform.hpp"

#include <array>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"
#include "bot/platforms/signature.hpp"
#include "bot/platforms/wire_json.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

// A QQ number and a group number can be equal: one-to-one chats are "private:<QQ number>".
constexpr std::string_view private_chat_prefix = "private:";

bool is_decimal(std::string_view s) {
    if (s.starts_with('-')) {
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 20) {
        return false;
    }
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

/// The decimal text of a QQ number, a group number or a message id. The standard says int64;
/// some implementations send the number as a decimal string, which is the same id.
std::optional<std::string> id_text(const json& value) {
    if (value.is_number_unsigned()) {
        return std::to_string(value.get<std::uint64_t>());
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    if (value.is_string() && is_decimal(value.get_ref<const std::string&>())) {
        return value.get<std::string>();
    }
    return std::nullopt;
}

/// Reads a required id field, reporting its path when it is missing or not a whole number.
bool read_id(const json& object, const char* field, const std::string& path, std::string& target,
             std::string& error) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) {
        error = "missing field \"" + path + "\"";
        return false;
    }
    auto text = id_text(*found);
    if (!text) {
        error = "field \"" + path + "\" must be a whole number";
        return false;
    }
    target = std::move(*text);
    return true;
}

/// Builds the command text from a message's segments, keeping words apart where a mention or
/// a picture stood between them.
class text_builder {
public:
    explicit text_builder(const std::string& self_id) : self_id_(self_id) {}

    void add_text(std::string_view text) {
        if (text.empty()) {
            return;
        }
        if (break_pending_ && !is_space(text.front())) {
            separate();
        }
        break_pending_ = false;
        text_ += text;
    }

    void add_at(const std::string& qq) {
        // A mention of the bot only says who is addressed; "@全体成员" (qq=all) addresses no one
        // in particular. Neither is an argument, so both leave just a word break.
        if (qq.empty() || qq == "all" || (!self_id_.empty() && qq == self_id_)) {
            add_break();
            return;
        }
        separate();
        text_ += '@';
        text_ += qq;
        break_pending_ = true;
    }

    /// Pictures, faces, quoted replies … carry no command text.
    void add_break() { break_pending_ = true; }

    /// A merged forward ("forward" segment, [CQ:forward,id=…]): the message carries other
    /// people's words and is no command (SPEC §8 item 9).
    void add_forward() { forwarded_ = true; }
    bool forwarded() const { return forwarded_; }

    std::string finish() const {
        std::size_t begin = 0;
        std::size_t end = text_.size();
        while (begin < end && is_space(text_[begin])) {
            ++begin;
        }
        while (end > begin && is_space(text_[end - 1])) {
            --end;
        }
        return text_.substr(begin, end - begin);
    }

private:
    void separate() {
        if (!text_.empty() && !is_space(text_.back())) {
            text_ += ' ';
        }
    }

    const std::string& self_id_;
    std::string text_;
    bool forwarded_ = false;
    bool break_pending_ = false;
};

constexpr std::array<std::pair<std::string_view, char>, 4> cq_entities{{
    {"&amp;", '&'},
    {"&#91;", '['},
    {"&#93;", ']'},
    {"&#44;", ','},
}};

/// Undoes the CQ-code escaping of plain text and of parameter values.
std::string cq_unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        bool decoded = false;
        if (s[i] == '&') {
            for (const auto& [entity, plain] : cq_entities) {
                if (s.substr(i).starts_with(entity)) {
                    out += plain;
                    i += entity.size();
                    decoded = true;
                    break;
                }
            }
        }
        if (!decoded) {
            out += s[i++];
        }
    }
    return out;
}

/// Escapes text so that a OneBot implementation sends it as it is, never as CQ codes.
std::string cq_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '[':
                out += "&#91;";
                break;
            case ']':
                out += "&#93;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// One CQ code's inside, "at,qq=10000": the function name, then comma-separated key=value.
void add_cq_code(std::string_view code, text_builder& text) {
    const auto comma = code.find(',');
    const auto type = code.substr(0, comma);
    if (type == "forward") {
        text.add_forward();
        return;
    }
    if (type != "at" || comma == std::string_view::npos) {
        text.add_break();
        return;
    }
    std::string_view params = code.substr(comma + 1);
    while (!params.empty()) {
        const auto next = params.find(',');
        const auto param = params.substr(0, next);
        if (param.starts_with("qq=")) {
            text.add_at(cq_unescape(param.substr(3)));
            return;
        }
        params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
    }
    text.add_break();
}

/// The string form: text with CQ codes such as "[CQ:at,qq=10000]" in between.
void read_cq_string(std::string_view s, text_builder& text) {
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto open = s.find("[CQ:", pos);
        const auto close = open == std::string_view::npos ? open : s.find(']', open);
        if (close == std::string_view::npos) {
            // Plain text has its brackets escaped, so this is an unfinished code: keep it as text.
            text.add_text(cq_unescape(s.substr(pos)));
            return;
        }
        text.add_text(cq_unescape(s.substr(pos, open - pos)));
        add_cq_code(s.substr(open + 4, close - open - 4), text);
        pos = close + 1;
    }
}

/// The array form: [{"type":"text","data":{"text":…}}, {"type":"at","data":{"qq":…}}, …].
/// Its texts are not escaped.
bool read_segments(const json& segments, text_builder& text, std::string& error) {
    const json no_data = json::object();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& segment = segments[i];
        const std::string path = "message[" + std::to_string(i) + "]";
        if (!segment.is_object()) {
            error = "field \"" + path + "\" must be an object";
            return false;
        }
        const auto type = segment.find("type");
        if (type == segment.end() || !type->is_string()) {
            error = "field \"" + path + ".type\" must be a string";
            return false;
        }
        const auto found = segment.find("data");
        const json& data = found != segment.end() && found->is_object() ? *found : no_data;
        if (*type == "text") {
            const auto value = data.find("text");
            if (value == data.end() || !value->is_string()) {
                error = "field \"" + path + ".data.text\" must be a string";
                return false;
            }
            text.add_text(value->get_ref<const std::string&>());
        } else if (*type == "at") {
            // The standard says a string; some implementations send the number itself.
            std::string qq;
            if (const auto found_qq = data.find("qq"); found_qq != data.end()) {
                qq = found_qq->is_string() ? found_qq->get<std::string>()
                                           : id_text(*found_qq).value_or(std::string());
            }
            text.add_at(qq);
        } else if (*type == "forward") {
            text.add_forward();
        } else {
            text.add_break();
        }
    }
    return true;
}

}  // namespace

inbound parse_onebot(std::string_view body, const std::string& self_id, std::int64_t now) {
    json event;
    if (auto problem = parse_object(body, event)) {
        return {std::nullopt, std::move(*problem)};
    }
    const auto post_type = event.find("post_type");
    if (post_type == event.end() || post_type->is_null()) {
        return {std::nullopt, "missing field \"post_type\""};
    }
    if (!post_type->is_string()) {
        return {std::nullopt, "field \"post_type\" must be a string"};
    }
    // notice, request, meta_event (heartbeat, lifecycle) and go-cqhttp's message_sent (the
    // bot's own messages) need no answer.
    if (*post_type != "message") {
        return ignored_inbound();
    }
    const auto message_type = event.find("message_type");
    if (message_type == event.end() || message_type->is_null()) {
        return {std::nullopt, "missing field \"message_type\""};
    }
    if (!message_type->is_string()) {
        return {std::nullopt, "field \"message_type\" must be a string"};
    }
    const bool group = *message_type == "group";
    // go-cqhttp also reports "guild" (QQ channels), which are not compound chats.
    if (!group && *message_type != "private") {
        return ignored_inbound();
    }
    // "notice" group messages are the system's grey tips, not anybody's words. Anonymous ones
    // all carry the same stand-in user_id (80000000): read, but marked, so that a command gets
    // a hint and acts for nobody.
    const auto sub_type = optional_string(event, "sub_type");
    if (group && sub_type == "notice") {
        return ignored_inbound();
    }

    handlers::message msg;
    msg.platform = "onebot";
    msg.anonymous = group && sub_type == "anonymous";
    std::string error;
    if (!read_id(event, "user_id", "user_id", msg.sender_id, error) ||
        !read_id(event, "message_id", "message_id", msg.message_id, error)) {
        return {std::nullopt, error};
    }
    std::string bot = self_id;
    if (const auto reported = event.find("self_id"); bot.empty() && reported != event.end()) {
        bot = id_text(*reported).value_or(std::string());
    }
    if (!bot.empty() && msg.sender_id == bot) {
        return ignored_inbound();
    }
    if (group) {
        if (!read_id(event, "group_id", "group_id", msg.chat_id, error)) {
            return {std::nullopt, error};
        }
        // Not in the standard; NapCat and Lagrange add it.
        msg.chat_title = optional_string(event, "group_name");
    } else {
        // A QQ number and a group number can be equal: keep one-to-one chats apart.
        msg.chat_id = std::string(private_chat_prefix) + msg.sender_id;
        msg.is_private = true;
    }
    // The standard says sender is filled in on a best-effort basis, so it is optional.
    if (const auto sender = event.find("sender"); sender != event.end() && sender->is_object()) {
        msg.sender_name = optional_string(*sender, "card");
        if (msg.sender_name.empty()) {
            msg.sender_name = optional_string(*sender, "nickname");
        }
    }
    msg.time = now;
    if (const auto time = event.find("time"); time != event.end() && !time->is_null()) {
        if (!time->is_number_integer() || time->get<std::int64_t>() < 0) {
            return {std::nullopt, "field \"time\" must be Unix seconds (a whole number)"};
        }
        msg.time = time->get<std::int64_t>();
    }

    const auto content = event.find("message");
    if (content == event.end() || content->is_null()) {
        return {std::nullopt, "missing field \"message\""};
    }
    text_builder text(bot);
    if (content->is_string()) {
        read_cq_string(content->get_ref<const std::string&>(), text);
    } else if (content->is_array()) {
        if (!read_segments(*content, text, error)) {
            return {std::nullopt, error};
        }
    } else {
        return {std::nullopt, "field \"message\" must be a CQ-code string or an array of segments"};
    }
    msg.text = text.finish();
    // A picture, a sticker or a bare mention: nothing to read; a forward: not the sender's.
    if (msg.text.empty() || text.forwarded()) {
        return ignored_inbound();
    }
    return {std::move(msg), {}};
}

std::string onebot_quick_reply(const std::vector<handlers::reply>& replies) {
    if (replies.empty()) {
        return {};
    }
    const auto text = joined_text(replies);
    // at_sender defaults to true, which would put "@sender" in front of every answer. Replies
    // are short notices that the whole building reads and that already name the flat or the
    // order they are about, so the extra mention only adds noise (and a ping on each reply).
    // The text is CQ-escaped because it can echo what residents typed: "[CQ:at,qq=all]" in an
    // order item must come out as those characters, not as an @全体成员 sent by the bot.
    return dump_json(json{{"reply", cq_escape(text)}, {"at_sender", false}});
}

onebot_platform::onebot_platform(const onebot_settings& settings)
    // QQ states no length limit for a text message; none is enforced here.
    // QQ takes longer texts, but its spam control holds back long group messages (issue 16):
    // parts of at most 1,500 characters go through.
    : settings_(settings),
      limits_{settings.rate,
              settings.api_url.empty()
                  ? handlers::text_limit{}
                  : handlers::text_limit{1500, handlers::length_unit::characters},
              settings.reply == "api"} {}

// OneBot's own convention: no signature 401, a wrong one 403.
std::optional<refusal> onebot_platform::authenticate(const request& req) const {
    if (settings_.secret.empty()) {
        return std::nullopt;
    }
    const auto header = req["X-Signature"];
    if (header.empty()) {
        return refusal{http::status::unauthorized, "missing X-Signature"};
    }
    if (!signature_matches(digest::sha1, header, settings_.secret, req.body())) {
        return refusal{http::status::forbidden, "bad X-Signature"};
    }
    return std::nullopt;
}

inbound onebot_platform::read(std::string_view body, std::int64_t now) const {
    return parse_onebot(body, settings_.self_id, now);
}

hook_answer onebot_platform::answer(const handlers::message&,
                                    const std::vector<handlers::reply>& replies) const {
    // With "reply": "api" the replies went to the outbox; the answer says nothing.
    auto body = limits_.replies_by_api ? std::string() : onebot_quick_reply(replies);
    if (body.empty()) {
        return {http::status::no_content, {}};
    }
    return {http::status::ok, std::move(body)};
}

// No OneBot implementation delivers a webhook again: a 503 would lose the command without a
// word. The quick operation tells the resident to send it again (an implementation that ignores
// quick operations shows nothing either way; with the database down there is no outbox).
hook_answer onebot_platform::unavailable(const handlers::message&, const std::string& text) const {
    return {http::status::ok, onebot_quick_reply({handlers::reply{{}, text, {}}})};
}

delivery onebot_platform::send(const storage::outbox_message& message) const {
    if (settings_.api_url.empty()) {
        return {delivery::result::failed, 0, "no onebot.api_url configured"};
    }
    std::vector<std::pair<std::string, std::string>> headers;
    if (!settings_.access_token.empty()) {
        headers.emplace_back("Authorization", "Bearer " + settings_.access_token);
    }
    // auto_escape: what residents typed is sent as text, never read as CQ codes.
    json body{{"message", message.text}, {"auto_escape", true}};
    std::string action;
    if (message.is_private || message.chat_id.starts_with(private_chat_prefix)) {
        auto user = std::string_view(message.chat_id);
        if (user.starts_with(private_chat_prefix)) {
            user.remove_prefix(private_chat_prefix.size());
        }
        body["user_id"] = id_json(std::string(user));
        // Someone who is not the bot's friend is reached as a temporary session from a group
        // both are in (go-cqhttp, NapCat and Lagrange take group_id on send_private_msg).
        if (!message.via_group.empty() && !message.via_group.starts_with(private_chat_prefix)) {
            body["group_id"] = id_json(message.via_group);
        }
        action = "/send_private_msg";
    } else {
        body["group_id"] = id_json(message.chat_id);
        action = "/send_group_msg";
    }
    const auto answer = http_post(without_trailing_slash(settings_.api_url) + action,
                                  dump_json(body), headers, send_timeout);
    auto result = delivery_of(answer);
    // OneBot answers 200 with {"status":"failed","retcode":N} when the action itself failed.
    const auto reply = json::parse(answer.body, nullptr, false);
    if (result.outcome == delivery::result::sent && reply.is_object() &&
        reply.value("status", "ok") == "failed") {
        result = {delivery::result::failed, 0,
                  "OneBot retcode " + std::to_string(reply.value("retcode", -1))};
    }
    return result;
}

}  // namespace loudong::bot
