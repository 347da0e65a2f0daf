#include "bot/http/http_client.hpp"

#include <map>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/ssl.hpp>

#include "bot/net.hpp"

namespace loudong::bot {
namespace {

namespace ssl = boost::asio::ssl;
using net::use_awaitable;

struct url_parts {
    bool tls = false;
    std::string host;
    std::string port;
    std::string target;
};

url_parts split_url(const std::string& url) {
    url_parts parts;
    std::string rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        rest = url.substr(8);
        parts.tls = true;
    } else {
        throw std::invalid_argument("not an http(s) URL: " + url);
    }
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    parts.target = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    parts.host = authority.substr(0, colon);
    parts.port =
        colon == std::string::npos ? (parts.tls ? "443" : "80") : authority.substr(colon + 1);
    return parts;
}

// The Host header names the port when it is not the scheme's own (RFC 9110 §7.2): a platform
// behind a proxy on another port routes by it.
std::string host_header(const url_parts& parts) {
    const bool default_port = parts.port == (parts.tls ? "443" : "80");
    return default_port ? parts.host : parts.host + ":" + parts.port;
}

http::request<http::string_body> make_request(
    const url_parts& parts, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
    http::request<http::string_body> req{http::verb::post, parts.target, 11};
    req.set(http::field::host, host_header(parts));
    req.set(http::field::user_agent, "loudong");
    req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    return req;
}

void take_response(http::response<http::string_body>& res, http_answer& answer) {
    answer.status = res.result_int();
    answer.body = std::move(res.body());
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        answer.headers[name] = std::string(field.value());
    }
}

// One kept-alive connection to one scheme, host and port, with the io_context it runs on: a
// request that times out leaves its operations on that context, and both go together.
// Members are destroyed in reverse: the streams before the context they were made on.
struct connection {
    net::io_context ioc;
    std::optional<ssl::context> tls_context;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    bool connected = false;
    std::chrono::steady_clock::time_point last_used;

    beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }
};

// How one exchange on a connection ended.
struct exchange_result {
    error_code error;  ///< the failure, if any
    bool got_response = false;
    bool keep_alive = false;  ///< the server keeps the connection open for the next request
};

template <typename Stream>
net::awaitable<void> round_trip(Stream& stream, http::request<http::string_body>& req,
                                http_answer& answer, exchange_result& result) {
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, use_awaitable);
    result.keep_alive = res.keep_alive();
    result.got_response = true;
    take_response(res, answer);
}

net::awaitable<void> exchange(connection& c, url_parts parts, http::request<http::string_body> req,
                              std::chrono::milliseconds timeout, http_answer& answer,
                              exchange_result& result) {
    try {
        c.lowest().expires_after(timeout);
        if (!c.connected) {
            auto executor = co_await net::this_coro::executor;
            tcp::resolver resolver(executor);
            const auto endpoints =
                co_await resolver.async_resolve(parts.host, parts.port, use_awaitable);
            co_await c.lowest().async_connect(endpoints, use_awaitable);
            if (c.tls) {
                co_await c.tls->async_handshake(ssl::stream_base::client, use_awaitable);
            }
            c.connected = true;
        }
        if (c.tls) {
            co_await round_trip(*c.tls, req, answer, result);
        } else {
            co_await round_trip(*c.plain, req, answer, result);
        }
    } catch (const boost::system::system_error& e) {
        result.error = e.code();
        answer.error = e.what();
    }
}

std::unique_ptr<connection> open_connection(const url_parts& parts) {
    auto c = std::make_unique<connection>();
    if (!parts.tls) {
        c->plain.emplace(c->ioc);
        return c;
    }
    c->tls_context.emplace(ssl::context::tls_client);
    c->tls_context->set_default_verify_paths();
    c->tls_context->set_verify_mode(ssl::verify_peer);
    c->tls.emplace(c->ioc, *c->tls_context);
    if (!SSL_set_tlsext_host_name(c->tls->native_handle(), parts.host.c_str())) {
        throw std::runtime_error("cannot set TLS server name");
    }
    c->tls->set_verify_callback(ssl::host_name_verification(parts.host));
    return c;
}

// A server may close a kept-alive connection while it sits idle (nginx after 75 s); one older
// than this is not tried.
constexpr auto idle_limit = std::chrono::seconds(30);

// This thread's kept-alive connections, by scheme, host and port. The outbox's senders each
// keep theirs; a connection is used by one request at a time.
std::map<std::string, std::unique_ptr<connection>>& connections() {
    thread_local std::map<std::string, std::unique_ptr<connection>> open;
    return open;
}

// A kept-alive connection the server had closed fails before any answer: the request is sent
// again once on a new connection. Never after a timeout, which may have reached the platform.
bool closed_while_idle(const error_code& e) {
    return e == http::error::end_of_stream || e == net::error::eof ||
           e == net::error::connection_reset || e == net::error::broken_pipe ||
           e == net::ssl::error::stream_truncated;
}

}  // namespace

http_answer http_post(const std::string& url, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      std::chrono::milliseconds timeout) {
    http_answer answer;
    try {
        const auto parts = split_url(url);
        const auto key = (parts.tls ? "https://" : "http://") + parts.host + ":" + parts.port;
        auto& open = connections();
        const auto now = std::chrono::steady_clock::now();
        auto conn = std::move(open[key]);
        open.erase(key);
        if (conn && now - conn->last_used > idle_limit) {
            conn.reset();
        }
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool reused = conn != nullptr;
            if (!conn) {
                conn = open_connection(parts);
            }
            answer = http_answer{};
            exchange_result result;
            conn->ioc.restart();
            net::co_spawn(
                conn->ioc,
                exchange(*conn, parts, make_request(parts, body, headers), timeout, answer, result),
                net::detached);
            // The resolver has no deadline of its own; bound the whole exchange here.
            conn->ioc.run_for(timeout + std::chrono::seconds(1));
            if (!conn->ioc.stopped()) {
                answer = http_answer{};
                answer.error = "timed out";
                return answer;  // the connection and what is left on it go together
            }
            if (result.got_response) {
                if (result.keep_alive) {
                    conn->last_used = std::chrono::steady_clock::now();
                    open[key] = std::move(conn);
                }
                return answer;
            }
            if (!reused || !closed_while_idle(result.error)) {
                return answer;
            }
            conn.reset();
        }
    } catch (const std::exception& e) {
        answer = http_answer{};
        answer.error = e.what();
    }
    return answer;
}

}  // namespace loudong::bot
