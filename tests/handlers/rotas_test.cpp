// Issue 19: 24-hour gate rotas posted in one command (排班), claimed several shifts at a time
// (揭榜 东门 4-29 全天, 揭榜 1-3), listed per volunteer (我的班次) and paged (任务 2); ranges
// that end the next day (08:00-次日08:00); several command lines in one message.
#include <chrono>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

/// Unix seconds of a local time in a zone, 2022.
std::int64_t at_in(const char* zone, unsigned month, unsigned day, int hour, int minute = 0) {
    const auto local = date::local_days{date::year{2022} / month / day} + std::chrono::hours{hour} +
                       std::chrono::minutes{minute};
    return date::locate_zone(zone)
        ->to_sys(local, date::choose::earliest)
        .time_since_epoch()
        .count();
}

std::int64_t at(unsigned month, unsigned day, int hour, int minute = 0) {
    return at_in("Asia/Shanghai", month, day, hour, minute);
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class Rotas : public testing::compound {
protected:
    explicit Rotas(settings config = make_settings()) : compound(":memory:", std::move(config)) {}

    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        say("vol", "u-admin", "绑定 volunteers");
        for (int i = 1; i <= 6; ++i) {
            resident("u-v" + std::to_string(i), "3-" + std::to_string(100 + i),
                     "志愿者" + std::to_string(i));
        }
    }

    // After every test: no slot held twice, none beyond a task's size, and nobody holds two
    // shifts that overlap.
    void TearDown() override {
        EXPECT_EQ(count("SELECT COUNT(*) FROM tasks t WHERE t.held > t.slots OR t.held <> "
                        "(SELECT COUNT(*) FROM task_claims c WHERE c.task_id = t.id AND c.slot "
                        "IS NOT NULL)"),
                  0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims a JOIN tasks ta ON ta.id = a.task_id "
                        "JOIN task_claims b ON b.member_id = a.member_id AND b.id < a.id "
                        "JOIN tasks tb ON tb.id = b.task_id WHERE a.slot IS NOT NULL AND "
                        "b.slot IS NOT NULL AND ta.state = 'open' AND tb.state = 'open' AND "
                        "ta.starts_at < tb.ends_at AND tb.starts_at < ta.ends_at"),
                  0);
    }

    /// Outbox texts for one chat, in order.
    std::vector<std::string> outbox_to(const std::string& chat) {
        SQLite::Statement q(db_.connection(),
                            "SELECT text FROM outbox WHERE chat_id = ?1 ORDER BY id");
        q.bind(1, chat);
        std::vector<std::string> out;
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString());
        }
        return out;
    }

    /// The last outbox text for one chat, empty when there is none.
    std::string last_to(const std::string& chat) {
        const auto texts = outbox_to(chat);
        return texts.empty() ? "" : texts.back();
    }

    /// Each task's start and end, by number.
    std::vector<std::pair<std::int64_t, std::int64_t>> spans(const std::string& title) {
        SQLite::Statement q(db_.connection(),
                            "SELECT starts_at, ends_at FROM tasks WHERE title = ?1 ORDER BY id");
        q.bind(1, title);
        std::vector<std::pair<std::int64_t, std::int64_t>> out;
        while (q.executeStep()) {
            out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
        }
        return out;
    }
};

// ---- 排班 ---------------------------------------------------------------------------------------

TEST_F(Rotas, ThreeGatesRoundTheClockInOneCommandAndOneShortReply) {
    const auto reply =
        say("committee", "u-admin", "排班 东门,南门,北门 4-29 08:00 至 4-30 08:00 每2小时 3人");
    EXPECT_EQ(
        reply,
        "已排班：东门、南门、北门，4月29日 08:00至4月30日 08:00，每2小时一班，每班3人，共36班。\n"
        "东门：#1-#12\n南门：#13-#24\n北门：#25-#36\n"
        "报名：揭榜 东门 4月29日 全天，或 揭榜 1-3；发“我的班次”看自己的班。已发到志愿者群。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE slots = 3 AND state = 'open'"), 36);
    for (const auto* gate : {"东门", "南门", "北门"}) {
        const auto shifts = spans(gate);
        ASSERT_EQ(shifts.size(), 12u) << gate;
        EXPECT_EQ(shifts.front().first, at(4, 29, 8));
        EXPECT_EQ(shifts.back().second, at(4, 30, 8));
        for (std::size_t i = 0; i < shifts.size(); ++i) {
            EXPECT_EQ(shifts[i].second - shifts[i].first, 2 * 3600) << gate << i;
            if (i > 0) {
                EXPECT_EQ(shifts[i].first, shifts[i - 1].second) << gate << i;
            }
        }
    }
    // Each shift has its reminder, due the lead time before it.
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'task_reminder'"), 36);
    EXPECT_EQ(count("SELECT due_at FROM jobs WHERE unique_key = 'task_reminder:13'"),
              at(4, 29, 7, 30));
}

TEST_F(Rotas, AWindowThatEndsTheNextDayAndAShorterLastShift) {
    EXPECT_TRUE(has(say("committee", "u-admin", "排班 东门 明天 22:00-次日06:00 每4小时 2人"),
                    "4月29日 22:00至4月30日 06:00，每4小时一班，每班2人，共2班。"));
    EXPECT_EQ(spans("东门"), (std::vector<std::pair<std::int64_t, std::int64_t>>{
                                 {at(4, 29, 22), at(4, 30, 2)}, {at(4, 30, 2), at(4, 30, 6)}}));
    const auto reply = say("committee", "u-admin", "排班 南门 明天 08:00-13:00 每2小时 1人");
    EXPECT_TRUE(has(reply, "共3班。最后一班1小时。")) << reply;
    EXPECT_EQ(spans("南门").back(), (std::pair{at(4, 29, 12), at(4, 29, 13)}));
    // "20:00 至 08:00": the end is the first 08:00 after the start.
    EXPECT_TRUE(has(say("committee", "u-admin", "排班 北门 明天 20:00 至 08:00 每4小时 1人"),
                    "4月29日 20:00至4月30日 08:00，每4小时一班，每班1人，共3班。"));
    // 发布任务 reads the same range: a whole day.
    say("committee", "u-admin", "发布任务 值班室 4-30 08:00-次日08:00 1");
    EXPECT_EQ(spans("值班室"),
              (std::vector<std::pair<std::int64_t, std::int64_t>>{{at(4, 30, 8), at(5, 1, 8)}}));
}

TEST_F(Rotas, RefusalsSayWhyAndPostNothing) {
    EXPECT_EQ(say("committee", "u-admin", "排班 东门 今天 06:00-08:00 每小时 1人"),
              "4月28日 06:00已经过了，请换个时间。");
    EXPECT_TRUE(has(say("committee", "u-admin", "排班 东门 4-29 08:00 至 4-29 06:00 每2小时 1人"),
                    "结束时间（4月29日 06:00）不晚于开始（4月29日 08:00）"));
    EXPECT_EQ(say("committee", "u-admin", "排班 东门 明天 08:00-12:00 每10分钟 1人"),
              "每班最短30分钟、最长24小时，例如：每2小时");
    EXPECT_EQ(
        say("committee", "u-admin", "排班 东门,南门,北门 4-29 08:00 至 5-6 08:00 每30分钟 1人"),
        "一次最多排300班，这次是1008班；请分几次排，或把每班排长些。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 0);
    say("committee", "u-admin", "排班 东门 明天 08:00-20:00 每4小时 2人");
    // The same gate again at overlapping hours would double its shifts.
    EXPECT_EQ(
        say("committee", "u-admin", "排班 南门,东门 明天 18:00-次日06:00 每4小时 2人"),
        "东门在这段时间已有班次（#3 4月29日 16:00-20:00），没有重复排班。要改请先“取消任务 3”。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 3);
    // Right after it is fine.
    EXPECT_TRUE(
        has(say("committee", "u-admin", "排班 东门 明天 20:00-次日08:00 每4小时 2人"), "共3班"));
    // Not the volunteers' to post.
    EXPECT_TRUE(has(say("vol", "u-v1", "排班 西门 明天 08:00-12:00 每2小时 1人"), "仅限"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE title = '西门'"), 0);
}

// ---- 揭榜 several ------------------------------------------------------------------------------

TEST_F(Rotas, AWholeDayAtOneGateIsOneClaimAndOverlapsAreRefusedPerShift) {
    say("committee", "u-admin", "排班 东门,南门 4-29 08:00 至 4-30 08:00 每2小时 3人");
    // 东门's shifts that start on 4-29: 08:00 … 22:00, eight of them.
    const auto reply = say("vol", "u-v1", "揭榜 东门 4-29 全天");
    EXPECT_TRUE(has(reply, "揭榜8班：报上8班。\n✓ #1 东门 4月29日 08:00-10:00（1/3人）\n"))
        << reply;
    EXPECT_TRUE(has(reply, "✓ #8 东门 4月29日 22:00-24:00（1/3人）\n开始前30分钟会提醒你"))
        << reply;
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims c JOIN members m ON m.id = c.member_id "
                    "WHERE m.user_id = 'u-v1' AND c.state = 'holding'"),
              8);
    // 南门 at the same hours overlaps every one; 4-30's early shifts do not.
    const auto clash = say("vol", "u-v1", "揭榜 南门 4-29");
    EXPECT_TRUE(has(clash, "揭榜8班：报上0班。\n✗ #13 南门 4月29日 08:00-10:00：和 #1 时间冲突"))
        << clash;
    EXPECT_TRUE(clash.ends_with("时间冲突\n发“我的班次”查看。")) << clash;  // no reminder promised
    const auto night = say("vol", "u-v1", "揭榜 南门 4-30 全天");
    EXPECT_TRUE(has(night, "揭榜4班：报上4班。")) << night;
    // Again: nothing new, said so.
    EXPECT_TRUE(has(say("vol", "u-v1", "揭榜 1 2"), "✓ #1 东门 4月29日 08:00-10:00（已报过）"));
    EXPECT_EQ(say("vol", "u-v1", "揭榜 西门 4-29 全天"),
              "4月29日没有“西门”的班次。发“任务”看看哪里缺人。");
}

TEST_F(Rotas, NumbersAndRangesSayWhichWereTakenWaitingOrRefused) {
    say("committee", "u-admin", "排班 东门 4-29 08:00 至 4-29 16:00 每2小时 2人");
    say("vol", "u-v2", "揭榜 2");
    say("vol", "u-v3", "揭榜 2");
    say("committee", "u-admin", "取消任务 4");
    const auto reply = say("vol", "u-v1", "揭榜 1-4 99");
    EXPECT_EQ(reply,
              "揭榜5班：报上2班，候补1班。\n"
              "✓ #1 东门 4月29日 08:00-10:00（1/2人）\n"
              "候补 #2 东门 4月29日 10:00-12:00：已满，排第1位\n"
              "✓ #3 东门 4月29日 12:00-14:00（1/2人）\n"
              "✗ #4：已取消\n"
              "✗ #99：没有这个任务\n"
              "开始前30分钟会提醒你；发“我的班次”查看。");
    EXPECT_TRUE(has(say("vol", "u-v1", "揭榜 1-49"), "一次最多揭榜48班，这次是49班。"));
    // A stranger with no address is asked to register, as for one shift.
    EXPECT_TRUE(has(say("vol", "u-stranger", "揭榜 1-3"), "登记"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims c JOIN members m ON m.id = c.member_id "
                    "WHERE m.user_id = 'u-stranger'"),
              0);
}

// ---- 我的班次 and 任务 pages -------------------------------------------------------------------

TEST_F(Rotas, MyShiftsListsComingShiftsHeldOrWaitedFor) {
    EXPECT_EQ(say("vol", "u-v1", "我的班次"), "你还没有报名的班次。发“任务”看看哪里缺人。");
    say("committee", "u-admin", "排班 东门 4-29 08:00 至 4-29 14:00 每2小时 1人");
    say("vol", "u-v2", "揭榜 2");
    say("vol", "u-v1", "揭榜 1-3");
    EXPECT_EQ(say("vol", "u-v1", "我的班次"),
              "【我的班次】共3班\n"
              "#1 东门 4月29日 08:00-10:00\n"
              "#2 东门 4月29日 10:00-12:00（候补第1位）\n"
              "#3 东门 4月29日 12:00-14:00\n"
              "已报上的共4小时。去不了请发“退出 任务号”。");
    // Once a shift is over it is no longer coming.
    now_ = at(4, 29, 10, 30);
    EXPECT_TRUE(has(say("vol", "u-v1", "我的班次"), "【我的班次】共2班\n#2"));
    // Someone else's list is their own.
    EXPECT_TRUE(has(say("vol", "u-v2", "我的班次"), "【我的班次】共1班\n#2"));
}

TEST_F(Rotas, TasksArePagedTenAtATime) {
    say("committee", "u-admin", "排班 东门,南门 4-29 08:00 至 4-29 20:00 每2小时 1人");
    say("committee", "u-admin", "排班 北门 4-29 08:00 至 4-29 20:00 每2小时 1人");
    const auto first = say("vol", "u-v1", "任务");
    EXPECT_TRUE(has(first, "【缺人的任务】第1/2页\n#1 东门")) << first;
    EXPECT_TRUE(has(first, "还有8个，发“任务 2”看下一页。")) << first;
    const auto second = say("vol", "u-v1", "任务 2");
    EXPECT_TRUE(has(second, "【缺人的任务】第2/2页\n")) << second;
    EXPECT_FALSE(has(second, "还有")) << second;
    EXPECT_TRUE(has(second, "#18 北门 4月29日 18:00-20:00")) << second;
    EXPECT_EQ(say("vol", "u-v1", "任务 3"), "任务只有2页，发“任务 2”看最后一页。");
}

// ---- 换班 / 接班 --------------------------------------------------------------------------------

TEST_F(Rotas, AShiftMovesOnlyWhenTheOtherVolunteerAcceptsAndTheCommitteeSeesIt) {
    // Posted in the committee's chat: the offer and the change still reach the volunteers' chat.
    say("committee", "u-admin", "排班 东门 4-29 08:00 至 4-29 12:00 每2小时 1人");
    resident("u-lead", "3-201", "陈组长");
    say("committee", "u-admin", "授权 3-201 楼组长 3号楼");
    say("vol", "u-v1", "揭榜 1");
    say("vol", "u-v3", "揭榜 2");
    EXPECT_EQ(say("vol", "u-v1", "换班 1 3-102"),
              "已请志愿者2接 #1 东门 4月29日 08:00-10:00；对方发“接班 "
              "1”后才换过去，在那之前这班还是你的。");
    EXPECT_EQ(last_to("vol"),
              "@志愿者2 志愿者1想把 #1 东门（4月29日 08:00-10:00）让给你，能去请发“接班 1”。");
    // Until accepted, the shift is the offerer's; someone else cannot take it.
    EXPECT_EQ(say("vol", "u-v4", "接班 1"), "没有人把 #1 让给你。要报名请发“揭榜 1”。");
    EXPECT_TRUE(has(say("vol", "u-v1", "我的班次"), "#1 东门"));
    const auto committee_before = outbox_to("committee").size();
    EXPECT_EQ(say("vol", "u-v2", "接班 1"),
              "已接班：#1 东门 4月29日 08:00-10:00（原来是志愿者1）。开始前会提醒你。");
    EXPECT_EQ(last_to("vol"),
              "@志愿者1 志愿者2已接下 #1 东门（4月29日 08:00-10:00），这班你不用去了。");
    ASSERT_EQ(outbox_to("committee").size(), committee_before + 1);
    EXPECT_EQ(last_to("committee"), "【换班】#1 东门 4月29日 08:00-10:00：志愿者1 → 志愿者2");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE is_private = 1 AND text LIKE '【换班】%'"),
              1);
    EXPECT_EQ(say("vol", "u-v1", "我的班次"), "你还没有报名的班次。发“任务”看看哪里缺人。");
    EXPECT_TRUE(has(say("vol", "u-v2", "名单 1"), "1. 志愿者2 3-102"));
    // Taken once: the offer is spent.
    EXPECT_EQ(say("vol", "u-v2", "接班 1"), "没有人把 #1 让给你。要报名请发“揭榜 1”。");
    // Refusals: not one's shift, oneself, a stranger, someone who already holds it, an overlap.
    EXPECT_EQ(say("vol", "u-v1", "换班 1 3-104"), "你没有报上 #1，不能换班。");
    EXPECT_EQ(say("vol", "u-v3", "换班 2 3-103"), "不能把班让给自己。");
    say("vol", "u-stranger", "我的");
    EXPECT_EQ(say("vol", "u-v3", "换班 2 u-stranger"),
              "u-stranger还没有在本小区登记住址，不能接班。");
    // 志愿者4 holds a task at 09:00-11:00, then is offered #1 (08:00-10:00): an overlap.
    say("committee", "u-admin", "发布任务 搬运 4-29 09:00-11:00 1");
    say("vol", "u-v4", "揭榜 3");
    say("vol", "u-v2", "换班 1 3-104");
    EXPECT_EQ(say("vol", "u-v4", "接班 1"),
              "#1 和你已报的 #3 搬运（4月29日 09:00-11:00）时间冲突，没有接班。");
    EXPECT_TRUE(has(say("vol", "u-v2", "我的班次"), "#1 东门"));
    // Once the shift has begun it can no longer change hands.
    now_ = at(4, 29, 8, 30);
    EXPECT_EQ(say("vol", "u-v2", "换班 1 3-105"), "#1 东门 已开始，不能再换班了。");
}

// ---- 签到 / 完成 / 确认时长
// -------------------------------------------------------------------------

TEST_F(Rotas, HoursAreTheTimeServedAndAShiftNobodyLeftWaitsForTheCommittee) {
    // #1 08:00-10:00, #2 10:00-12:00, #3 12:00-14:00.
    say("vol", "u-admin", "排班 东门 4-29 08:00 至 4-29 14:00 每2小时 2人");
    say("vol", "u-v1", "揭榜 1 2");
    say("vol", "u-v2", "揭榜 1");
    say("vol", "u-v3", "揭榜 3");
    // Check-in opens 30 minutes before the start, for those who hold the shift.
    now_ = at(4, 29, 7, 0);
    EXPECT_EQ(say("vol", "u-v1", "签到 1"),
              "#1 东门 4月29日 08:00-10:00，开始前30分钟内才能签到。");
    now_ = at(4, 29, 7, 45);
    EXPECT_EQ(say("vol", "u-v1", "签到 1"),
              "已签到 #1 东门 4月29日 08:00-10:00，07:45到岗（时长从开始时算起）。下班时发“完成 "
              "1”签退，按实际时间记时长。");
    EXPECT_EQ(say("vol", "u-v1", "签到 1"), "你已在07:45签到 #1。下班时发“完成 1”签退。");
    EXPECT_EQ(say("vol", "u-v4", "签到 1"), "你没有报上 #1，不能签到。");
    // 志愿者2 arrives late; 完成 sent on arrival would credit nothing and is not a check-out.
    now_ = at(4, 29, 8, 20);
    EXPECT_TRUE(has(say("vol", "u-v2", "签到 1"), "08:20到岗。"));
    now_ = at(4, 29, 8, 22);
    EXPECT_EQ(say("vol", "u-v2", "完成 1"),
              "#1 从08:20算起还不到5分钟，现在签退记不上时长。下班时再发“完成 1”；到岗请发“签到 "
              "1”。");
    // 志愿者1 checks out at the end (08:00, not 07:45, is when the time starts), then leaves
    // the next shift early without having checked in: from its start to the check-out.
    now_ = at(4, 29, 10, 0);
    EXPECT_EQ(say("vol", "u-v1", "完成 1"), "已签退 #1 东门，08:00-10:00，记2小时。辛苦了！");
    now_ = at(4, 29, 11, 30);
    EXPECT_EQ(say("vol", "u-v1", "完成 2"), "已签退 #2 东门，10:00-11:30，记1.5小时。辛苦了！");
    now_ = at(4, 29, 12, 10);
    say("vol", "u-v3", "签到 3");
    // Nobody else checked out: nothing is credited until the committee confirms.
    now_ = at(4, 29, 15, 0);
    EXPECT_EQ(say("vol", "u-v2", "签到 1"),
              "#1 已结束（4月29日 08:00-10:00），不能再签到。请发“完成 1”签退。");
    EXPECT_TRUE(has(say("vol", "u-v1", "时长"), "1. 志愿者1 3-101 3.5小时（2次）\n合计3.5小时"));
    EXPECT_EQ(say("vol", "u-v1", "确认时长"), "抱歉，“确认时长”仅限居委会使用。");
    EXPECT_EQ(say("committee", "u-admin", "确认时长"),
              "【待确认时长】2班结束了还没人签退：\n"
              "#1 东门 4月29日 08:00-10:00：志愿者2（08:20签到）\n"
              "#3 东门 4月29日 12:00-14:00：志愿者3（12:10签到）\n"
              "核实到岗后发“确认时长 1-3”，从签到（没签到的从开始）记到班次结束。");
    EXPECT_EQ(say("committee", "u-admin", "确认时长 1"),
              "已确认1班，1人次，共1.7小时：\n✓ #1 东门 4月29日 08:00-10:00：志愿者2 1.7小时");
    say("committee", "u-admin", "发布任务 搬运 4-30 09:00-11:00 2");
    EXPECT_EQ(say("committee", "u-admin", "确认时长 1-5"),
              "已确认1班，1人次，共1.8小时：\n"
              "#1 东门 4月29日 08:00-10:00：没有待确认的人\n"
              "#2 东门 4月29日 10:00-12:00：没有待确认的人\n"
              "✓ #3 东门 4月29日 12:00-14:00：志愿者3 1.8小时\n"
              "✗ #4 搬运 4月30日 09:00-11:00：还没结束\n"
              "✗ #5：没有这个任务");
    EXPECT_EQ(say("committee", "u-admin", "确认时长"), "没有待确认的班次：结束了的班次都已签退。");
    // Credited once: the volunteer's own 完成 now says so.
    EXPECT_EQ(say("vol", "u-v2", "完成 1"), "你已签退过 #1，记1.7小时。");
    EXPECT_TRUE(has(say("vol", "u-v1", "时长"), "合计7小时"));
    EXPECT_EQ(count("SELECT SUM(minutes) FROM task_claims"), 120 + 90 + 100 + 110);
}

// ---- several lines ---------------------------------------------------------------------------

TEST_F(Rotas, EachCommandLineOfAMessageRunsAndIsAnsweredOnItsOwnLine) {
    const auto reply = say("committee", "u-admin",
                           "发布任务 搬运 4-29 09:00-11:00 2\n\n发布任务 消杀 4-29 14:00 2\n"
                           "发布任务 错的 4-31 09:00 2\n排班 东门 明天 08:00-12:00 每2小时 1人");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 4);
    const auto lines = std::count(reply.begin(), reply.end(), '\n');
    EXPECT_GE(lines, 4) << reply;
    EXPECT_TRUE(has(reply, "已发布任务 #1 搬运")) << reply;
    EXPECT_TRUE(has(reply, "\n已发布任务 #2 消杀")) << reply;
    EXPECT_TRUE(has(reply, "4-31")) << reply;  // the bad line says what is wrong
    EXPECT_TRUE(has(reply, "\n已排班：东门")) << reply;
    // More than 20 lines: none runs.
    std::string many;
    for (int i = 0; i < 21; ++i) {
        many += "揭榜 " + std::to_string(i % 3 + 1) + "\n";
    }
    EXPECT_EQ(say("vol", "u-v1", many),
              "一条消息最多20行命令，这条有21行，都没有执行；请分几条发。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_claims"), 0);
    // A notice keeps its lines, whatever they start with.
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_TRUE(
        has(say("committee", "u-admin", "通知 3号楼 明早核酸\n核酸 地点 小区广场"), "通知"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM test_rounds"), 0);
}

// ---- a zone with DST -------------------------------------------------------------------------

settings new_york() {
    auto s = testing::compound::make_settings();
    s.zone = date::locate_zone("America/New_York");
    return s;
}

class RotasWithDst : public Rotas {
protected:
    RotasWithDst() : Rotas(new_york()) {}
};

TEST_F(RotasWithDst, ShiftsChangeOnTheLocalClockAcrossTheEndOfSummerTime) {
    now_ = at_in("America/New_York", 11, 5, 12);
    // 2022-11-06 02:00 EDT the clocks go back to 01:00: the 00:00-04:00 shift lasts 5 hours.
    say("committee", "u-admin", "排班 东门 11-5 20:00 至 11-6 08:00 每4小时 1人");
    const auto shifts = spans("东门");
    ASSERT_EQ(shifts.size(), 3u);
    EXPECT_EQ(shifts[0], (std::pair{at_in("America/New_York", 11, 5, 20),
                                    at_in("America/New_York", 11, 6, 0)}));
    EXPECT_EQ(shifts[1].second - shifts[1].first, 5 * 3600);
    EXPECT_EQ(shifts[2], (std::pair{at_in("America/New_York", 11, 6, 4),
                                    at_in("America/New_York", 11, 6, 8)}));
    // 12:30-次日12:30 is the next day's 12:30 on the clock: 25 hours that day.
    say("committee", "u-admin", "发布任务 值班室 11-5 12:30-次日12:30 1");
    const auto day = spans("值班室");
    ASSERT_EQ(day.size(), 1u);
    EXPECT_EQ(day[0].second - day[0].first, 25 * 3600);
}

}  // namespace
}  // namespace loudong::handlers
