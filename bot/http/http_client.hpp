#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace loudong::bot {

/// The answer to one outbound HTTP request; status 0 means no HTTP answer (connection
/// refused, timeout, TLS failure), with the reason in `error`.
struct http_answer {
    unsigned status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< names in lower case
    std::string error;
};

/// A blocking HTTP/1.1 POST with an overall deadline, over http:// or https:// (certificates
/// checked against the system's store). For the outbox worker and `loudong say`.
http_answer http_post(const std::string& url, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers,
                      std::chrono::milliseconds timeout);

}  // namespace loudong::bot
