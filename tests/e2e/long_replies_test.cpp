// Replies that fit (SPEC §8 item 12, issue 16): the committee's 未报 for 2,400 households, asked in
// a Telegram chat and in a QQ group through OneBot, reaches each platform's API as numbered
// parts that each fit what the platform takes, in order.
#include <regex>

#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "handlers/text_parts.hpp"
#include "platform_chats.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using verb = bot::http::verb;
using handlers::length_unit;
using handlers::text_length;

class LongReplies : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        use_onebot(cfg, onebot_.url());
        use_telegram(cfg, telegram_.url());
        start(cfg);
        config_.committee.push_back("onebot:10003");
        config_.committee.push_back("telegram:5087654321");
        restart();
        // The registry on the first day: 10 towers of 30 floors, 8 flats a floor, nobody
        // registered yet.
        for (int b = 1; b <= 10; ++b) {
            say("committee", "u-admin", "楼栋 " + std::to_string(b) + "号楼 30层 8户");
        }
    }

    /// The committee member 林老师 in the committee's Telegram supergroup; the webhook's answer.
    http_reply telegram(const std::string& text) {
        return http_call(port_, verb::post, "/hook/telegram", telegram_update(text, ++sent_),
                         {{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}});
    }

    /// The committee member QQ 10003 in a QQ group, through OneBot; the webhook's answer.
    http_reply onebot(const std::string& text) {
        auto event = json::parse(fixture("onebot/group_message_cq_string.json"));
        event["message"] = text;
        event["raw_message"] = text;
        event["user_id"] = 10003;
        event["sender"]["user_id"] = 10003;
        event["message_id"] = 70000 + (++sent_);
        const auto body = event.dump();
        return http_call(port_, verb::post, "/hook/onebot", body, onebot_signature(body));
    }

    /// The texts a fake received, in arrival order, from the field `field` of each body.
    static std::vector<std::string> texts(fake_platform& fake, const std::string& field) {
        std::vector<std::string> out;
        for (const auto& r : fake.received()) {
            const auto body = json::parse(r.body, nullptr, false);
            if (body.is_object() && body.contains(field)) {
                out.push_back(body[field].get<std::string>());
            }
        }
        return out;
    }

    /// Waits until the fake received every part the first one announces (（1/n）); false after
    /// 30 s.
    static bool wait_parts(fake_platform& fake, const std::string& field) {
        static const std::regex label("^（1/(\\d+)）");
        for (int i = 0; i < 600; ++i) {
            const auto got = texts(fake, field);
            std::smatch m;
            if (!got.empty() && std::regex_search(got[0], m, label) &&
                got.size() >= std::stoul(m[1].str())) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    /// Checks that `parts` are numbered （1/n）…（n/n） in order, each at most `max` in `unit`,
    /// and together hold the whole list; prints the figures.
    static void expect_parts(const std::vector<std::string>& parts, std::size_t max,
                             length_unit unit, const std::string& platform) {
        ASSERT_GE(parts.size(), 2u) << platform;
        std::string all;
        std::size_t longest = 0;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto label =
                "（" + std::to_string(i + 1) + "/" + std::to_string(parts.size()) + "）";
            EXPECT_TRUE(parts[i].starts_with(label)) << platform << " part " << i + 1;
            const auto length = text_length(parts[i], unit);
            EXPECT_LE(length, max) << platform << " part " << i + 1;
            longest = std::max(longest, length);
            all += parts[i].substr(label.size());
        }
        EXPECT_TRUE(all.starts_with("今天未报抗原（2400户）：")) << all.substr(0, 200);
        for (int b = 1; b <= 10; ++b) {
            EXPECT_NE(all.find(std::to_string(b) + "号楼：101-108（未登记）"), std::string::npos)
                << platform << " " << b;
        }
        EXPECT_NE(all.find("3001-3008（未登记）"), std::string::npos) << platform;
        std::printf(
            "[ figures  ] %s: 未报 for 2,400 households in %zu parts, the longest %zu of "
            "%zu\n",
            platform.c_str(), parts.size(), longest, max);
    }

    fake_platform telegram_;
    fake_platform onebot_;
    int sent_ = 0;
};

TEST_F(LongReplies, TheCommitteesPendingListReachesTelegramAndOnebotInPartsThatFit) {
    ASSERT_NE(telegram("/bind committee").body.find("居委会"), std::string::npos);
    ASSERT_NE(onebot("绑定 居委会").body.find("居委会"), std::string::npos);

    // Telegram: the answer is too long for the webhook's one message; it goes by the Bot API.
    const auto on_telegram = telegram("未报");
    EXPECT_EQ(on_telegram.status, 200u);
    EXPECT_EQ(on_telegram.body.find("未报抗原"), std::string::npos) << on_telegram.body;
    ASSERT_TRUE(wait_parts(telegram_, "text"));
    expect_parts(texts(telegram_, "text"), 4096, length_unit::utf16, "Telegram");

    // OneBot: the same through send_group_msg, at most 1,500 characters a part.
    const auto on_qq = onebot("未报");
    EXPECT_NE(on_qq.status, 500u);
    EXPECT_EQ(on_qq.body.find("未报抗原"), std::string::npos) << on_qq.body;
    ASSERT_TRUE(wait_parts(onebot_, "message"));  // a QQ group takes one a second
    expect_parts(texts(onebot_, "message"), 1500, length_unit::characters, "OneBot");
    for (const auto& r : onebot_.received()) {
        EXPECT_EQ(r.target, "/send_group_msg");
    }
}

}  // namespace
}  // namespace loudong::testing
