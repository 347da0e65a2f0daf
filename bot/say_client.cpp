#include "bot/say_client.hpp"

#include <atomic>
#include <chrono>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bot/net.hpp"
#include "bot/signature.hpp"

namespace loudong::bot {
namespace {

struct url_parts {
    std::string host;
    std::string port;
    std::string target;
};

url_parts split_url(const std::string& url) {
    std::string rest = url;
    if (rest.starts_with("http://")) {
        rest = rest.substr(7);
    } else if (rest.find("://") != std::string::npos) {
        throw std::invalid_argument("only http:// URLs are supported: " + url);
    }
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    url_parts parts;
    parts.target = slash == std::string::npos ? "/hook/generic" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    parts.host = authority.substr(0, colon);
    parts.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
    return parts;
}

std::string next_message_id() {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return "say-" +
           std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count()) +
           "-" + std::to_string(counter++);
}

}  // namespace

int say_once(const say_options& options, const std::string& text, std::ostream& out,
             std::ostream& err) {
    nlohmann::json body{{"message_id", next_message_id()},
                        {"chat_id", options.chat},
                        {"sender", {{"id", options.user}}},
                        {"text", text},
                        {"time", std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()}};
    if (!options.name.empty()) {
        body["sender"]["name"] = options.name;
    }
    if (!options.chat_title.empty()) {
        body["chat_title"] = options.chat_title;
    }
    if (options.is_private) {
        body["private"] = true;
    }
    try {
        const auto parts = split_url(options.url);
        net::io_context ioc;
        tcp::resolver resolver(ioc);
        beast::tcp_stream stream(ioc);
        stream.expires_after(std::chrono::seconds(30));
        stream.connect(resolver.resolve(parts.host, parts.port));
        http::request<http::string_body> req{http::verb::post, parts.target, 11};
        req.set(http::field::host, parts.host);
        req.set(http::field::content_type, "application/json");
        req.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (!options.secret.empty()) {
            req.set("X-Loudong-Signature",
                    "sha256=" + hmac_hex(digest::sha256, options.secret, req.body()));
        }
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

        if (options.raw) {
            out << res.body() << "\n";
            return res.result() == http::status::ok ? 0 : 1;
        }
        if (res.result() != http::status::ok) {
            err << "HTTP " << res.result_int() << ": " << res.body() << "\n";
            return 1;
        }
        const auto replies = nlohmann::json::parse(res.body()).at("replies");
        if (replies.empty()) {
            err << "(no reply)\n";
        }
        for (const auto& reply : replies) {
            out << reply.at("text").get<std::string>() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        err << "cannot reach " << options.url << ": " << e.what() << "\n";
        return 1;
    }
}

int say_interactive(say_options options, std::istream& in, std::ostream& out, std::ostream& err) {
    std::string line;
    int failures = 0;
    for (;;) {
        out << "[" << options.chat << " " << options.user << "]> " << std::flush;
        if (!std::getline(in, line)) {
            break;
        }
        if (line.empty()) {
            continue;
        }
        if (line.starts_with(":")) {
            std::istringstream words(line.substr(1));
            std::string verb;
            std::string id;
            words >> verb >> id;
            std::string extra;
            std::getline(words >> std::ws, extra);
            if (verb == "chat" && !id.empty()) {
                options.chat = id;
                options.chat_title = extra;
            } else if (verb == "user" && !id.empty()) {
                options.user = id;
                options.name = extra;
            } else if (verb == "private") {
                options.is_private = id == "on";
            } else if (verb == "quit" || verb == "q") {
                break;
            } else {
                err << ":chat ID [title] | :user ID [name] | :private on|off | :quit\n";
            }
            continue;
        }
        failures += say_once(options, line, out, err);
    }
    return failures == 0 ? 0 : 1;
}

}  // namespace loudong::bot
