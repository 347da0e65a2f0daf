// handlers/parser/parse_tasks.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

// ---- tasks -----------------------------------------------------------------------------------

TEST(CommandParser, TaskReadsTitleDayRangeAndSlots) {
    const auto args =
        args_of<task_args>("发布任务 物资搬运 4-28 14:00-16:00 6", command_name::task);
    EXPECT_EQ(args.title, "物资搬运");
    EXPECT_EQ(args.when.day, on(4, 28));
    EXPECT_EQ(args.when.start, time_of_day{minutes(14, 0)});
    EXPECT_EQ(args.when.end, time_of_day{minutes(16, 0)});
    EXPECT_EQ(args.slots, 6);
    EXPECT_EQ(args.place, std::nullopt);
    EXPECT_EQ(args.when.until, std::nullopt);
}

TEST(CommandParser, TaskReadsARecurringRotaWithItsLastDay) {
    auto args =
        args_of<task_args>("发布任务 门岗值守 每天 08:00-12:00 2 至 5-10", command_name::task);
    EXPECT_EQ(args.title, "门岗值守");
    EXPECT_EQ(args.when.day.which, day_ref::kind::every_day);
    EXPECT_EQ(args.when.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.when.end, time_of_day{minutes(12, 0)});
    EXPECT_EQ(args.slots, 2);
    EXPECT_EQ(args.when.until, on(5, 10));
    args = args_of<task_args>("发布任务 门岗值守 每天 08:00-12:00 至5月10日 2 地点 1号门",
                              command_name::task);
    EXPECT_EQ(args.when.until, on(5, 10));
    EXPECT_EQ(args.slots, 2);
    EXPECT_EQ(args.place, "1号门");
}

TEST(CommandParser, TaskReadsPlaceNoteAndOtherTimeForms) {
    auto args = args_of<task_args>("发布任务 楼道消杀 明天 8:00-12:00 4人 地点 3号楼 备注 带好手套",
                                   command_name::task);
    EXPECT_EQ(args.title, "楼道消杀");
    EXPECT_EQ(args.when.day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.when.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.slots, 4);
    EXPECT_EQ(args.place, "3号楼");
    EXPECT_EQ(args.note, "带好手套");
    args = args_of<task_args>("/task Gate duty tomorrow 8:00-12:00 2 place North gate",
                              command_name::task);
    EXPECT_EQ(args.title, "Gate duty");
    EXPECT_EQ(args.place, "North gate");
    args = args_of<task_args>("发布任务 核酸引导 １４：００－１６：００ ３", command_name::task);
    EXPECT_EQ(args.when.day.which, day_ref::kind::unspecified);
    EXPECT_EQ(args.when.end, time_of_day{minutes(16, 0)});
    EXPECT_EQ(args.slots, 3);
    args = args_of<task_args>("发布任务 夜间值守 每天 20:00-24:00 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{24 * 60});
    args = args_of<task_args>("发布任务 夜间值守 每天 22:00-06:00 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{minutes(6, 0)});
    args = args_of<task_args>("发布任务 送菜 4月28日 9点半 2", command_name::task);
    EXPECT_EQ(args.when.day, on(4, 28));
    EXPECT_EQ(args.when.start, time_of_day{minutes(9, 30)});
}

TEST(CommandParser, TaskExplainsWhatIsWrong) {
    expect_usage("发布任务", "missing_argument", "");
    expect_usage("发布任务 物资搬运", "missing_argument", "");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00", "missing_argument", "");
    expect_usage("发布任务 物资搬运 4-31 14:00 6", "bad_time", "4-31");
    expect_usage("发布任务 物资搬运 4-28 25:00-26:00 6", "bad_time", "25:00-26:00");
    expect_usage("发布任务 物资搬运 4-28 6", "bad_time", "6");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 六", "bad_number", "六");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 0", "bad_number", "0");
    expect_usage("发布任务 门岗 每天 08:00-12:00 2 至 5-32", "bad_time", "5-32");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 6 快来", "too_many_arguments", "快来");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 6 地点", "missing_argument", "");
}

TEST(CommandParser, TaskNumberCommandsReadTheNumber) {
    using numbers = std::vector<std::int64_t>;
    EXPECT_EQ(args_of<claim_args>("揭榜 12", command_name::claim).tasks, numbers{12});
    EXPECT_EQ(args_of<claim_args>("报名 12", command_name::claim).tasks, numbers{12});
    EXPECT_EQ(args_of<claim_args>("/claim #12", command_name::claim).tasks, numbers{12});
    EXPECT_EQ(args_of<task_number_args>("退出 ７", command_name::unclaim).task, 7);
    EXPECT_EQ(args_of<task_number_args>("/unclaim 7", command_name::unclaim).task, 7);
    EXPECT_EQ(args_of<task_number_args>("名单 12号", command_name::roster).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/roster 12", command_name::roster).task, 12);
    EXPECT_EQ(args_of<task_number_args>("完成 12", command_name::done).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/done 12", command_name::done).task, 12);
}

TEST(CommandParser, TaskNumberCommandsExplainBadNumbers) {
    expect_usage("揭榜 abc", "bad_number", "abc");
    expect_usage("揭榜", "missing_argument", "");
    expect_usage("报名 -3", "bad_number", "-3");
    expect_usage("揭榜 12 门岗", "bad_number", "门岗");
    expect_usage("揭榜 15-12", "bad_number", "15-12");
    expect_usage("揭榜 1-500", "bad_number", "1-500");
    expect_usage("完成 99999999999999999999", "bad_number", "99999999999999999999");
    EXPECT_EQ(error_of("退出 门岗").name, command_name::unclaim);
}

TEST(CommandParser, ClaimReadsSeveralShifts) {
    using numbers = std::vector<std::int64_t>;
    EXPECT_EQ(args_of<claim_args>("揭榜 12 13 15", command_name::claim).tasks,
              (numbers{12, 13, 15}));
    EXPECT_EQ(args_of<claim_args>("揭榜 12-15", command_name::claim).tasks,
              (numbers{12, 13, 14, 15}));
    EXPECT_EQ(args_of<claim_args>("揭榜 12，13、15 13", command_name::claim).tasks,
              (numbers{12, 13, 15}));
    EXPECT_EQ(args_of<claim_args>("/claim #3-#5 9", command_name::claim).tasks,
              (numbers{3, 4, 5, 9}));
    auto args = args_of<claim_args>("揭榜 东门 11-29 全天", command_name::claim);
    EXPECT_TRUE(args.tasks.empty());
    EXPECT_EQ(args.title, "东门");
    EXPECT_EQ(args.day, on(11, 29));
    args = args_of<claim_args>("揭榜 东门 岗亭 明天", command_name::claim);
    EXPECT_EQ(args.title, "东门 岗亭");
    EXPECT_EQ(args.day->which, day_ref::kind::tomorrow);
    args = args_of<claim_args>("/claim east 11月29日 all", command_name::claim);
    EXPECT_EQ(args.title, "east");
    EXPECT_EQ(args.day, on(11, 29));
    expect_usage("揭榜 东门 每天", "bad_time", "每天");
    expect_usage("揭榜 东门 11-29 全天 快", "too_many_arguments", "快");
    expect_usage("揭榜 东门 南门", "missing_argument", "");
    expect_usage("揭榜 东门 11-31", "bad_time", "11-31");
}

TEST(CommandParser, RangesReadAnEndOnTheNextDay) {
    auto args = args_of<task_args>("发布任务 门岗 明天 08:00-次日08:00 2", command_name::task);
    EXPECT_EQ(args.when.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.when.end, time_of_day{24 * 60 + minutes(8, 0)});
    args = args_of<task_args>("发布任务 夜岗 明天 22:00-次日02:00 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{24 * 60 + minutes(2, 0)});
    args = args_of<task_args>("发布任务 夜岗 明天 22:00~翌日6点 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{24 * 60 + minutes(6, 0)});
    // More than a day, or 24:00 of the next day, is not a shift.
    expect_usage("发布任务 门岗 明天 08:00-次日09:00 2", "bad_time", "08:00-次日09:00");
    expect_usage("发布任务 门岗 明天 08:00-次日24:00 2", "bad_time", "08:00-次日24:00");
}

TEST(CommandParser, RotaReadsGatesWindowShiftLengthAndSlots) {
    auto args = args_of<rota_args>(
        "排班 东门,南门 11-29 08:00 至 11-30 08:00 每2小时 3人 地点 岗亭", command_name::rota);
    EXPECT_EQ(args.gates, (std::vector<std::string>{"东门", "南门"}));
    EXPECT_EQ(args.from.day, on(11, 29));
    EXPECT_EQ(args.from.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.from.end, std::nullopt);
    ASSERT_TRUE(args.to.has_value());
    EXPECT_EQ(args.to->day, on(11, 30));
    EXPECT_EQ(args.to->start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.shift_minutes, 120);
    EXPECT_EQ(args.slots, 3);
    EXPECT_EQ(args.place, "岗亭");
    args = args_of<rota_args>("排班 东门， 南门、北门 明天 08:00-次日08:00 每4小时 2",
                              command_name::rota);
    EXPECT_EQ(args.gates, (std::vector<std::string>{"东门", "南门", "北门"}));
    EXPECT_EQ(args.from.end, time_of_day{24 * 60 + minutes(8, 0)});
    EXPECT_EQ(args.to, std::nullopt);
    EXPECT_EQ(args.shift_minutes, 240);
    args = args_of<rota_args>("/rota east tomorrow 20:00-08:00 every 90m 1 note bring a torch",
                              command_name::rota);
    EXPECT_EQ(args.shift_minutes, 90);
    EXPECT_EQ(args.note, "bring a torch");
    EXPECT_EQ(args_of<rota_args>("排班 东门 明天 8:00-20:00 每小时 2人", command_name::rota)
                  .shift_minutes,
              60);
    args = args_of<rota_args>("排班 东门 明天 20:00 至 08:00 每4小时 2人", command_name::rota);
    EXPECT_EQ(args.from.day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.from.start, time_of_day{minutes(20, 0)});
    ASSERT_TRUE(args.to.has_value());
    EXPECT_EQ(args.to->day.which, day_ref::kind::unspecified);
    EXPECT_EQ(args.to->start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.slots, 2);
    expect_usage("排班 东门 明天 20:00 至 早上 每4小时 2人", "bad_time", "早上");
    expect_usage("排班", "missing_argument", "");
    // An empty gate between commas names the token it is in (found by the fuzzer).
    expect_usage("排班 东门,,南门 明天 08:00-12:00 每2小时 1人", "bad_target", "东门,,南门");
    expect_usage("排班 东门, ,南门 明天 08:00-12:00 每2小时 1人", "bad_target", "东门,");
    expect_usage("排班 东门", "missing_argument", "");
    expect_usage("排班 东门 明天 08:00 每2小时 3人", "bad_time", "每2小时");
    expect_usage("排班 东门 明天 08:00-20:00 两小时 3人", "bad_time", "两小时");
    expect_usage("排班 东门 明天 08:00-20:00 每2小时", "missing_argument", "");
    expect_usage("排班 东门 明天 08:00-20:00 每2小时 三人", "bad_number", "三人");
    expect_usage("排班 东门 每天 08:00-20:00 每2小时 3人", "bad_time", "每天");
    expect_usage("排班 东门 明天 08:00-20:00 每2小时 3人 快", "too_many_arguments", "快");
}

TEST(CommandParser, SwapNamesAShiftAndAMemberAndTakeoverAShift) {
    auto args = args_of<swap_args>("换班 12 3-502", command_name::swap);
    EXPECT_EQ(args.task, 12);
    EXPECT_EQ(args.member, "3-502");
    EXPECT_EQ(args_of<swap_args>("/swap #7 @wang_ayi", command_name::swap).member, "wang_ayi");
    EXPECT_EQ(args_of<task_number_args>("接班 12", command_name::takeover).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/takeshift 3", command_name::takeover).task, 3);
    expect_usage("换班 12", "missing_argument", "");
    expect_usage("换班 东门 3-502", "bad_number", "东门");
    expect_usage("换班 12 3-502 快", "too_many_arguments", "快");
    expect_usage("换班 12 @", "missing_argument", "");
    expect_usage("接班", "missing_argument", "");
}

TEST(CommandParser, CheckInTakesAShiftAndConfirmHoursShiftsAsClaimsNameThem) {
    EXPECT_EQ(args_of<task_number_args>("签到 12", command_name::checkin).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/checkin 3", command_name::checkin).task, 3);
    expect_usage("签到", "missing_argument", "");
    // 确认时长 alone lists; with shifts, they are named as 揭榜 names them. It is not 确认.
    EXPECT_FALSE(args_of<confirm_args>("确认时长", command_name::confirm_hours).shifts);
    const auto some = args_of<confirm_args>("确认时长 1-3 7", command_name::confirm_hours);
    ASSERT_TRUE(some.shifts);
    EXPECT_EQ(some.shifts->tasks, (std::vector<std::int64_t>{1, 2, 3, 7}));
    const auto day = args_of<confirm_args>("/confirmhours 东门 4-29", command_name::confirm_hours);
    ASSERT_TRUE(day.shifts && day.shifts->day);
    EXPECT_EQ(day.shifts->title, "东门");
    expect_usage("确认时长 门岗", "bad_number", "门岗");
}

TEST(CommandParser, TasksTakeAPageAndMyShiftsNothing) {
    EXPECT_EQ(args_of<page_args>("任务", command_name::tasks).page, 1);
    EXPECT_EQ(args_of<page_args>("任务 2", command_name::tasks).page, 2);
    EXPECT_EQ(args_of<page_args>("/tasks 3", command_name::tasks).page, 3);
    EXPECT_TRUE(is_chat("任务 完成了吗"));
    expect_usage("/tasks all", "bad_number", "all");
    command_of("我的班次", command_name::myshifts);
    command_of("/myshifts", command_name::myshifts);
    EXPECT_EQ(command_of("我的", command_name::me).keyword, "我的");
}

TEST(CommandParser, SeveralCommandLinesAreSplitOnlyWhenEachIsACommand) {
    using lines = std::vector<std::string>;
    EXPECT_EQ(command_lines("发布任务 A 明天 8:00 2\n\n发布任务 B 明天 9:00 2"),
              (lines{"发布任务 A 明天 8:00 2", "发布任务 B 明天 9:00 2"}));
    EXPECT_EQ(command_lines("揭榜 3\r\n/claim 4"), (lines{"揭榜 3", "/claim 4"}));
    EXPECT_EQ(command_lines("揭榜 3"), std::nullopt);
    EXPECT_EQ(command_lines("揭榜 3\n谢谢大家"), std::nullopt);
    // A command whose text goes on over the lines keeps them.
    EXPECT_EQ(command_lines("通知 all 明天核酸\n核酸 地点 广场"), std::nullopt);
    EXPECT_EQ(command_lines("#接龙 华联\n1. 3-502 鸡蛋2\n下单 鸡蛋 2"), std::nullopt);
}

TEST(CommandParser, CancelTaskIsTheLongerKeywordThanCancel) {
    EXPECT_EQ(args_of<task_number_args>("取消任务 12", command_name::cancel_task).task, 12);
    EXPECT_EQ(args_of<task_number_args>("取消任务12", command_name::cancel_task).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/canceltask #7", command_name::cancel_task).task, 7);
    EXPECT_EQ(args_of<task_number_args>("#取消任务 ３", command_name::cancel_task).task, 3);
    EXPECT_EQ(command_of("取消任务 12", command_name::cancel_task).keyword, "取消任务");
    EXPECT_EQ(find_command("取消任务"), command_name::cancel_task);
    // 取消 alone still cancels an order.
    EXPECT_EQ(args_of<order_number_args>("取消 12", command_name::cancel).order, 12);
    expect_usage("取消任务", "missing_argument", "");
    expect_usage("取消任务 门岗", "bad_number", "门岗");
    EXPECT_EQ(error_of("取消任务 门岗").name, command_name::cancel_task);
    EXPECT_TRUE(is_chat("取消任务了吗"));
}

TEST(CommandParser, TasksAndHoursTakeNothing) {
    command_of("任务", command_name::tasks);
    command_of("时长", command_name::hours);
    expect_usage("/hours april", "too_many_arguments", "april");
}

}  // namespace loudong::handlers
