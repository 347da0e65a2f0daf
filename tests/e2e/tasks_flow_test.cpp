// Volunteer tasks over HTTP: post, claim, waiting list, reminders through the outbox to a fake
// platform (across a restart), check-out and hours; and 20 simultaneous claims for 6 slots.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

class TasksFlow : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.generic.outbound_url = platform_.url("/send");
        cfg.generic.rate = {0, 1000, 1000};
        start(cfg);
        say("committee", "u-admin", "/bind committee");
        say("vol", "u-admin", "绑定 volunteers");
        // Residents register in their building's group (SPEC §8 item 1).
        say("bldg-2", "u-admin", "绑定 2号楼");
        say("bldg-3", "u-admin", "绑定 3号楼");
    }

    /// The reply texts of a message from a named sender, joined by newlines.
    std::string say_as(const std::string& user, const std::string& name, const std::string& text,
                       const std::string& chat = "vol") {
        const auto body = json{
            {"message_id", "n-" + std::to_string(++counter_)},
            {"chat_id", chat},
            {"sender", {{"id", user}, {"name", name}}},
            {"text", text}}.dump();
        const auto reply = post(body);
        EXPECT_EQ(reply.status, 200u) << reply.body;
        return reply_text(reply.body);
    }

    std::vector<std::string> texts_for(const std::string& chat) {
        return platform_.texts_for(chat);
    }

    static bool has(const std::string& text, const std::string& part) {
        return text.find(part) != std::string::npos;
    }

    fake_platform platform_;
};

TEST_F(TasksFlow, PostClaimWaitRemindAcrossARestartCheckOutAndCountHours) {
    const std::vector<std::pair<std::string, std::string>> people{
        {"v-1", "王阿姨"}, {"v-2", "李老师"}, {"v-3", "张师傅"}, {"v-4", "赵大哥"}};
    for (std::size_t i = 0; i < people.size(); ++i) {
        say_as(people[i].first, people[i].second, "登记 3-" + std::to_string(501 + i), "bldg-3");
    }
    const auto posted = say("vol", "u-admin", "发布任务 物资搬运 明天 14:00-16:00 3 地点 1号门");
    ASSERT_TRUE(has(posted, "已发布任务 #1 物资搬运")) << posted;
    ASSERT_TRUE(has(say("vol", "u-admin", "发布任务 核酸引导 明天 18:00-19:00 2"), "#2"));
    EXPECT_TRUE(has(say_as("v-9", "路人", "任务"), "#1 物资搬运"));

    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(has(say_as(people[i].first, people[i].second, "揭榜 1"), "报名成功"));
    }
    EXPECT_TRUE(has(say_as("v-4", "赵大哥", "报名 1"), "候补第1位"));
    EXPECT_TRUE(has(say_as("v-1", "王阿姨", "揭榜 2"), "报名成功"));

    // A holder leaves: the first in line takes the slot and hears it in the volunteers' chat.
    EXPECT_EQ(say_as("v-3", "张师傅", "退出 1"), "已退出 #1 物资搬运。候补的赵大哥已补上。");
    ASSERT_TRUE(platform_.wait_for_chat("vol", 1));
    ASSERT_EQ(texts_for("vol").size(), 1u);
    EXPECT_TRUE(has(texts_for("vol")[0], "@赵大哥 有人退出，你已从候补补上 #1 物资搬运"));
    const auto roster = say_as("v-9", "路人", "名单 1");
    EXPECT_TRUE(has(roster, "1. 王阿姨 3-501\n2. 李老师 3-502\n3. 赵大哥 3-504")) << roster;

    // The reminders are jobs in the database: they survive a restart and fire once.
    restart();
    const std::int64_t due = count("SELECT due_at FROM jobs WHERE unique_key = 'task_reminder:1'");
    const std::int64_t starts = count("SELECT starts_at FROM tasks WHERE id = 1");
    EXPECT_EQ(starts - due, 30 * 60);
    advance_to(due + 5);
    ASSERT_TRUE(platform_.wait_for_chat("vol", 4));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto vol = texts_for("vol");
    ASSERT_EQ(vol.size(), 4u);
    std::set<std::string> reminded;
    for (std::size_t i = 1; i < vol.size(); ++i) {
        EXPECT_TRUE(has(vol[i], "提醒：#1 物资搬运")) << vol[i];
        EXPECT_TRUE(has(vol[i], "地点1号门")) << vol[i];
        reminded.insert(vol[i].substr(0, vol[i].find(' ')));
    }
    EXPECT_EQ(reminded, (std::set<std::string>{"@王阿姨", "@李老师", "@赵大哥"}));
    EXPECT_TRUE(texts_for("committee").empty());  // #1 is full

    // #2 still has a free slot: the committee hears of it with the reminder.
    const std::int64_t due2 = count("SELECT due_at FROM jobs WHERE unique_key = 'task_reminder:2'");
    advance_to(due2 + 5);
    ASSERT_TRUE(platform_.wait_for_chat("committee", 1));
    ASSERT_EQ(texts_for("committee").size(), 1u);
    EXPECT_TRUE(has(texts_for("committee")[0], "#2 核酸引导")) << texts_for("committee")[0];
    EXPECT_TRUE(has(texts_for("committee")[0], "还缺1人"));
    advance(std::chrono::minutes(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // (The building chats also get the day's antigen reminder: only the task chats count here.)
    EXPECT_EQ(texts_for("vol").size() + texts_for("committee").size(), 6u);

    // Started: no more claims; afterwards check out and see the month's hours.
    advance_to(starts + 60);
    EXPECT_TRUE(has(say_as("v-3", "张师傅", "揭榜 1"), "已开始"));
    advance_to(starts + 2 * 3600 + 60);
    EXPECT_TRUE(has(say_as("v-2", "李老师", "退出 1"), "已结束"));
    EXPECT_EQ(say_as("v-2", "李老师", "完成 1"),
              "已签退 #1 物资搬运，14:00-16:00，记2小时。辛苦了！");
    EXPECT_TRUE(has(say_as("v-1", "王阿姨", "完成 1"), "记2小时"));
    const auto hours = say_as("v-9", "路人", "时长");
    EXPECT_TRUE(has(hours, "1. 王阿姨 3-501 2小时（1次）\n2. 李老师 3-502 2小时（1次）\n合计4小时"))
        << hours;
}

// Issue 19 over HTTP: a rota in one command, a volunteer's several claims in one message whose
// text read whole is chat ("任务 我的班次"), answered line by line.
TEST_F(TasksFlow, ARotaIsClaimedWithSeveralCommandLinesInOneMessage) {
    say_as("v-1", "王阿姨", "登记 3-501", "bldg-3");
    EXPECT_TRUE(has(say("committee", "u-admin", "排班 东门,南门 明天 08:00-12:00 每2小时 2人"),
                    "共4班。\n东门：#1-#2\n南门：#3-#4"));
    const auto reply = say_as("v-1", "王阿姨", "揭榜 1 2\n我的班次");
    EXPECT_TRUE(has(reply, "揭榜2班：报上2班。")) << reply;
    EXPECT_TRUE(has(reply, "\n【我的班次】共2班\n#1 东门")) << reply;
    const auto both = say_as("v-1", "王阿姨", "我的班次\r\n任务");
    EXPECT_TRUE(has(both, "【我的班次】共2班")) << both;
    EXPECT_TRUE(has(both, "\n【缺人的任务】\n#1 东门")) << both;
    // Chat over two lines stays chat.
    EXPECT_EQ(say_as("v-1", "王阿姨", "任务都排好了\n辛苦大家"), "");
}

TEST_F(TasksFlow, CancellingTellsTheClaimantsThroughTheOutbox) {
    say_as("v-1", "王阿姨", "登记 3-501", "bldg-3");
    say_as("v-2", "李老师", "登记 3-502", "bldg-3");
    say("vol", "u-admin", "发布任务 测温 明天 10:00-11:00 1");
    say_as("v-1", "王阿姨", "揭榜 1");
    say_as("v-2", "李老师", "揭榜 1");
    EXPECT_TRUE(has(say("committee", "u-admin", "取消任务 1"), "正在通知2位"));
    ASSERT_TRUE(platform_.wait_for_chat("vol", 1));
    ASSERT_EQ(texts_for("vol").size(), 1u);
    EXPECT_TRUE(has(texts_for("vol")[0], "【任务取消】#1 测温"));
    EXPECT_TRUE(has(texts_for("vol")[0], "@王阿姨 @李老师"));
    // Its reminder comes due and stays silent.
    advance_to(count("SELECT due_at FROM jobs WHERE kind = 'task_reminder'") + 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(texts_for("vol").size(), 1u);
    EXPECT_TRUE(texts_for("committee").empty());
}

TEST_F(TasksFlow, TwentySimultaneousClaimsForSixSlotsGiveSixHoldersAndFourteenWaiting) {
    for (int i = 0; i < 20; ++i) {
        say("bldg-2", "c-" + std::to_string(i), "登记 2-" + std::to_string(101 + i));
    }
    ASSERT_TRUE(has(say("vol", "u-admin", "发布任务 物资搬运 明天 14:00-16:00 6"), "#1"));
    std::atomic<bool> go{false};
    std::vector<std::string> replies(20);
    std::vector<std::thread> clients;
    for (int i = 0; i < 20; ++i) {
        clients.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            const auto user = "c-" + std::to_string(i);
            replies[static_cast<std::size_t>(i)] =
                post(message("claim-" + user, "vol", user, "揭榜 1")).body;
        });
    }
    go = true;
    for (auto& c : clients) {
        c.join();
    }
    int holders = 0;
    std::map<int, std::string> told_place;  // waiting place told → user
    for (int i = 0; i < 20; ++i) {
        const auto& body = replies[static_cast<std::size_t>(i)];
        if (has(body, "报名成功")) {
            ++holders;
        } else {
            const auto at = body.find("候补第");
            ASSERT_NE(at, std::string::npos) << body;
            told_place[std::stoi(body.substr(at + std::string("候补第").size()))] =
                "c-" + std::to_string(i);
        }
    }
    EXPECT_EQ(holders, 6);
    ASSERT_EQ(told_place.size(), 14u);
    EXPECT_EQ(told_place.begin()->first, 1);
    EXPECT_EQ(told_place.rbegin()->first, 14);

    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'holding'"), 6);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT slot) FROM task_claims WHERE slot BETWEEN 1 AND 6"), 6);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'waiting'"), 14);
    // Arrival order: every holder came before everyone waiting, and the waiting list is in the
    // order the claims were handled, as each claimant was told.
    EXPECT_LT(count("SELECT MAX(id) FROM task_claims WHERE state = 'holding'"),
              count("SELECT MIN(id) FROM task_claims WHERE state = 'waiting'"));
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    SQLite::Statement waiting(db,
                              "SELECT m.user_id FROM task_claims c JOIN members m "
                              "ON m.id = c.member_id WHERE c.state = 'waiting' ORDER BY c.id");
    int place = 0;
    while (waiting.executeStep()) {
        EXPECT_EQ(waiting.getColumn(0).getString(), told_place[++place]) << place;
    }
    EXPECT_EQ(place, 14);
    const auto roster = say("vol", "u-admin", "名单 1");
    EXPECT_TRUE(has(roster, "已报6/6人")) << roster;
    EXPECT_TRUE(has(roster, "\n14. ")) << roster;
}

}  // namespace
}  // namespace loudong::testing
