// The benchmark's baseline: a bare Beast HTTP/1.1 server built from the same Asio/Beast and the
// same session shape as loudong's (a strand per connection, a timeout and a body limit before
// every read), that answers every request 200 with a small JSON body and keeps the connection
// alive. What loudong adds on top of it is what the ratio measures.
//
// With --db PATH it is the "durable floor" instead: every request's body is inserted into a
// SQLite table by one writer thread that commits in batches (WAL, synchronous=FULL, as loudong's
// writer does) and the 200 is sent only after its batch is committed. No parsing, no commands,
// no reply text: what any design pays that keeps a message it has acknowledged.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
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

/// The durable floor's writer: one thread, one connection, one transaction per batch.
class durable_log {
public:
    explicit durable_log(const std::string& path)
        : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {
        db_.exec("PRAGMA journal_mode = WAL");
        db_.exec("PRAGMA synchronous = FULL");
        db_.exec(
            "CREATE TABLE IF NOT EXISTS received (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        thread_ = std::thread([this] { run(); });
    }
    ~durable_log() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    durable_log(const durable_log&) = delete;
    durable_log& operator=(const durable_log&) = delete;

    /// Queues `body`; `done` runs on the writer thread once it is committed.
    void submit(std::string body, std::function<void()> done) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back({std::move(body), std::move(done)});
        }
        wake_.notify_one();
    }

private:
    struct entry {
        std::string body;
        std::function<void()> done;
    };

    void run() {
        SQLite::Statement insert(db_, "INSERT INTO received (body) VALUES (?)");
        for (;;) {
            std::deque<entry> batch;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) {
                    return;
                }
                batch.swap(queue_);
            }
            db_.exec("BEGIN IMMEDIATE");
            for (auto& e : batch) {
                insert.bind(1, e.body);
                insert.exec();
                insert.reset();
            }
            db_.exec("COMMIT");
            for (auto& e : batch) {
                e.done();
            }
        }
    }

    SQLite::Database db_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<entry> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

/// One keep-alive connection: do_read → on_read → do_write → on_write → do_read | do_close.
class bare_session : public std::enable_shared_from_this<bare_session> {
public:
    bare_session(tcp::socket&& socket, durable_log* log) : stream_(std::move(socket)), log_(log) {}

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
        auto req = parser_->release();
        if (log_ != nullptr) {
            auto self = shared_from_this();
            const bool keep_alive = req.keep_alive();
            const unsigned version = req.version();
            log_->submit(std::move(req.body()), [self, keep_alive, version] {
                net::post(self->stream_.get_executor(),
                          [self, keep_alive, version] { self->answer(keep_alive, version); });
            });
            return;
        }
        answer(req.keep_alive(), req.version());
    }

    void answer(bool keep_alive, unsigned version) {
        auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, version);
        res->set(http::field::content_type, "application/json");
        res->keep_alive(keep_alive);
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
    durable_log* log_;
};

/// Accepts connections and gives each its own strand.
class bare_listener : public std::enable_shared_from_this<bare_listener> {
public:
    bare_listener(net::io_context& ioc, const tcp::endpoint& endpoint, durable_log* log)
        : ioc_(ioc), acceptor_(net::make_strand(ioc), endpoint), log_(log) {}

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
            std::make_shared<bare_session>(std::move(socket), log_)->run();
        }
        do_accept();
    }

    net::io_context& ioc_;
    tcp::acceptor acceptor_;
    durable_log* log_;
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
    std::string db_path;
    app.add_option("--db", db_path,
                   "durable floor: commit every request's body to this SQLite file first");
    CLI11_PARSE(app, argc, argv);

    std::optional<loudong::bench::durable_log> log;
    if (!db_path.empty()) {
        log.emplace(db_path);
    }

    net::io_context ioc{threads};
    const loudong::bot::tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"),
                                               static_cast<unsigned short>(port)};
    auto listener =
        std::make_shared<loudong::bench::bare_listener>(ioc, endpoint, log ? &*log : nullptr);
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
