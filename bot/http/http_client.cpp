#include "bot/http/http_client.hpp"

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

http::request<http::string_body> make_request(
    const url_parts& parts, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
    http::request<http::string_body> req{http::verb::post, parts.target, 11};
    req.set(http::field::host, parts.host);
    req.set(http::field::user_agent, "loudong");
    req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = body;
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

template <typename Stream>
net::awaitable<void> exchange(Stream& stream, http::request<http::string_body>& req,
                              http_answer& answer) {
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, use_awaitable);
    take_response(res, answer);
}

net::awaitable<void> post(url_parts parts, http::request<http::string_body> req,
                          std::chrono::milliseconds timeout, http_answer& answer) {
    auto executor = co_await net::this_coro::executor;
    tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(parts.host, parts.port, use_awaitable);
    if (!parts.tls) {
        beast::tcp_stream stream(executor);
        stream.expires_after(timeout);
        co_await stream.async_connect(endpoints, use_awaitable);
        co_await exchange(stream, req, answer);
        error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return;
    }
    ssl::context tls(ssl::context::tls_client);
    tls.set_default_verify_paths();
    tls.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), parts.host.c_str())) {
        throw std::runtime_error("cannot set TLS server name");
    }
    stream.set_verify_callback(ssl::host_name_verification(parts.host));
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_awaitable);
    co_await stream.async_handshake(ssl::stream_base::client, use_awaitable);
    co_await exchange(stream, req, answer);
}

}  // namespace

http_answer http_post(const std::string& url, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      std::chrono::milliseconds timeout) {
    http_answer answer;
    try {
        const auto parts = split_url(url);
        net::io_context ioc;
        std::exception_ptr failure;
        net::co_spawn(ioc, post(parts, make_request(parts, body, headers), timeout, answer),
                      [&failure](std::exception_ptr e) { failure = e; });
        // The resolver has no deadline of its own; bound the whole exchange here.
        ioc.run_for(timeout + std::chrono::seconds(1));
        if (!ioc.stopped()) {
            answer = http_answer{};
            answer.error = "timed out";
            return answer;
        }
        if (failure) {
            std::rethrow_exception(failure);
        }
    } catch (const std::exception& e) {
        answer = http_answer{};
        answer.error = e.what();
    }
    return answer;
}

}  // namespace loudong::bot
