#pragma once

// A plain blocking HTTP/1.1 client for end-to-end tests: one connection per call.

#include <map>
#include <string>

#include "bot/net.hpp"

namespace loudong::testing {

struct http_reply {
    unsigned status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

inline http_reply http_call(unsigned short port, boost::beast::http::verb method,
                            const std::string& target, const std::string& body = "",
                            const std::map<std::string, std::string>& headers = {}) {
    namespace bot = loudong::bot;
    bot::net::io_context ioc;
    bot::beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(bot::tcp::endpoint(bot::net::ip::make_address("127.0.0.1"), port));
    bot::http::request<bot::http::string_body> req{method, target, 11};
    req.set(bot::http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    if (!body.empty() || method == bot::http::verb::post) {
        req.set(bot::http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
    }
    bot::http::write(stream, req);
    bot::beast::flat_buffer buffer;
    bot::http::response_parser<bot::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bot::error_code ec;
    bot::http::read(stream, buffer, parser, ec);
    http_reply reply;
    if (ec && !parser.is_header_done()) {
        throw boost::system::system_error(ec);
    }
    const auto& res = parser.get();
    reply.status = res.result_int();
    reply.body = res.body();
    for (const auto& field : res) {
        reply.headers[std::string(field.name_string())] = std::string(field.value());
    }
    return reply;
}

}  // namespace loudong::testing
