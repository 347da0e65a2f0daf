// Trust (SPEC §8): where health alerts go, binding that asks before it moves them, and grants
// that never create a member.
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Trust : public testing::compound {
protected:
    // Every table's rows, as text, to compare before and after an attempt.
    std::string snapshot() {
        std::string all;
        SQLite::Statement tables(db_.connection(),
                                 "SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT IN ('processed_messages') ORDER BY name");
        while (tables.executeStep()) {
            const auto name = tables.getColumn(0).getString();
            SQLite::Statement rows(db_.connection(), "SELECT * FROM \"" + name + "\"");
            all += "#" + name + "\n";
            while (rows.executeStep()) {
                for (int c = 0; c < rows.getColumnCount(); ++c) {
                    all += rows.getColumn(c).getString() + "|";
                }
                all += "\n";
            }
        }
        return all;
    }
};

// --- health alerts (SPEC §8 item 7) -------------------------------------------------------------

TEST_F(Trust, APositiveGoesToTheCommitteeChatOnly) {
    say("committee", "u-admin", "/bind committee");
    say("bldg-3", "u-admin", "绑定 3号楼");
    say("vols", "u-admin", "绑定 志愿者");
    say("bldg-3", "u-601", "登记 3-601", "李老师");
    say("bldg-3", "u-601", "抗原 阳性");
    const auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 2u);
    EXPECT_EQ(sent_now[0].chat, "committee");
    EXPECT_FALSE(sent_now[0].is_private);
    EXPECT_EQ(sent_now[1].chat, "u-601");
    EXPECT_NE(sent_now[1].text.find("已转居委会"), std::string::npos) << sent_now[1].text;
}

TEST_F(Trust, WithNoCommitteeChatTheAlertGoesPrivatelyToEachCommitteeMember) {
    say("bldg-3", "u-admin", "绑定 3号楼");
    say("vols", "u-admin", "绑定 志愿者");
    say("bldg-3", "u-7", "我的", "赵主任");
    say("bldg-3", "u-admin", "授权 u-7 居委会");
    say("bldg-3", "u-601", "登记 3-601", "李老师");
    say("bldg-3", "u-601", "抗原 阳性");
    const auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 3u);
    // The configured member and the granted one, privately; never bldg-3 or vols.
    EXPECT_EQ(sent_now[0].chat, "u-7");
    EXPECT_EQ(sent_now[1].chat, "u-admin");
    for (int i = 0; i < 2; ++i) {
        EXPECT_TRUE(sent_now[i].is_private);
        EXPECT_NE(sent_now[i].text.find("3-601 阳性"), std::string::npos) << sent_now[i].text;
    }
    EXPECT_EQ(sent_now[2].chat, "u-601");
    EXPECT_NE(sent_now[2].text.find("已转居委会"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE chat_id IN ('bldg-3', 'vols')"), 0);
}

// A compound whose config names no committee, and no one granted the role.
class TrustWithoutCommittee : public testing::compound {
protected:
    TrustWithoutCommittee() : compound(":memory:", without_committee()) {}

    static settings without_committee() {
        auto config = make_settings();
        config.compounds["default"].committee.clear();
        return config;
    }
};

TEST_F(TrustWithoutCommittee, WithNobodyToAlertTheReporterIsToldTheTruth) {
    say("bldg-3", "u-601", "登记 3-601");
    EXPECT_EQ(say("bldg-3", "u-601", "抗原 阳性"), "收到，3-601 今日已报。");
    const auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 1u);
    EXPECT_EQ(sent_now[0].chat, "u-601");
    EXPECT_EQ(sent_now[0].text.find("已转居委会"), std::string::npos) << sent_now[0].text;
    EXPECT_NE(sent_now[0].text.find("请直接打电话告诉居委会"), std::string::npos)
        << sent_now[0].text;
}

// --- binding (SPEC §8 item 6) -------------------------------------------------------------------

TEST_F(Trust, RebindingABuildingChatAsksFirstAndChangesNothingUntilConfirmed) {
    say("bldg-3", "u-admin", "绑定 3号楼");
    const auto before = snapshot();
    const auto asked = say("bldg-3", "u-admin", "绑定 5号楼");
    EXPECT_EQ(asked,
              "本群现在是3号楼群，改为5号楼群后，原来的通知和提醒不再发到这里。\n"
              "确认请发：绑定 5号楼 确认");
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(say("bldg-3", "u-admin", "绑定 5号楼 确认"), "本群已绑定为5号楼群。");
    EXPECT_EQ(dispatcher_.store().chats.find("generic", "bldg-3")->building, "5");
}

TEST_F(Trust, MakingABuildingChatTheCommitteesWarnsThatAlertsWouldBeSeenByResidents) {
    say("bldg-5", "u-admin", "绑定 5号楼");
    say("bldg-5", "u-1", "登记 5-101");
    say("bldg-5", "u-2", "登记 5-102");
    const auto before = snapshot();
    const auto asked = say("bldg-5", "u-admin", "绑定 居委会");
    EXPECT_NE(asked.find("本群有2位居民登记过"), std::string::npos) << asked;
    EXPECT_NE(asked.find("抗原阳性等告警会发到这里，群里所有人都能看到"), std::string::npos)
        << asked;
    EXPECT_NE(asked.find("确认请发：绑定 居委会 确认"), std::string::npos) << asked;
    EXPECT_EQ(snapshot(), before);
    // A resident's positive still goes to the committee members privately, not to 5号楼.
    say("bldg-5", "u-1", "抗原 阳性");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE chat_id = 'bldg-5'"), 0);
}

TEST_F(Trust, AnUnboundChatWhereResidentsRegisteredAsksBeforeBecomingTheCommittees) {
    say("group-x", "u-1", "登记 5-101");
    EXPECT_NE(say("group-x", "u-admin", "/bind committee").find("/bind committee 确认"),
              std::string::npos);
    EXPECT_FALSE(dispatcher_.store().chats.find("generic", "group-x")->kind);
    EXPECT_EQ(say("group-x", "u-admin", "/bind committee 确认"),
              "本群已设为居委会工作群，提醒和告警将发到这里。");
}

TEST_F(Trust, AFreshChatBindsAtOnceAndTheSameBindingIsNoChange) {
    EXPECT_EQ(say("committee", "u-admin", "绑定 居委会"),
              "本群已设为居委会工作群，提醒和告警将发到这里。");
    EXPECT_EQ(say("committee", "u-admin", "绑定 居委会"), "本群已经是居委会工作群，不用再绑定。");
    EXPECT_EQ(say("bldg-3", "u-admin", "绑定 3号楼 确认"), "本群已绑定为3号楼群。");
}

TEST_F(Trust, UnbindingStopsWhatTheChatReceives) {
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_NE(say("bldg-3", "u-1", "解绑").find("仅限居委会"), std::string::npos);
    EXPECT_TRUE(dispatcher_.store().chats.find("generic", "bldg-3")->kind);
    EXPECT_EQ(say("bldg-3", "u-admin", "解绑"), "本群已解绑（原为3号楼群），不再收到通知和提醒。");
    EXPECT_FALSE(dispatcher_.store().chats.find("generic", "bldg-3")->kind);
    EXPECT_EQ(say("bldg-3", "u-admin", "/unbind"), "本群没有绑定，不用解绑。");
    say("bldg-3", "u-admin", "通知 3 今晚停水");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE chat_id = 'bldg-3'"), 0);
}

// --- grants name known members only (SPEC §8 item 5) ---------------------------------------------

TEST_F(Trust, AGrantNeverCreatesAMember) {
    say("c", "u-admin", "我的");
    const auto before = snapshot();
    for (const auto* text :
         {"授权 u-ghost 志愿者", "授权 @wang_ayi 楼组长", "授权 generic:u-ghost 居委会",
          "授权 telegram:5087 志愿者", "撤销 @nobody 志愿者"}) {
        const auto answer = say("c", "u-admin", text);
        EXPECT_EQ(answer.find("找不到“"), 0u) << text << " → " << answer;
    }
    EXPECT_EQ(snapshot(), before);
    // Someone the bot has seen is found by id or by mention.
    say("bldg-3", "u-9", "我的", "小周");
    EXPECT_EQ(say("c", "u-admin", "授权 @u-9 志愿者"), "已授予 小周（generic:u-9）志愿者身份。");
}

}  // namespace
}  // namespace loudong::handlers
