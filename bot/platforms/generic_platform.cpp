#include "bot/platforms/generic_platform.hpp"

#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"
#include "bot/platforms/signature.hpp"
#include "bot/platforms/wire_json.hpp"
#include "storage/outbox_repository.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

// Ids are keys in the database and in logs; nobody's real id is this long.
constexpr std::size_t max_id_length = 256;

/// Reads a required (or optional) string field, reporting its path when it is wrong.
bool read_string(const json& object, const char* field, const std::string& path, bool required,
                 std::string& target, std::string& error) {
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) {
        if (required) {
            error = "missing field \"" + path + "\"";
        }
        return !required;
    }
    if (!found->is_string()) {
        error = "field \"" + path + "\" must be a string";
        return false;
    }
    target = found->get<std::string>();
    if (required && target.empty()) {
        error = "field \"" + path + "\" must not be empty";
        return false;
    }
    return true;
}

}  // namespace

inbound parse_generic(std::string_view body, std::int64_t now) {
    json parsed;
    if (auto problem = parse_object(body, parsed)) {
        return {std::nullopt, std::move(*problem)};
    }
    handlers::message msg;
    msg.platform = "generic";
    std::string error;
    if (!read_string(parsed, "message_id", "message_id", true, msg.message_id, error) ||
        !read_string(parsed, "chat_id", "chat_id", true, msg.chat_id, error) ||
        !read_string(parsed, "chat_title", "chat_title", false, msg.chat_title, error) ||
        !read_string(parsed, "text", "text", true, msg.text, error)) {
        return {std::nullopt, error};
    }
    const auto sender = parsed.find("sender");
    if (sender == parsed.end() || sender->is_null()) {
        return {std::nullopt, "missing field \"sender.id\""};
    }
    if (!sender->is_object()) {
        return {std::nullopt, "field \"sender\" must be an object"};
    }
    if (!read_string(*sender, "id", "sender.id", true, msg.sender_id, error) ||
        !read_string(*sender, "name", "sender.name", false, msg.sender_name, error)) {
        return {std::nullopt, error};
    }
    for (const auto* id : {&msg.message_id, &msg.chat_id, &msg.sender_id}) {
        if (id->size() > max_id_length) {
            return {std::nullopt, "ids must be at most 256 bytes"};
        }
    }
    msg.time = now;
    if (const auto time = parsed.find("time"); time != parsed.end() && !time->is_null()) {
        if (!time->is_number_integer() || time->get<std::int64_t>() < 0) {
            return {std::nullopt, "field \"time\" must be Unix seconds (a whole number)"};
        }
        msg.time = time->get<std::int64_t>();
    }
    if (const auto priv = parsed.find("private"); priv != parsed.end() && !priv->is_null()) {
        if (!priv->is_boolean()) {
            return {std::nullopt, "field \"private\" must be true or false"};
        }
        msg.is_private = priv->get<bool>();
    }
    return {std::move(msg), {}};
}

std::string generic_response(const std::vector<handlers::reply>& replies) {
    json list = json::array();
    for (const auto& r : replies) {
        list.push_back({{"chat_id", r.chat_id}, {"text", r.text}, {"reply_to", r.reply_to}});
    }
    return dump_json(json{{"replies", list}});
}

generic_platform::generic_platform(const generic_settings& settings)
    // A bridge takes whatever length it is given.
    : settings_(settings), limits_{settings.rate, {}} {}

std::optional<refusal> generic_platform::authenticate(const request& req) const {
    if (settings_.secret.empty()) {
        return std::nullopt;
    }
    const auto header = req["X-Loudong-Signature"];
    if (!signature_matches(digest::sha256, header, settings_.secret, req.body())) {
        return refusal{http::status::unauthorized,
                       header.empty() ? "missing X-Loudong-Signature" : "bad X-Loudong-Signature"};
    }
    return std::nullopt;
}

inbound generic_platform::read(std::string_view body, std::int64_t now) const {
    return parse_generic(body, now);
}

hook_answer generic_platform::answer(const handlers::message&,
                                     const std::vector<handlers::reply>& replies) const {
    return {http::status::ok, generic_response(replies)};
}

delivery generic_platform::send(const storage::outbox_message& message) const {
    if (settings_.outbound_url.empty()) {
        return {delivery::result::failed, 0, "no generic.outbound_url configured"};
    }
    json body{{"chat_id", message.chat_id}, {"text", message.text}};
    if (message.is_private) {
        body["private"] = true;
    }
    return delivery_of(http_post(settings_.outbound_url, dump_json(body), {}, send_timeout));
}

}  // namespace loudong::bot
