#pragma once

#include <string>
#include <vector>

namespace loudong::handlers {

/// One room of a list, with the mark shown after it ("（未登记）"), empty for none.
struct listed_room {
    std::string room;
    std::string mark;
};

/// Rooms of one building as a chat shows them (SPEC §8 item 12): rooms numbered one after the
/// other with the same mark become a range, "101-104、201、305-306（未登记）", in the order
/// given (the caller's, by number). A room that is not a plain number stands alone.
std::string room_ranges(const std::vector<listed_room>& rooms);

}  // namespace loudong::handlers
