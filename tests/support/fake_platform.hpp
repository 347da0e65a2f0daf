#pragma once

// A small fake chat platform on loopback for outbox tests: it records every request the
// outbox sends and answers with scripted responses (429 with retry-after, 500, …).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/net.hpp"

namespace loudong::testing {

class fake_platform {
public:
    /// One request as received.
    struct request {
        std::string target;
        std::string body;
        std::map<std::string, std::string> headers;
        std::int64_t at_ms = 0;  ///< steady-clock milliseconds when it arrived
    };

    /// A scripted answer.
    struct answer {
        unsigned status = 200;
        std::string body = R"({"ok":true,"status":"ok","retcode":0})";
        std::map<std::string, std::string> headers;
    };

    /// Listens on `port` (0: any free one); a given port may be one a fake used before.
    explicit fake_platform(unsigned short port = 0)
        : acceptor_(ioc_, {bot::net::ip::make_address("127.0.0.1"), port},
                    /*reuse_address=*/true) {
        bot::net::co_spawn(ioc_, accept_loop(), bot::net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }

    ~fake_platform() {
        ioc_.stop();
        thread_.join();
    }

    fake_platform(const fake_platform&) = delete;
    fake_platform& operator=(const fake_platform&) = delete;

    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path = "") const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }

    /// Requests for this chat (a generic send's or a Bot API call's "chat_id") get no answer:
    /// the connection is dropped after `delay`, and nothing counts as received (0: answered
    /// again). A chat whose platform hangs; the fake's other chats are answered at once.
    void hang_chat(const std::string& chat, std::chrono::milliseconds delay) {
        std::lock_guard lock(mutex_);
        hanging_[chat] = delay;
    }

    /// Answers every request for this chat with `refusal` (a platform that will not let the bot
    /// message someone privately: go-cqhttp's retcode 100, Telegram's 403).
    void refuse_chat(const std::string& chat, answer refusal) {
        std::lock_guard lock(mutex_);
        refusing_[chat] = std::move(refusal);
    }

    /// Answers every request to this path with `fixed` (a token endpoint), ahead of the script.
    void answer_path(const std::string& target, answer fixed) {
        std::lock_guard lock(mutex_);
        paths_[target] = std::move(fixed);
    }

    /// Answers the next requests with these, in order; afterwards 200 again.
    void script(std::vector<answer> answers) {
        std::lock_guard lock(mutex_);
        script_.insert(script_.end(), answers.begin(), answers.end());
    }

    std::vector<request> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }

    /// The texts of the generic sends ({"chat_id","text"}) received for one chat, in arrival
    /// order.
    std::vector<std::string> texts_for(const std::string& chat) {
        std::vector<std::string> texts;
        for (const auto& r : received()) {
            const auto body = nlohmann::json::parse(r.body);
            if (body["chat_id"] == chat) {
                texts.push_back(body["text"]);
            }
        }
        return texts;
    }

    /// Requests answered with a non-2xx status.
    std::vector<request> refused() {
        std::lock_guard lock(mutex_);
        return refused_;
    }

    /// Waits until at least `count` requests arrived; false on timeout.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
    }

    /// Waits until at least `count` generic sends for `chat` arrived; false on timeout.
    bool wait_for_chat(const std::string& chat, std::size_t count,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, timeout, [&] {
            std::size_t found = 0;
            for (const auto& r : received_) {
                const auto body = nlohmann::json::parse(r.body, nullptr, false);
                if (body.is_object() && body.contains("chat_id") && body["chat_id"] == chat) {
                    ++found;
                }
            }
            return found >= count;
        });
    }

private:
    bot::net::awaitable<void> accept_loop() {
        for (;;) {
            auto socket = co_await acceptor_.async_accept(bot::net::use_awaitable);
            bot::net::co_spawn(ioc_, serve(std::move(socket)), bot::net::detached);
        }
    }

    bot::net::awaitable<void> serve(bot::tcp::socket socket) {
        namespace http = bot::http;
        bot::beast::flat_buffer buffer;
        try {
            for (;;) {
                http::request<http::string_body> req;
                co_await http::async_read(socket, buffer, req, bot::net::use_awaitable);
                if (const auto delay = hang_for(req.body()); delay.count() > 0) {
                    bot::net::steady_timer wait(socket.get_executor(), delay);
                    co_await wait.async_wait(bot::net::use_awaitable);
                    co_return;
                }
                answer reply;
                {
                    std::lock_guard lock(mutex_);
                    request seen{std::string(req.target()),
                                 req.body(),
                                 {},
                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count()};
                    for (const auto& field : req) {
                        seen.headers[std::string(field.name_string())] = std::string(field.value());
                    }
                    if (const auto fixed = paths_.find(std::string(req.target()));
                        fixed != paths_.end()) {
                        reply = fixed->second;
                    } else if (const auto refusing =
                                   refusing_.find(chat_of(req.body(), std::string(req.target())));
                               refusing != refusing_.end()) {
                        reply = refusing->second;
                    } else if (!script_.empty()) {
                        reply = script_.front();
                        script_.pop_front();
                    }
                    // Only what was answered 2xx counts as delivered by the platform.
                    if (reply.status < 300) {
                        received_.push_back(std::move(seen));
                    } else {
                        refused_.push_back(std::move(seen));
                    }
                }
                arrived_.notify_all();
                http::response<http::string_body> res{static_cast<http::status>(reply.status),
                                                      req.version()};
                res.set(http::field::content_type, "application/json");
                for (const auto& [name, value] : reply.headers) {
                    res.set(name, value);
                }
                res.body() = reply.body;
                res.keep_alive(req.keep_alive());
                res.prepare_payload();
                co_await http::async_write(socket, res, bot::net::use_awaitable);
                if (!req.keep_alive()) {
                    break;
                }
            }
        } catch (const std::exception&) {
            // The client closed the connection.
        }
    }

    // The chat a request is for: QQ's OpenAPI names it in the path
    // (/v2/groups/{openid}/messages), a generic send or a Bot API call in "chat_id".
    static std::string chat_of(const std::string& body, const std::string& target) {
        for (const std::string prefix : {"/v2/groups/", "/v2/users/"}) {
            if (const auto at = target.find(prefix); at != std::string::npos) {
                const auto from = at + prefix.size();
                return target.substr(from, target.find('/', from) - from);
            }
        }
        return chat_of(body);
    }

    // The chat a request is for: a generic send's or a Bot API call's "chat_id".
    static std::string chat_of(const std::string& body) {
        const auto parsed = nlohmann::json::parse(body, nullptr, false);
        if (!parsed.is_object() || !parsed.contains("chat_id")) {
            return {};
        }
        const auto& id = parsed["chat_id"];
        return id.is_string() ? id.get<std::string>() : id.dump();
    }

    std::chrono::milliseconds hang_for(const std::string& body) {
        const auto chat = chat_of(body);
        std::lock_guard lock(mutex_);
        const auto found = hanging_.find(chat);
        return found == hanging_.end() ? std::chrono::milliseconds{} : found->second;
    }

    bot::net::io_context ioc_;
    bot::tcp::acceptor acceptor_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<answer> script_;
    std::map<std::string, std::chrono::milliseconds> hanging_;
    std::map<std::string, answer> refusing_;
    std::map<std::string, answer> paths_;
    std::vector<request> received_;
    std::vector<request> refused_;
};

}  // namespace loudong::testing
