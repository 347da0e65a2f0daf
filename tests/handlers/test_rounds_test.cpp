#include "handlers/test_rounds.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class TestRounds : public testing::compound {
protected:
    void SetUp() override {
        now_ = 1651132800;  // 2022-04-28 16:00 in Shanghai
        say("committee", "u-admin", "/bind committee");
        for (const auto* b : {"1", "2", "3"}) {
            say(std::string("bldg-") + b, "u-admin", std::string("绑定 ") + b + "号楼");
        }
        say("bldg-3", "u-601", "登记 3-601", "李老师");
    }

    std::vector<std::string> sent_to(const std::string& chat) {
        SQLite::Statement q(db_.connection(),
                            "SELECT text FROM outbox WHERE chat_id = ?1 ORDER BY id");
        q.bind(1, chat);
        std::vector<std::string> texts;
        while (q.executeStep()) {
            texts.push_back(q.getColumn(0).getString());
        }
        return texts;
    }

    void run_until(std::int64_t moment) {
        now_ = moment;
        for (const auto& job : dispatcher_.due_jobs(now_)) {
            dispatcher_.run_job(job, now_);
        }
    }
};

TEST_F(TestRounds, ARoundIsPlannedBuildingByBuildingWithReminders) {
    const auto plan = say("committee", "u-admin", "核酸 all 明天 07:00 小区广场");
    EXPECT_EQ(plan,
              "【核酸安排 #1】4月29日 07:00起，地点：小区广场\n1. 1号楼 07:00\n2. 2号楼 07:15\n"
              "3. 3号楼 07:30\n各楼群会在4月28日 20:00收到各自的时间。\n叫号：叫号 下一栋");
    EXPECT_TRUE(sent_to("bldg-1").empty());
    run_until(1651147200);  // 20:00, the evening before
    EXPECT_EQ(
        sent_to("bldg-2"),
        std::vector<std::string>{
            "【核酸通知】2号楼 4月29日 07:15 到小区广场做核酸，届时会在群里叫号，请带好手机。"});
    run_until(1651188300);  // 07:25 next morning: building 3's reminder (10 min before) is due
    ASSERT_EQ(sent_to("bldg-3").size(), 2u);
    EXPECT_EQ(sent_to("bldg-3")[1], "【核酸提醒】3号楼 4月29日 07:30 开始，请准备下楼到小区广场。");
    run_until(1651188400);
    EXPECT_EQ(sent_to("bldg-3").size(), 2u);
}

TEST_F(TestRounds, TheTypedOrderIsKeptAndCallingAdvances) {
    say("committee", "u-admin", "核酸 3,1 4-29 07:00 2号门");
    EXPECT_EQ(say("committee", "u-admin", "叫号 下一栋"),
              "已叫3号楼（核酸 #1 第1栋/共2栋）。下一栋：1号楼。");
    EXPECT_EQ(sent_to("bldg-3").back(),
              "【核酸叫号】3号楼请现在下楼到2号门做核酸，请戴好口罩、保持距离。");
    EXPECT_EQ(say("committee", "u-admin", "叫号 1号楼"), "已叫1号楼（核酸 #1 第2栋/共2栋）。");
    EXPECT_EQ(say("committee", "u-admin", "叫号 下一栋"), "本轮各楼都已叫过号。");
    // Issue 19: nothing is left to postpone, and no building is told otherwise.
    const auto before = count("SELECT COUNT(*) FROM outbox");
    EXPECT_EQ(say("committee", "u-admin", "核酸 推迟 30"),
              "核酸安排 #1 各楼都已叫号，不能再推迟了。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), before);
}

TEST_F(TestRounds, PostponingTellsEachBuildingAndMovesTheReminders) {
    say("committee", "u-admin", "核酸 1,2 明天 07:00 小区广场");
    run_until(1651147200);  // 20:00: the evening notices go out
    const auto moved = say("committee", "u-admin", "核酸 推迟 30");
    EXPECT_NE(moved.find("1. 1号楼 07:30"), std::string::npos) << moved;
    EXPECT_EQ(sent_to("bldg-2").back(),
              "【核酸通知】2号楼核酸推迟30分钟，改为4月29日 07:45到小区广场。");
    run_until(1651187400);                    // 07:10: the old 06:50/07:05 reminders do nothing
    EXPECT_EQ(sent_to("bldg-2").size(), 2u);  // evening notice + postponed notice
    run_until(1651188300);  // 07:25: building 2's new reminder (07:35) is not due yet
    run_until(1651188900);  // 07:35
    EXPECT_EQ(sent_to("bldg-2").back(),
              "【核酸提醒】2号楼 4月29日 07:45 开始，请准备下楼到小区广场。");
}

TEST_F(TestRounds, CancellingTellsTheBuildingsAndSilencesTheReminders) {
    say("committee", "u-admin", "核酸 all 明天 07:00 小区广场");
    EXPECT_EQ(say("committee", "u-admin", "核酸 取消"), "核酸安排 #1 已取消，已通知各楼。");
    EXPECT_EQ(sent_to("bldg-1").back(),
              "【核酸通知】原定4月29日 07:00的1号楼核酸取消了，另行通知。");
    run_until(1651190400);
    EXPECT_EQ(sent_to("bldg-1").size(), 1u);
    EXPECT_EQ(say("committee", "u-admin", "叫号 下一栋"), "目前没有安排核酸。");
}

// Issue 19: two rounds in one week, managed by number; a second round the same day for a
// building is refused (or confirmed), and no building gets two conflicting times.
TEST_F(TestRounds, TwoRoundsInAWeekAreManagedByNumberWithoutConflictingTimes) {
    say("committee", "u-admin", "核酸 all 明天 07:00 小区广场");
    const auto second = say("committee", "u-admin", "核酸 2,3 5-2 08:00 2号门");
    EXPECT_TRUE(second.starts_with("【核酸安排 #2】5月2日 08:00起")) << second;
    EXPECT_EQ(say("committee", "u-admin", "核酸 列表"),
              "【进行中的核酸】\n"
              "#1 4月29日 07:00起 小区广场：已叫0/3栋，下一栋1号楼 4月29日 07:00\n"
              "#2 5月2日 08:00起 2号门：已叫0/2栋，下一栋2号楼 5月2日 08:00\n"
              "取消：核酸 取消 轮次；推迟：核酸 推迟 轮次 分钟");
    // Without a number, which round is meant is asked, and nothing changes.
    EXPECT_EQ(say("committee", "u-admin", "核酸 推迟 30"),
              "现在有几轮核酸：#1（4月29日 07:00起） #2（5月2日 08:00起）\n"
              "请写明是哪一轮，例如：核酸 取消 2，核酸 推迟 2 30");
    EXPECT_EQ(count("SELECT COUNT(*) FROM test_rounds WHERE state = 'cancelled'"), 0);
    // A third round the same day as #1 for building 3 is refused with the conflict named.
    EXPECT_EQ(say("committee", "u-admin", "核酸 3 明天 15:00 东门"),
              "3号楼已在核酸安排 #1 里（4月29日 07:30），同一天再排一轮，楼里会收到两个时间，"
              "没有安排。确要再排，请在命令末尾加“确认”；或先“核酸 取消 1”。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM test_rounds"), 2);
    // Postponing #2 tells only #2's buildings; #1 keeps its times.
    run_until(1651147200);  // 20:00: #1's evening notices
    const auto before = sent_to("bldg-1").size();
    EXPECT_TRUE(say("committee", "u-admin", "核酸 推迟 2 30").starts_with("核酸安排 #2 已推迟"));
    EXPECT_EQ(sent_to("bldg-1").size(), before);
    EXPECT_EQ(sent_to("bldg-2").back(),
              "【核酸通知】2号楼核酸推迟30分钟，改为5月2日 08:30到2号门。");
    // Calling goes through #1 (due first), saying which round.
    EXPECT_EQ(say("committee", "u-admin", "叫号 下一栋"),
              "已叫1号楼（核酸 #1 第1栋/共3栋）。下一栋：2号楼。");
    // Cancelling #1 by number leaves #2.
    EXPECT_EQ(say("committee", "u-admin", "核酸 取消 1"), "核酸安排 #1 已取消，已通知各楼。");
    EXPECT_EQ(sent_to("bldg-2").back(),
              "【核酸通知】原定4月29日 07:15的2号楼核酸取消了，另行通知。");
    EXPECT_EQ(say("committee", "u-admin", "核酸 取消 1"),
              "没有进行中的核酸安排 #1。发“核酸 列表”查看。");
    // Now one round is in progress: a plain 推迟 is for it, and 3号楼 may be tested on 4-29 again.
    EXPECT_TRUE(say("committee", "u-admin", "核酸 推迟 10").starts_with("核酸安排 #2 已推迟"));
    EXPECT_TRUE(
        say("committee", "u-admin", "核酸 3 明天 15:00 东门").starts_with("【核酸安排 #3】"));
    // With 确认 a second round the same day is scheduled knowingly.
    EXPECT_TRUE(
        say("committee", "u-admin", "核酸 3 明天 16:00 东门 确认").starts_with("【核酸安排 #4】"));
    // 叫号 3号楼 calls it in the round where it is due soonest: #3 at 15:00.
    EXPECT_EQ(say("committee", "u-admin", "叫号 3号楼"), "已叫3号楼（核酸 #3 第1栋/共1栋）。");
}

TEST_F(TestRounds, ARoomThatMissedItsTurnIsCalledBackPrivately) {
    say("committee", "u-admin", "核酸 all 明天 07:00 小区广场");
    say("bldg-1", "u-101", "登记 1-101", "张师傅");
    say("committee", "u-admin", "授权 1-101 楼组长 1号楼");
    run_until(1651189200);  // 07:40 on the day: the round is in progress
    const auto building_3 = sent_to("bldg-3").size();
    EXPECT_EQ(
        say("committee", "u-admin", "补采 3-601 3-502"),
        "补采（核酸 #1）：现在，小区广场\n✓ 3-601：已私信1人\n✗ 3-502：没有登记的住户，请电话通知");
    EXPECT_EQ(
        sent_to("u-601"),
        std::vector<std::string>{"【补采核酸】3号楼601室请现在到小区广场补采核酸，请戴好口罩。"});
    // Nothing in the building's group: why a room tests again is its own business.
    EXPECT_EQ(sent_to("bldg-3").size(), building_3);
    EXPECT_EQ(say("committee", "u-admin", "补采 3-601 14:00 地点 2号门"),
              "补采（核酸 #1）：4月29日 14:00，2号门\n✓ 3-601：已私信1人");
    EXPECT_EQ(sent_to("u-601").back(),
              "【补采核酸】3号楼601室请在4月29日 14:00到2号门补采核酸，请戴好口罩。");
    // The lead of 1号楼 calls back rooms of 1号楼 only; a resident none.
    EXPECT_TRUE(
        say("bldg-1", "u-101", "补采 1-101").starts_with("补采（核酸 #1）：现在，小区广场"));
    EXPECT_EQ(say("bldg-1", "u-101", "补采 1-101 3-601"),
              "你负责的是1号楼。3号楼请找该楼楼组长或居委会。");
    EXPECT_EQ(say("bldg-3", "u-601", "补采 3-601"), "抱歉，“补采”仅限楼组长或居委会使用。");
    // A time gone, and a building in no round without a place: asked again, nothing sent.
    const auto sent = sent_to("u-601").size();
    EXPECT_EQ(say("committee", "u-admin", "补采 3-601 今天 07:00"),
              "4月29日 07:00已经过了，请换个时间。");
    EXPECT_EQ(say("committee", "u-admin", "补采 7-101"),
              "这栋楼没有进行中的核酸安排，请写上地点，例如：补采 3-502 14:00 地点 小区广场。");
    EXPECT_EQ(sent_to("u-601").size(), sent);
}

TEST_F(TestRounds, ResidentsCannotScheduleOrCall) {
    EXPECT_EQ(say("bldg-3", "u-601", "核酸 all 明天 07:00 小区广场"),
              "抱歉，“核酸”仅限居委会使用。");
    EXPECT_EQ(say("bldg-3", "u-601", "叫号 3号楼"), "抱歉，“叫号”仅限楼组长或居委会使用。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

}  // namespace
}  // namespace loudong::handlers
