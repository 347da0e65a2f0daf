// handlers/parser/parse_notices.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

// ---- notices and templates --------------------------------------------------------------------

TEST(CommandParser, NoticeKeepsTheTextAsTyped) {
    auto args =
        args_of<notice_args>("通知 all 今晚8点全员核酸，请带好身份证", command_name::notice);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.at, std::nullopt);
    EXPECT_EQ(args.text, "今晚8点全员核酸，请带好身份证");
    args = args_of<notice_args>("/notice 3,5,7 Water off 9-11", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(args.text, "Water off 9-11");
    args =
        args_of<notice_args>("通知 3号楼 电梯检修：\n  下午停用　请走楼梯\n", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3"}));
    EXPECT_EQ(args.text, "电梯检修：\n  下午停用　请走楼梯");
    args = args_of<notice_args>("通知 1-3 明天 07:00 停水", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(args.at, std::nullopt);
    EXPECT_EQ(args.text, "明天 07:00 停水");
}

TEST(CommandParser, NoticeCanBeScheduled) {
    auto args = args_of<notice_args>("通知 明天 07:00 all 全员核酸", command_name::notice);
    ASSERT_TRUE(args.at.has_value());
    EXPECT_EQ(args.at->day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.at->start, time_of_day{minutes(7, 0)});
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.text, "全员核酸");
    args = args_of<notice_args>("通知 4-28 07:00 3,5 领取物资", command_name::notice);
    ASSERT_TRUE(args.at.has_value());
    EXPECT_EQ(args.at->day, on(4, 28));
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5"}));
}

TEST(CommandParser, NoticeStatusAsksAboutTheLatestOrOneNotice) {
    auto args = args_of<notice_args>("通知 状态", command_name::notice);
    EXPECT_TRUE(args.status);
    EXPECT_EQ(args.number, std::nullopt);
    args = args_of<notice_args>("/notice status 12", command_name::notice);
    EXPECT_TRUE(args.status);
    EXPECT_EQ(args.number, 12);
    expect_usage("/notice status x", "bad_number", "x");
}

TEST(CommandParser, NoticeExplainsWhatIsMissing) {
    expect_usage("通知", "missing_argument", "");
    expect_usage("通知 all", "missing_argument", "");
    expect_usage("通知 大家 明天停水", "bad_target", "大家");
    expect_usage("通知 明天 07:00", "missing_argument", "");
    expect_usage("通知 明天 25:00 all 停水", "bad_time", "25:00");
}

}  // namespace loudong::handlers
