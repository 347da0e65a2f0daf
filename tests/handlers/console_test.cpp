#include "handlers/console.hpp"

#include <regex>

#include <gtest/gtest.h>

#include "compound_fixture.hpp"
#include "storage/console_repository.hpp"

namespace loudong::handlers {
namespace {

class Console : public testing::compound {
protected:
    void SetUp() override {
        resident("u-502", "3-502", "王阿姨");
        resident("u-601", "3-601", "张叔");
        say("c", "u-admin", "绑定 居委会");
        say("c", "u-admin", "授权 @u-601 楼组长 3号楼");
        clear_outbox();
    }

    /// The login token in a text, empty when none.
    static std::string token_in(const std::string& text) {
        std::smatch found;
        static const std::regex link(
            R"(https://loudong\.example\.org/console/login\?t=([0-9a-f]{64}))");
        return std::regex_search(text, found, link) ? found[1].str() : std::string();
    }

    storage::console_repository& logins() { return dispatcher_.store().console; }
};

TEST_F(Console, AskedInAGroupTheLinkGoesPrivatelyAndTheGroupIsOnlyToldSo) {
    const auto reply = say("bldg-3", "u-601", "控制台");
    EXPECT_EQ(reply, "控制台登录链接已私信发给你，请看私聊。没收到？先私聊我一句，再发“控制台”。");
    EXPECT_EQ(token_in(reply), "");
    const auto sent = outbox();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].is_private);
    EXPECT_EQ(sent[0].chat, "u-601");
    const auto token = token_in(sent[0].text);
    ASSERT_EQ(token.size(), 64u) << sent[0].text;
    EXPECT_NE(sent[0].text.find("10分钟内有效"), std::string::npos);
    // Only the hash is kept.
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins WHERE token_hash = '" + token + "'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins WHERE token_hash = '" +
                    storage::token_hash(token) + "'"),
              1);
}

TEST_F(Console, AskedPrivatelyTheLinkIsTheAnswer) {
    const auto reply = join(send("u-admin", "u-admin", "控制台", "", "", true).replies);
    EXPECT_EQ(token_in(reply).size(), 64u) << reply;
    EXPECT_TRUE(outbox().empty());
}

TEST_F(Console, AResidentOrAVolunteerGetsNoLink) {
    EXPECT_EQ(say("bldg-3", "u-502", "控制台"), "抱歉，“控制台”仅限楼组长或居委会使用。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins"), 0);
    EXPECT_TRUE(outbox().empty());
}

TEST_F(Console, APlatformsRetryIsNotAnsweredWithTheLinkAgain) {
    const auto first = send("u-admin", "u-admin", "控制台", "", "dup-1", true);
    ASSERT_EQ(token_in(join(first.replies)).size(), 64u);
    const auto again = send("u-admin", "u-admin", "控制台", "", "dup-1", true);
    EXPECT_TRUE(again.repeated);
    EXPECT_EQ(token_in(join(again.replies)), "");
    EXPECT_NE(join(again.replies).find("再发一次“控制台”"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins"), 1);
}

TEST_F(Console, ALinkOpensOnceAndOnlyWithinTenMinutes) {
    const auto token = token_in(join(send("u-admin", "u-admin", "控制台", "", "", true).replies));
    storage::console_user who;
    EXPECT_EQ(logins().redeem(token, now_ + 599, who), storage::login_redeemed::ok);
    EXPECT_EQ(who.user_id, "u-admin");
    EXPECT_EQ(who.compound, "default");
    EXPECT_EQ(logins().redeem(token, now_ + 600, who), storage::login_redeemed::used);
    const auto late = token_in(join(send("u-admin", "u-admin", "控制台", "", "", true).replies));
    EXPECT_EQ(logins().redeem(late, now_ + 601, who), storage::login_redeemed::expired);
    EXPECT_EQ(logins().redeem(std::string(64, 'a'), now_, who), storage::login_redeemed::unknown);
}

TEST_F(Console, LoggingOutFromTheChatEndsEverySessionOfTheMember) {
    storage::console_user admin{"generic", "u-admin", "default"};
    logins().add_session("s1", admin, now_ + 3600);
    logins().add_session("s2", admin, now_ + 3600);
    logins().add_session("s3", storage::console_user{"generic", "u-601", "default"}, now_ + 3600);
    EXPECT_EQ(say("c", "u-admin", "退出控制台"), "已退出控制台（2处登录）。");
    EXPECT_FALSE(logins().session("s1", now_));
    EXPECT_FALSE(logins().session("s2", now_));
    EXPECT_TRUE(logins().session("s3", now_));
    EXPECT_EQ(say("c", "u-admin", "退出控制台"), "你没有登录着的控制台。");
    // A session ends by itself after its time.
    EXPECT_FALSE(logins().session("s3", now_ + 3601));
}

class ConsoleOff : public testing::compound {
protected:
    ConsoleOff() : compound(":memory:", without_url()) {}
    static settings without_url() {
        auto s = make_settings();
        s.public_url.clear();
        return s;
    }
};

TEST_F(ConsoleOff, WithoutAPublicUrlTheCommitteeIsToldWhy) {
    EXPECT_EQ(say("c", "u-admin", "控制台"), "控制台没有开启：请管理员在配置里填写 public_url。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins"), 0);
}

}  // namespace
}  // namespace loudong::handlers
