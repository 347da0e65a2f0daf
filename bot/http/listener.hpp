#pragma once

#include <functional>
#include <memory>

#include "bot/http/http_session.hpp"
#include "bot/net.hpp"

namespace loudong::bot {

/// Accepts connections and starts an http_session on its own strand for each.
class listener : public std::enable_shared_from_this<listener> {
public:
    using on_session = std::function<void(const std::shared_ptr<http_session>&)>;

    /// Binds and listens; throws boost::system::system_error when the address is taken.
    listener(net::io_context& ioc, tcp::endpoint endpoint, request_handler& handler,
             std::size_t body_limit, on_session track);

    /// Starts accepting.
    void run();

    /// Stops accepting new connections.
    void stop();

    /// The bound endpoint (the real port when 0 was asked for).
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();
    void on_accept(error_code ec, tcp::socket socket);

    net::io_context& ioc_;
    tcp::acceptor acceptor_;
    request_handler& handler_;
    std::size_t body_limit_;
    on_session track_;
};

}  // namespace loudong::bot
