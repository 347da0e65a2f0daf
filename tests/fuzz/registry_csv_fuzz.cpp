// libFuzzer target: a household registry file as a committee uploads it (SPEC §7), bytes of
// any encoding. The reader never crashes; what it accepts is a list of valid, distinct rooms
// with short notes, and what it refuses names a line of the file (or none).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "handlers/parser/registry_csv.hpp"
#include "tests/fuzz/command_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace h = loudong::handlers;
using loudong::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto read = h::read_registry_csv(bytes);
    const auto lines = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
    if (const auto* error = std::get_if<h::registry_csv_error>(&read)) {
        require(!error->reason.empty(), "a refusal says why");
        require(error->line <= lines, "a refusal names a line of the file");
        require(!h::describe(*error).empty(), "a refusal can be shown");
        return 0;
    }
    const auto& rooms = std::get<std::vector<h::registry_line>>(read);
    require(!rooms.empty(), "an accepted file lists at least one room");
    std::set<std::pair<std::string, std::string>> seen;
    std::size_t previous = 1;
    for (const auto& r : rooms) {
        loudong::fuzz::check_building(h::building_ref{r.building});
        loudong::fuzz::check_room(r.room);
        require(r.note.size() <= h::max_note_bytes, "a note is short");
        require(seen.emplace(r.building, r.room).second, "each room once");
        require(r.line > previous && r.line <= lines, "lines in file order, after the header");
        previous = r.line;
    }
    return 0;
}
