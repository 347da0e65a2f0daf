// handlers/parser/parse_test_rounds.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

// ---- tests: nucleic acid and antigen ----------------------------------------------------------

TEST(CommandParser, TestReadsBuildingsTimeAndPlace) {
    auto args = args_of<test_args>("核酸 all 明天 07:00 小区广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.when.day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.when.start, time_of_day{minutes(7, 0)});
    EXPECT_EQ(args.place, "小区广场");
    args = args_of<test_args>("核酸 1-5 4-29 07:00 2号门", command_name::test);
    EXPECT_FALSE(args.targets.all);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    EXPECT_EQ(args.when.day, on(4, 29));
    EXPECT_EQ(args.place, "2号门");
    args = args_of<test_args>("核酸 3,1,2 明天 7:00 广场", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "1", "2"}));
    args = args_of<test_args>("核酸 3、5、7 明天 07:00-09:00 东门 核酸亭", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(args.when.end, time_of_day{minutes(9, 0)});
    EXPECT_EQ(args.place, "东门 核酸亭");
    args = args_of<test_args>("/test 3, 5, 7 tomorrow 07:00 square", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    args = args_of<test_args>("核酸 全部 明天 07:00 广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    args = args_of<test_args>("核酸 明天 07:00 all 广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.place, "广场");
}

TEST(CommandParser, TestExplainsWhatIsWrong) {
    expect_usage("核酸", "missing_argument", "");
    expect_usage("核酸 all 明天 07:00", "missing_argument", "");
    expect_usage("核酸 all 小区广场", "bad_time", "小区广场");
    expect_usage("核酸 all 明天 7:60 广场", "bad_time", "7:60");
    expect_usage("核酸 全体居民 明天 07:00 广场", "bad_target", "全体居民");
    expect_usage("核酸 1-500 明天 07:00 广场", "bad_target", "1-500");
    expect_usage("核酸 明天 25:00 all 广场", "bad_time", "25:00");
}

TEST(CommandParser, CallNamesABuildingOrTheNext) {
    EXPECT_EQ(args_of<call_args>("叫号 3号楼", command_name::call).building->label, "3");
    EXPECT_TRUE(args_of<call_args>("叫号 下一栋", command_name::call).next);
    EXPECT_TRUE(args_of<call_args>("/call next", command_name::call).next);
    EXPECT_FALSE(args_of<call_args>("叫号 3", command_name::call).next);
    expect_usage("叫号", "missing_argument", "");
    expect_usage("叫号 大家", "bad_building", "大家");
}

TEST(CommandParser, RetestNamesRoomsThenATimeAndAPlace) {
    auto args = args_of<retest_args>("补采 3-502", command_name::retest);
    ASSERT_EQ(args.rooms.size(), 1u);
    EXPECT_EQ(args.rooms[0].building.label, "3");
    EXPECT_EQ(args.rooms[0].room, "502");
    EXPECT_FALSE(args.when);
    EXPECT_EQ(args.place, "");
    // A day after the rooms is a day, not a room of building 4.
    args = args_of<retest_args>("补采 3-502 5号楼601 3-502 4-29 14:00 地点 2号门 东侧",
                                command_name::retest);
    ASSERT_EQ(args.rooms.size(), 2u);
    EXPECT_EQ(args.rooms[1].building.label, "5");
    ASSERT_TRUE(args.when);
    EXPECT_EQ(args.when->start.minutes, 14 * 60);
    EXPECT_EQ(args.place, "2号门 东侧");
    EXPECT_EQ(args_of<retest_args>("/retest 3-502 place gate", command_name::retest).place, "gate");
    expect_usage("补采", "missing_argument", "");
    expect_usage("补采 3号楼", "bad_room", "3号楼");
    expect_usage("补采 大家", "bad_building", "大家");
    expect_usage("补采 3-502 下午", "bad_time", "下午");
    expect_usage("补采 3-502 地点", "missing_argument", "");
    expect_usage("补采 3-502 14:00 快点", "too_many_arguments", "快点");
}

TEST(CommandParser, ATestRoundCanBeCancelledOrPostponed) {
    auto args = args_of<test_args>("核酸 取消", command_name::test);
    EXPECT_EQ(args.what, test_args::action::cancel);
    args = args_of<test_args>("核酸 推迟 30分钟", command_name::test);
    EXPECT_EQ(args.what, test_args::action::postpone);
    EXPECT_EQ(args.postpone_minutes, 30);
    args = args_of<test_args>("/test postpone 45", command_name::test);
    EXPECT_EQ(args.postpone_minutes, 45);
    expect_usage("核酸 推迟", "missing_argument", "");
    expect_usage("核酸 推迟 很久", "bad_number", "很久");
}

TEST(CommandParser, ATestRoundIsNamedByItsNumberAndRoundsAreListed) {
    auto args = args_of<test_args>("核酸 取消 2", command_name::test);
    EXPECT_EQ(args.what, test_args::action::cancel);
    EXPECT_EQ(args.round, 2);
    EXPECT_EQ(args_of<test_args>("/test cancel #3", command_name::test).round, 3);
    EXPECT_EQ(args_of<test_args>("核酸 取消", command_name::test).round, std::nullopt);
    args = args_of<test_args>("核酸 推迟 2 30分钟", command_name::test);
    EXPECT_EQ(args.what, test_args::action::postpone);
    EXPECT_EQ(args.round, 2);
    EXPECT_EQ(args.postpone_minutes, 30);
    args = args_of<test_args>("核酸 推迟 30", command_name::test);
    EXPECT_EQ(args.round, std::nullopt);
    EXPECT_EQ(args.postpone_minutes, 30);
    EXPECT_EQ(args_of<test_args>("核酸 列表", command_name::test).what, test_args::action::list);
    EXPECT_EQ(args_of<test_args>("/test list", command_name::test).what, test_args::action::list);
    args = args_of<test_args>("核酸 3号楼 明天 07:00 小区广场 确认", command_name::test);
    EXPECT_TRUE(args.confirmed);
    EXPECT_EQ(args.place, "小区广场");
    EXPECT_FALSE(
        args_of<test_args>("核酸 3号楼 明天 07:00 小区广场", command_name::test).confirmed);
    expect_usage("核酸 取消 第二轮", "bad_number", "第二轮");
    expect_usage("核酸 取消 2 3", "too_many_arguments", "3");
    expect_usage("核酸 推迟 二 30", "bad_number", "二");
    expect_usage("核酸 推迟 2 30 快", "too_many_arguments", "快");
    expect_usage("核酸 列表 全部", "too_many_arguments", "全部");
}

}  // namespace loudong::handlers
