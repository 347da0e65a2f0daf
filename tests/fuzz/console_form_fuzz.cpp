// libFuzzer target: what a browser sends the console (SPEC §12) — a form body or query string,
// and a Cookie header — as any bytes. Reading never crashes; every field read back, encoded
// again, reads the same; a cookie's value never runs past its ';'.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/console/console_form.hpp"
#include "bot/platforms/signature.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using loudong::fuzz::require;

namespace {

std::string encoded(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    const auto decoded = loudong::bot::url_decoded(bytes);
    require(decoded.size() <= bytes.size(), "decoding never lengthens");
    if (bytes.find_first_of("%+") == std::string_view::npos) {
        require(decoded == bytes, "text without % or + decodes to itself");
    }
    require(loudong::bot::url_decoded(encoded(decoded)) == decoded,
            "what is percent-encoded decodes back");

    const loudong::bot::console_form form(bytes);
    for (const auto* name : {"csrf", "command", "text", "building", "t"}) {
        const auto all = form.values(name);
        require(all.size() <= loudong::bot::console_form::max_fields, "fields are capped");
        require(all.empty() ? form.value(name).empty() : form.value(name) == all.front(),
                "value() is the first of values()");
        for (const auto& value : all) {
            const loudong::bot::console_form again(std::string(name) + "=" + encoded(value));
            require(again.value(name) == value, "a field re-encoded reads the same");
        }
    }

    const auto cookie = loudong::bot::cookie_value(bytes, "loudong_console");
    require(cookie.find(';') == std::string::npos, "a cookie's value stops at ';'");
    require(cookie.size() <= bytes.size(), "a cookie's value is part of the header");
    return 0;
}
