// QQ's official bot API v2 (SPEC §9, issue 15) over real HTTP: events signed with Ed25519 reach
// /hook/qq and are acknowledged with op 12; every reply goes to a fake QQ OpenAPI on loopback as
// a passive message (msg_id, msg_seq) with a token fetched once from a fake token endpoint; a
// notice goes out as active messages, and a group whose owner has not allowed them is shown
// in 通知 状态 with the platform's reason.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "platform_chats.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using namespace std::chrono_literals;
using verb = bot::http::verb;

const std::string committee_chat = "C0MM1TTEE0000000000000000000000A";
const std::string building3 = "C9F778FE6ADF9D1D1DBE395BF744A33A";
const std::string building5 = "B5B5B5B5B5B5B5B5B5B5B5B5B5B5B5B5";
const std::string admin = "AD0000000000000000000000000000AD";
const std::string resident = "E4F4AEA33253A2797FB897C50B81D7ED";

class QqOfficialBot : public running_server {
protected:
    void SetUp() override {
        api_.answer_path("/app/getAppAccessToken",
                         {200, R"({"access_token":"tok-1","expires_in":"7200"})", {}});
        bot::config cfg;
        cfg.compounds["zijing"] = {"紫荆小区", {"qq:" + admin}};
        use_qq(cfg, api_.url());
        start(cfg);
    }

    http_reply post_qq(const std::string& body) {
        return http_call(port_, verb::post, "/hook/qq", body, qq_signature(body));
    }

    /// Says `text` in a group and returns the message id it was sent with.
    std::string say_qq(const std::string& group, const std::string& member,
                       const std::string& text) {
        const auto body = qq_group_event(group, member, text, ++sent_);
        const auto reply = post_qq(body);
        EXPECT_EQ(reply.status, 200u) << reply.body;
        EXPECT_EQ(json::parse(reply.body, nullptr, false), json::parse(R"({"op":12,"d":0})"));
        return "ROBOT1.0_msg" + std::to_string(sent_);
    }

    /// The messages the OpenAPI received for a group, in order.
    std::vector<json> sent_to(const std::string& group) {
        std::vector<json> out;
        for (const auto& r : api_.received()) {
            if (r.target == "/v2/groups/" + group + "/messages") {
                out.push_back(json::parse(r.body));
            }
        }
        return out;
    }

    /// Waits until a group has received `count` messages; the last one.
    json reply_in(const std::string& group, std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (sent_to(group).size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
        }
        const auto found = sent_to(group);
        EXPECT_GE(found.size(), count) << "group " << group;
        return found.size() >= count ? found[count - 1] : json();
    }

    int token_requests() {
        int n = 0;
        for (const auto& r : api_.received()) {
            n += r.target == "/app/getAppAccessToken";
        }
        return n;
    }

    fake_platform api_;
    int sent_ = 0;
};

TEST_F(QqOfficialBot, ValidatesTheCallbackUrlAndRefusesWhatItDidNotSign) {
    const auto validation = fixture("qq/validation.json");
    const auto answer = post_qq(validation);
    ASSERT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(json::parse(answer.body)["signature"],
              "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85"
              "e85205028a1132afe09280305f13aa6909ffc2d652c706");

    // Unsigned, or signed by another secret: refused, nothing stored, nothing sent.
    const auto body = qq_group_event(building3, admin, "绑定 3号楼", 900);
    EXPECT_EQ(http_call(port_, verb::post, "/hook/qq", body).status, 401u);
    auto forged = qq_signature(body);
    forged["X-Signature-Timestamp"] = "1733384469";
    EXPECT_EQ(http_call(port_, verb::post, "/hook/qq", body, forged).status, 401u);
    EXPECT_EQ(http_call(port_, verb::post, "/hook/qq", validation).status, 401u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats"), 0);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(api_.received().empty());
}

TEST_F(QqOfficialBot, RepliesArePassiveMessagesThroughTheOpenApi) {
    const auto bind = say_qq(building3, admin, "绑定 3号楼");
    const auto first = reply_in(building3, 1);
    EXPECT_EQ(first["msg_id"], bind);
    EXPECT_EQ(first["msg_seq"], 1);
    EXPECT_EQ(first["msg_type"], 0);
    EXPECT_NE(first["content"].get<std::string>().find("3号楼"), std::string::npos) << first.dump();
    const auto request = api_.received().back();
    EXPECT_EQ(request.headers.at("Authorization"), "QQBot tok-1");
    EXPECT_EQ(request.headers.at("X-Union-Appid"), "102000001");

    const auto registration = say_qq(building3, resident, "登记 3-502");
    const auto second = reply_in(building3, 2);
    EXPECT_EQ(second["msg_id"], registration);
    EXPECT_EQ(second["msg_seq"], 1);
    EXPECT_NE(second["content"].get<std::string>().find("502"), std::string::npos) << second.dump();

    // QQ may deliver a message twice: acknowledged again, answered once.
    const auto repeat = qq_group_event(building3, resident, "登记 3-502", sent_);
    EXPECT_EQ(post_qq(repeat).status, 200u);
    say_qq(building3, resident, "我的");
    reply_in(building3, 3);
    std::this_thread::sleep_for(300ms);
    int answers = 0;
    for (const auto& m : sent_to(building3)) {
        answers += m["msg_id"] == registration;
    }
    EXPECT_EQ(answers, 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE platform = 'qq'"), 2);

    // One token served every send: fetched with the app id and secret, never again until it
    // nears its end.
    EXPECT_EQ(token_requests(), 1);
    for (const auto& r : api_.received()) {
        if (r.target == "/app/getAppAccessToken") {
            EXPECT_EQ(json::parse(r.body),
                      json::parse(R"({"appId":"102000001","clientSecret":"DG5g3B4j9X2KOErG"})"));
        }
    }
}

TEST_F(QqOfficialBot, AnExpiredTokenIsFetchedAgainAndTheReplyStillArrives) {
    api_.script({{401, R"({"message":"token invalid","code":11244})", {}}});
    const auto id = say_qq(building3, admin, "绑定 3号楼");
    const auto reply = reply_in(building3, 1);
    EXPECT_EQ(reply["msg_id"], id);
    EXPECT_EQ(token_requests(), 2);
    ASSERT_EQ(api_.refused().size(), 1u);
}

TEST_F(QqOfficialBot, ANoticeGoesOutActivelyAndAGroupThatRefusesIsShownWithTheReason) {
    say_qq(committee_chat, admin, "绑定 居委会");
    reply_in(committee_chat, 1);
    say_qq(building3, admin, "绑定 3号楼");
    reply_in(building3, 1);
    say_qq(building5, admin, "绑定 5号楼");
    reply_in(building5, 1);
    // 5号楼's owner has not allowed active messages: QQ refuses them.
    api_.refuse_chat(building5, {400, R"({"message":"msg limit exceed","code":22009})", {}});

    say_qq(committee_chat, admin, "通知 全部 明天上午8点核酸，请带好身份证");
    const auto notice = reply_in(building3, 2);
    EXPECT_NE(notice["content"].get<std::string>().find("明天上午8点核酸"), std::string::npos);
    EXPECT_FALSE(notice.contains("msg_id")) << "a notice answers no one's message";
    ASSERT_TRUE(eventually("SELECT COUNT(*) FROM outbox WHERE state = 'failed'", 1));

    say_qq(committee_chat, admin, "通知 状态");
    const auto status = reply_in(committee_chat, 3)["content"].get<std::string>();
    EXPECT_NE(status.find("已送达1个群，失败1个"), std::string::npos) << status;
    EXPECT_NE(status.find("5号楼没送到：QQ 22009: msg limit exceed"), std::string::npos) << status;
}

}  // namespace
}  // namespace loudong::testing
