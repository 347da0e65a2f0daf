#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loudong::bot {

/// The fields of an `application/x-www-form-urlencoded` body (or a URL's query), decoded, in
/// order; a name may repeat (several ticked buildings). At most `max_fields` are read.
class console_form {
public:
    static constexpr std::size_t max_fields = 200;

    explicit console_form(std::string_view encoded);

    /// The first value of a field, empty when absent.
    std::string value(std::string_view name) const;

    /// Every value of a field, in order.
    std::vector<std::string> values(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

/// One cookie's value from a `Cookie` header, empty when absent.
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace loudong::bot
