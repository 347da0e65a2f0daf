// Committee notices through the outbox to a fake platform on loopback: delivery, rate limits,
// retries, permanent failures, restarts and scheduled notices.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

class Outbox : public running_server {
protected:
    /// A compound with `buildings` building chats and a committee chat, on the generic
    /// platform whose outbound URL is the fake platform.
    void start_compound(int buildings, bot::rate_limits rate = {0, 1000, 1000}) {
        bot::config cfg;
        cfg.generic.outbound_url = platform_.url("/send");
        cfg.generic.rate = rate;
        start(cfg);
        say("committee", "u-admin", "/bind committee");
        for (int b = 1; b <= buildings; ++b) {
            say("bldg-" + std::to_string(b), "u-admin", "绑定 " + std::to_string(b) + "号楼");
        }
    }

    std::vector<std::string> texts_for(const std::string& chat) {
        return platform_.texts_for(chat);
    }

    fake_platform platform_;
};

TEST_F(Outbox, ANoticeReachesEveryBuildingChatAndTheCommitteeSeesItDelivered) {
    start_compound(3);
    const auto receipt = say("committee", "u-admin", "通知 all 今晚8点全员核酸，请带好身份证");
    EXPECT_NE(receipt.find("正在发往3个楼栋群"), std::string::npos) << receipt;
    EXPECT_EQ(receipt.find("未绑定"), std::string::npos) << receipt;
    ASSERT_TRUE(platform_.wait_for(3));
    for (const auto* chat : {"bldg-1", "bldg-2", "bldg-3"}) {
        EXPECT_EQ(texts_for(chat),
                  std::vector<std::string>{"【居委会通知】今晚8点全员核酸，请带好身份证"});
    }
    EXPECT_TRUE(texts_for("committee").empty());
    EXPECT_EQ(platform_.received()[0].target, "/send");
    // The worker marks a message sent right after the platform's 200.
    for (int i = 0;
         i < 50 && say("committee", "u-admin", "通知 状态").find("已送达3") == std::string::npos;
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(say("committee", "u-admin", "通知 状态 1"),
              "通知 #1：已送达3个群，失败0个，待发0个。");
}

TEST_F(Outbox, NoticesToSomeBuildingsNameTheOnesWithoutAChat) {
    start_compound(3);
    const auto receipt = say("committee", "u-admin", "/notice 2,7 电梯检修，下午停用");
    EXPECT_NE(receipt.find("正在发往1个楼栋群"), std::string::npos) << receipt;
    EXPECT_NE(receipt.find("7号楼未绑定群"), std::string::npos) << receipt;
    ASSERT_TRUE(platform_.wait_for(1));
    EXPECT_EQ(texts_for("bldg-2").size(), 1u);
    EXPECT_NE(say("committee", "u-admin", "通知 9 停水").find("还没有绑定"), std::string::npos);
}

TEST_F(Outbox, ResidentsCannotSendNotices) {
    start_compound(1);
    EXPECT_EQ(say("bldg-1", "u-1", "通知 all 大家好"), "抱歉，“通知”仅限居委会使用。");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(platform_.received().empty());
}

TEST_F(Outbox, MessagesToOneChatKeepTheirOrderAndTheConfiguredInterval) {
    start_compound(1, {200, 1000, 1000});
    for (int i = 1; i <= 4; ++i) {
        say("committee", "u-admin", "通知 1 第" + std::to_string(i) + "条");
    }
    ASSERT_TRUE(platform_.wait_for(4));
    const auto got = platform_.received();
    EXPECT_EQ(texts_for("bldg-1"),
              (std::vector<std::string>{"【居委会通知】第1条", "【居委会通知】第2条",
                                        "【居委会通知】第3条", "【居委会通知】第4条"}));
    for (std::size_t i = 1; i < got.size(); ++i) {
        EXPECT_GE(got[i].at_ms - got[i - 1].at_ms, 190) << i;
    }
}

TEST_F(Outbox, A429IsRetriedAfterTheRetryAfterAndA500WithBackOff) {
    platform_.script({{429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":1}})", {}},
                      {500, "oops", {}}});
    start_compound(1);
    say("committee", "u-admin", "通知 1 停水通知");
    ASSERT_TRUE(platform_.wait_for(1, std::chrono::seconds(30)));
    EXPECT_EQ(platform_.refused().size(), 2u);
    EXPECT_EQ(texts_for("bldg-1"), std::vector<std::string>{"【居委会通知】停水通知"});
    const auto refused = platform_.refused();
    EXPECT_GE(refused[1].at_ms - refused[0].at_ms, 900);
    const auto metrics = http_call(port_, bot::http::verb::get, "/metrics").body;
    EXPECT_NE(metrics.find("loudong_outbox_attempts_total{result=\"retried\"} 2"),
              std::string::npos)
        << metrics;
}

TEST_F(Outbox, APermanentErrorIsRecordedAndNotRetried) {
    platform_.script({{400, R"({"error":"chat not found"})", {}}});
    start_compound(1);
    say("committee", "u-admin", "通知 1 停水通知");
    for (int i = 0;
         i < 50 && say("committee", "u-admin", "通知 状态").find("失败1") == std::string::npos;
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The committee sees which chat and what the platform said.
    EXPECT_EQ(say("committee", "u-admin", "通知 状态"),
              "通知 #1：已送达0个群，失败1个，待发0个。\n"
              "1号楼没送到：HTTP 400: {\"error\":\"chat not found\"}");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(platform_.refused().size(), 1u);
    EXPECT_TRUE(platform_.received().empty());
}

TEST_F(Outbox, ARestartMidQueueNeitherLosesNorRepeatsMessages) {
    // 4 a second in all: 20 chats take about five seconds to drain.
    start_compound(20, {0, 1000, 4});
    say("committee", "u-admin", "通知 all 物资到了，请下楼领取");
    ASSERT_TRUE(platform_.wait_for(5));
    restart();
    ASSERT_TRUE(platform_.wait_for(20, std::chrono::seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    std::map<std::string, int> per_chat;
    for (const auto& r : platform_.received()) {
        ++per_chat[json::parse(r.body)["chat_id"].get<std::string>()];
    }
    EXPECT_EQ(per_chat.size(), 20u);
    for (const auto& [chat, n] : per_chat) {
        EXPECT_EQ(n, 1) << chat;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 20);
}

TEST_F(Outbox, AScheduledNoticeFiresOnceWhenItsTimeComes) {
    start_compound(2);
    const auto receipt = say("committee", "u-admin", "通知 明天 07:00 all 明早7点全员核酸");
    EXPECT_NE(receipt.find("通知 #1 将于"), std::string::npos) << receipt;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(platform_.received().empty());
    EXPECT_NE(say("committee", "u-admin", "通知 状态").find("将于"), std::string::npos);

    const std::int64_t due = count("SELECT due_at FROM jobs WHERE kind = 'notice'");
    advance_to(due + 60);  // a minute past tomorrow 07:00
    ASSERT_TRUE(platform_.wait_for(3));
    EXPECT_EQ(texts_for("bldg-1"), std::vector<std::string>{"【居委会通知】明早7点全员核酸"});
    EXPECT_EQ(texts_for("bldg-2"), std::vector<std::string>{"【居委会通知】明早7点全员核酸"});
    ASSERT_EQ(texts_for("committee").size(), 1u);
    EXPECT_NE(texts_for("committee")[0].find("定时通知 #1 已发往2个楼栋群"), std::string::npos);
    advance(std::chrono::hours(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // Other timed jobs (the 08:00 antigen reminder) may speak by then; the notice does not.
    int notices = 0;
    for (const auto& r : platform_.received()) {
        notices +=
            json::parse(r.body)["text"].get<std::string>().find("明早7点") != std::string::npos;
    }
    EXPECT_EQ(notices, 2);
}

TEST_F(Outbox, AScheduledNoticeSurvivesARestartAndIsDroppedWhenStale) {
    start_compound(1);
    say("committee", "u-admin", "通知 明天 07:00 all 明早核酸");
    restart();
    const std::int64_t due = count("SELECT due_at FROM jobs WHERE kind = 'notice'");
    advance_to(due + 3 * 3600);  // the server "was down" past 07:00 by more than 2 h
    for (int i = 0; i < 100 && texts_for("committee").empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_EQ(texts_for("committee").size(), 1u);
    EXPECT_NE(texts_for("committee")[0].find("因服务停机超时没有发出"), std::string::npos);
    // Other timed jobs (the daily antigen reminder) may speak; the dropped notice does not.
    for (const auto& text : texts_for("bldg-1")) {
        EXPECT_EQ(text.find("明早核酸"), std::string::npos) << text;
    }
    EXPECT_NE(say("committee", "u-admin", "通知 状态").find("已取消"), std::string::npos);
}

TEST_F(Outbox, APastTimeIsRefused) {
    start_compound(1);
    const auto answer = say("committee", "u-admin", "通知 今天 00:00 all 太晚了");
    EXPECT_NE(answer.find("已经过了"), std::string::npos) << answer;
}

}  // namespace
}  // namespace loudong::testing
