// OneBot v11 and Telegram payloads, as the platforms send them (tests/fixtures/), through the
// real server; and the outbox calling each platform's API on a fake platform server.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "../support/fixtures.hpp"
#include "bot/platforms/signature.hpp"
#include "platform_chats.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using verb = bot::http::verb;

class Platforms : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        use_onebot(cfg, platform_.url());
        cfg.onebot.access_token = "qq-token";
        use_telegram(cfg, platform_.url());
        start(cfg);
        config_.committee.push_back("onebot:10003");
        config_.committee.push_back("telegram:5087654321");
        restart();
    }

    http_reply onebot(const std::string& body, bool sign = true) {
        std::map<std::string, std::string> headers;
        if (sign) {
            headers = onebot_signature(body);
        }
        return http_call(port_, verb::post, "/hook/onebot", body, headers);
    }

    http_reply telegram(const std::string& body, const std::string& token = "tg-secret") {
        return http_call(port_, verb::post, "/hook/telegram", body,
                         {{"X-Telegram-Bot-Api-Secret-Token", token}});
    }

    /// A OneBot group message event with this text from this QQ number.
    static std::string onebot_text(const std::string& text, std::int64_t user, std::int64_t id) {
        auto event = json::parse(fixture("onebot/group_message_cq_string.json"));
        event["message"] = text;
        event["raw_message"] = text;
        event["user_id"] = user;
        event["sender"]["user_id"] = user;
        event["message_id"] = id;
        return event.dump();
    }

    /// The committee (telegram:5087654321) binds the chat of this Telegram fixture to 3号楼, so
    /// that residents register there (SPEC §8 item 1).
    void bind_telegram_chat(const std::string& name) {
        auto update = json::parse(fixture(name));
        auto& message = update["message"];
        message.erase("caption");
        message.erase("photo");
        message.erase("entities");
        message["text"] = "绑定 3号楼";
        message["from"]["id"] = 5087654321;
        message["message_id"] = message["message_id"].get<std::int64_t>() + 100000;
        ASSERT_NE(
            json::parse(telegram(update.dump()).body)["text"].get<std::string>().find("3号楼群"),
            std::string::npos);
    }

    fake_platform platform_;
};

TEST_F(Platforms, OnebotGroupMessageGetsAQuickReplyThatDoesNotAtTheSender) {
    // The committee (onebot:10003) binds the group first.
    ASSERT_NE(onebot(onebot_text("绑定 3号楼", 10003, 77)).body.find("3号楼群"), std::string::npos);
    const auto reply = onebot(fixture("onebot/group_message_cq_string.json"));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(json::parse(reply.body),
              json({{"reply", "已登记：3号楼502室。"}, {"at_sender", false}}));
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE platform = 'onebot' AND user_id = '10001' "
                    "AND building = '3' AND room = '502'"),
              1);
}

TEST_F(Platforms, OnebotRetriesGetTheFirstAnswerAndChangeNothing) {
    const auto first = onebot(fixture("onebot/group_message_cq_string.json"));
    const auto again = onebot(fixture("onebot/group_message_cq_string.json"));
    EXPECT_EQ(first.body, again.body);
    EXPECT_EQ(count("SELECT COUNT(*) FROM processed_messages WHERE platform = 'onebot'"), 1);
}

TEST_F(Platforms, OnebotSignaturesMissingGive401AndWrongGive403) {
    const auto body = fixture("onebot/group_message_cq_string.json");
    EXPECT_EQ(onebot(body, false).status, 401u);
    EXPECT_EQ(http_call(port_, verb::post, "/hook/onebot", body, {{"X-Signature", "sha1=deadbeef"}})
                  .status,
              403u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(Platforms, OnebotMetaNoticeAndRequestEventsAreAcknowledgedAndIgnored) {
    for (const auto* name : {"onebot/meta_heartbeat.json", "onebot/meta_lifecycle.json",
                             "onebot/notice_group_increase.json", "onebot/request_friend.json",
                             "onebot/message_sent.json"}) {
        const auto reply = onebot(fixture(name));
        EXPECT_EQ(reply.status, 204u) << name;
        EXPECT_TRUE(reply.body.empty()) << name;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(Platforms, OnebotArraySegmentsWithMentionsGrantARole) {
    // A mention names someone the bot has seen (SPEC §8 item 5): first, 10002 says 我的.
    auto seen = json::parse(fixture("onebot/group_message_array.json"));
    seen["user_id"] = 10002;
    seen["sender"]["user_id"] = 10002;
    seen["message_id"] = 361878600;
    seen["message"] = json::array({{{"type", "text"}, {"data", {{"text", "我的"}}}}});
    ASSERT_EQ(onebot(seen.dump()).status, 200u);
    const auto reply = onebot(fixture("onebot/group_message_array.json"));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_NE(json::parse(reply.body)["reply"].get<std::string>().find("（10002）"),
              std::string::npos)
        << reply.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles r JOIN members m ON m.id = r.member_id "
                    "WHERE m.platform = 'onebot' AND m.user_id = '10002' AND r.role = 'volunteer'"),
              1);
}

TEST_F(Platforms, TelegramCommandsForThisBotGetASendMessageCall) {
    bind_telegram_chat("telegram/supergroup_command.json");
    const auto reply = telegram(fixture("telegram/supergroup_command.json"));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto body = json::parse(reply.body);
    EXPECT_EQ(body["method"], "sendMessage");
    EXPECT_EQ(body["chat_id"], -1001987654321);
    EXPECT_EQ(body["text"], "已登记：3号楼502室。");
    EXPECT_EQ(body["reply_to_message_id"], 1204);
}

TEST_F(Platforms, TelegramWrongSecretIs401AndOtherUpdatesAreAcknowledged) {
    EXPECT_EQ(telegram(fixture("telegram/supergroup_command.json"), "nope").status, 401u);
    for (const auto* name : {"telegram/edited_message.json", "telegram/my_chat_member.json"}) {
        const auto reply = telegram(fixture(name));
        EXPECT_EQ(reply.status, 200u) << name;
        EXPECT_EQ(reply.body, "{}") << name;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(Platforms, TelegramAnswersAPhotoCaptionAndACommandEndingInTheBotsName) {
    bind_telegram_chat("telegram/photo_caption.json");
    auto registration = json::parse(fixture("telegram/photo_caption.json"));
    registration["message"]["caption"] = "登记 3-502 @loudong_bot";
    registration["message"]["message_id"] = 1206;
    const auto registered = telegram(registration.dump());
    EXPECT_EQ(json::parse(registered.body)["text"], "已登记：3号楼502室。") << registered.body;
    const auto reported = telegram(fixture("telegram/photo_caption.json"));
    ASSERT_EQ(reported.status, 200u);
    const auto body = json::parse(reported.body);
    EXPECT_EQ(body["text"], "收到，3-502 今日已报。") << reported.body;
    EXPECT_EQ(body["reply_to_message_id"], 1207);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports WHERE result = 'negative'"), 1);
}

TEST_F(Platforms, AForwardedPositiveReportsNothingForTheForwarder) {
    // The forwarder lives at 3-502 (the group message fixture registers them).
    bind_telegram_chat("telegram/group_message.json");
    ASSERT_EQ(json::parse(telegram(fixture("telegram/group_message.json")).body)["text"],
              "已登记：3号楼502室。");
    const auto forwarded = telegram(fixture("telegram/forwarded_message.json"));
    EXPECT_EQ(forwarded.status, 200u);
    EXPECT_EQ(forwarded.body, "{}");
    auto merged = json::parse(fixture("onebot/group_message_forward.json"));
    EXPECT_EQ(onebot(merged.dump()).status, 204u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM antigen_reports"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

// SPEC §8 item 5: a tap-mention or an @username the bot has seen names a member; a name the bot
// has not seen is refused and creates nobody.
TEST_F(Platforms, TelegramMentionsNameMembersTheBotHasSeen) {
    const auto from = [&](std::int64_t id, const std::string& username, const std::string& text,
                          std::int64_t message_id) {
        auto update = json::parse(fixture("telegram/supergroup_command.json"));
        update["message"]["from"]["id"] = id;
        update["message"]["from"]["first_name"] = "王阿姨";
        update["message"]["from"]["username"] = username;
        if (username.empty()) {
            update["message"]["from"].erase("username");
        }
        update["message"]["text"] = text;
        update["message"]["message_id"] = message_id;
        update["message"].erase("entities");
        return json::parse(telegram(update.dump()).body).value("text", std::string());
    };
    const auto unknown = from(5087654321, "lin_3_1201", "授权 @wang_ayi 志愿者", 2001);
    EXPECT_EQ(unknown.find("找不到“wang_ayi”"), 0u) << unknown;
    from(5087650001, "", "我的", 2002);
    from(5087650002, "Wang_Ayi", "我的", 2003);
    EXPECT_EQ(json::parse(telegram(fixture("telegram/text_mention.json")).body)["text"],
              "已授予 王阿姨（5087650001）志愿者身份。");
    EXPECT_EQ(from(5087654321, "lin_3_1201", "授权 @wang_ayi 楼组长 3号楼", 2004),
              "已授予 王阿姨（5087650002）楼组长身份（负责3号楼）。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE platform = 'telegram'"), 3);
}

TEST_F(Platforms, TheSameNumberOnTwoPlatformsIsTwoPeople) {
    onebot(onebot_text("登记 3-502", 5087654321, 1));
    telegram(fixture("telegram/supergroup_command.json"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE user_id = '5087654321'"), 2);
}

TEST_F(Platforms, NoticesGoOutThroughEachPlatformsApi) {
    const auto bound = onebot(onebot_text("绑定 3号楼", 10003, 77));
    EXPECT_NE(bound.body.find("3号楼群"), std::string::npos) << bound.body;
    auto update = json::parse(fixture("telegram/supergroup_command.json"));
    update["message"]["text"] = "/bind@loudong_bot 3";
    update["message"]["message_id"] = 1300;
    EXPECT_NE(telegram(update.dump()).body.find("3号楼群"), std::string::npos);

    say("committee", "u-admin", "通知 3 明天停水，请提前储水");
    ASSERT_TRUE(platform_.wait_for(2));
    std::map<std::string, fake_platform::request> by_path;
    for (const auto& r : platform_.received()) {
        by_path[r.target] = r;
    }
    ASSERT_TRUE(by_path.contains("/send_group_msg"));
    const auto qq = by_path["/send_group_msg"];
    EXPECT_EQ(qq.headers.at("Authorization"), "Bearer qq-token");
    EXPECT_EQ(json::parse(qq.body), json({{"group_id", 610254837},
                                          {"message", "【居委会通知】明天停水，请提前储水"},
                                          {"auto_escape", true}}));
    ASSERT_TRUE(by_path.contains("/bot123:ABC/sendMessage"));
    EXPECT_EQ(json::parse(by_path["/bot123:ABC/sendMessage"].body),
              json({{"chat_id", -1001987654321}, {"text", "【居委会通知】明天停水，请提前储水"}}));
}

// A group upgraded to a supergroup (SPEC §9): its binding, its members and its queued messages
// follow the new id, whether Telegram's service message or its refusal of a send says so first.
TEST_F(Platforms, AnUpgradedTelegramGroupKeepsItsBindingAndItsMessages) {
    auto update = json::parse(fixture("telegram/group_message.json"));
    update["message"]["text"] = "绑定 3号楼";
    update["message"]["from"]["id"] = 5087654321;
    ASSERT_NE(telegram(update.dump()).body.find("3号楼群"), std::string::npos);
    ASSERT_NE(telegram(fixture("telegram/group_message.json")).body.find("已登记"),
              std::string::npos);
    // The platform refuses the old id for good and names the new one.
    platform_.refuse_chat(
        "-4012345678",
        {400,
         R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1002012345678}})",
         {}});
    say("committee", "u-admin", "通知 3 明天停水");
    ASSERT_TRUE(platform_.wait_for(1));
    const auto sent = json::parse(platform_.received().front().body);
    EXPECT_EQ(sent["chat_id"], -1002012345678);
    EXPECT_EQ(sent["text"], "【居委会通知】明天停水");
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE chat_id = '-1002012345678' AND "
                    "kind = 'building' AND building = '3'"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE registered_chat = '-1002012345678'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'failed'"), 0);
    // The service messages arrive afterwards: acknowledged, nothing moves twice.
    EXPECT_EQ(telegram(fixture("telegram/group_migrated.json")).status, 200u);
    EXPECT_EQ(telegram(fixture("telegram/supergroup_migrated_from.json")).status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE kind = 'building'"), 1);
}

TEST_F(Platforms, TheUpgradeMessageMovesAGroupBeforeAnythingIsSent) {
    auto update = json::parse(fixture("telegram/group_message.json"));
    update["message"]["text"] = "绑定 3号楼";
    update["message"]["from"]["id"] = 5087654321;
    ASSERT_NE(telegram(update.dump()).body.find("3号楼群"), std::string::npos);
    EXPECT_EQ(telegram(fixture("telegram/group_migrated.json")).status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE chat_id = '-1002012345678' AND "
                    "building = '3'"),
              1);
    say("committee", "u-admin", "通知 3 明天停水");
    ASSERT_TRUE(platform_.wait_for(1));
    EXPECT_EQ(json::parse(platform_.received().front().body)["chat_id"], -1002012345678);
    EXPECT_TRUE(platform_.refused().empty());
}

// A forum: one topic per building, each bound on its own; answers and notices in the topic.
TEST_F(Platforms, EachForumTopicIsBoundToItsOwnBuilding) {
    auto topic = [](int thread, const std::string& text, int id) {
        auto update = json::parse(fixture("telegram/forum_topic_message.json"));
        update["update_id"] = 810472400 + id;
        update["message"]["message_id"] = 400 + id;
        update["message"]["message_thread_id"] = thread;
        update["message"]["text"] = text;
        return update.dump();
    };
    const auto three = json::parse(telegram(topic(85, "绑定 3号楼", 1)).body);
    EXPECT_EQ(three["message_thread_id"], 85);
    EXPECT_NE(three["text"].get<std::string>().find("3号楼群"), std::string::npos);
    const auto five = json::parse(telegram(topic(90, "绑定 5号楼", 2)).body);
    EXPECT_EQ(five["message_thread_id"], 90);
    EXPECT_NE(five["text"].get<std::string>().find("5号楼群"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE kind = 'building'"), 2);

    say("committee", "u-admin", "通知 5 5号楼今天下午消杀");
    ASSERT_TRUE(platform_.wait_for(1));
    const auto sent = json::parse(platform_.received().front().body);
    EXPECT_EQ(sent["chat_id"], -1002098765432);
    EXPECT_EQ(sent["message_thread_id"], 90);
}

// go-cqhttp refuses a private message to someone who is not the bot's friend (retcode 100):
// the advice after a positive report opens a temporary session from the group the resident
// registered in (SPEC §9).
TEST_F(Platforms, APrivateOnebotMessageComesFromTheResidentsGroup) {
    ASSERT_NE(onebot(onebot_text("绑定 3号楼", 10003, 77)).body.find("3号楼群"), std::string::npos);
    ASSERT_NE(onebot(fixture("onebot/group_message_cq_string.json")).body.find("已登记"),
              std::string::npos);
    const auto group = json::parse(fixture("onebot/group_message_cq_string.json"))["group_id"];
    onebot(onebot_text("抗原 阳性", 10001, 78));
    ASSERT_TRUE(platform_.wait_for(1));
    std::vector<json> private_sends;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (private_sends.empty() && std::chrono::steady_clock::now() < deadline) {
        for (const auto& r : platform_.received()) {
            const auto body = json::parse(r.body);
            if (r.target == "/send_private_msg" && body["user_id"] == 10001) {
                private_sends.push_back(body);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(private_sends.size(), 1u);
    EXPECT_EQ(private_sends[0]["group_id"], group);
    EXPECT_EQ(private_sends[0]["auto_escape"], true);
}

// A OneBot send that fails for now (the implementation restarting: 502, or no answer) is tried
// again like any platform's, and arrives once.
TEST_F(Platforms, AFailedOnebotSendIsRetriedUntilItArrives) {
    ASSERT_NE(onebot(onebot_text("绑定 3号楼", 10003, 77)).body.find("3号楼群"), std::string::npos);
    platform_.script({{502, "bad gateway", {}}, {503, "", {}}});
    say("committee", "u-admin", "通知 3 明天停水");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (platform_.received().empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(platform_.received().size(), 1u);
    EXPECT_EQ(platform_.received().front().target, "/send_group_msg");
    EXPECT_EQ(platform_.refused().size(), 2u);
    // The row is marked sent just after the platform answered: wait for that too.
    while (count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(count("SELECT attempts FROM outbox WHERE state = 'sent'"), 3);
}

// Lagrange.OneBot and LLOneBot before 3.19.1 ignore the quick operation: with "reply": "api"
// every answer goes through send_group_msg, and the webhook's answer carries nothing.
class OnebotRepliesByApi : public Platforms {
protected:
    void SetUp() override {
        bot::config cfg;
        use_onebot(cfg, platform_.url());
        cfg.onebot.reply = "api";
        start(cfg);
        config_.committee.push_back("onebot:10003");
        restart();
    }

    /// The texts send_group_msg received for a group, in order.
    std::vector<std::string> group_texts(std::int64_t group) {
        std::vector<std::string> out;
        for (const auto& r : platform_.received()) {
            const auto body = json::parse(r.body, nullptr, false);
            if (r.target == "/send_group_msg" && body.value("group_id", json()) == group) {
                out.push_back(body["message"]);
            }
        }
        return out;
    }
};

TEST_F(OnebotRepliesByApi, EveryAnswerGoesThroughSendGroupMsg) {
    const auto group = json::parse(fixture("onebot/group_message_cq_string.json"))["group_id"];
    const auto bind = onebot(onebot_text("绑定 3号楼", 10003, 77));
    EXPECT_EQ(bind.status, 204u) << bind.body;
    EXPECT_TRUE(bind.body.empty()) << bind.body;
    const auto registered = onebot(fixture("onebot/group_message_cq_string.json"));
    EXPECT_EQ(registered.status, 204u) << registered.body;
    ASSERT_TRUE(platform_.wait_for(2));
    const auto texts = group_texts(group.get<std::int64_t>());
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_NE(texts[0].find("3号楼群"), std::string::npos) << texts[0];
    EXPECT_EQ(texts[1], "已登记：3号楼502室。");
    // What residents typed is never read as CQ codes on the way out.
    for (const auto& r : platform_.received()) {
        EXPECT_EQ(json::parse(r.body)["auto_escape"], true);
    }
}

}  // namespace
}  // namespace loudong::testing
