#include "handlers/room_lists.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace loudong::handlers {
namespace {

// A room's number when it is a plain one ("502", not "0502", "B1" or a huge one).
std::optional<std::int64_t> room_number(const std::string& room) {
    if (room.empty() || room.size() > 9 || room[0] == '0' ||
        !std::all_of(room.begin(), room.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return std::stoll(room);
}

}  // namespace

std::string room_ranges(const std::vector<listed_room>& rooms) {
    std::string out;
    std::size_t i = 0;
    while (i < rooms.size()) {
        // The run of rooms after rooms[i] numbered one more each time, with the same mark.
        std::size_t last = i;
        if (auto number = room_number(rooms[i].room)) {
            while (last + 1 < rooms.size() && rooms[last + 1].mark == rooms[i].mark &&
                   room_number(rooms[last + 1].room) == *number + 1) {
                ++last;
                ++*number;
            }
        }
        out += out.empty() ? "" : "、";
        out += rooms[i].room;
        if (last > i) {
            out += "-" + rooms[last].room;
        }
        out += rooms[i].mark;
        i = last + 1;
    }
    return out;
}

}  // namespace loudong::handlers
