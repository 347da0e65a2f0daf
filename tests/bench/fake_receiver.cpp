// The outbox's platform in the broadcast benchmark: a loopback HTTP receiver that answers every
// POST 200 and counts it, with the wall-clock times of the first and the last arrival.
// `GET /stats` answers {"count","chats","first_ms","last_ms"} (milliseconds since the Unix
// epoch, so a shell script can compare them with `date +%s%3N`); the same line is printed on
// exit (SIGINT or SIGTERM).
#include <chrono>
#include <cstdint>
#include <iostream>
#include <set>
#include <string>

// bot/net.hpp first: it supplies the <utility> Boost 1.74's awaitable.hpp forgets.
#include "bot/net.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

namespace loudong::bench {
namespace {

namespace beast = bot::beast;
namespace http = bot::http;
namespace net = bot::net;
using bot::tcp;

/// What has arrived so far; touched only by the receiver's single thread.
struct arrivals {
    std::int64_t count = 0;
    std::set<std::string> chats;
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;

    void add(const std::string& body) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        if (count == 0) {
            first_ms = now;
        }
        last_ms = now;
        ++count;
        const auto json = nlohmann::json::parse(body, nullptr, false);
        if (json.is_object() && json.contains("chat_id") && json["chat_id"].is_string()) {
            chats.insert(json["chat_id"].get<std::string>());
        }
    }

    std::string to_json() const {
        return nlohmann::json{
            {"count", count}, {"chats", chats.size()}, {"first_ms", first_ms}, {"last_ms", last_ms}}
            .dump();
    }
};

net::awaitable<void> serve(tcp::socket socket, arrivals& seen) {
    beast::flat_buffer buffer;
    try {
        for (;;) {
            http::request<http::string_body> req;
            co_await http::async_read(socket, buffer, req, net::use_awaitable);
            http::response<http::string_body> res{http::status::ok, req.version()};
            res.set(http::field::content_type, "application/json");
            if (req.method() == http::verb::post && req.target() == "/token") {
                // QQ's token endpoint (the platforms benchmark's QQ bot fetches one).
                res.body() = R"({"access_token":"bench-token","expires_in":"7200"})";
            } else if (req.method() == http::verb::post) {
                seen.add(req.body());
                res.body() = R"({"ok":true,"result":{}})";
            } else if (req.target() == "/stats") {
                res.body() = seen.to_json();
            } else {
                res.result(http::status::not_found);
                res.body() = R"({"ok":false})";
            }
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            co_await http::async_write(socket, res, net::use_awaitable);
            if (!req.keep_alive()) {
                break;
            }
        }
    } catch (const std::exception&) {
        // The client closed the connection.
    }
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, arrivals& seen) {
    for (;;) {
        auto socket = co_await acceptor.async_accept(net::use_awaitable);
        net::co_spawn(acceptor.get_executor(), serve(std::move(socket), seen), net::detached);
    }
}

}  // namespace
}  // namespace loudong::bench

int main(int argc, char** argv) {
    namespace net = loudong::bot::net;
    CLI::App app{"loudong_fake_receiver - counts what the outbox POSTs, for benchmarks"};
    int port = 0;
    app.add_option("--port", port, "port on 127.0.0.1 (0 = any free port)");
    CLI11_PARSE(app, argc, argv);

    // One thread: the counters need no lock.
    net::io_context ioc{1};
    loudong::bot::tcp::acceptor acceptor(
        ioc, {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    loudong::bench::arrivals seen;
    net::co_spawn(ioc, loudong::bench::accept_loop(acceptor, seen), net::detached);
    std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](loudong::bot::error_code, int) { ioc.stop(); });
    ioc.run();
    std::cout << seen.to_json() << std::endl;
    return 0;
}
