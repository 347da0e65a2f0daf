// Room lists as ranges (SPEC §8 item 12): 3号楼：101-104、201、305-306.
#include "handlers/room_lists.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

std::vector<listed_room> plain(std::initializer_list<const char*> rooms) {
    std::vector<listed_room> out;
    for (const auto* r : rooms) {
        out.push_back({r, ""});
    }
    return out;
}

TEST(RoomRanges, RoomsOneAfterTheOtherBecomeARange) {
    EXPECT_EQ(room_ranges(plain({"101", "102", "103", "104", "201", "305", "306"})),
              "101-104、201、305-306");
    EXPECT_EQ(room_ranges(plain({"502"})), "502");
    EXPECT_EQ(room_ranges({}), "");
    // 104 and 201 are next to each other in the list, not in number: two entries.
    EXPECT_EQ(room_ranges(plain({"104", "201", "202"})), "104、201-202");
    // 999 then 1000: numbers, not strings.
    EXPECT_EQ(room_ranges(plain({"998", "999", "1000"})), "998-1000");
}

TEST(RoomRanges, AMarkEndsARangeAndIsShownOnceAfterIt) {
    const std::vector<listed_room> rooms{{"101", ""},
                                         {"102", "（未登记）"},
                                         {"103", "（未登记）"},
                                         {"104", ""},
                                         {"105", "（无效）"}};
    EXPECT_EQ(room_ranges(rooms), "101、102-103（未登记）、104、105（无效）");
}

TEST(RoomRanges, RoomsThatAreNotPlainNumbersStandAlone) {
    EXPECT_EQ(room_ranges(plain({"0501", "0502", "B1", "B2", "1201"})), "0501、0502、B1、B2、1201");
}

using RoomLists = testing::compound;

TEST_F(RoomLists, TheCommitteesPendingListShowsRanges) {
    say("c", "u-admin", "绑定 居委会");
    say("c", "u-admin", "楼栋 3号楼 6层 4户");
    resident("u-1", "3-102");
    say("bldg-3", "u-1", "抗原 阴性");
    const auto pending = say("c", "u-admin", "未报 3号楼");
    EXPECT_NE(pending.find(
                  "3号楼：101（未登记）、103-104（未登记）、201-204（未登记）、301-304（未登记）"),
              std::string::npos)
        << pending;
}

}  // namespace
}  // namespace loudong::handlers
