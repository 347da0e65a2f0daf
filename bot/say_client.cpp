#include "bot/say_client.hpp"

#include <atomic>
#include <chrono>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"
#include "bot/platforms/signature.hpp"
#include "bot/platforms/wire_json.hpp"

namespace loudong::bot {
namespace {

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
    std::vector<std::pair<std::string, std::string>> headers;
    const auto payload = dump_json(body);
    if (!options.secret.empty()) {
        headers.emplace_back("X-Loudong-Signature",
                             "sha256=" + hmac_hex(digest::sha256, options.secret, payload));
    }
    const auto res = http_post(options.url, payload, headers, std::chrono::seconds(30));
    if (res.status == 0) {
        err << "cannot reach " << options.url << ": " << res.error << "\n";
        return 1;
    }
    try {
        if (options.raw) {
            out << res.body << "\n";
            return res.status == 200 ? 0 : 1;
        }
        if (res.status != 200) {
            err << "HTTP " << res.status << ": " << res.body << "\n";
            return 1;
        }
        const auto replies = nlohmann::json::parse(res.body).at("replies");
        if (replies.empty()) {
            err << "(no reply)\n";
        }
        for (const auto& reply : replies) {
            out << reply.at("text").get<std::string>() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        err << "unexpected answer from " << options.url << ": " << e.what() << "\n";
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
