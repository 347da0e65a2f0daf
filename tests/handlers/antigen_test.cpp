#include "handlers/antigen.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Antigen : public testing::compound {
protected:
    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        say("bldg-3", "u-admin", "绑定 3号楼");
        say("bldg-5", "u-admin", "绑定 5号楼");
        resident("u-502a", "3-502", "王阿姨");
        resident("u-502b", "3-502", "王叔叔");
        resident("u-601", "3-601", "李老师");
        resident("u-1201", "5-1201", "张师傅");
        clear_outbox();
    }

    void run_due_jobs() {
        for (const auto& job : dispatcher_.due_jobs(now_)) {
            dispatcher_.run_job(job, now_);
        }
    }
};

TEST_F(Antigen, TheGroupReplyNeverStatesTheResult) {
    for (const auto* text : {"抗原 阴性", "抗原 阳性", "/antigen invalid", "抗原阴性", "抗原 -"}) {
        const auto answer = say("bldg-3", "u-502a", text);
        EXPECT_EQ(answer.find("阴"), std::string::npos) << text;
        EXPECT_EQ(answer.find("阳"), std::string::npos) << text;
        EXPECT_EQ(answer.find("无效"), std::string::npos) << text;
        EXPECT_EQ(answer.rfind("收到，3-502 今日已", 0), 0u) << answer;
    }
}

TEST_F(Antigen, APositiveAlertsTheCommitteeAndAdvisesTheReporterPrivately) {
    EXPECT_EQ(say("bldg-3", "u-601", "抗原 阳性"), "收到，3-601 今日已报。");
    const auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 2u);
    EXPECT_EQ(sent_now[0].chat, "committee");
    EXPECT_NE(sent_now[0].text.find("3-601 阳性，报告人 李老师"), std::string::npos)
        << sent_now[0].text;
    EXPECT_EQ(sent_now[1].chat, "u-601");
    EXPECT_TRUE(sent_now[1].is_private);
    EXPECT_NE(sent_now[1].text.find("留在家中"), std::string::npos);
    // Reported in the group: the advice also asks to report privately next time.
    EXPECT_NE(sent_now[1].text.find("下次请私聊我报"), std::string::npos) << sent_now[1].text;
    // A negative alerts nobody; reported in a group, its sender is asked (once a day) to
    // report privately, and a private report is not.
    say("bldg-5", "u-1201", "抗原 阴性");
    ASSERT_EQ(outbox().size(), 3u);
    EXPECT_EQ(outbox()[2].chat, "u-1201");
    EXPECT_TRUE(outbox()[2].is_private);
    EXPECT_EQ(outbox()[2].text,
              "您的抗原结果已记录。下次请私聊我报，这样只有居委会能看到，群里的邻居看不到。");
    say("bldg-5", "u-1201", "抗原 阴性");
    send("u-1201", "u-1201", "抗原 阴性", "", "", true);
    // 3-601's positive turned negative: the committee sees the change (SPEC §8 item 8).
    send("u-601", "u-601", "抗原 阴性", "", "", true);
    ASSERT_EQ(outbox().size(), 4u);
    EXPECT_EQ(outbox()[3].chat, "committee");
    EXPECT_NE(outbox()[3].text.find("3-601 今日改报：阳性→阴性"), std::string::npos);
}

TEST_F(Antigen, OneReportPerRoomPerDayAndALaterOneReplacesIt) {
    say("bldg-3", "u-502a", "抗原 阴性");
    EXPECT_EQ(say("bldg-3", "u-502b", "抗原 无效"), "收到，3-502 今日已更新。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports WHERE result = 'invalid'"), 1);
}

TEST_F(Antigen, ADayIsACalendarDayInTheCompoundsZone) {
    now_ = 1651161540;  // 2022-04-28 23:59 in Shanghai (15:59 UTC)
    say("bldg-3", "u-502a", "抗原 阴性");
    now_ += 120;  // 2022-04-29 00:01 in Shanghai
    EXPECT_EQ(say("bldg-3", "u-502a", "抗原 阴性"), "收到，3-502 今日已报。");
    EXPECT_EQ(count("SELECT COUNT(DISTINCT day) FROM antigen_reports"), 2);
    EXPECT_NE(say("committee", "u-admin", "未报").find("3号楼：601"), std::string::npos);
}

TEST_F(Antigen, PendingListsRoomsOnlyAndIsForStaff) {
    say("bldg-3", "u-601", "抗原 阴性");
    const auto pending = say("committee", "u-admin", "未报");
    EXPECT_EQ(pending, "今天未报抗原（2户）：\n3号楼：502\n5号楼：1201");
    EXPECT_EQ(pending.find("王"), std::string::npos);
    EXPECT_EQ(say("committee", "u-admin", "未报 5号楼"), "今天未报抗原（1户）：\n5号楼：1201");
    say("committee", "u-admin", "授权 u-601 楼组长");
    EXPECT_EQ(say("bldg-3", "u-601", "未报"), "今天未报抗原（1户）：\n3号楼：502");
    EXPECT_EQ(say("bldg-3", "u-502a", "未报"), "抱歉，“未报”仅限楼组长或居委会使用。");
    say("committee", "u-admin", "授权 u-1201 志愿者");
    EXPECT_EQ(say("bldg-5", "u-1201", "未报"), "抱歉，“未报”仅限楼组长或居委会使用。");
}

// Issue 19: an invalid result must be tested again, so the room stays pending; the reason is
// shown only where results may be (the committee's chat, a private chat), never in a group.
TEST_F(Antigen, AnInvalidResultKeepsTheRoomPendingWithTheReasonForTheCommitteeOnly) {
    say("bldg-3", "u-601", "抗原 阴性");
    say("bldg-3", "u-502a", "抗原 无效");
    EXPECT_EQ(say("committee", "u-admin", "未报"),
              "今天未报抗原（2户）：\n3号楼：502（无效，需重测）\n5号楼：1201");
    EXPECT_EQ(join(send("u-admin", "u-admin", "未报 3号楼", "", "", true).replies),
              "今天未报抗原（1户）：\n3号楼：502（无效，需重测）");
    say("committee", "u-admin", "授权 u-601 楼组长");
    EXPECT_EQ(say("bldg-3", "u-601", "未报"), "今天未报抗原（1户）：\n3号楼：502");
    EXPECT_NE(say("committee", "u-admin", "统计").find("已报1/3户"), std::string::npos);
    // The 12:00 list in the building's group names the room without the reason.
    dispatcher_.schedule_daily_jobs(now_);
    now_ = 1651118460;  // 12:01 in Shanghai
    run_due_jobs();
    bool listed = false;
    for (const auto& row : outbox()) {
        if (row.chat == "bldg-3" && row.text.find("没报抗原") != std::string::npos) {
            listed = true;
            EXPECT_NE(row.text.find("502"), std::string::npos) << row.text;
            EXPECT_EQ(row.text.find("无效"), std::string::npos) << row.text;
        }
    }
    EXPECT_TRUE(listed);
    // Tested again: no longer pending.
    say("bldg-3", "u-502b", "抗原 阴性");
    EXPECT_EQ(say("committee", "u-admin", "未报"), "今天未报抗原（1户）：\n5号楼：1201");
}

TEST_F(Antigen, StatsAreCountsOnlyAndOnlyInTheCommitteeChat) {
    say("bldg-3", "u-601", "抗原 阳性");
    say("bldg-5", "u-1201", "抗原 阴性");
    const auto stats = say("committee", "u-admin", "统计");
    EXPECT_NE(stats.find("已报2/3户，阳性1户"), std::string::npos) << stats;
    EXPECT_NE(stats.find("3号楼 1/2 阳性1"), std::string::npos) << stats;
    EXPECT_EQ(stats.find("601"), std::string::npos);
    EXPECT_EQ(say("bldg-3", "u-admin", "统计"), "统计只在居委会工作群里查看。");
    EXPECT_EQ(say("bldg-3", "u-601", "统计"), "抱歉，“统计”仅限居委会使用。");
}

// SPEC §8 item 8: every report is kept; a change during the day is never silent.
TEST_F(Antigen, ASameDayChangeIsShownToTheCommitteeAndEveryReportIsKept) {
    const auto privately = [this](const std::string& user, const std::string& text) {
        return join(send(user, user, text, "", "", true).replies);
    };
    privately("u-601", "抗原 阳性");
    clear_outbox();
    EXPECT_EQ(privately("u-601", "抗原 阴性"), "收到，3-601 今日已更新。");
    auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 1u);
    EXPECT_EQ(sent_now[0].chat, "committee");
    EXPECT_EQ(sent_now[0].text.rfind("【抗原改报】3-601 今日改报：阳性→阴性，报告人 李老师，", 0),
              0u)
        << sent_now[0].text;
    // The same result again is no change.
    clear_outbox();
    privately("u-601", "抗原 阴性");
    EXPECT_TRUE(outbox().empty());
    // Another member of 3-502 turns the household's negative positive: the alert says so.
    privately("u-502a", "抗原 阴性");
    privately("u-502b", "/antigen positive");
    sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 2u);
    EXPECT_NE(sent_now[0].text.find("3-502 阳性，报告人 王叔叔"), std::string::npos);
    EXPECT_NE(sent_now[0].text.find("今日改报：阴性→阳性。"), std::string::npos)
        << sent_now[0].text;
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_history WHERE room = '601'"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_history"), 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports"), 2);
    const auto stats = say("committee", "u-admin", "统计");
    EXPECT_NE(stats.find("今日改报：3-502 阴性→阳性、3-601 阳性→阴性"), std::string::npos) << stats;
}

TEST_F(Antigen, DailyReminderAndPendingListFireOnceADay) {
    dispatcher_.schedule_daily_jobs(now_);
    dispatcher_.schedule_daily_jobs(now_);
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind LIKE 'antigen_%'"), 2);
    now_ = 1651104060;  // 08:01
    run_due_jobs();
    auto sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 2u);
    EXPECT_NE(sent_now[0].text.find("12:00前自测抗原，并私聊我发"), std::string::npos)
        << sent_now[0].text;
    run_due_jobs();
    EXPECT_EQ(outbox().size(), 2u);

    send("u-601", "u-601", "抗原 阴性", "", "", true);
    now_ = 1651118460;  // 12:01
    run_due_jobs();
    sent_now = outbox();
    ASSERT_EQ(sent_now.size(), 4u);
    EXPECT_EQ(sent_now[2].text, "3号楼还有1户没报抗原：502。请尽快自测并上报。");
    EXPECT_EQ(sent_now[3].text, "5号楼还有1户没报抗原：1201。请尽快自测并上报。");
    // Tomorrow's are waiting.
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND kind LIKE 'antigen_%'"),
              2);
}

}  // namespace
}  // namespace loudong::handlers
