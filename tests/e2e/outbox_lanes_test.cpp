// The outbox's lanes and concurrency (SPEC §10) on a compound's worst day: a health alert
// overtakes queued reminders and a notice to 600 chats, on two platforms, while one chat's
// platform hangs.
#include <chrono>

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "../support/fake_platform.hpp"
#include "platform_chats.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

const std::string committee_chat = "-1001987654321";

class OutboxLanes : public running_server {
protected:
    /// Building chats bldg-1… on the generic bridge (its API the fake `bridge_`), the
    /// committee's chat on Telegram (its Bot API the fake `telegram_`).
    void start_compound(int buildings) {
        bot::config cfg;
        cfg.generic.outbound_url = bridge_.url("/send");
        use_telegram(cfg, telegram_.url());
        start(cfg);
        config_.committee.push_back("telegram:5087654321");
        restart();
        ASSERT_NE(tg_say("/bind committee").find("居委会"), std::string::npos);
        for (int b = 1; b <= buildings; ++b) {
            // A committee member sends at most 120 commands a minute (SPEC §8 item 11).
            if (b % 100 == 0) {
                advance(std::chrono::seconds(61));
            }
            say("bldg-" + std::to_string(b), "u-admin", "绑定 " + std::to_string(b) + "号楼");
        }
    }

    /// The committee member 林老师 says this in the committee's Telegram supergroup.
    std::string tg_say(const std::string& text) {
        const auto reply = http_call(port_, bot::http::verb::post, "/hook/telegram",
                                     telegram_update(text, ++updates_),
                                     {{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}});
        EXPECT_EQ(reply.status, 200u) << reply.body;
        return json::parse(reply.body).value("text", std::string());
    }

    /// Queues `count` reminders to volunteers' private Telegram chats, as a task's reminder
    /// job leaves them in the outbox (direct lane).
    void queue_reminders(int count) {
        SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        SQLite::Transaction tx(db);
        SQLite::Statement insert(db,
                                 "INSERT INTO outbox (platform, chat_id, is_private, text, lane, "
                                 "next_attempt_ms, created_at) VALUES ('telegram', ?1, 1, ?2, 1, "
                                 "0, strftime('%s', 'now'))");
        for (int i = 0; i < count; ++i) {
            insert.bind(1, std::to_string(7100000000 + i));
            insert.bind(2, "提醒：明天 08:00 大门口值守，请准时到岗。");
            insert.exec();
            insert.reset();
        }
        tx.commit();
    }

    /// When the Telegram fake received a message to the committee's chat containing `word`.
    std::optional<std::int64_t> committee_got(const std::string& word) {
        for (const auto& r : telegram_.received()) {
            const auto body = json::parse(r.body, nullptr, false);
            if (body.is_object() && body.contains("chat_id") &&
                body["chat_id"].dump() == committee_chat &&
                body.value("text", std::string()).find(word) != std::string::npos) {
                return r.at_ms;
            }
        }
        return std::nullopt;
    }

    /// Building chats the bridge delivered the notice to.
    std::size_t notices_delivered() {
        std::size_t n = 0;
        for (const auto& r : bridge_.received()) {
            if (json::parse(r.body).value("text", std::string()).starts_with("【居委会通知】")) {
                ++n;
            }
        }
        return n;
    }

    std::size_t telegram_private_sends() {
        std::size_t n = 0;
        for (const auto& r : telegram_.received()) {
            const auto body = json::parse(r.body, nullptr, false);
            if (body.is_object() && body.contains("chat_id") &&
                body["chat_id"].dump().starts_with("71")) {
                ++n;
            }
        }
        return n;
    }

    static std::int64_t steady_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   steady::now().time_since_epoch())
            .count();
    }

    fake_platform bridge_;
    fake_platform telegram_;
    int updates_ = 0;
};

TEST_F(OutboxLanes, APositiveAlertOvertakesRemindersAndANoticeWhileAChatHangs) {
    start_compound(600);
    say("bldg-3", "u-r", "登记 3-502");
    // 7号楼's chat hangs: its platform drops the connection after 12 s, past the 10 s timeout.
    bridge_.hang_chat("bldg-7", 12s);
    queue_reminders(500);
    const auto receipt = tg_say("通知 all 今晚8点全员核酸，请带好身份证");
    ASSERT_NE(receipt.find("600个楼栋群"), std::string::npos) << receipt;
    ASSERT_TRUE(bridge_.wait_for(20));  // the notice is going out

    const auto reported_at = steady_ms();
    EXPECT_NE(say("bldg-3", "u-r", "抗原 阳性").find("已"), std::string::npos);
    std::optional<std::int64_t> alerted_at;
    for (int i = 0; i < 100 && !(alerted_at = committee_got("阳性")); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    ASSERT_TRUE(alerted_at) << "no alert in the committee's chat after 5 s";
    const auto waited = *alerted_at - reported_at;
    std::printf(
        "[ figures  ] alert reached the committee's chat %lld ms after the report, "
        "behind 500 reminders and a 600-chat notice\n",
        static_cast<long long>(waited));
    EXPECT_LT(waited, 2000);

    // The other building chats get the notice while 7号楼's send hangs, and Telegram's reminders
    // keep going out at its own limit (30 a second).
    for (int i = 0; i < 300 && notices_delivered() < 599; ++i) {
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(notices_delivered(), 599u);
    EXPECT_TRUE(bridge_.texts_for("bldg-7").empty());
    const auto reminders = telegram_private_sends();
    EXPECT_GE(reminders, 30u) << "reminders sent while the bridge's chat hung";
    EXPECT_LT(reminders, 500u) << "Telegram's 30 a second cannot have sent them all yet";

    // 7号楼's platform answers again: its notice arrives once, after the timed-out try.
    bridge_.hang_chat("bldg-7", 0ms);
    ASSERT_TRUE(bridge_.wait_for_chat("bldg-7", 1, 30s));
    ASSERT_TRUE(
        eventually("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND "
                   "platform = 'generic'",
                   0));
    EXPECT_EQ(bridge_.texts_for("bldg-7"),
              std::vector<std::string>{"【居委会通知】今晚8点全员核酸，请带好身份证"});
}

}  // namespace
}  // namespace loudong::testing
