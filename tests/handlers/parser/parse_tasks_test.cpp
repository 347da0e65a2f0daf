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
    EXPECT_EQ(args_of<task_number_args>("揭榜 12", command_name::claim).task, 12);
    EXPECT_EQ(args_of<task_number_args>("报名 12", command_name::claim).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/claim #12", command_name::claim).task, 12);
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
    expect_usage("揭榜 12 13", "too_many_arguments", "13");
    expect_usage("完成 99999999999999999999", "bad_number", "99999999999999999999");
    EXPECT_EQ(error_of("退出 门岗").name, command_name::unclaim);
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
