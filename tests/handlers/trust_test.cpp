// Trust (SPEC §8): where health alerts go, binding that asks before it moves them, and grants
// that never create a member.
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Trust : public testing::compound {
protected:
    // Every table's rows, as text, to compare before and after an attempt (`also_left_out`: a
    // table the attempt is meant to write to).
    std::string snapshot(const std::string& also_left_out = "") {
        std::string all;
        SQLite::Statement tables(db_.connection(),
                                 "SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT IN ('processed_messages', ?1) ORDER BY name");
        tables.bind(1, also_left_out);
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
    // Nobody can bind a chat or confirm a registration here, and the registrant is told so.
    EXPECT_EQ(
        say("bldg-3", "u-601", "登记 3-601"),
        "已收到登记申请：3号楼601室，但本小区还没有设置楼组长或居委会来确认，请直接联系居委会。");
    EXPECT_EQ(say("bldg-3", "u-601", "抗原 阳性"),
              "收到。你的登记还在等待确认，这次结果不计入3-601。");
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
    EXPECT_EQ(say("c", "u-admin", "授权 @u-9 志愿者"), "已授予 小周（u-9）志愿者身份。");
}

// --- registering and pending members (SPEC §8 items 1-3) ----------------------------------------

// 3号楼 and 5号楼 are bound; 王阿姨 lives at 3-502 (confirmed), 李老师 at 3-601, 刘姐 at 3-301
// leads 3号楼 and 陈姐 at 5-101 leads 5号楼; the shop is open and 3-502 has ordered and reported
// a positive this morning.
class Households : public Trust {
protected:
    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        resident("u-502a", "3-502", "王阿姨");
        resident("u-601", "3-601", "李老师");
        resident("u-lead3", "3-301", "刘姐");
        resident("u-lead5", "5-101", "陈姐");
        say("committee", "u-admin", "授权 3-301 楼组长");
        say("committee", "u-admin", "授权 5-101 楼组长");
        say("committee", "u-admin", "开团 华联超市");
        say("committee", "u-admin", "上架 鸡蛋 15.8 300 盒");
        ASSERT_NE(say("bldg-3", "u-502a", "下单 鸡蛋 2").find("下单成功"), std::string::npos);
        say("u-502a", "u-502a", "抗原 阳性");
        clear_outbox();
    }

    std::string say_privately(const std::string& user, const std::string& text,
                              const std::string& name = "") {
        return join(send(user, user, text, name, "", true).replies);
    }
};

TEST_F(Households, AStrangerRegisteringPrivatelyWaitsAndCannotTouchTheHousehold) {
    EXPECT_EQ(say_privately("u-x", "登记 3-502", "路人"),
              "已收到登记申请：3号楼502室。本户已登记的家人、楼组长或居委会确认后，就可以下单、报抗"
              "原了。");
    // The household and the building's lead are asked privately; nobody else.
    const auto asked = outbox();
    ASSERT_EQ(asked.size(), 2u);
    EXPECT_EQ(asked[0].chat, "u-502a");
    EXPECT_EQ(asked[1].chat, "u-lead3");
    for (const auto& row : asked) {
        EXPECT_TRUE(row.is_private);
        EXPECT_EQ(row.text,
                  "路人申请登记为3号楼502室住户。同意请回复：确认 路人；不同意请回复：拒绝 路人");
    }
    clear_outbox();
    const auto before = snapshot("antigen_history");
    for (const auto* text : {"我的订单", "取消 1", "取消", "下单 鸡蛋 1", "揭榜 1", "完成 1"}) {
        const auto answer = say_privately("u-x", text);
        EXPECT_EQ(answer.find("你的登记（3号楼502室）还在等待确认"), 0u) << text << " → " << answer;
    }
    // The morning's positive stays: a pending member's negative does not count.
    EXPECT_EQ(say_privately("u-x", "抗原 阴性"),
              "收到。你的登记还在等待确认，这次结果不计入3-502。");
    EXPECT_EQ(snapshot("antigen_history"), before);
    // Kept in the history, not counted.
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_history WHERE result = 'negative' "
                    "AND counted = 0"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports WHERE result = 'positive'"), 1);
    EXPECT_NE(say("committee", "u-admin", "统计").find("阳性1"), std::string::npos);
}

TEST_F(Households, APendingPositiveStillAlertsTheCommitteeMarkedUnconfirmed) {
    say_privately("u-x", "登记 3-601", "路人");
    clear_outbox();
    EXPECT_EQ(say_privately("u-x", "抗原 阳性"),
              "收到。你的登记还在等待确认，这次结果不计入3-601。");
    const auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 2u);
    EXPECT_EQ(sent_now[0].chat, "committee");
    EXPECT_NE(sent_now[0].text.find("3-601 阳性，报告人 路人（登记未确认）"), std::string::npos)
        << sent_now[0].text;
    EXPECT_EQ(sent_now[1].chat, "u-x");
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports WHERE room = '601'"), 0);
}

TEST_F(Households, RegisteringInAnotherBuildingsGroupIsRefused) {
    say("bldg-5", "u-x", "我的", "路人");
    const auto before = snapshot();
    EXPECT_EQ(say("bldg-5", "u-x", "登记 3-502"),
              "这里是5号楼群。3号楼的住户请在3号楼群里登记，或私聊我登记。");
    EXPECT_EQ(snapshot(), before);
}

TEST_F(Households, OnlyTheHouseholdTheBuildingsLeadOrTheCommitteeConfirms) {
    say_privately("u-x", "登记 3-502", "路人");
    const auto before = snapshot();
    // Another household, the lead of another building, and the applicant themself.
    EXPECT_EQ(say("bldg-3", "u-601", "确认 路人"), "没有等待你确认的“路人”。");
    EXPECT_EQ(say("bldg-5", "u-lead5", "确认 路人"), "没有等待你确认的“路人”。");
    EXPECT_EQ(say_privately("u-x", "确认 路人"), "没有等待你确认的“路人”。");
    EXPECT_EQ(say("bldg-5", "u-lead5", "拒绝 3-502"), "没有等待你确认的“3-502”。");
    // 确认 alone in a group is how people agree: silence when nobody waits for them.
    EXPECT_EQ(say("bldg-3", "u-601", "确认"), "");
    EXPECT_EQ(snapshot(), before);
    // Those who may see who waits.
    EXPECT_EQ(say_privately("u-lead3", "确认"),
              "等待你确认的：路人（3号楼502室）。请发：确认 名字");
    clear_outbox();
    EXPECT_EQ(say_privately("u-502a", "确认 路人"), "已确认：路人为3号楼502室住户。");
    const auto told = outbox();
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].chat, "u-x");
    EXPECT_NE(say_privately("u-x", "我的订单").find("鸡蛋×2"), std::string::npos);
}

TEST_F(Households, ARefusedApplicantIsToldAndKeepsNothing) {
    say_privately("u-x", "登记 3-502", "路人");
    clear_outbox();
    EXPECT_EQ(say_privately("u-lead3", "拒绝 路人"), "已拒绝路人登记3号楼502室。");
    const auto told = outbox();
    ASSERT_EQ(told.size(), 2u);
    EXPECT_EQ(told[0].chat, "u-x");
    EXPECT_EQ(told[0].text, "你登记3号楼502室的申请没有通过。如有疑问，请联系楼组长或居委会。");
    EXPECT_EQ(told[1].chat, "u-502a");
    EXPECT_EQ(told[1].text, "路人登记3号楼502室的申请已被刘姐拒绝。");
    EXPECT_EQ(say_privately("u-x", "我的"), "路人：未登记（发“登记 3号楼 502”）");
}

TEST_F(Households, OnlyTheBuildingsLeadOrTheCommitteeRemovesAndTheHouseholdIsTold) {
    resident("u-502b", "3-502", "王叔叔");
    clear_outbox();
    const auto before = snapshot();
    EXPECT_EQ(say("bldg-5", "u-lead5", "移出 3-502 王叔叔"),
              "你负责的是5号楼。3号楼请找该楼楼组长或居委会。");
    EXPECT_EQ(say("bldg-3", "u-601", "移出 3-502 王叔叔"), "抱歉，“移出”仅限楼组长或居委会使用。");
    EXPECT_EQ(say("bldg-3", "u-lead3", "移出 3-502"),
              "3号楼502室有多人登记，请写名字，如：移出 3-502 王叔叔");
    EXPECT_EQ(say("bldg-3", "u-lead3", "移出 3-502 老李"), "3号楼502室没有登记的“老李”。");
    EXPECT_EQ(say("bldg-3", "u-lead3", "移出 @u-ghost"),
              "找不到“u-ghost”。请写房号和名字，如：移出 3-502 王叔叔，或@他。");
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(say("bldg-3", "u-lead3", "移出 3-502 王叔叔"), "已把王叔叔移出3号楼502室。");
    const auto told = outbox();
    ASSERT_EQ(told.size(), 2u);
    EXPECT_EQ(told[0].chat, "u-502b");
    EXPECT_EQ(told[0].text, "你已被刘姐移出3号楼502室。如有疑问，请联系居委会。");
    EXPECT_EQ(told[1].chat, "u-502a");
    EXPECT_EQ(told[1].text, "王叔叔已被刘姐移出3号楼502室。");
    EXPECT_EQ(say("bldg-3", "u-502b", "我的订单").find("请先登记"), 0u);
    EXPECT_EQ(say("bldg-3", "u-lead3", "移出 u-502b"), "王叔叔没有登记在本小区，无需移出。");
}

TEST_F(Households, AMemberLeavesTheirOwnHousehold) {
    resident("u-502b", "3-502", "王叔叔");
    clear_outbox();
    EXPECT_EQ(say("bldg-3", "u-502b", "注销"), "已注销：你不再登记在3号楼502室。");
    const auto told = outbox();
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].chat, "u-502a");
    EXPECT_EQ(told[0].text, "王叔叔已注销3号楼502室的登记。");
    EXPECT_EQ(say("bldg-3", "u-502b", "注销"), "你还没有登记，无需注销。");
    // Registering again in the building's group waits for the one left.
    EXPECT_EQ(say("bldg-3", "u-502b", "登记 3-502").find("已收到登记申请"), 0u);
}

// --- leads are scoped (SPEC §8 item 4) -----------------------------------------------------------

TEST_F(Households, ALeadOfThreeActsOnNothingOfFive) {
    resident("u-1201", "5-1201", "张师傅");
    ASSERT_NE(say("bldg-5", "u-1201", "下单 鸡蛋 1").find("单号2"), std::string::npos);
    say_privately("u-y", "登记 5-1201", "小赵");
    clear_outbox();
    const auto before = snapshot();
    const std::string refused = "你负责的是3号楼。5号楼请找该楼楼组长或居委会。";
    for (const auto* text : {"配送单 5号楼", "/delivery 5", "送达 5号楼", "送达 2", "/delivered 2",
                             "叫号 5号楼", "/call 5", "未报 5号楼", "/pending 5",
                             "备注 5-1201 独居老人", "移出 5-1201 张师傅", "/remove 5-1201"}) {
        EXPECT_EQ(say("bldg-3", "u-lead3", text), refused) << text;
    }
    EXPECT_EQ(say("bldg-3", "u-lead3", "确认 小赵"), "没有等待你确认的“小赵”。");
    EXPECT_EQ(say("bldg-3", "u-lead3", "拒绝 5-1201"), "没有等待你确认的“5-1201”。");
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(outbox().empty());
    // Without a building a lead's 未报 is theirs; the lead of 5 acts on 5.
    EXPECT_EQ(say("bldg-3", "u-lead3", "未报").find("今天未报抗原（2户）：\n3号楼：301、601"), 0u);
    EXPECT_EQ(say("bldg-5", "u-lead5", "送达 2"), "已标记1单送达，已通知住户。");
    EXPECT_EQ(say("bldg-5", "u-lead5", "确认 小赵"), "已确认：小赵为5号楼1201室住户。");
}

TEST_F(Households, ALeadOfSeveralBuildingsActsOnEachAndARevokedLeadOnNone) {
    EXPECT_EQ(say("committee", "u-admin", "授权 3-301 楼组长 3号楼,5号楼"),
              "已授予 刘姐（3号楼301室）楼组长身份（负责3号楼、5号楼）。");
    EXPECT_EQ(say("bldg-3", "u-lead3", "备注 5-101 轮椅"), "已记下5-101的备注：轮椅");
    EXPECT_EQ(say("committee", "u-admin", "撤销 3-301 楼组长"),
              "已撤销 刘姐（3号楼301室）的楼组长身份。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM lead_buildings WHERE member_id = "
                    "(SELECT id FROM members WHERE user_id = 'u-lead3')"),
              0);
    EXPECT_EQ(say("bldg-3", "u-lead3", "备注 3-502 独居"), "抱歉，“备注”仅限楼组长或居委会使用。");
}

}  // namespace
}  // namespace loudong::handlers
