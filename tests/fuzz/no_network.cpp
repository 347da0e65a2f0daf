// The fuzz targets read payloads and render answers; none of them sends anything. The real
// HTTP client (bot/http/http_client.cpp) is built on Asio's C++20 coroutines, which Boost 1.74
// does not enable under clang 14, so the fuzz build links this in its place: a call would be
// a fuzz target doing what it must not, and stops the run.
#include <cstdlib>

#include "bot/http/http_client.hpp"

namespace loudong::bot {

http_answer http_post(const std::string&, const std::string&,
                      const std::vector<std::pair<std::string, std::string>>&,
                      std::chrono::milliseconds) {
    std::abort();
}

}  // namespace loudong::bot
