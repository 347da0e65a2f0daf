#pragma once

// The one place the Asio and Beast names are spelled out (model: the CppCon2018 chat server).

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which
// g++ 12 in C++20 mode no longer pulls in transitively.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace loudong::bot {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

/// A webhook request and its answer, as the server reads and writes them.
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

}  // namespace loudong::bot
