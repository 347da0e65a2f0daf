// Flood limits (SPEC §8 item 11, issue 16): a member's commands a minute, the lines of a 接龙
// paste, and the length of a template edit. Others are not slowed, and nothing is lost.
#include "handlers/flood_guard.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Floods : public testing::compound {
protected:
    void SetUp() override {
        say("c", "u-admin", "绑定 居委会");
        resident("u-1", "3-502");
        resident("u-2", "3-601");
        now_ += 61;  // the set-up's commands are a minute ago
    }
};

TEST_F(Floods, AResidentOverTwentyCommandsAMinuteIsToldOnceThenIgnoredUntilTheMinuteEnds) {
    for (int i = 1; i <= 20; ++i) {
        EXPECT_NE(say("bldg-3", "u-1", "我的订单"), "") << i;
        now_ += 2;
    }
    EXPECT_EQ(say("bldg-3", "u-1", "我的订单"), "发得太快了，请稍后再试。");
    EXPECT_EQ(say("bldg-3", "u-1", "我的订单"), "");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "");
    // Chat is not a command and is never counted; a neighbour is not slowed.
    EXPECT_EQ(say("bldg-3", "u-1", "今天几点送菜？"), "");
    EXPECT_NE(say("bldg-3", "u-2", "我的订单"), "");
    // The minute in which the limit was passed is over: answered again.
    now_ += 60;
    EXPECT_NE(say("bldg-3", "u-1", "我的订单"), "");
}

TEST_F(Floods, CommitteeMembersAndLeadsMaySendAHundredAndTwentyAMinute) {
    say("c", "u-admin", "授权 3-601 楼长 3");
    now_ += 61;
    for (int i = 1; i <= 120; ++i) {
        ASSERT_NE(say("c", "u-admin", "统计"), "") << i;
        ASSERT_NE(say("bldg-3", "u-2", "未报 3号楼"), "") << i;
    }
    EXPECT_EQ(say("c", "u-admin", "统计"), "发得太快了，请稍后再试。");
    EXPECT_EQ(say("bldg-3", "u-2", "未报 3号楼"), "发得太快了，请稍后再试。");
}

TEST(FloodGuard, ALimitOfZeroIsNoLimit) {
    flood_guard unlimited({0, 0});
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(unlimited.check("generic:u-1", 100, nullptr), flood_guard::verdict::pass);
    }
    flood_guard staff_unlimited({20, 0});
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(staff_unlimited.check("generic:u-admin", 100, [] { return true; }),
                  flood_guard::verdict::pass);
    }
    EXPECT_EQ(staff_unlimited.check("generic:u-1", 100, [] { return false; }),
              flood_guard::verdict::pass);
}

TEST_F(Floods, ARelayPasteIsReadUpToTwoHundredLines) {
    say("c", "u-admin", "开团 华联超市");
    say("c", "u-admin", "上架 鸡蛋 15.8 1000 盒");
    auto paste = [](int line_of_502) {
        std::string text = "#接龙 华联超市";
        for (int i = 1; i <= 250; ++i) {
            const auto room = i == line_of_502 ? std::string("502") : std::to_string(1000 + i);
            text += "\n" + std::to_string(i) + ". 3-" + room + " 鸡蛋1";
        }
        return text;
    };
    EXPECT_EQ(say("bldg-3", "u-1", paste(230)),
              "接龙只读前200行，里面没有3-502的新一行。请只发你家这一行，如：接龙 12. 3-502 鸡蛋2");
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 0);
    EXPECT_NE(say("bldg-3", "u-1", paste(150)).find("3-502 下单成功"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 1);
}

TEST_F(Floods, ATemplateEditIsAtMostTwoThousandCharacters) {
    const std::string long_text(2001, 'x');
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 " + long_text),
              "模板没有保存：最多2000个字，这次是2001个字，原内容不变。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM templates WHERE edited = 1"), 0);
    // Characters, not bytes: 2,000 Chinese characters are 6,000 bytes and fit.
    std::string chinese;
    for (int i = 0; i < 2000; ++i) {
        chinese += "好";
    }
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 " + chinese), "模板“登记成功”已更新。");
}

}  // namespace
}  // namespace loudong::handlers
