#include "bot/platforms/platform.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "bot/http/http_client.hpp"

namespace loudong::bot {
namespace {

std::int64_t header_seconds(const http_answer& answer, const char* name) {
    const auto found = answer.headers.find(name);
    if (found == answer.headers.end()) {
        return 0;
    }
    try {
        return std::max<std::int64_t>(0, std::stoll(found->second));
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

delivery delivery_of(const http_answer& answer) {
    if (answer.status == 0) {
        return {delivery::result::retry, 0, answer.error};
    }
    if (answer.status == 429) {
        std::int64_t after = header_seconds(answer, "retry-after");
        // Telegram puts it in the body:
        // {"ok":false,"error_code":429,"parameters":{"retry_after":N}}
        const auto body = nlohmann::json::parse(answer.body, nullptr, false);
        if (body.is_object() && body.contains("parameters") &&
            body["parameters"].contains("retry_after") &&
            body["parameters"]["retry_after"].is_number_integer()) {
            after = body["parameters"]["retry_after"].get<std::int64_t>();
        }
        return {delivery::result::retry, after, "429 too many requests"};
    }
    if (answer.status >= 500) {
        return {delivery::result::retry, 0, "HTTP " + std::to_string(answer.status)};
    }
    if (answer.status >= 400) {
        return {delivery::result::failed, 0,
                "HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 200)};
    }
    return {delivery::result::sent, 0, {}};
}

hook_answer platform::unavailable(const handlers::message&, const std::string&) const {
    return {http::status::service_unavailable, R"({"error":"storage unavailable, please retry"})"};
}

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

}  // namespace loudong::bot
