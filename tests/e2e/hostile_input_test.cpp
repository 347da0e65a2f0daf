// Hostile and broken input against the real server: each gets a clear error or a polite reply,
// and the server keeps answering everyone else.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using verb = bot::http::verb;

class HostileInput : public running_server {
protected:
    void SetUp() override { start(); }

    /// Sends raw bytes and returns the status line of the answer (empty if none).
    std::string raw_exchange(const std::string& bytes) {
        bot::net::io_context ioc;
        bot::tcp::socket socket(ioc);
        socket.connect({bot::net::ip::make_address("127.0.0.1"), port_});
        bot::error_code ec;
        bot::net::write(socket, bot::net::buffer(bytes), ec);
        std::string answer;
        std::array<char, 4096> buffer{};
        for (;;) {
            const auto n = socket.read_some(bot::net::buffer(buffer), ec);
            answer.append(buffer.data(), n);
            if (ec || answer.find("\r\n") != std::string::npos) {
                break;
            }
        }
        return answer.substr(0, answer.find("\r\n"));
    }

    void expect_still_serving() { EXPECT_EQ(http_call(port_, verb::get, "/healthz").status, 200u); }
};

TEST_F(HostileInput, BrokenJsonOfEveryKindGets400) {
    const std::vector<std::string> bodies{
        "",
        "{",
        R"({"message_id":"m","chat_id":)",
        "null",
        "[]",
        "\"text\"",
        std::string(20000, '[') + std::string(20000, ']'),
        R"({"time":1e400})",
        "{\"message_id\":\"m\",\"chat_id\":\"c\",\"sender\":{\"id\":\"u\"},\"text\":\"\xc0\xaf\"}",
        R"({"message_id":"m","chat_id":"c","sender":{"id":"u"},"text":["登记"]})",
        R"({"message_id":"","chat_id":"c","sender":{"id":"u"},"text":"登记 3-502"})"};
    for (const auto& body : bodies) {
        const auto reply = post(body);
        EXPECT_EQ(reply.status, 400u) << body.substr(0, 60);
        EXPECT_TRUE(json::accept(reply.body)) << reply.body;
    }
    expect_still_serving();
}

TEST_F(HostileInput, HugeBodiesHeaderFloodsAndGarbageAreRefused) {
    // 10 MB announced: refused from the header, before the body is read.
    EXPECT_EQ(
        raw_exchange("POST /hook/generic HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n" +
                     std::string(1024 * 1024, 'x')),
        "HTTP/1.1 413 Payload Too Large");
    std::string flood = "POST /hook/generic HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 2000; ++i) {
        flood += "X-Flood-" + std::to_string(i) + ": " + std::string(50, 'a') + "\r\n";
    }
    flood += "Content-Length: 2\r\n\r\n{}";
    EXPECT_EQ(raw_exchange(flood), "HTTP/1.1 431 Request Header Fields Too Large");
    EXPECT_EQ(raw_exchange("\x16\x03\x01\x02\x00garbage\r\n\r\n"), "HTTP/1.1 400 Bad Request");
    expect_still_serving();
}

TEST_F(HostileInput, NulBytesLongTextsAndOddCommandsGetPoliteAnswers) {
    say("bldg-3", "u-1", "登记 3-502");
    const std::vector<std::string> texts{std::string("登记\0 3-502", 12),
                                         "下单 " + std::string(60000, '9'),
                                         "登记 " + std::string(30000, 'a'),
                                         "下单 鸡蛋 -1",
                                         "下单 鸡蛋 99999999999999999999",
                                         "揭榜 -3",
                                         "揭榜 abc",
                                         "名单",
                                         "上架 鸡蛋 -1",
                                         "通知",
                                         "/template x set {{",
                                         "核酸 all 明天 25:00 广场",
                                         "叫号",
                                         "抗原 也许",
                                         "取消 0",
                                         "/grant",
                                         "授权 @ lead"};
    for (const auto& text : texts) {
        const auto reply = post(message("odd-" + std::to_string(std::hash<std::string>{}(text)),
                                        "bldg-3", "u-1", text));
        EXPECT_EQ(reply.status, 200u) << text.substr(0, 40);
        EXPECT_TRUE(json::accept(reply.body)) << reply.body;
    }
    expect_still_serving();
}

TEST_F(HostileInput, SlowAndIdleClientsDoNotBlockOthers) {
    // A slowloris client trickling a header, and 300 idle connections.
    bot::net::io_context ioc;
    bot::tcp::socket slow(ioc);
    slow.connect({bot::net::ip::make_address("127.0.0.1"), port_});
    bot::net::write(slow, bot::net::buffer(std::string("POST /hook/generic HTTP/1.1\r\nHo")));
    std::vector<bot::tcp::socket> idle;
    for (int i = 0; i < 300; ++i) {
        idle.emplace_back(ioc);
        idle.back().connect({bot::net::ip::make_address("127.0.0.1"), port_});
    }
    for (int i = 0; i < 5; ++i) {
        bot::net::write(slow, bot::net::buffer(std::string("s")));
        EXPECT_EQ(say("bldg-3", "u-" + std::to_string(i), "登记 3-50" + std::to_string(i))
                      .rfind("已登记", 0),
                  0u);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    expect_still_serving();
}

}  // namespace
}  // namespace loudong::testing
