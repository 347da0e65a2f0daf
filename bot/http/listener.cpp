#include "bot/http/listener.hpp"

#include <spdlog/spdlog.h>

namespace loudong::bot {

listener::listener(net::io_context& ioc, tcp::endpoint endpoint, request_handler& handler,
                   std::size_t body_limit, on_session track)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      handler_(handler),
      body_limit_(body_limit),
      track_(std::move(track)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::run() {
    do_accept();
}

void listener::stop() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
        error_code ec;
        self->acceptor_.close(ec);
    });
}

void listener::do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    if (ec) {
        // Out of file descriptors and the like: log, and keep accepting.
        spdlog::warn("accept: {}", ec.message());
    } else {
        auto session = std::make_shared<http_session>(std::move(socket), handler_, body_limit_);
        track_(session);
        session->run();
    }
    do_accept();
}

}  // namespace loudong::bot
