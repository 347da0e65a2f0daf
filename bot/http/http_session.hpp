#pragma once

#include <memory>
#include <optional>

#include "bot/http/request_handler.hpp"
#include "bot/net.hpp"

namespace loudong::bot {

/// One HTTP/1.1 connection: do_read → on_read → (request_handler) → do_write → on_write → do_read |
/// do_close, on its own strand, with a timeout and a body limit before every read
/// (model: Beast's advanced_server).
class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(tcp::socket&& socket, request_handler& handler, std::size_t body_limit);

    /// Starts reading requests.
    void run();

    /// Closes the connection once the request in flight (if any) is answered.
    void drain();

private:
    void do_read();
    void on_read(error_code ec, std::size_t bytes);
    void do_write(response res);
    void on_write(bool keep_alive, error_code ec, std::size_t bytes);
    void do_close();

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<response> pending_;
    request_handler& handler_;
    std::size_t body_limit_;
    bool busy_ = false;
    bool draining_ = false;
};

}  // namespace loudong::bot
