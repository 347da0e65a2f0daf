// The real server on a loopback port with a real SQLite file, spoken to over real HTTP.
#include "bot/server.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bot/platforms/signature.hpp"
#include "server_fixture.hpp"

namespace loudong::bot {
namespace {

using loudong::testing::http_call;
using json = nlohmann::json;
using verb = http::verb;
using Server = loudong::testing::running_server;

TEST_F(Server, RegisterThenMeOverHttp) {
    start();
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-502a", "登记 3号楼 502"), "已登记：3号楼502室。");
    EXPECT_EQ(say("bldg-3", "u-502a", "/me"), "王阿姨：3号楼502室");
    EXPECT_EQ(say("bldg-3", "u-502a", "大家好"), "");
}

TEST_F(Server, ARepeatDeliveryGetsTheSameReplyAndWritesOneRow) {
    start();
    const auto body = message("retry-1", "bldg-3", "u-1", "登记 3-502");
    const auto first = post(body);
    const auto second = post(body);
    EXPECT_EQ(first.status, 200u);
    EXPECT_EQ(second.status, 200u);
    EXPECT_EQ(first.body, second.body);
    EXPECT_EQ(count("SELECT COUNT(*) FROM processed_messages WHERE message_id = 'retry-1'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE room = '502'"), 1);
}

TEST_F(Server, SignaturesAreCheckedWhenASecretIsSet) {
    config cfg;
    cfg.generic.secret = "s3cret";
    start(cfg);
    const auto body = message("m-1", "bldg-3", "u-1", "登记 3-502");
    EXPECT_EQ(post(body).status, 401u);
    EXPECT_EQ(post(body, {{"X-Loudong-Signature", "sha256=00"}}).status, 401u);
    const auto wrong = "sha256=" + hmac_hex(digest::sha256, "other", body);
    EXPECT_EQ(post(body, {{"X-Loudong-Signature", wrong}}).status, 401u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
    const auto good = "sha256=" + hmac_hex(digest::sha256, "s3cret", body);
    const auto reply = post(body, {{"X-Loudong-Signature", good}});
    EXPECT_EQ(reply.status, 200u);
    EXPECT_NE(reply.body.find("3号楼502室"), std::string::npos);
}

TEST_F(Server, MalformedJsonAndMissingFieldsGet400NamingTheProblem) {
    start();
    auto reply = post(R"({"message_id":"m-1","chat_id":)");
    EXPECT_EQ(reply.status, 400u);
    EXPECT_NE(json::parse(reply.body)["error"].get<std::string>().find("malformed JSON"),
              std::string::npos);
    reply = post(R"({"message_id":"m-1","chat_id":"c","sender":{"id":"u"}})");
    EXPECT_EQ(reply.status, 400u);
    EXPECT_NE(json::parse(reply.body)["error"].get<std::string>().find("\"text\""),
              std::string::npos);
    reply = post(
        "{\"message_id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"\xc3\x28\"}");
    EXPECT_EQ(reply.status, 400u);
    EXPECT_TRUE(json::accept(reply.body));
}

TEST_F(Server, OversizeBodiesGet413AndTheServerKeepsServing) {
    start();
    const std::string huge = message("m-big", "bldg-3", "u-1", std::string(70 * 1024, 'a'));
    EXPECT_EQ(post(huge).status, 413u);
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "已登记：3号楼502室。");
}

TEST_F(Server, UnknownPathsAndWrongMethods) {
    start();
    EXPECT_EQ(http_call(port_, verb::get, "/nowhere").status, 404u);
    const auto wrong = http_call(port_, verb::get, "/hook/generic");
    EXPECT_EQ(wrong.status, 405u);
    EXPECT_EQ(wrong.headers.at("Allow"), "POST");
    EXPECT_EQ(http_call(port_, verb::post, "/healthz", "{}").status, 405u);
}

TEST_F(Server, HealthzAndMetrics) {
    start();
    const auto health = http_call(port_, verb::get, "/healthz");
    EXPECT_EQ(health.status, 200u);
    EXPECT_EQ(json::parse(health.body), json({{"status", "ok"}}));
    say("bldg-3", "u-1", "登记 3-502");
    say("bldg-3", "u-1", "/foo");
    const auto metrics = http_call(port_, verb::get, "/metrics");
    EXPECT_EQ(metrics.status, 200u);
    EXPECT_NE(metrics.headers.at("Content-Type").find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("loudong_commands_total{command=\"register\"} 1"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("loudong_commands_total{command=\"unknown\"} 1"),
              std::string::npos);
    EXPECT_NE(
        metrics.body.find("loudong_http_requests_total{route=\"/hook/generic\",status=\"200\"} 2"),
        std::string::npos);
    EXPECT_NE(metrics.body.find("loudong_http_request_seconds_bucket"), std::string::npos);
    // Every group commit is timed: as many COMMITs in the histogram as batches, at least one
    // per message here (each said() waits for its answer), none slower than +Inf.
    const auto value = [&](const std::string& name) {
        const auto at = metrics.body.find("\n" + name + " ");
        EXPECT_NE(at, std::string::npos) << name;
        return at == std::string::npos ? -1.0
                                       : std::stod(metrics.body.substr(at + name.size() + 2));
    };
    const auto batches = value("loudong_write_batches_total");
    EXPECT_GE(batches, 2);
    EXPECT_EQ(value("loudong_commit_seconds_count"), batches);
    EXPECT_EQ(value("loudong_commit_seconds_bucket{le=\"+Inf\"}"), batches);
    EXPECT_GT(value("loudong_commit_seconds_sum"), 0);
}

TEST_F(Server, ConcurrentMessagesAreAllCommittedAndAnswered) {
    start();
    constexpr int clients = 8;
    constexpr int per_client = 25;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    say("bldg-3", "u-admin", "绑定 3号楼");
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            for (int i = 0; i < per_client; ++i) {
                const auto user = "u-" + std::to_string(c) + "-" + std::to_string(i);
                const auto reply = post(message(
                    user, "bldg-3", user, "登记 3-" + std::to_string(100 + c * per_client + i)));
                if (reply.status == 200 && reply.body.find("已登记") != std::string::npos) {
                    ++ok;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), clients * per_client);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE room IS NOT NULL"), clients * per_client);
}

// SPEC §8 item 10: listening beyond this machine, /hook/generic needs generic.secret; the
// platforms without a section are not there at all.
TEST_F(Server, OnANonLoopbackListenTheGenericHookWithoutASecretIs404) {
    bot::config cfg;
    cfg.listen = "0.0.0.0";
    start(cfg);
    const auto reply = post(message("m-1", "bldg-3", "u-admin", "绑定 3号楼"));
    EXPECT_EQ(reply.status, 404u) << reply.body;
    for (const auto* path : {"/hook/onebot", "/hook/telegram"}) {
        EXPECT_EQ(http_call(port_, verb::post, path, "{}").status, 404u) << path;
    }
    EXPECT_EQ(http_call(port_, verb::get, "/healthz").status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats"), 0);
}

TEST_F(Server, CommitteeEditsATemplateInChatAndTheNextReplyUsesIt) {
    start();
    EXPECT_NE(say("c", "u-admin", "/template register.done set {{building}}-{{room}} 好了")
                  .find("已更新"),
              std::string::npos);
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "3-502 好了");
}

}  // namespace
}  // namespace loudong::bot
