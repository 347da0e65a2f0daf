#include "bot/platforms/telegram_platform.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
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

/// Telegram usernames are ASCII letters, digits and underscores, matched case-insensitively.
bool same_username(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

/// Reads a required integer id (user, chat or message), reporting its path when it is wrong.
bool read_id(const json& object, const char* field, const std::string& path, std::string& target,
             std::string& error) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) {
        error = "missing field \"" + path + "\"";
        return false;
    }
    if (found->is_number_unsigned()) {
        target = std::to_string(found->get<std::uint64_t>());
    } else if (found->is_number_integer()) {
        target = std::to_string(found->get<std::int64_t>());
    } else {
        error = "field \"" + path + "\" must be a whole number";
        return false;
    }
    return true;
}

/// Reads a required object field, reporting its path when it is missing or not an object.
const json* read_object(const json& object, const char* field, const std::string& path,
                        std::string& error) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) {
        error = "missing field \"" + path + "\"";
        return nullptr;
    }
    if (!found->is_object()) {
        error = "field \"" + path + "\" must be an object";
        return nullptr;
    }
    return &*found;
}

/// Whether `text` is "@bot_username" (this bot's, in any case).
bool names_this_bot(std::string_view text, const std::string& bot_username) {
    return !bot_username.empty() && text.size() == bot_username.size() + 1 && text.front() == '@' &&
           same_username(text.substr(1), bot_username);
}

/// Drops a mention of this bot before or after the words ("@loudong_bot 下单 鸡蛋 2",
/// "菜单 @loudong_bot": residents tap the bot's name on either side) and this bot's
/// "@bot_username" suffix from a command; nullopt when the command is addressed to another bot
/// in the same group.
std::optional<std::string> addressed_text(std::string_view text, const std::string& bot_username) {
    text = without_bot_mentions(
        text, [&](std::string_view word) { return names_this_bot(word, bot_username); });
    if (!text.starts_with('/')) {
        return std::string(text);
    }
    const auto word = text.substr(0, text.find_first_of(" \t\r\n"));
    const auto at = word.find('@');
    if (at == std::string_view::npos) {
        return std::string(text);
    }
    // Telegram puts "@name" after a command chosen from the menu in a group with several bots;
    // the command is for that bot alone.
    if (!bot_username.empty() && !same_username(word.substr(at + 1), bot_username)) {
        return std::nullopt;
    }
    return std::string(word.substr(0, at)) + std::string(text.substr(word.size()));
}

// Byte offset of each UTF-16 unit of `text` (Telegram counts entity offsets in UTF-16 units),
// with one more entry for the end; a unit inside a surrogate pair maps to its character.
std::vector<std::size_t> utf16_units(std::string_view text) {
    std::vector<std::size_t> at;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        at.push_back(i);
        if (len == 4) {
            at.push_back(i);  // a character beyond the BMP is two UTF-16 units
        }
        i += std::min(len, text.size() - i);
    }
    at.push_back(text.size());
    return at;
}

// A tap-mention of someone without a username arrives as a "text_mention" entity carrying the
// user: its words become "@<id>", so that 授权, 确认 and 移出 name that member (SPEC §8 item 5).
std::string with_text_mentions(const std::string& text, const json& message, const char* key) {
    const auto entities = message.find(key);
    if (entities == message.end() || !entities->is_array()) {
        return text;
    }
    struct mention {
        std::size_t begin;
        std::size_t end;
        std::string id;
    };
    const auto units = utf16_units(text);
    std::vector<mention> found;
    for (const auto& e : *entities) {
        if (!e.is_object() || e.value("type", json()) != "text_mention") {
            continue;
        }
        const auto offset = e.find("offset");
        const auto length = e.find("length");
        const auto user = e.find("user");
        if (offset == e.end() || length == e.end() || user == e.end() ||
            !offset->is_number_unsigned() || !length->is_number_unsigned() || !user->is_object() ||
            !user->contains("id") || !(*user)["id"].is_number_integer()) {
            continue;
        }
        const auto from = offset->get<std::uint64_t>();
        const auto to = from + length->get<std::uint64_t>();
        if (to < from || to >= units.size()) {
            continue;
        }
        found.push_back(
            {units[from], units[to], std::to_string((*user)["id"].get<std::int64_t>())});
    }
    std::sort(found.begin(), found.end(),
              [](const mention& a, const mention& b) { return a.begin > b.begin; });
    std::string out = text;
    std::size_t limit = out.size();
    for (const auto& m : found) {
        if (m.end > limit || m.begin > m.end) {
            continue;  // overlapping entities: the later one wins
        }
        out.replace(m.begin, m.end - m.begin, "@" + m.id);
        limit = m.begin;
    }
    return out;
}

}  // namespace

inbound parse_telegram(std::string_view body, const std::string& bot_username, std::int64_t now) {
    json update;
    if (auto problem = parse_object(body, update)) {
        return {std::nullopt, std::move(*problem)};
    }
    std::string error;
    std::string update_id;
    if (!read_id(update, "update_id", "update_id", update_id, error)) {
        return {std::nullopt, error};
    }
    // edited_message, channel_post, callback_query, my_chat_member …: acknowledged, not
    // answered. An edit is not a new command: re-running "下单" on a typo fix would order twice.
    const auto message = update.find("message");
    if (message == update.end() || message->is_null()) {
        return ignored_inbound();
    }
    if (!message->is_object()) {
        return {std::nullopt, "field \"message\" must be an object"};
    }

    handlers::message msg;
    msg.platform = "telegram";
    if (!read_id(*message, "message_id", "message.message_id", msg.message_id, error)) {
        return {std::nullopt, error};
    }
    const auto* chat = read_object(*message, "chat", "message.chat", error);
    if (chat == nullptr || !read_id(*chat, "id", "message.chat.id", msg.chat_id, error)) {
        return {std::nullopt, error};
    }
    const auto type = chat->find("type");
    if (type == chat->end() || !type->is_string()) {
        return {std::nullopt, "field \"message.chat.type\" must be a string"};
    }
    msg.is_private = *type == "private";
    if (!msg.is_private && *type != "group" && *type != "supergroup") {
        return ignored_inbound();
    }
    msg.chat_title = optional_string(*chat, "title");

    // A group upgraded to a supergroup gets a new id: the old group's last message says where
    // it went (migrate_to_chat_id), the supergroup's first where it came from.
    for (const auto* key : {"migrate_to_chat_id", "migrate_from_chat_id"}) {
        const auto moved = message->find(key);
        if (moved == message->end() || !moved->is_number_integer()) {
            continue;
        }
        const auto other = std::to_string(moved->get<std::int64_t>());
        if (key == std::string_view("migrate_to_chat_id")) {
            msg.moved_to = other;
        } else {
            msg.moved_to = msg.chat_id;
            msg.chat_id = other;
        }
        msg.sender_id = "0";
        if (const auto from = message->find("from"); from != message->end() && from->is_object()) {
            std::string ignored;
            read_id(*from, "id", "message.from.id", msg.sender_id, ignored);
        }
        msg.time = now;
        return {std::move(msg), {}};
    }
    // In a forum each topic is a chat of its own ("<chat>/<topic>"): a building per topic, its
    // replies and notices in that topic. Replies in an ordinary supergroup carry a
    // message_thread_id too, but no is_topic_message.
    if (const auto topic = message->find("is_topic_message");
        topic != message->end() && topic->is_boolean() && topic->get<bool>()) {
        std::string thread;
        if (!read_id(*message, "message_thread_id", "message.message_thread_id", thread, error)) {
            return {std::nullopt, error};
        }
        msg.chat_id += "/" + thread;
    }

    // Service messages and posts signed by a chat have no "from": nobody to answer.
    const auto from = message->find("from");
    if (from == message->end() || from->is_null()) {
        return ignored_inbound();
    }
    if (!from->is_object()) {
        return {std::nullopt, "field \"message.from\" must be an object"};
    }
    if (!read_id(*from, "id", "message.from.id", msg.sender_id, error)) {
        return {std::nullopt, error};
    }
    // An anonymous group admin appears as the bot "GroupAnonymousBot" with the group as
    // sender_chat: read, but marked, so that a command gets a hint and acts for nobody. Other
    // bots are ignored.
    const auto sender_chat = message->find("sender_chat");
    msg.anonymous = sender_chat != message->end() && sender_chat->is_object();
    if (const auto is_bot = from->find("is_bot");
        !msg.anonymous && is_bot != from->end() && is_bot->is_boolean() && is_bot->get<bool>()) {
        return ignored_inbound();
    }
    // A forwarded message is someone else's words (SPEC §8 item 9): forwarding a neighbour's
    // "抗原 阳性" must not report for the forwarder's household. Bot API 7.0+ sends
    // forward_origin; older servers forward_from, forward_from_chat, forward_sender_name or
    // forward_date; a channel post copied into its linked group is_automatic_forward.
    for (const auto* key : {"forward_origin", "forward_from", "forward_from_chat",
                            "forward_sender_name", "forward_date"}) {
        if (const auto found = message->find(key); found != message->end() && !found->is_null()) {
            return ignored_inbound();
        }
    }
    if (const auto automatic = message->find("is_automatic_forward");
        automatic != message->end() && automatic->is_boolean() && automatic->get<bool>()) {
        return ignored_inbound();
    }
    msg.sender_username = optional_string(*from, "username");
    msg.sender_name = optional_string(*from, "first_name");
    if (const auto last = optional_string(*from, "last_name"); !last.empty()) {
        msg.sender_name += (msg.sender_name.empty() ? "" : " ") + last;
    }

    msg.time = now;
    if (const auto date = message->find("date"); date != message->end() && !date->is_null()) {
        if (!date->is_number_integer() || date->get<std::int64_t>() < 0) {
            return {std::nullopt, "field \"message.date\" must be Unix seconds (a whole number)"};
        }
        msg.time = date->get<std::int64_t>();
    }

    // A photo's or a file's words are its "caption": residents send a photo of the antigen
    // test with "抗原 阴性" under it. Stickers and joins carry neither.
    const char* field = "text";
    auto text = message->find(field);
    if (text == message->end() || text->is_null()) {
        field = "caption";
        text = message->find(field);
    }
    if (text == message->end() || text->is_null()) {
        return ignored_inbound();
    }
    if (!text->is_string()) {
        return {std::nullopt, std::string("field \"message.") + field + "\" must be a string"};
    }
    const auto words =
        with_text_mentions(text->get_ref<const std::string&>(), *message,
                           field == std::string_view("text") ? "entities" : "caption_entities");
    auto addressed = addressed_text(words, bot_username);
    if (!addressed || addressed->empty()) {
        return ignored_inbound();
    }
    msg.text = std::move(*addressed);
    return {std::move(msg), {}};
}

telegram_chat telegram_chat_of(const std::string& chat_id) {
    const auto slash = chat_id.find('/');
    if (slash == std::string::npos) {
        return {chat_id, {}};
    }
    return {chat_id.substr(0, slash), chat_id.substr(slash + 1)};
}

namespace {

/// chat_id, and message_thread_id for a forum topic.
void address(json& call, const std::string& chat_id) {
    const auto [chat, topic] = telegram_chat_of(chat_id);
    call["chat_id"] = id_json(chat);
    if (!topic.empty()) {
        call["message_thread_id"] = id_json(topic);
    }
}

}  // namespace

std::string telegram_method_reply(const std::vector<handlers::reply>& replies,
                                  const std::string& chat_id, const std::string& reply_to) {
    if (replies.empty()) {
        return {};
    }
    const auto text = joined_text(replies);
    // No parse_mode: the text goes out as plain text, whatever residents typed into it.
    json call{{"method", "sendMessage"}, {"text", text}};
    address(call, chat_id);
    if (!reply_to.empty()) {
        call["reply_to_message_id"] = id_json(reply_to);
        // The resident may delete the command before the answer arrives; answer anyway.
        call["allow_sending_without_reply"] = true;
    }
    return dump_json(call);
}

telegram_platform::telegram_platform(const telegram_settings& settings)
    // sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing".
    // in UTF-16 code units, as the Bot API counts a text's length.
    : settings_(settings),
      limits_{settings.rate, settings.bot_token.empty()
                                 ? handlers::text_limit{}
                                 : handlers::text_limit{4096, handlers::length_unit::utf16}} {}

std::optional<refusal> telegram_platform::authenticate(const request& req) const {
    if (settings_.secret_token.empty()) {
        return std::nullopt;
    }
    if (!secret_matches(req["X-Telegram-Bot-Api-Secret-Token"], settings_.secret_token)) {
        return refusal{http::status::unauthorized, "bad X-Telegram-Bot-Api-Secret-Token"};
    }
    return std::nullopt;
}

inbound telegram_platform::read(std::string_view body, std::int64_t now) const {
    return parse_telegram(body, settings_.bot_username, now);
}

hook_answer telegram_platform::answer(const handlers::message& msg,
                                      const std::vector<handlers::reply>& replies) const {
    auto body = telegram_method_reply(replies, msg.chat_id, msg.message_id);
    return {http::status::ok, body.empty() ? "{}" : std::move(body)};
}

delivery telegram_platform::send(const storage::outbox_message& message) const {
    if (settings_.bot_token.empty()) {
        return {delivery::result::failed, 0, "no telegram.bot_token configured"};
    }
    json body{{"text", message.text}};
    address(body, message.chat_id);
    const auto answer = http_post(
        without_trailing_slash(settings_.api_base) + "/bot" + settings_.bot_token + "/sendMessage",
        dump_json(body), {}, send_timeout);
    auto result = delivery_of(answer);
    // {"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a
    // supergroup chat","parameters":{"migrate_to_chat_id":-100…}}: send it there instead.
    if (answer.status == 400) {
        const auto reply = json::parse(answer.body, nullptr, false);
        if (reply.is_object() && reply.contains("parameters") && reply["parameters"].is_object() &&
            reply["parameters"].contains("migrate_to_chat_id") &&
            reply["parameters"]["migrate_to_chat_id"].is_number_integer()) {
            result = {
                delivery::result::retry, 0, "group upgraded to a supergroup",
                std::to_string(reply["parameters"]["migrate_to_chat_id"].get<std::int64_t>())};
        }
    }
    return result;
}

}  // namespace loudong::bot
