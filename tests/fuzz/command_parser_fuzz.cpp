// libFuzzer target: handlers::parse_command on any message text, with normalize_text and
// find_command beside it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "handlers/parser/command_parser.hpp"
#include "tests/fuzz/command_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using loudong::fuzz::require;

// Characters normalize_text reads as something else or drops: full-width forms (U+FF01 to
// U+FF5E), the ideographic space, and the invisible U+200B, U+2060 and U+FEFF.
bool has_unfolded_character(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        const auto b2 = static_cast<unsigned char>(s[i + 2]);
        const bool full_width =
            b0 == 0xEF && ((b1 == 0xBC && b2 >= 0x81) || (b1 == 0xBD && b2 <= 0x9E));
        const bool ideographic_space = b0 == 0xE3 && b1 == 0x80 && b2 == 0x80;
        const bool invisible = (b0 == 0xE2 && b1 == 0x80 && b2 == 0x8B) ||
                               (b0 == 0xE2 && b1 == 0x81 && b2 == 0xA0) ||
                               (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF);
        if (full_width || ideographic_space || invisible) {
            return true;
        }
    }
    return false;
}

void check_normalized(std::string_view typed) {
    const auto normalized = loudong::handlers::normalize_text(typed);
    if (!loudong::fuzz::is_utf8(typed)) {
        return;
    }
    require(loudong::fuzz::is_utf8(normalized), "normalising UTF-8 gives UTF-8");
    require(loudong::handlers::normalize_text(normalized) == normalized,
            "normalising twice changes nothing");
    require(normalized.empty() || (normalized.front() != ' ' && normalized.back() != ' '),
            "normalised text is trimmed");
    require(normalized.find("  ") == std::string::npos, "normalised text has single spaces");
    require(normalized.find_first_of("\t\n\v\f\r") == std::string::npos,
            "normalised text has no other white space");
    require(!has_unfolded_character(normalized), "normalised text has no full-width forms");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto typed = loudong::fuzz::as_text(data, size);
    loudong::fuzz::check_parse_result(typed, loudong::handlers::parse_command(typed));
    check_normalized(typed);
    // Several command lines: each one a command, at least two, none blank.
    if (const auto lines = loudong::handlers::command_lines(typed)) {
        require(lines->size() >= 2, "several command lines are at least two");
        for (const auto& line : *lines) {
            require(!loudong::handlers::normalize_text(line).empty(), "no command line is blank");
            require(line.find('\n') == std::string::npos, "a command line is one line");
            require(!std::holds_alternative<loudong::handlers::not_a_command>(
                        loudong::handlers::parse_command(line)),
                    "each command line is a command");
        }
    }
    // A help topic is any text too (帮助 <topic>).
    if (const auto name = loudong::handlers::find_command(typed)) {
        require(loudong::handlers::find_command(loudong::handlers::english_name(*name)) == name,
                "a command is found by its English name");
    }
    return 0;
}
