#include "bot/console/console_form.hpp"

#include "bot/platforms/signature.hpp"

namespace loudong::bot {

console_form::console_form(std::string_view encoded) {
    while (!encoded.empty() && fields_.size() < max_fields) {
        const auto amp = encoded.find('&');
        const auto pair = encoded.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            fields_.emplace_back(
                url_decoded(pair.substr(0, eq)),
                eq == std::string_view::npos ? std::string() : url_decoded(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        encoded.remove_prefix(amp + 1);
    }
}

std::string console_form::value(std::string_view name) const {
    for (const auto& [key, value] : fields_) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

std::vector<std::string> console_form::values(std::string_view name) const {
    std::vector<std::string> found;
    for (const auto& [key, value] : fields_) {
        if (key == name) {
            found.push_back(value);
        }
    }
    return found;
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        auto pair = header.substr(0, semi);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
        if (semi == std::string_view::npos) {
            break;
        }
        header.remove_prefix(semi + 1);
    }
    return {};
}

}  // namespace loudong::bot
