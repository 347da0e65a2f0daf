// The benchmark's baseline: a bare Beast HTTP/1.1 server built from the same Asio/Beast and the
// same session shape as loudong's (a strand per connection, a timeout and a body limit before
// every read), that answers every request 200 with a small JSON body and keeps the connection
// alive. What loudong adds on top of it is what the ratio measures.
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "bot/net.hpp"

namespace loudong::bench {
namespace {

namespace beast = bot::beast;
namespace http = bot::http;
namespace net = bot::net;
using bot::error_code;
using bot::tcp;

constexpr auto read_timeout = std::chrono::seconds(30);
constexpr std::size_t body_limit = 65536;
// About the size of loudong's answer to an order.
constexpr auto reply_body = R"({"replies":[{"chat_id":"bldg-1","reply_to":"m-1","text":"ok"}]})";

/// One keep-alive connection: do_read → on_read → do_write → on_write → do_read | do_close.
class bare_session : public std::enable_shared_from_this<bare_session> {
public:
    explicit bare_session(tcp::socket&& socket) : stream_(std::move(socket)) {}

    /// Starts reading requests on the connection's strand.
    void run() {
        net::dispatch(stream_.get_executor(),
                      beast::bind_front_handler(&bare_session::do_read, shared_from_this()));
    }

private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(body_limit);
        stream_.expires_after(read_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&bare_session::on_read, shared_from_this()));
    }

    void on_read(error_code ec, std::size_t /*bytes*/) {
        if (ec) {
            do_close();
            return;
        }
        const auto req = parser_->release();
        auto res =
            std::make_shared<http::response<http::string_body>>(http::status::ok, req.version());
        res->set(http::field::content_type, "application/json");
        res->keep_alive(req.keep_alive());
        res->body() = reply_body;
        res->prepare_payload();
        do_write(std::move(res));
    }

    void do_write(std::shared_ptr<http::response<http::string_body>> res) {
        pending_ = std::move(res);
        stream_.expires_after(read_timeout);
        http::async_write(stream_, *pending_,
                          beast::bind_front_handler(&bare_session::on_write, shared_from_this(),
                                                    pending_->keep_alive()));
    }

    void on_write(bool keep_alive, error_code ec, std::size_t /*bytes*/) {
        pending_.reset();
        if (ec || !keep_alive) {
            do_close();
            return;
        }
        do_read();
    }

    void do_close() {
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<http::response<http::string_body>> pending_;
};

/// Accepts connections and gives each its own strand.
class bare_listener : public std::enable_shared_from_this<bare_listener> {
public:
    bare_listener(net::io_context& ioc, const tcp::endpoint& endpoint)
        : ioc_(ioc), acceptor_(net::make_strand(ioc), endpoint) {}

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    /// Accepts until the io_context stops.
    void do_accept() {
        acceptor_.async_accept(
            net::make_strand(ioc_),
            beast::bind_front_handler(&bare_listener::on_accept, shared_from_this()));
    }

private:
    void on_accept(error_code ec, tcp::socket socket) {
        if (!ec) {
            std::make_shared<bare_session>(std::move(socket))->run();
        }
        do_accept();
    }

    net::io_context& ioc_;
    tcp::acceptor acceptor_;
};

}  // namespace
}  // namespace loudong::bench

int main(int argc, char** argv) {
    namespace net = loudong::bot::net;
    CLI::App app{"loudong_bare_server - answers every HTTP request 200, for benchmarks"};
    int port = 0;
    int threads = 2;
    app.add_option("--port", port, "port on 127.0.0.1 (0 = any free port)");
    app.add_option("--threads", threads, "I/O threads")->check(CLI::Range(1, 64));
    CLI11_PARSE(app, argc, argv);

    net::io_context ioc{threads};
    const loudong::bot::tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"),
                                               static_cast<unsigned short>(port)};
    auto listener = std::make_shared<loudong::bench::bare_listener>(ioc, endpoint);
    listener->do_accept();
    std::cout << "listening on 127.0.0.1:" << listener->port() << std::endl;

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](loudong::bot::error_code, int) { ioc.stop(); });

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) {
        pool.emplace_back([&ioc] { ioc.run(); });
    }
    ioc.run();
    for (auto& t : pool) {
        t.join();
    }
    return 0;
}
