// Hostile and broken input against the real server: each gets a clear error or a polite reply,
// and the server keeps answering everyone else.
#include <sys/resource.h>

#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using verb = bot::http::verb;

class HostileInput : public running_server {
protected:
    void SetUp() override { start(); }

    /// A minute passes every 18 commands: the flood limit (20 a minute, SPEC §8 item 11) is
    /// tried on its own, not by every test that sends many commands.
    void slow_down(int sent) {
        if (sent > 0 && sent % 18 == 0) {
            advance(std::chrono::seconds(61));
        }
    }

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

    /// How many messages a handler failed on (answered with the "something went wrong" reply).
    int handler_failures() {
        const auto text = http_call(port_, verb::get, "/metrics").body;
        const std::string key = "loudong_commands_total{command=\"error\"} ";
        const auto at = text.find(key);
        return at == std::string::npos ? 0 : std::stoi(text.substr(at + key.size()));
    }
};

/// This process's resident memory in kB (the server runs in it).
long resident_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return 0;
}

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

TEST_F(HostileInput, HundredThousandCharacterTextsAreRefusedWithAClearError) {
    // No chat platform sends a message this long (Telegram stops at 4,096 characters); the
    // body is over the limit and refused before it is read, with a JSON error.
    for (const auto& text : {"下单 " + std::string(100000, '9'), std::string(100000, 'a'), [] {
                                 std::string cjk;
                                 for (int i = 0; i < 100000; ++i) {
                                     cjk += "鸡";
                                 }
                                 return "登记 " + cjk;
                             }()}) {
        const auto reply =
            post(message("long-" + std::to_string(text.size()), "bldg-3", "u-1", text));
        EXPECT_EQ(reply.status, 413u);
        EXPECT_TRUE(json::accept(reply.body)) << reply.body;
        EXPECT_NE(reply.body.find("65536"), std::string::npos) << reply.body;
    }
    expect_still_serving();
}

TEST_F(HostileInput, EveryCommandWithMissingExtraNegativeHugeAndNonNumericArguments) {
    // Every keyword of SPEC §3 (and the aliases), in Chinese and as /commands, from the
    // committee (so no permission check stops it early) and from a resident.
    const std::vector<std::string> chinese{
        "帮助",     "登记", "我的",     "绑定", "授权", "撤销", "开团",     "上架",
        "菜单",     "下单", "我的订单", "取消", "截单", "汇总", "配送单",   "送达",
        "发布任务", "任务", "揭榜",     "退出", "名单", "完成", "时长",     "核酸",
        "叫号",     "抗原", "未报",     "统计", "通知", "模板", "取消任务", "接龙",
        "报名",     "排班", "我的班次", "换班", "接班", "签到", "确认时长", "补采"};
    const std::vector<std::string> english{
        "help",      "register",  "me",           "bind",     "grant",   "revoke",   "shop",
        "item",      "menu",      "order",        "myorders", "cancel",  "close",    "summary",
        "delivery",  "delivered", "task",         "tasks",    "claim",   "unclaim",  "roster",
        "done",      "hours",     "test",         "call",     "antigen", "pending",  "stats",
        "notice",    "template",  "canceltask",   "start",    "rota",    "myshifts", "swap",
        "takeshift", "checkin",   "confirmhours", "retest"};
    const std::vector<std::string> arguments{"",
                                             " -1",
                                             " 0",
                                             " 99999999999999999999",
                                             " abc",
                                             " 一二三",
                                             " 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
                                             " 3-502 3-502 3-502",
                                             " -3号楼 -502室",
                                             " 1e308",
                                             " NaN",
                                             " 0x7fffffffffffffff",
                                             " 25:61",
                                             " @",
                                             " {{x}}",
                                             " #",
                                             " 鸡蛋 -2",
                                             " 鸡蛋 99999999999",
                                             " all 明天 99:99 广场",
                                             " 1-99999999"};
    say("bldg-3", "u-admin", "绑定 3号楼");
    say("bldg-3", "u-1", "登记 3-502");
    say("committee", "u-admin", "开团 测试团");
    say("committee", "u-admin", "上架 鸡蛋 15.8 100 盒");
    // A Chinese keyword that takes no arguments followed by words is chat ("任务 完成了吗"),
    // and chat is left alone; the same as a /command gets a usage hint.
    const std::set<std::string> takes_nothing{"菜单",     "统计", "时长", "截单",
                                              "我的订单", "我的", "任务", "我的班次"};
    int sent = 0;
    int answered = 0;
    int chat_like = 0;
    for (const auto* user : {"u-admin", "u-1"}) {
        for (const auto& keyword : chinese) {
            for (const auto& args : arguments) {
                slow_down(sent);
                const auto reply =
                    post(message("odd-" + std::to_string(++sent), "bldg-3", user, keyword + args));
                ASSERT_EQ(reply.status, 200u) << keyword + args << ": " << reply.body;
                ASSERT_TRUE(json::accept(reply.body)) << reply.body;
                const bool chat = takes_nothing.contains(keyword) && !args.empty();
                EXPECT_EQ(json::parse(reply.body)["replies"].empty(), chat) << keyword + args;
                answered += chat ? 0 : 1;
                chat_like += chat ? 1 : 0;
            }
        }
        for (const auto& keyword : english) {
            for (const auto& args : arguments) {
                slow_down(sent);
                const auto reply = post(
                    message("odd-" + std::to_string(++sent), "bldg-3", user, "/" + keyword + args));
                ASSERT_EQ(reply.status, 200u) << keyword + args << ": " << reply.body;
                const bool replied = !json::parse(reply.body)["replies"].empty();
                EXPECT_TRUE(replied) << "/" + keyword + args;
                answered += replied ? 1 : 0;
            }
        }
    }
    // Every other one was answered (a usage hint, a refusal or the result), and no handler
    // failed on its input.
    EXPECT_EQ(answered + chat_like, sent);
    EXPECT_EQ(chat_like, 2 * static_cast<int>(takes_nothing.size() * (arguments.size() - 1)));
    RecordProperty("commands_answered", answered);
    EXPECT_EQ(handler_failures(), 0);
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

TEST_F(HostileInput, SlowAndIdleClientsDoNotBlockOthersAndMemoryStaysBounded) {
    // Thousands of idle connections need as many descriptors on each side, both in this
    // process: raise the soft limit as far as the hard one allows.
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    const int idle_count = static_cast<int>(
        std::min<rlim_t>(3000, (files.rlim_cur > 400 ? files.rlim_cur - 400 : 0) / 2));
    ASSERT_GE(idle_count, 300) << "descriptor limit too low for this test";
    RecordProperty("idle_connections", idle_count);
    const long rss_before = resident_kb();

    // A slowloris client trickling a header one byte a second, and the idle crowd.
    bot::net::io_context ioc;
    bot::tcp::socket slow(ioc);
    slow.connect({bot::net::ip::make_address("127.0.0.1"), port_});
    bot::net::write(slow, bot::net::buffer(std::string("POST /hook/generic HTTP/1.1\r\nHo")));
    std::vector<bot::tcp::socket> idle;
    for (int i = 0; i < idle_count; ++i) {
        idle.emplace_back(ioc);
        idle.back().connect({bot::net::ip::make_address("127.0.0.1"), port_});
    }
    say("bldg-3", "u-admin", "绑定 3号楼");
    for (int i = 0; i < 4; ++i) {
        bot::net::write(slow, bot::net::buffer(std::string("s")));
        EXPECT_EQ(say("bldg-3", "u-" + std::to_string(i), "登记 3-50" + std::to_string(i))
                      .rfind("已登记", 0),
                  0u);
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    expect_still_serving();
    const long grown_kb = resident_kb() - rss_before;
    RecordProperty("rss_growth_kb", static_cast<int>(grown_kb));
#if !defined(__SANITIZE_ADDRESS__)
    // Each idle connection costs a session and its buffer, not megabytes.
    EXPECT_LT(grown_kb, 64 * 1024) << idle_count << " idle connections";
#endif
}

}  // namespace
}  // namespace loudong::testing
