#include "bot/http/http_session.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "bot/platforms/generic_platform.hpp"
#include "bot/platforms/wire_json.hpp"

namespace loudong::bot {
namespace {

// A whole request (headers and body) must arrive within this; it also ends idle keep-alive
// connections and slow senders.
constexpr auto read_timeout = std::chrono::seconds(30);
constexpr auto write_timeout = std::chrono::seconds(30);

void fail(error_code ec, const char* what) {
    if (ec == net::error::operation_aborted || ec == http::error::end_of_stream ||
        ec == beast::error::timeout || ec == net::error::eof) {
        return;
    }
    spdlog::debug("{}: {}", what, ec.message());
}

}  // namespace

http_session::http_session(tcp::socket&& socket, request_handler& handler, std::size_t body_limit)
    : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit) {}

void http_session::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::drain() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        self->draining_ = true;
        if (!self->busy_) {
            self->do_close();
        }
    });
}

void http_session::do_read() {
    if (draining_) {
        do_close();
        return;
    }
    parser_.emplace();
    parser_->body_limit(body_limit_);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::body_limit) {
        auto res = response{http::status::payload_too_large, 11};
        res.set(http::field::content_type, "application/json");
        res.body() = error_body("body larger than " + std::to_string(body_limit_) + " bytes");
        res.keep_alive(false);
        res.prepare_payload();
        spdlog::info("- - 413 body over limit");
        busy_ = true;
        do_write(std::move(res));
        return;
    }
    if (ec == http::error::header_limit || ec == http::error::bad_method ||
        ec == http::error::bad_target || ec == http::error::bad_version ||
        ec == http::error::bad_field || ec == http::error::bad_value ||
        ec == http::error::bad_content_length || ec == http::error::bad_chunk ||
        ec == http::error::bad_line_ending || ec == http::error::bad_transfer_encoding) {
        auto res =
            response{ec == http::error::header_limit ? http::status::request_header_fields_too_large
                                                     : http::status::bad_request,
                     11};
        res.set(http::field::content_type, "application/json");
        res.body() = error_body("malformed HTTP request: " + ec.message());
        res.keep_alive(false);
        res.prepare_payload();
        busy_ = true;
        do_write(std::move(res));
        return;
    }
    if (ec) {
        fail(ec, "read");
        do_close();
        return;
    }
    busy_ = true;
    stream_.expires_never();
    // The request handler may answer from the writer thread; hop back onto this session's strand.
    auto work = net::make_work_guard(stream_.get_executor());
    try {
        handler_.handle(parser_->release(), [self = shared_from_this(),
                                             work = std::move(work)](response res) mutable {
            net::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable { self->do_write(std::move(res)); });
            work.reset();
        });
    } catch (const std::exception& e) {
        spdlog::error("request failed: {}", e.what());
        request empty;
        do_write(make_response(empty, http::status::internal_server_error,
                               error_body("internal error")));
    }
}

void http_session::do_write(response res) {
    pending_ = std::make_shared<response>(std::move(res));
    const bool keep_alive = pending_->keep_alive() && !draining_;
    stream_.expires_after(write_timeout);
    http::async_write(
        stream_, *pending_,
        beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::on_write(bool keep_alive, error_code ec, std::size_t /*bytes*/) {
    busy_ = false;
    pending_.reset();
    if (ec) {
        fail(ec, "write");
        do_close();
        return;
    }
    if (!keep_alive) {
        do_close();
        return;
    }
    do_read();
}

void http_session::do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
}

}  // namespace loudong::bot
