#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The registry as a committee keeps it in a spreadsheet (SPEC §7): a CSV file with a header
// and the columns building,room[,note], saved by Excel as UTF-8 (with or without a BOM) or as
// GBK. Read whole before anything is imported, so a bad line imports nothing.

namespace loudong::handlers {

/// One room of the file, its building and room as labels (`3`, `12弄3`; `502`).
struct registry_line {
    std::string building;
    std::string room;
    std::string note;
    std::size_t line = 0;  ///< in the file, from 1 (the header)
};

/// Why the file cannot be imported: the line (0 for the file as a whole) and what is wrong,
/// in the words a committee member reads.
struct registry_csv_error {
    std::size_t line = 0;
    std::string reason;
};

/// The largest file read: a compound of 5,000 households with notes is about 200 KB.
inline constexpr std::size_t max_registry_csv_bytes = 4 * 1024 * 1024;

/// The longest note kept on a household, in bytes.
inline constexpr std::size_t max_note_bytes = 600;

/// Reads a registry file; every room once, in file order.
std::variant<std::vector<registry_line>, registry_csv_error> read_registry_csv(
    std::string_view bytes);

/// The error as one line: "第3行：房号“05a”看不懂".
std::string describe(const registry_csv_error& error);

}  // namespace loudong::handlers
