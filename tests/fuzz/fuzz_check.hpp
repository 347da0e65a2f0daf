#pragma once

// What the fuzz targets share: a check that stops the run with a message (libFuzzer then keeps
// the input as a crash), and a UTF-8 test written apart from the code under test, so that it is
// an independent judge of what that code produces.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace loudong::fuzz {

/// Stops the run when a property does not hold: says which, then aborts so that libFuzzer
/// saves the input that broke it.
inline void require(bool holds, const char* property) {
    if (!holds) {
        std::fprintf(stderr, "\nproperty does not hold: %s\n", property);
        std::abort();
    }
}

/// True when `s` is well-formed UTF-8, by the byte ranges of Unicode's table 3-7 (no overlong
/// forms, no surrogates, nothing past U+10FFFF).
inline bool is_utf8(std::string_view s) {
    const auto within = [](unsigned char c, unsigned lo, unsigned hi) {
        return c >= lo && c <= hi;
    };
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t length = 1;
        unsigned second_lo = 0x80;
        unsigned second_hi = 0xBF;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if (within(lead, 0xC2, 0xDF)) {
            length = 2;
        } else if (within(lead, 0xE0, 0xEF)) {
            length = 3;
            second_lo = lead == 0xE0 ? 0xA0 : 0x80;
            second_hi = lead == 0xED ? 0x9F : 0xBF;
        } else if (within(lead, 0xF0, 0xF4)) {
            length = 4;
            second_lo = lead == 0xF0 ? 0x90 : 0x80;
            second_hi = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (s.size() - i < length ||
            !within(static_cast<unsigned char>(s[i + 1]), second_lo, second_hi)) {
            return false;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if (!within(static_cast<unsigned char>(s[i + k]), 0x80, 0xBF)) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

/// The fuzz input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace loudong::fuzz
