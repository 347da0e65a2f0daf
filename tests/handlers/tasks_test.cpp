#include "handlers/tasks.hpp"

#include <chrono>

#include <SQLiteCpp/Exception.h>
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

/// Unix seconds of a local time in Shanghai, 2022.
std::int64_t at(unsigned month, unsigned day, int hour, int minute = 0) {
    const auto local = date::local_days{date::year{2022} / month / day} + std::chrono::hours{hour} +
                       std::chrono::minutes{minute};
    return date::locate_zone("Asia/Shanghai")->to_sys(local).time_since_epoch().count();
}

class Tasks : public testing::compound {
protected:
    // Whatever a test did, the triggers kept every task's held count equal to its claims
    // holding a slot.
    void TearDown() override {
        EXPECT_EQ(count("SELECT COUNT(*) FROM tasks t WHERE t.held <> (SELECT COUNT(*) FROM "
                        "task_claims c WHERE c.task_id = t.id AND c.slot IS NOT NULL)"),
                  0);
    }

    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        say("vol", "u-admin", "绑定 volunteers");
        resident("u-502", "3-502", "王阿姨");
        resident("u-601", "3-601", "李老师");
        resident("u-1201", "5-1201", "张师傅");
        resident("u-101", "1-101", "赵大哥");
    }

    /// Posts a task in the volunteers' chat; fails the test unless it was posted.
    void post(const std::string& line) {
        const auto answer = say("vol", "u-admin", line);
        ASSERT_NE(answer.find("已发布"), std::string::npos) << answer;
    }

    /// Outbox texts for one chat, in order, joined by '|'.
    std::string outbox_text(const std::string& chat) {
        SQLite::Statement q(db_.connection(),
                            "SELECT group_concat(text, '|') FROM "
                            "(SELECT text FROM outbox WHERE chat_id = ?1 ORDER BY id)");
        q.bind(1, chat);
        q.executeStep();
        return q.getColumn(0).isNull() ? "" : q.getColumn(0).getString();
    }

    /// The fallbacks of the private messages queued for `user` (chat › text, "|" between), for
    /// when the platform refuses a private message (SPEC §10).
    std::string fallback_for(const std::string& user) {
        SQLite::Statement q(
            db_.connection(),
            "SELECT group_concat(fallback_chat || ' › ' || fallback_text, '|') FROM "
            "(SELECT fallback_chat, fallback_text FROM outbox WHERE chat_id = ?1 "
            "AND is_private = 1 ORDER BY id)");
        q.bind(1, user);
        q.executeStep();
        return q.getColumn(0).isNull() ? "" : q.getColumn(0).getString();
    }

    /// Runs the timed jobs due now, as the writer does; returns the messages they queued.
    int run_due_jobs() {
        int queued = 0;
        for (const auto& job : dispatcher_.due_jobs(now_)) {
            queued += dispatcher_.run_job(job, now_);
        }
        return queued;
    }

    static bool has(const std::string& text, const std::string& part) {
        return text.find(part) != std::string::npos;
    }
};

// ---- posting ---------------------------------------------------------------------------------

TEST_F(Tasks, PostingGivesTheNumberTimeSlotsPlaceAndHowToClaim) {
    EXPECT_EQ(say("vol", "u-admin", "发布任务 物资搬运 4-28 14:00-16:00 6 地点 1号门"),
              "已发布任务 #1 物资搬运：4月28日 14:00-16:00，需6人，地点1号门。发“揭榜 1”报名。");
    EXPECT_EQ(count("SELECT starts_at FROM tasks WHERE id = 1"), at(4, 28, 14));
    EXPECT_EQ(count("SELECT ends_at FROM tasks WHERE id = 1"), at(4, 28, 16));
    // The reminder is a job in the database, due the lead time (30 minutes) before the start.
    EXPECT_EQ(count("SELECT due_at FROM jobs WHERE unique_key = 'task_reminder:1'"),
              at(4, 28, 13, 30));
    EXPECT_NE(say("vol", "u-admin", "发布任务 楼道消杀 明天 8:00-12:00 4人 备注 带好手套")
                  .find("4月29日 08:00-12:00，需4人，带好手套"),
              std::string::npos);
}

// Issue 20: a task posted in the committee's chat is told in the volunteers' chat, where those
// who claim are; one posted there is not told twice.
TEST_F(Tasks, ATaskPostedElsewhereIsAnnouncedInTheVolunteersChat) {
    clear_outbox();
    EXPECT_EQ(say("committee", "u-admin", "发布任务 物资搬运 4-28 14:00-16:00 6 地点 1号门"),
              "已发布任务 #1 物资搬运：4月28日 14:00-16:00，需6人，地点1号门。发“揭榜 1”报名。"
              "已发到志愿者群。");
    EXPECT_EQ(outbox_text("vol"),
              "【新任务】#1 物资搬运：4月28日 14:00-16:00，需6人，地点1号门。报名发“揭榜 1”。");
    EXPECT_EQ(outbox().size(), 1u);
    post("发布任务 楼道消杀 明天 8:00-12:00 4人");
    EXPECT_EQ(outbox().size(), 1u);
    // A daily task and a rota are announced once each, not once per shift.
    EXPECT_NE(say("committee", "u-admin", "发布任务 门岗值守 每天 07:00-09:00 3 至 5-1")
                  .find("已发到志愿者群。"),
              std::string::npos);
    EXPECT_NE(say("committee", "u-admin", "排班 东门,南门 明天 08:00-次日08:00 每4小时 2人")
                  .find("已发到志愿者群。"),
              std::string::npos);
    const auto told = outbox_text("vol");
    EXPECT_NE(told.find("|【新任务】门岗值守 4月28日至5月1日每天07:00-09:00，共4天"),
              std::string::npos)
        << told;
    EXPECT_NE(
        told.find("|【门岗排班】东门、南门，4月29日 08:00至4月30日 08:00，每4小时一班，每班2人"
                  "，共12班，请大家揭榜。\n报名：揭榜 东门 4月29日 全天"),
        std::string::npos)
        << told;
    EXPECT_EQ(outbox().size(), 3u);
    EXPECT_EQ(outbox_text("committee"), "");
}

// `通知 志愿者 …` reaches the volunteers' chat, now or at a time.
TEST_F(Tasks, ANoticeToVolunteersGoesToTheirChat) {
    clear_outbox();
    EXPECT_EQ(say("committee", "u-admin", "通知 志愿者 今晚7点在居委会开会"),
              "通知 #1 正在发往志愿者群。发“通知 状态 1”看送达情况。");
    EXPECT_EQ(outbox_text("vol"), "【居委会通知】今晚7点在居委会开会");
    EXPECT_EQ(outbox().size(), 1u);
    EXPECT_NE(say("committee", "u-admin", "通知 明天 07:00 志愿者 早上好")
                  .find("将于4月29日 07:00发往志愿者群"),
              std::string::npos);
    now_ = at(4, 29, 7);
    run_due_jobs();
    EXPECT_EQ(outbox_text("vol"), "【居委会通知】今晚7点在居委会开会|【居委会通知】早上好");
    EXPECT_NE(outbox_text("committee").find("定时通知 #2 已发往志愿者群。"), std::string::npos);
    EXPECT_NE(say("committee", "u-admin", "核酸 志愿者 明天 07:00 广场").find("看不懂"),
              std::string::npos);
    say("vol", "u-admin", "解绑");
    EXPECT_EQ(say("committee", "u-admin", "通知 志愿者 开会"),
              "还没有绑定志愿者群，通知没有发。请先在志愿者群里发“绑定 志愿者”。");
}

TEST_F(Tasks, OnlyTheCommitteePostsAndCancelsTasks) {
    EXPECT_EQ(say("vol", "u-502", "发布任务 物资搬运 4-28 14:00-16:00 6"),
              "抱歉，“发布任务”仅限居委会使用。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 0);
    post("发布任务 物资搬运 4-28 14:00-16:00 6");
    EXPECT_EQ(say("vol", "u-502", "取消任务 1"), "抱歉，“取消任务”仅限居委会使用。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state = 'open'"), 1);
}

TEST_F(Tasks, ATimeAlreadyPastIsRefused) {
    EXPECT_EQ(say("vol", "u-admin", "发布任务 物资搬运 今天 06:00-08:00 6"),
              "4月28日 06:00已经过了，请换个时间。");
    EXPECT_EQ(say("vol", "u-admin", "发布任务 物资搬运 4-28 14:00-16:00 501"),
              "一个任务最多500人。");
    EXPECT_EQ(say("vol", "u-admin", "发布任务 物资搬运 4-28 14:00-16:00 100000"),
              "一个任务最多500人。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 0);
}

TEST_F(Tasks, ATaskStartingWithinTheLeadTimeGetsNoReminderJob) {
    now_ = at(4, 28, 13, 45);
    post("发布任务 物资搬运 14:00-16:00 6");
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);
}

TEST_F(Tasks, ANightShiftEndsTheNextDay) {
    EXPECT_NE(say("vol", "u-admin", "发布任务 夜间巡逻 4-28 22:00-06:00 2").find("22:00-次日06:00"),
              std::string::npos);
    EXPECT_NE(say("vol", "u-admin", "发布任务 夜间值守 4-28 20:00-24:00 2").find("20:00-24:00"),
              std::string::npos);
    EXPECT_EQ(count("SELECT ends_at FROM tasks WHERE id = 1"), at(4, 29, 6));
}

// ---- rotas -----------------------------------------------------------------------------------

TEST_F(Tasks, ARotaPostsOneTaskPerDayEachClaimableOnItsOwn) {
    EXPECT_EQ(say("vol", "u-admin", "发布任务 门岗值守 每天 08:00-12:00 2 至 5-1 地点 1号门"),
              "已发布 门岗值守 4天（#1至#4）：4月28日至5月1日每天08:00-12:00，"
              "每班2人，地点1号门。发“任务”查看，“揭榜 任务号”报名。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE title = '门岗值守' AND slots = 2"), 4);
    EXPECT_EQ(count("SELECT starts_at FROM tasks WHERE id = 4"), at(5, 1, 8));
    EXPECT_EQ(count("SELECT COUNT(DISTINCT unique_key) FROM jobs WHERE kind = 'task_reminder'"), 4);
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 1"), "报名成功"));
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 2"), "报名成功"));
    EXPECT_TRUE(has(say("vol", "u-502", "名单 2"), "王阿姨 3-502"));
}

TEST_F(Tasks, ARotaStartsTomorrowWhenTodaysShiftHasBegun) {
    now_ = at(4, 28, 9);
    EXPECT_TRUE(has(say("vol", "u-admin", "发布任务 门岗值守 每天 08:00-12:00 2 至 4-30"),
                    "2天（#1至#2）：4月29日至4月30日每天"));
}

TEST_F(Tasks, ARotaNeedsASensibleLastDay) {
    EXPECT_TRUE(has(say("vol", "u-admin", "发布任务 门岗值守 每天 08:00-12:00 2"), "写明到哪天"));
    EXPECT_TRUE(has(say("vol", "u-admin", "发布任务 门岗值守 每天 08:00-12:00 2 至 8-30"),
                    "一次最多排62天"));
    now_ = at(4, 28, 13);
    EXPECT_TRUE(
        has(say("vol", "u-admin", "发布任务 门岗值守 每天 08:00-12:00 2 至 今天"), "已经过了"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 0);
}

// ---- listing ---------------------------------------------------------------------------------

TEST_F(Tasks, TheListShowsOpenTasksWithFreeSlotsSoonestFirst) {
    EXPECT_EQ(say("vol", "u-502", "任务"), "目前没有缺人的任务。");
    post("发布任务 送菜 明天 09:00-11:00 3");
    post("发布任务 物资搬运 4-28 14:00-16:00 6 地点 1号门");
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-601", "揭榜 3");  // now full
    EXPECT_EQ(say("vol", "u-502", "任务"),
              "【缺人的任务】\n#2 物资搬运 4月28日 14:00-16:00 缺6人 1号门\n"
              "#1 送菜 4月29日 09:00-11:00 缺3人\n发“揭榜 任务号”报名。");
    now_ = at(4, 28, 14, 5);  // 物资搬运 has started
    EXPECT_EQ(say("vol", "u-502", "任务"),
              "【缺人的任务】\n#1 送菜 4月29日 09:00-11:00 缺3人\n发“揭榜 任务号”报名。");
}

TEST_F(Tasks, ALongListSaysHowManyMoreThereAre) {
    post("发布任务 门岗值守 每天 08:00-12:00 2 至 5-9");
    const auto list = say("vol", "u-502", "任务");
    EXPECT_TRUE(has(list, "#10 门岗值守 5月7日")) << list;
    EXPECT_FALSE(has(list, "#11 "));
    EXPECT_TRUE(has(list, "还有2个，发“任务 2”看下一页。"));
}

// ---- claiming --------------------------------------------------------------------------------

TEST_F(Tasks, AClaimTakesASlotAndASecondClaimIsRefused) {
    post("发布任务 物资搬运 4-28 14:00-16:00 6 地点 1号门");
    EXPECT_EQ(
        say("vol", "u-502", "揭榜 1"),
        "报名成功：#1 物资搬运 4月28日 14:00-16:00，地点1号门（1/6人）。开始前30分钟会提醒你。");
    EXPECT_EQ(say("vol", "u-502", "报名 1"), "你已报名 #1 物资搬运，不用重复报名。");
    EXPECT_TRUE(has(say("vol", "u-601", "/claim 1"), "（2/6人）"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'holding'"), 2);
    EXPECT_EQ(say("vol", "u-502", "揭榜 9"), "没有任务 #9。");
}

TEST_F(Tasks, ClaimingNeedsARegisteredAddressButNoRole) {
    post("发布任务 物资搬运 4-28 14:00-16:00 6");
    EXPECT_TRUE(has(say("vol", "u-new", "揭榜 1"), "请先登记"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims"), 0);
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 1"), "报名成功"));
    // Claiming makes no one a volunteer role-holder.
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles"), 0);
}

TEST_F(Tasks, AnOverlappingClaimIsRefusedNamingTheOtherTask) {
    post("发布任务 物资搬运 4-28 14:00-16:00 6");
    post("发布任务 核酸引导 4-28 15:00-17:00 4");
    post("发布任务 送菜 4-28 16:00-18:00 4");
    say("vol", "u-502", "揭榜 1");
    EXPECT_EQ(say("vol", "u-502", "揭榜 2"),
              "#2 和你已报的 #1 物资搬运（4月28日 14:00-16:00）时间冲突，没有报名。");
    // Back to back is not an overlap.
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 3"), "报名成功"));
    // Leaving #1 is not enough: #3 (16:00-18:00) still overlaps #2.
    say("vol", "u-502", "退出 1");
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 2"), "时间冲突"));
    say("vol", "u-502", "退出 3");
    EXPECT_TRUE(has(say("vol", "u-502", "揭榜 2"), "报名成功"));
}

TEST_F(Tasks, AStartedOrCancelledTaskCannotBeClaimed) {
    post("发布任务 物资搬运 4-28 14:00-16:00 6");
    post("发布任务 送菜 4-28 18:00-19:00 6");
    now_ = at(4, 28, 14);
    EXPECT_EQ(say("vol", "u-502", "揭榜 1"), "#1 物资搬运 已开始，不能再报名了。");
    say("vol", "u-admin", "取消任务 2");
    EXPECT_EQ(say("vol", "u-502", "揭榜 2"), "任务 #2 送菜 已取消。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims"), 0);
}

// ---- waiting list ----------------------------------------------------------------------------

TEST_F(Tasks, AFullTaskPutsClaimantsOnTheWaitingListInArrivalOrder) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    EXPECT_EQ(say("vol", "u-601", "揭榜 1"),
              "#1 测温 已满1人，你排在候补第1位；有人退出会自动补上并通知你。");
    EXPECT_TRUE(has(say("vol", "u-1201", "揭榜 1"), "候补第2位"));
    EXPECT_EQ(say("vol", "u-1201", "揭榜 1"), "你已在 #1 的候补第2位。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE slot IS NOT NULL"), 1);

    // The holder leaves: the first in line takes the slot and is told privately (SPEC §10), or
    // in the task's chat with a mention if their platform refuses.
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "已退出 #1 测温。候补的李老师已补上。");
    EXPECT_EQ(outbox_text("vol"), "");
    EXPECT_EQ(outbox_text("u-601"),
              "有人退出，你已从候补补上 #1 测温（4月28日 10:00-11:00），请准时到。"
              "去不了请发“退出 1”。");
    EXPECT_EQ(fallback_for("u-601"),
              "vol › @李老师 有人退出，你已从候补补上 #1 测温（4月28日 10:00-11:00），请准时到。"
              "去不了请发“退出 1”。");
    EXPECT_EQ(say("vol", "u-1201", "揭榜 1"), "你已在 #1 的候补第1位。");
    EXPECT_EQ(say("vol", "u-502", "名单 1"),
              "【#1 测温】4月28日 10:00-11:00\n已报1/1人：\n1. 李老师 3-601\n"
              "候补：\n1. 张师傅 5-1201");
}

TEST_F(Tasks, LeavingTheWaitingListKeepsTheOthersInOrder) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    say("vol", "u-1201", "揭榜 1");
    EXPECT_EQ(say("vol", "u-601", "退出 1"), "已退出 #1 的候补。");
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "已退出 #1 测温。候补的张师傅已补上。");
    EXPECT_TRUE(has(outbox_text("u-1201"), "你已从候补补上"));
    EXPECT_TRUE(has(fallback_for("u-1201"), "vol › @张师傅"));
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "你没有报名 #1。");
}

TEST_F(Tasks, AWaitingMemberBusyAtThatTimeIsPassedOver) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    post("发布任务 送菜 4-28 10:30-12:00 3");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");   // waiting 1
    say("vol", "u-1201", "揭榜 1");  // waiting 2
    say("vol", "u-601", "揭榜 2");   // 李老师 is now busy at 10:30
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "已退出 #1 测温。候补的张师傅已补上。");
    EXPECT_EQ(say("vol", "u-601", "揭榜 1"), "你已在 #1 的候补第1位。");
}

// ---- leaving ---------------------------------------------------------------------------------

TEST_F(Tasks, ATaskThatHasEndedCannotBeLeftAndOneUnderWayGivesNoSlotAway) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    now_ = at(4, 28, 11);
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "#1 已结束，不能退出。");
    now_ = at(4, 28, 10, 30);
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "已退出 #1 测温。");
    EXPECT_EQ(outbox_text("vol"), "");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE slot IS NOT NULL"), 0);
}

// ---- roster ----------------------------------------------------------------------------------

TEST_F(Tasks, TheRosterShowsNamesRoomsAndCheckOuts) {
    post("发布任务 物资搬运 4-28 14:00-16:00 3 地点 1号门");
    EXPECT_EQ(say("vol", "u-101", "名单 1"),
              "【#1 物资搬运】4月28日 14:00-16:00 1号门\n已报0/3人：\n还没有人报名。");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    now_ = at(4, 28, 16, 5);
    say("vol", "u-601", "完成 1");
    EXPECT_EQ(say("vol", "u-101", "名单 1"),
              "【#1 物资搬运】4月28日 14:00-16:00 1号门\n已报2/3人：\n1. 王阿姨 3-502\n"
              "2. 李老师 3-601 ✓已完成");
    EXPECT_EQ(say("vol", "u-101", "名单 7"), "没有任务 #7。");
}

// ---- checking out and hours ------------------------------------------------------------------

TEST_F(Tasks, CheckingOutRecordsTheTasksHoursOnce) {
    post("发布任务 物资搬运 4-28 14:00-16:30 6");
    say("vol", "u-502", "揭榜 1");
    EXPECT_EQ(say("vol", "u-502", "完成 1"),
              "#1 还没开始（4月28日 14:00-16:30），开始后再发“完成 1”。");
    now_ = at(4, 28, 16, 40);
    // A resident without the volunteer role checks out of the slot they hold.
    EXPECT_EQ(say("vol", "u-502", "完成 1"),
              "已签退 #1 物资搬运，14:00-16:30，记2.5小时。辛苦了！");
    EXPECT_EQ(say("vol", "u-502", "完成 1"), "你已签退过 #1，记2.5小时。");
    EXPECT_EQ(say("vol", "u-601", "完成 1"), "你没有报上 #1，不能签退。");
    EXPECT_EQ(say("vol", "u-502", "退出 1"), "你已完成 #1，不能退出。");
    EXPECT_EQ(count("SELECT minutes FROM task_claims"), 150);
}

TEST_F(Tasks, ATaskWithoutAnEndCountsUntilCheckOut) {
    post("发布任务 送菜 4-28 09:30 2");
    say("vol", "u-502", "揭榜 1");
    now_ = at(4, 28, 11);
    EXPECT_TRUE(has(say("vol", "u-502", "完成 1"), "记1.5小时"));
}

TEST_F(Tasks, WaitingIsNotHoldingForCheckOut) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    now_ = at(4, 28, 11);
    EXPECT_EQ(say("vol", "u-601", "完成 1"), "你没有报上 #1，不能签退。");
}

TEST_F(Tasks, HoursListThisMonthMostFirstInTheCompoundsZone) {
    EXPECT_EQ(say("vol", "u-101", "时长"), "4月还没有签退记录。");
    post("发布任务 物资搬运 4-28 14:00-16:00 6");
    post("发布任务 测温 4-29 08:00-11:00 6");
    // 00:30 on 1 May in Shanghai is still 30 April in UTC: it counts for May.
    post("发布任务 夜间值守 5-1 00:30-02:30 2");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    say("vol", "u-601", "揭榜 2");
    say("vol", "u-502", "揭榜 3");
    now_ = at(5, 1, 3);
    say("vol", "u-502", "完成 1");
    say("vol", "u-601", "完成 1");
    say("vol", "u-601", "完成 2");
    say("vol", "u-502", "完成 3");
    EXPECT_EQ(say("vol", "u-101", "时长"),
              "【5月志愿时长】\n1. 王阿姨 3-502 2小时（1次）\n合计2小时，感谢大家！");
    now_ = at(4, 30, 23);  // the same records seen from April
    EXPECT_EQ(say("vol", "u-101", "时长"),
              "【4月志愿时长】\n1. 李老师 3-601 5小时（2次）\n2. 王阿姨 3-502 2小时（1次）\n"
              "合计7小时，感谢大家！");
}

// ---- cancelling ------------------------------------------------------------------------------

TEST_F(Tasks, CancellingTellsTheClaimantsInTheTasksChat) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    EXPECT_EQ(say("committee", "u-admin", "取消任务 1"),
              "已取消任务 #1 测温，正在通知2位报名的人。");
    EXPECT_EQ(outbox_text("vol"),
              "【任务取消】#1 测温（4月28日 10:00-11:00）已取消，不用去了。@王阿姨 @李老师");
    EXPECT_EQ(say("committee", "u-admin", "/canceltask 1"), "任务 #1 测温 已取消。");
    EXPECT_TRUE(has(say("vol", "u-502", "名单 1"), "（已取消）"));
    EXPECT_EQ(say("vol", "u-502", "任务"), "目前没有缺人的任务。");
    // Its reminder comes due but says nothing.
    now_ = at(4, 28, 9, 30);
    EXPECT_EQ(run_due_jobs(), 0);
}

TEST_F(Tasks, ATaskThatHasEndedCannotBeCancelled) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    now_ = at(4, 28, 11, 30);
    EXPECT_EQ(say("vol", "u-admin", "取消任务 1"), "任务 #1 已结束，不能取消。");
    EXPECT_EQ(say("vol", "u-admin", "取消任务 5"), "没有任务 #5。");
}

// ---- reminders -------------------------------------------------------------------------------

TEST_F(Tasks, EachHolderIsRemindedOnceAndTheCommitteeHearsOfFreeSlots) {
    post("发布任务 物资搬运 4-28 14:00-16:00 3 地点 1号门");
    say("vol", "u-502", "揭榜 1");
    say("vol", "u-601", "揭榜 1");
    now_ = at(4, 28, 13, 29);
    EXPECT_EQ(run_due_jobs(), 0);
    now_ = at(4, 28, 13, 30);
    EXPECT_EQ(run_due_jobs(), 3);
    // Each holder privately; the task's chat only if their platform refuses.
    EXPECT_EQ(outbox_text("vol"), "");
    EXPECT_EQ(outbox_text("u-502"),
              "提醒：#1 物资搬运 4月28日 14:00-16:00，地点1号门。到岗发“签到 1”，去不了请发“退出 "
              "1”。");
    EXPECT_EQ(fallback_for("u-601"),
              "vol › @李老师 提醒：#1 物资搬运 4月28日 14:00-16:00，地点1号门。到岗发“签到 "
              "1”，去不了请发“退出 1”。");
    EXPECT_EQ(outbox_text("committee"), "#1 物资搬运 4月28日 14:00开始，还缺1人（已报2/3）。");
    now_ = at(4, 28, 13, 45);
    EXPECT_EQ(run_due_jobs(), 0);
}

TEST_F(Tasks, AFullTaskDoesNotTroubleTheCommittee) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    now_ = at(4, 28, 9, 30);
    EXPECT_EQ(run_due_jobs(), 1);
    EXPECT_EQ(outbox_text("committee"), "");
}

TEST_F(Tasks, AReminderFoundAfterTheStartIsDropped) {
    post("发布任务 测温 4-28 10:00-11:00 1");
    say("vol", "u-502", "揭榜 1");
    now_ = at(4, 28, 10, 5);  // the server was down across 09:30
    EXPECT_EQ(run_due_jobs(), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE state = 'pending'"), 0);
}

TEST_F(Tasks, TheLeadTimeComesFromTheSettings) {
    auto config = make_settings();
    config.task_lead_seconds = 2 * 3600;
    dispatcher early(db_.connection(), config);
    message msg;
    msg.platform = "generic";
    msg.message_id = "lead-1";
    msg.chat_id = "vol";
    msg.sender_id = "u-admin";
    msg.text = "发布任务 物资搬运 4-28 14:00-16:00 6";
    early.process(msg, now_);
    EXPECT_EQ(count("SELECT due_at FROM jobs"), at(4, 28, 12));
    msg.message_id = "lead-2";
    msg.sender_id = "u-502";
    msg.text = "揭榜 1";
    EXPECT_TRUE(has(early.process(msg, now_).replies.at(0).text, "开始前120分钟会提醒你"));
}

// ---- the database's own guard ----------------------------------------------------------------

TEST_F(Tasks, TheDatabaseRefusesADoubleBookedOrExtraSlot) {
    post("发布任务 测温 4-28 10:00-11:00 2");
    say("vol", "u-502", "揭榜 1");
    auto& db = db_.connection();
    const auto member = count("SELECT id FROM members WHERE user_id = 'u-601'");
    const auto insert = [&](int slot) {
        db.exec(
            "INSERT INTO task_claims (task_id, member_id, state, slot, claimed_at) VALUES "
            "(1, " +
            std::to_string(member) + ", 'holding', " + std::to_string(slot) + ", 0)");
    };
    EXPECT_THROW(insert(1), SQLite::Exception);  // slot 1 is 王阿姨's
    EXPECT_THROW(insert(3), SQLite::Exception);  // there is no slot 3
    EXPECT_THROW(db.exec("UPDATE task_claims SET slot = 5 WHERE task_id = 1"), SQLite::Exception);
    EXPECT_NO_THROW(insert(2));
    EXPECT_EQ(say("vol", "u-1201", "揭榜 1"),
              "#1 测温 已满2人，你排在候补第1位；有人退出会自动补上并通知你。");
}

}  // namespace
}  // namespace loudong::handlers
