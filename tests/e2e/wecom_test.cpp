// WeCom's AI bot (SPEC §9, issue 15) over real HTTP: the callback URL is verified by GET, each
// encrypted callback is answered with an encrypted finished stream, and notices reach a WeCom
// chat through the group robot webhook the committee bound, on a fake robot on loopback.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "bot/platforms/wecom_crypto.hpp"
#include "platform_chats.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using namespace std::chrono_literals;
using verb = bot::http::verb;

const std::string token = "QDG6eK";
const std::string aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const std::string robot_key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

std::string url_encoded(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    }
    return out;
}

class WecomAiBot : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.compounds["zijing"] = {"紫荆小区", {"wecom:zhangwei"}};
        cfg.wecom.enabled = true;
        cfg.wecom.token = token;
        cfg.wecom.encoding_aes_key = aes_key;
        cfg.wecom.webhook_base = robot_.url("/cgi-bin/webhook/send");
        start(cfg);
    }

    /// `user` says `text` to the bot (@楼栋助手 first, as WeCom writes it) in `chat` ("" for a
    /// one-to-one chat); the HTTP answer.
    http_reply post_wecom(const std::string& chat, const std::string& user,
                          const std::string& text) {
        auto message = json::parse(fixture("wecom/text_message.json"));
        message["msgid"] = "msg-" + std::to_string(++sent_);
        message["from"]["userid"] = user;
        message.erase("quote");
        if (chat.empty()) {
            message["chattype"] = "single";
            message.erase("chatid");
            message["text"]["content"] = text;
        } else {
            message["chatid"] = chat;
            message["text"]["content"] = "@楼栋助手 " + text;
        }
        const auto encrypted = crypto_.encrypt(message.dump(), "0123456789abcdef");
        const std::string timestamp = "1732838400";
        const std::string nonce = "n" + std::to_string(sent_);
        return http_call(
            port_, verb::post,
            "/hook/wecom?msg_signature=" + crypto_.signature(timestamp, nonce, encrypted) +
                "&timestamp=" + timestamp + "&nonce=" + nonce,
            json{{"encrypt", encrypted}}.dump());
    }

    /// The text of the bot's encrypted stream answer to one message.
    std::string say_wecom(const std::string& chat, const std::string& user,
                          const std::string& text) {
        const auto reply = post_wecom(chat, user, text);
        EXPECT_EQ(reply.status, 200u) << reply.body;
        if (reply.body.empty()) {
            return {};
        }
        const auto envelope = json::parse(reply.body);
        EXPECT_EQ(envelope["msgsignature"],
                  crypto_.signature(envelope["timestamp"].get<std::string>(),
                                    envelope["nonce"].get<std::string>(),
                                    envelope["encrypt"].get<std::string>()));
        const auto plain = json::parse(*crypto_.decrypt(envelope["encrypt"].get<std::string>()));
        EXPECT_EQ(plain["msgtype"], "stream");
        EXPECT_EQ(plain["stream"]["finish"], true);
        return plain["stream"]["content"];
    }

    /// The texts the group robot with this key received, in order.
    std::vector<std::string> robot_texts(const std::string& key) {
        std::vector<std::string> out;
        for (const auto& r : robot_.received()) {
            if (r.target == "/cgi-bin/webhook/send?key=" + key) {
                const auto body = json::parse(r.body);
                EXPECT_EQ(body["msgtype"], "text");
                out.push_back(body["text"]["content"]);
            }
        }
        return out;
    }

    bot::wecom_crypto crypto_{token, aes_key};
    fake_platform robot_;
    int sent_ = 0;
};

TEST_F(WecomAiBot, TheCallbackUrlIsVerifiedAndUnsignedCallbacksRefused) {
    const auto echo = json::parse(fixture("wecom/echostr.encrypted.json"));
    const auto verified =
        http_call(port_, verb::get,
                  "/hook/wecom?msg_signature=" + echo["msg_signature"].get<std::string>() +
                      "&timestamp=1409659813&nonce=263014780&echostr=" +
                      url_encoded(echo["encrypt"].get<std::string>()));
    EXPECT_EQ(verified.status, 200u);
    EXPECT_EQ(verified.body, "1616140317555161061");
    EXPECT_EQ(http_call(port_, verb::get, "/hook/wecom?echostr=abc").status, 401u);

    const auto body =
        json{{"encrypt", crypto_.encrypt(fixture("wecom/text_message.json"), "0123456789abcdef")}}
            .dump();
    EXPECT_EQ(http_call(port_, verb::post, "/hook/wecom?timestamp=1&nonce=2", body).status, 401u);
    EXPECT_EQ(
        http_call(port_, verb::post,
                  "/hook/wecom?msg_signature=" + std::string(40, '0') + "&timestamp=1&nonce=2",
                  body)
            .status,
        401u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(WecomAiBot, RepliesAreEncryptedStreamsAndNoticesGoThroughTheGroupRobot) {
    // Bound without a robot: the committee is told how to add one.
    const auto bound = say_wecom("wrkCOMMITTEE", "zhangwei", "绑定 居委会");
    EXPECT_NE(bound.find("居委会"), std::string::npos) << bound;
    EXPECT_NE(bound.find("群机器人"), std::string::npos) << bound;
    const auto keyed = say_wecom("wrkCOMMITTEE", "zhangwei", "绑定 居委会 webhook " + robot_key);
    EXPECT_NE(keyed.find("已记下本群机器人"), std::string::npos) << keyed;
    EXPECT_EQ(keyed.find(robot_key), std::string::npos) << "the key is not echoed";
    const auto bad = say_wecom("wrkBLDG3", "zhangwei", "绑定 3号楼 webhook key?with&stuff");
    EXPECT_NE(bad.find("看不懂"), std::string::npos) << bad;
    say_wecom("wrkBLDG3", "zhangwei", "绑定 3号楼 webhook robot3-key-0001");
    // A resident registers, and asks privately.
    EXPECT_EQ(say_wecom("wrkBLDG3", "liuyang", "登记 3-502"), "已登记：3号楼502室。");
    EXPECT_NE(say_wecom("", "liuyang", "我的").find("3号楼502室"), std::string::npos);
    // Someone who is not the committee cannot bind a robot.
    EXPECT_NE(
        say_wecom("wrkBLDG3", "liuyang", "绑定 3号楼 webhook robot3-key-9999").find("仅限居委会"),
        std::string::npos);

    say_wecom("wrkCOMMITTEE", "zhangwei", "通知 全部 明天上午8点核酸");
    ASSERT_TRUE(robot_.wait_for(1));
    const auto texts = robot_texts("robot3-key-0001");
    ASSERT_EQ(texts.size(), 1u);
    EXPECT_NE(texts[0].find("明天上午8点核酸"), std::string::npos) << texts[0];
    EXPECT_TRUE(robot_texts("robot3-key-9999").empty());
}

TEST_F(WecomAiBot, ARobotThatSaysTooFastIsWaitedFor) {
    say_wecom("wrkCOMMITTEE", "zhangwei", "绑定 居委会 webhook " + robot_key);
    say_wecom("wrkBLDG3", "zhangwei", "绑定 3号楼 webhook robot3-key-0001");
    // The group robot's own refusal: 200 with errcode 45009.
    robot_.script({{200, R"({"errcode":45009,"errmsg":"api freq out of limit"})", {}}});
    say_wecom("wrkCOMMITTEE", "zhangwei", "通知 3 今天停水");
    ASSERT_TRUE(
        eventually("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts = 1 "
                   "AND last_error LIKE '429 WeCom errcode 45009%'",
                   1));
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'failed'"), 0);
}

}  // namespace
}  // namespace loudong::testing
