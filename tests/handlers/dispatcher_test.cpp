#include "handlers/dispatcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "compound_fixture.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::handlers {
namespace {

using Dispatcher = testing::compound;

TEST_F(Dispatcher, OrdinaryChatGetsNoReplyAndLeavesNoTrace) {
    for (const auto* text :
         {"大家好", "我的天啊", "任务很重，大家辛苦了", "", "   ", "@王阿姨 谢谢"}) {
        const auto outcome = send("bldg-3", "u-1", text);
        EXPECT_TRUE(outcome.replies.empty()) << text;
        EXPECT_TRUE(outcome.command.empty()) << text;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM processed_messages"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(Dispatcher, AnUnknownSlashWordGetsAOneLineHint) {
    const auto answer = say("bldg-3", "u-1", "/foo bar");
    EXPECT_NE(answer.find("发“帮助”"), std::string::npos);
    EXPECT_NE(answer.find("foo"), std::string::npos);
    EXPECT_EQ(answer.find('\n'), std::string::npos);
}

TEST_F(Dispatcher, AHalfTypedCommandGetsTheProblemAndTheUsage) {
    const auto answer = say("bldg-3", "u-1", "登记 3号楼");
    EXPECT_NE(answer.find("用法：登记 楼号 房号，例如"), std::string::npos) << answer;
    EXPECT_FALSE(dispatcher_.store().members.find("generic", "u-1")->room);
}

TEST_F(Dispatcher, HelpListsOnlyWhatTheSenderMayUse) {
    const auto resident = say("bldg-3", "u-1", "帮助");
    EXPECT_NE(resident.find("登记"), std::string::npos);
    EXPECT_NE(resident.find("下单"), std::string::npos);
    EXPECT_EQ(resident.find("授权"), std::string::npos) << resident;
    EXPECT_EQ(resident.find("通知"), std::string::npos);
    const auto committee = say("c", "u-admin", "/help");
    EXPECT_NE(committee.find("授权"), std::string::npos);
    EXPECT_NE(committee.find("通知"), std::string::npos);
    EXPECT_NE(committee.find("模板"), std::string::npos);
}

// SPEC §8.12 and issue 20: one line per job, at most 12, for the widest standing too.
TEST_F(Dispatcher, HelpIsGroupedByJobAndFitsOnAPhone) {
    const auto lines = [](const std::string& text) {
        return std::count(text.begin(), text.end(), '\n') + 1;
    };
    const auto resident = say("bldg-3", "u-1", "帮助");
    const auto committee = say("c", "u-admin", "帮助");
    EXPECT_LE(lines(resident), 12) << resident;
    EXPECT_LE(lines(committee), 12) << committee;
    EXPECT_NE(committee.find("\n团购：菜单、下单、我的订单、取消、汇总"), std::string::npos)
        << committee;
    EXPECT_NE(resident.find("\n团购：菜单、下单、我的订单、取消\n"), std::string::npos) << resident;
    EXPECT_EQ(resident.find("设置："), std::string::npos) << resident;
}

TEST_F(Dispatcher, HelpOnOneCommandShowsItsUsageAndWhoMayUseIt) {
    const auto answer = say("bldg-3", "u-1", "帮助 登记");
    EXPECT_NE(answer.find("登记 楼号 房号"), std::string::npos) << answer;
    EXPECT_NE(say("bldg-3", "u-1", "/help register").find("/register"), std::string::npos);
    EXPECT_NE(say("bldg-3", "u-1", "帮助 通知").find("仅限居委会使用"), std::string::npos);
    EXPECT_NE(say("bldg-3", "u-1", "帮助 跳舞").find("没有“跳舞”"), std::string::npos);
}

TEST_F(Dispatcher, ARepeatDeliveryReturnsTheFirstReplyAndChangesNothing) {
    const auto first = send("bldg-3", "u-1", "登记 3-502", "", "dup-1");
    const auto repeat = send("bldg-3", "u-1", "登记 3-502", "", "dup-1");
    EXPECT_TRUE(repeat.repeated);
    ASSERT_EQ(repeat.replies.size(), 1u);
    EXPECT_EQ(repeat.replies[0].text, first.replies[0].text);
    EXPECT_EQ(repeat.replies[0].reply_to, "dup-1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM processed_messages"), 1);
    // The same id in another chat is another message.
    EXPECT_FALSE(send("bldg-5", "u-1", "我的", "", "dup-1").repeated);
    // So is the same id in the same chat from another sender (SPEC §8 item 13).
    const auto other = send("bldg-3", "u-2", "登记 3-601", "", "dup-1");
    EXPECT_FALSE(other.repeated);
    EXPECT_NE(join(other.replies).find("3号楼601室"), std::string::npos) << join(other.replies);
}

TEST_F(Dispatcher, AnAnonymousCommandGetsAHintAndActsForNobody) {
    message msg;
    msg.platform = "onebot";
    msg.message_id = "anon-1";
    msg.chat_id = "610254837";
    msg.sender_id = "80000000";
    msg.anonymous = true;
    msg.text = "抗原 阳性";
    const auto outcome = dispatcher_.process(msg, now_);
    ASSERT_EQ(outcome.replies.size(), 1u);
    EXPECT_EQ(outcome.replies[0].text,
              "匿名发言不能使用机器人的命令，请关闭匿名，用自己的身份再发一次。");
    msg.message_id = "anon-2";
    msg.text = "大家好";
    EXPECT_TRUE(dispatcher_.process(msg, now_).replies.empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_F(Dispatcher, ARetryOfAHugeReplyGetsItsBeginningOnly) {
    for (const auto* building : {"1", "2", "3", "4", "5", "6", "7", "8"}) {
        say("c", "u-admin", std::string("楼栋 ") + building + "号楼 33层 8户");
    }
    const auto first = send("c", "u-admin", "未报", "", "big-1");
    ASSERT_EQ(first.replies.size(), 1u);
    ASSERT_GT(first.replies[0].text.size(), stored_reply_bytes);
    const auto again = send("c", "u-admin", "未报", "", "big-1");
    ASSERT_TRUE(again.repeated);
    const auto& kept = again.replies[0].text;
    EXPECT_LE(kept.size(), stored_reply_bytes + std::string("…").size());
    EXPECT_TRUE(kept.ends_with("…"));
    EXPECT_EQ(kept.substr(0, kept.size() - 3), first.replies[0].text.substr(0, kept.size() - 3));
    EXPECT_LT(count("SELECT MAX(LENGTH(reply)) FROM processed_messages"), 4500);
}

TEST_F(Dispatcher, ResidentCommandsAskForRegistrationFirst) {
    const auto answer = say("bldg-3", "u-1", "抗原 阴性");
    EXPECT_NE(answer.find("请先登记"), std::string::npos) << answer;
}

TEST_F(Dispatcher, EveryCommandOfTheTableIsAnsweredByItsHandler) {
    say("bldg-3", "u-admin", "登记 3-502");
    for (const auto& row : command_syntaxes()) {
        const auto text = "/" + std::string(row.english);
        const auto answer = say("bldg-3", "u-admin", text);
        EXPECT_FALSE(answer.empty()) << text;
        EXPECT_EQ(answer.find("尚未开放"), std::string::npos) << text << " → " << answer;
    }
}

TEST_F(Dispatcher, RepliesAnswerTheMessageInItsOwnChat) {
    const auto outcome = send("bldg-3", "u-1", "我的", "", "m-42");
    ASSERT_EQ(outcome.replies.size(), 1u);
    EXPECT_EQ(outcome.replies[0].chat_id, "bldg-3");
    EXPECT_EQ(outcome.replies[0].reply_to, "m-42");
    EXPECT_EQ(outcome.command, "me");
}

TEST(DispatcherLocale, EnglishRepliesWhenConfigured) {
    storage::database db(":memory:");
    settings s;
    s.locale = "en";
    s.zone = date::locate_zone("Asia/Shanghai");
    dispatcher d(db.connection(), s);
    d.store().templates.load_defaults(templates::shipped_defaults(), 0);
    message msg{"generic", "m-1", "bldg-3", "", "u-1", "Ann", "", "/register 3 502", false, 0};
    const auto outcome = d.process(msg, 0);
    ASSERT_EQ(outcome.replies.size(), 1u);
    // An unbound chat in a compound without a committee: the registration waits, and says why
    // (SPEC §8 item 2).
    EXPECT_EQ(outcome.replies[0].text,
              "Registration for 3-502 received, but this compound has no building lead or "
              "committee set up to confirm it: please contact the committee.");
}

}  // namespace
}  // namespace loudong::handlers
