// Volunteer tasks over HTTP: post, claim, waiting list, reminders through the outbox to a fake
// platform (across a restart), check-out and hours; and 20 simultaneous claims for 6 slots.
#include <algorithm>
#include <set>
#include <thread>

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

    // A holder leaves: the first in line takes the slot and hears it privately.
    EXPECT_EQ(say_as("v-3", "张师傅", "退出 1"), "已退出 #1 物资搬运。候补的赵大哥已补上。");
    ASSERT_TRUE(platform_.wait_for_chat("v-4", 1));
    EXPECT_TRUE(has(texts_for("v-4")[0], "有人退出，你已从候补补上 #1 物资搬运"))
        << texts_for("v-4")[0];
    const auto roster = say_as("v-9", "路人", "名单 1");
    EXPECT_TRUE(has(roster, "1. 王阿姨 3-501\n2. 李老师 3-502\n3. 赵大哥 3-504")) << roster;

    // 李老师's platform will not let the bot message her privately (she never started a chat
    // with it): her reminder goes to the volunteers' chat as a mention instead (SPEC §10).
    platform_.refuse_chat(
        "v-2",
        {403,
         R"({"ok":false,"error_code":403,"description":"Forbidden: bot can't initiate conversation with a user"})",
         {}});

    // The reminders are jobs in the database: they survive a restart and fire once.
    restart();
    const std::int64_t due = count("SELECT due_at FROM jobs WHERE unique_key = 'task_reminder:1'");
    const std::int64_t starts = count("SELECT starts_at FROM tasks WHERE id = 1");
    EXPECT_EQ(starts - due, 30 * 60);
    advance_to(due + 5);
    ASSERT_TRUE(platform_.wait_for_chat("vol", 1));
    ASSERT_TRUE(platform_.wait_for_chat("v-1", 1));
    ASSERT_TRUE(platform_.wait_for_chat("v-4", 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (const auto* volunteer : {"v-1", "v-4"}) {
        const auto texts = texts_for(volunteer);
        ASSERT_EQ(texts.size(), volunteer == std::string("v-1") ? 1u : 2u) << volunteer;
        EXPECT_TRUE(texts.back().starts_with("提醒：#1 物资搬运")) << texts.back();
        EXPECT_TRUE(has(texts.back(), "地点1号门")) << texts.back();
    }
    const auto vol = texts_for("vol");
    ASSERT_EQ(vol.size(), 1u);
    EXPECT_TRUE(vol[0].starts_with("@李老师 提醒：#1 物资搬运")) << vol[0];
    EXPECT_TRUE(texts_for("v-2").empty());
    EXPECT_TRUE(texts_for("committee").empty());  // #1 is full
    // The committee sees who cannot be reached privately.
    const auto marked = say_as("v-9", "路人", "名单 1");
    EXPECT_TRUE(has(marked, "2. 李老师 3-502（私聊发不到）")) << marked;
    EXPECT_TRUE(has(marked, "请他们先私聊机器人一次")) << marked;

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
    EXPECT_EQ(texts_for("vol").size() + texts_for("committee").size(), 2u);

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

// Issue 19's day: a 24-hour rota for 3 gates in 2-hour shifts (36 shifts, 108 places) posted
// in one message, 40 volunteers filling it with one claim each, swaps, a drop-out replaced from
// the waiting list, every reminder reaching its volunteer, check-ins and check-outs through the
// day, one shift nobody left confirmed by the committee, and hours matching what was served.
class RotaDay : public TasksFlow {
protected:
    /// The holders of a task as (user id, name).
    std::vector<std::pair<std::string, std::string>> holders(int task) {
        SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
        SQLite::Statement q(db,
                            "SELECT m.user_id, m.display_name FROM task_claims c JOIN members m "
                            "ON m.id = c.member_id WHERE c.task_id = ?1 AND c.state = 'holding' "
                            "ORDER BY c.slot");
        q.bind(1, task);
        std::vector<std::pair<std::string, std::string>> found;
        while (q.executeStep()) {
            found.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
        }
        return found;
    }

    /// No slot held twice or beyond a task's size; nobody holds two shifts that overlap.
    void expect_never_double_booked(const char* step) {
        EXPECT_EQ(count("SELECT COUNT(*) FROM tasks t WHERE t.held > t.slots OR t.held <> "
                        "(SELECT COUNT(*) FROM task_claims c WHERE c.task_id = t.id AND c.slot "
                        "IS NOT NULL)"),
                  0)
            << step;
        EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims a JOIN tasks ta ON ta.id = a.task_id "
                        "JOIN task_claims b ON b.member_id = a.member_id AND b.id < a.id "
                        "JOIN tasks tb ON tb.id = b.task_id WHERE a.slot IS NOT NULL AND "
                        "b.slot IS NOT NULL AND ta.starts_at < tb.ends_at AND "
                        "tb.starts_at < ta.ends_at"),
                  0)
            << step;
    }

    /// Waits until the fake platform has every text in `wanted` in the volunteers' chat.
    /// Whether each (chat, text) pair arrived: a text containing it in that chat.
    bool platform_has_all(const std::vector<std::pair<std::string, std::string>>& wanted) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) {
                    const auto texts = texts_for(w.first);
                    return std::any_of(texts.begin(), texts.end(),
                                       [&](const std::string& t) { return has(t, w.second); });
                })) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

    static std::string volunteer(int i) { return "v-" + std::to_string(i); }
    static std::string name(int i) { return "志愿者" + std::to_string(i + 1); }
};

TEST_F(RotaDay, ThreeGatesAroundTheClockFilledBySwappedCheckedAndCreditedAsServed) {
    for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(
            has(say_as(volunteer(i), name(i), "登记 3-" + std::to_string(1101 + i), "bldg-3"),
                "已登记"));
    }
    const std::string rota = "排班 东门,南门,北门 明天 08:00-次日08:00 每2小时 3人";
    const auto posted = say("vol", "u-admin", rota);
    EXPECT_TRUE(has(posted, "每2小时一班，每班3人，共36班。")) << posted;
    // Posting it twice books nobody twice.
    EXPECT_TRUE(say("vol", "u-admin", rota).starts_with("东门在这段时间已有班次"));
    ASSERT_EQ(count("SELECT COUNT(*) FROM tasks"), 36);
    const std::int64_t first = count("SELECT starts_at FROM tasks WHERE id = 1");
    ASSERT_EQ(count("SELECT MAX(ends_at) FROM tasks") - first, 24 * 3600);

    // Volunteer i takes a 6-hour block of one gate (three shifts): 0-11 cover the 36 shifts,
    // 12-23 and 24-35 again, 36-39 queue for the first gate's morning and afternoon.
    for (int i = 0; i < 40; ++i) {
        const int from = (3 * i) % 36 + 1;
        const auto reply = say_as(volunteer(i), name(i),
                                  "揭榜 " + std::to_string(from) + "-" + std::to_string(from + 2));
        EXPECT_TRUE(has(reply, i < 36 ? "报上3班" : "报上0班，候补3班")) << i << ": " << reply;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'holding'"), 108);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'waiting'"), 12);
    expect_never_double_booked("claims");

    // 志愿者1 hands #2 to 志愿者37, who was waiting for it.
    EXPECT_TRUE(has(say_as(volunteer(0), name(0), "换班 2 3-1137"), "已请志愿者37接 #2"));
    EXPECT_TRUE(has(say_as(volunteer(36), name(36), "接班 2"), "已接班：#2 东门"));
    // 志愿者6 hands #16 (南门 14:00) to 志愿者21, who holds 北门's morning.
    EXPECT_TRUE(has(say_as(volunteer(5), name(5), "换班 16 3-1121"), "已请志愿者21接 #16"));
    EXPECT_TRUE(has(say_as(volunteer(20), name(20), "接班 16"), "已接班：#16 南门"));
    EXPECT_TRUE(has(say_as(volunteer(20), name(20), "我的班次"), "【我的班次】共4班"));
    // Refused: to someone already on it, and to someone busy then (志愿者18 holds 南门 14:00).
    EXPECT_EQ(say_as(volunteer(1), name(1), "换班 4 3-1114"), "志愿者14已经报了 #4。");
    say_as(volunteer(1), name(1), "换班 4 3-1118");
    EXPECT_TRUE(has(say_as(volunteer(17), name(17), "接班 4"), "时间冲突，没有接班"));
    // 志愿者14 drops #5: 志愿者38, first in line, takes the place.
    EXPECT_TRUE(has(say_as(volunteer(13), name(13), "退出 5"), "候补的志愿者38已补上"));
    const auto roster = say_as(volunteer(0), name(0), "名单 2");
    EXPECT_TRUE(has(roster, "志愿者37 3-1137")) << roster;
    EXPECT_FALSE(has(roster, "志愿者1 ")) << roster;
    expect_never_double_booked("swaps");

    // Through the day: before each shift every holder is reminded in the volunteers' chat; at
    // its end every holder checks out, but for one who forgets (#36's first).
    const auto forgot = holders(36).front();
    const auto check_out = [&](int shift) {
        for (const int task : {shift + 1, shift + 13, shift + 25}) {
            for (const auto& [user, who] : holders(task)) {
                if (task == 36 && user == forgot.first) {
                    continue;
                }
                const auto reply = say_as(user, who, "完成 " + std::to_string(task));
                EXPECT_TRUE(has(reply, "已签退 #" + std::to_string(task))) << reply;
            }
        }
    };
    for (int shift = 0; shift < 12; ++shift) {
        const auto starts = first + shift * 7200;
        advance_to(starts - 25 * 60);
        // Each holder is reminded privately.
        std::vector<std::pair<std::string, std::string>> reminders;
        for (const int task : {shift + 1, shift + 13, shift + 25}) {
            for (const auto& holder : holders(task)) {
                reminders.emplace_back(holder.first, "提醒：#" + std::to_string(task) + " ");
            }
        }
        ASSERT_EQ(reminders.size(), 9u);
        EXPECT_TRUE(platform_has_all(reminders)) << "shift " << shift;
        if (shift == 0) {
            advance_to(starts + 20 * 60);
            EXPECT_TRUE(has(say_as(volunteer(0), name(0), "签到 1"), "到岗"));
        } else {
            advance_to(starts + 60);
            check_out(shift - 1);
        }
    }
    advance_to(first + 24 * 3600 + 60);
    check_out(11);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims WHERE state = 'done'"), 107);

    // The shift nobody left waits for the committee, then counts to its end.
    const auto waiting = say("committee", "u-admin", "确认时长");
    EXPECT_TRUE(has(waiting, "【待确认时长】1班结束了还没人签退：\n#36 北门")) << waiting;
    EXPECT_TRUE(has(waiting, forgot.second + "（没签到）")) << waiting;
    const auto confirmed = say("committee", "u-admin", "确认时长 36");
    EXPECT_TRUE(has(confirmed, "已确认1班，1人次，共2小时")) << confirmed;
    // 108 places of 2 hours, less the 20 minutes 志愿者1 came late to #1.
    EXPECT_EQ(count("SELECT SUM(minutes) FROM task_claims WHERE state = 'done'"), 108 * 120 - 20);
    EXPECT_EQ(count("SELECT SUM(c.minutes) FROM task_claims c JOIN members m ON m.id = "
                    "c.member_id WHERE m.user_id = 'v-0'"),
              100 + 120);
    EXPECT_EQ(count("SELECT SUM(c.minutes) FROM task_claims c JOIN members m ON m.id = "
                    "c.member_id WHERE m.user_id = 'v-20'"),
              4 * 120);
    expect_never_double_booked("the day");
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
