// libFuzzer target: the 接龙 relay list. The input is the list a resident pastes after the
// keyword; parse_command reads it line by line into numbered entries.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "handlers/parser/command_parser.hpp"
#include "tests/fuzz/command_checks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

namespace h = loudong::handlers;
using loudong::fuzz::require;

bool same_entry(const h::relay_entry& a, const h::relay_entry& b) {
    if (a.number != b.number || a.building != b.building || a.room != b.room || a.text != b.text ||
        a.lines.size() != b.lines.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
        if (a.lines[i].item != b.lines[i].item || a.lines[i].quantity != b.lines[i].quantity ||
            a.lines[i].unit != b.lines[i].unit) {
            return false;
        }
    }
    return true;
}

// The lines of `list` as parse_order cuts them: at each '\n'.
std::vector<std::string_view> lines_of(std::string_view list) {
    std::vector<std::string_view> lines;
    while (true) {
        const auto newline = list.find('\n');
        lines.push_back(list.substr(0, newline));
        if (newline == std::string_view::npos) {
            return lines;
        }
        list.remove_prefix(newline + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto list = loudong::fuzz::as_text(data, size);
    const std::string typed = "接龙\n" + std::string(list);
    const auto result = h::parse_command(typed);
    loudong::fuzz::check_parse_result(typed, result);

    if (const auto* cmd = std::get_if<h::command>(&result)) {
        require(cmd->name == h::command_name::order, "接龙 followed by a list is an order");
    } else {
        const auto* error = std::get_if<h::usage_error>(&result);
        require(error != nullptr && error->name == h::command_name::order,
                "接龙 followed by a list is an order or an order's usage error");
    }
    // Each entry is what its line alone gives: lines are read independently, so nothing around
    // a line (another resident's entry) changes what it orders. Under a title line, as residents
    // paste lists, no line of the list is the first (whose leading ':' the keyword takes).
    const std::string title = "接龙 华联超市团购\n";
    const auto titled = h::parse_command(title + std::string(list));
    loudong::fuzz::check_parse_result(title + std::string(list), titled);
    const auto* titled_cmd = std::get_if<h::command>(&titled);
    // A list with no numbered line is read as ordinary order lines, or refused.
    const auto relay = titled_cmd != nullptr ? std::get<h::order_args>(titled_cmd->args).relay
                                             : std::vector<h::relay_entry>{};
    std::vector<h::relay_entry> alone;
    for (const auto line : lines_of(list)) {
        const auto single = h::parse_command(title + std::string(line));
        if (const auto* one = std::get_if<h::command>(&single)) {
            const auto& entries = std::get<h::order_args>(one->args).relay;
            require(entries.size() <= 1, "one line gives at most one entry");
            alone.insert(alone.end(), entries.begin(), entries.end());
        }
    }
    require(alone.size() == relay.size(), "a relay list has an entry for each numbered line");
    for (std::size_t i = 0; i < relay.size(); ++i) {
        require(same_entry(relay[i], alone[i]), "a relay entry is what its line alone gives");
    }
    return 0;
}
