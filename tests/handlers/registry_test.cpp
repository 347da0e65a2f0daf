// handlers/registry.cpp and what the registry changes elsewhere (SPEC §7): 楼栋 lists a
// building's real rooms, 登记 then refuses a room not among them, 未报 and 统计 count every
// household of the registry (registered or not), and 备注 puts a note beside the room on the
// delivery list for those who serve it.
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Registry : public testing::compound {
protected:
    void SetUp() override {
        EXPECT_EQ(say("committee", "u-admin", "绑定 居委会"),
                  "本群已设为居委会工作群，提醒和告警将发到这里。");
        EXPECT_EQ(say("bldg-3", "u-admin", "绑定 3号楼"), "本群已绑定为3号楼群。");
        EXPECT_EQ(say("vol", "u-admin", "绑定 志愿者"), "本群已设为志愿者群。");
    }
};

TEST_F(Registry, ListingATowerAddsEachFloorsRoomsOnce) {
    EXPECT_EQ(say("committee", "u-admin", "楼栋 3号楼 18层 4户"),
              "3号楼已登记房号101至1804：新增72户，本楼共72户。");
    EXPECT_EQ(say("committee", "u-admin", "/building 3 rooms 1804 1901 1902"),
              "3号楼已登记房号1804至1902：新增2户（1户原已有），本楼共74户。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE listed = 1 AND building = '3'"), 74);
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE room = '1804'"), 1);
}

TEST_F(Registry, BadListsAreRefusedAndListNothing) {
    EXPECT_EQ(say("committee", "u-admin", "楼栋 3号楼 100层 4户"),
              "“100层”不是有效的编号。用法：楼栋 楼号 层数 每层户数，例如：楼栋 3号楼 18层 4户；"
              "房号不规则时：楼栋 5号楼 房号 101 102 201");
    EXPECT_NE(say("committee", "u-admin", "楼栋 3号楼 房号 101 0102").find("房号“0102”看不懂"),
              std::string::npos);
    EXPECT_NE(say("committee", "u-admin", "楼栋 3号楼").find("参数不全"), std::string::npos);
    EXPECT_NE(say("committee", "u-admin", "楼栋 三号楼 2层 2户").find("楼号“三号楼”看不懂"),
              std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM households"), 0);
}

TEST_F(Registry, WithARegistryARoomNotInItCannotBeRegistered) {
    // Without a registry, any room registers (release 1).
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-2505"), "已登记：3号楼2505室。");
    say("committee", "u-admin", "楼栋 3号楼 18层 4户");
    EXPECT_EQ(say("bldg-3", "u-502", "登记 3-502"), "已登记：3号楼502室。");
    EXPECT_EQ(say("bldg-3", "u-505", "登记 3-505"),
              "3号楼没有505室，请核对楼号房号（例如：登记 3-502）。如确实住这里，请联系楼组长或"
              "居委会。");
    EXPECT_NE(say("bldg-3", "u-505", "登记 5-101").find("5号楼没有101室"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE user_id = 'u-505' AND room IS NOT NULL"),
              0);
}

TEST_F(Registry, PendingAndStatsCountEveryHouseholdAndMarkThoseNobodyRegistered) {
    say("committee", "u-admin", "楼栋 3号楼 房号 101 102 201 202");
    say("bldg-3", "u-101", "登记 3-101");
    say("bldg-3", "u-202", "登记 3-202");
    EXPECT_EQ(say("committee", "u-admin", "未报 3号楼"),
              "今天未报抗原（4户）：\n3号楼：101、102（未登记）、201（未登记）、202");
    EXPECT_EQ(say("committee", "u-admin", "统计"),
              "【今日抗原 2022-04-28】已报0/4户，阳性0户，其中2户无人登记\n3号楼 0/4 阳性0 "
              "未登记2");
    say("bldg-3", "u-101", "抗原 阴性");
    EXPECT_EQ(say("committee", "u-admin", "未报"),
              "今天未报抗原（3户）：\n3号楼：102（未登记）、201（未登记）、202");
    EXPECT_NE(say("committee", "u-admin", "统计").find("已报1/4户"), std::string::npos);
}

TEST_F(Registry, ANoteShowsOnTheDeliveryListToThoseWhoServeTheHousehold) {
    say("committee", "u-admin", "楼栋 3号楼 18层 4户");
    say("bldg-3", "u-502", "登记 3-502");
    say("bldg-3", "u-vol", "登记 3-101");
    say("committee", "u-admin", "授权 u-vol 志愿者");
    EXPECT_EQ(say("bldg-3", "u-admin", "备注 3-502 独居老人，需送上门"),
              "已记下3-502的备注：独居老人，需送上门");
    EXPECT_EQ(say("bldg-3", "u-admin", "备注 3-505 独居老人"), "3号楼没有505室，请核对房号。");
    say("committee", "u-admin", "开团 华联超市");
    say("committee", "u-admin", "上架 鸡蛋 15.8 100 盒");
    say("bldg-3", "u-502", "下单 鸡蛋 1");
    const auto for_volunteers = say("vol", "u-vol", "配送单 3号楼");
    EXPECT_NE(for_volunteers.find("502室【独居老人，需送上门】 #1"), std::string::npos)
        << for_volunteers;
    // In the building's own chat a volunteer's list carries no note: the neighbours read it.
    const auto in_building = say("bldg-3", "u-vol", "配送单 3号楼");
    EXPECT_NE(in_building.find("502室 #1"), std::string::npos) << in_building;
    EXPECT_EQ(in_building.find("独居"), std::string::npos) << in_building;
    // A resident may not write one.
    EXPECT_EQ(say("bldg-3", "u-502", "备注 3-502 假的"), "抱歉，“备注”仅限楼组长或居委会使用。");
    EXPECT_EQ(say("committee", "u-admin", "备注 3号楼 502 清除"), "已清除3-502的备注。");
    EXPECT_EQ(say("vol", "u-vol", "配送单 3号楼").find("独居"), std::string::npos);
}

}  // namespace
}  // namespace loudong::handlers
