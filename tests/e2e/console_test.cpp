// The committee console over real HTTP (SPEC §12, issue 18): the login by a one-time link, the
// session cookie, CSRF, and hostile input on the forms. The pages' data and permissions are
// tested in tests/handlers/console_pages_test.cpp; a real browser in console_browser.py.

#include <regex>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

using bot::http::verb;

class ConsoleHttp : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.public_url = "https://loudong.example.org";
        start(cfg);
        say("c", "u-admin", "绑定 居委会");
        say("bldg-3", "u-admin", "绑定 3号楼");
        say("bldg-5", "u-admin", "绑定 5号楼");
        say("bldg-3", "u-502", "登记 3-502");
        say("bldg-3", "u-601", "登记 3-601");
        say("bldg-5", "u-1201", "登记 5-1201");
        say("c", "u-admin", "授权 @u-601 楼组长 3号楼");
        say("c", "u-admin", "备注 3-502 独居老人");
    }

    /// Asks for a link privately, as `user`; returns its token.
    std::string link(const std::string& user) {
        auto body = json::parse(message("l-" + std::to_string(++counter_), user, user, "控制台"));
        body["private"] = true;
        const auto reply = reply_text(post(body.dump()).body);
        std::smatch found;
        static const std::regex pattern(
            R"(https://loudong\.example\.org/console/login\?t=([0-9a-f]{64}))");
        EXPECT_TRUE(std::regex_search(reply, found, pattern)) << reply;
        return found.size() > 1 ? found[1].str() : std::string();
    }

    http_reply get(const std::string& target, const std::string& cookie = "") {
        std::map<std::string, std::string> headers;
        if (!cookie.empty()) {
            headers["Cookie"] = cookie;
        }
        return http_call(port_, verb::get, target, "", headers);
    }

    http_reply form(const std::string& target, const std::string& body,
                    const std::string& cookie = "") {
        std::map<std::string, std::string> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!cookie.empty()) {
            headers["Cookie"] = cookie;
        }
        return http_call(port_, verb::post, target, body, headers);
    }

    /// Logs in with a fresh link; returns the Cookie header to send.
    std::string login(const std::string& user) {
        const auto reply = form("/console/login", "t=" + link(user));
        EXPECT_EQ(reply.status, 303u) << reply.body;
        const auto set = reply.headers.count("Set-Cookie") ? reply.headers.at("Set-Cookie") : "";
        return set.substr(0, set.find(';'));
    }

    static std::string csrf_of(const std::string& html) {
        std::smatch found;
        static const std::regex pattern(R"re(name="csrf" value="([0-9a-f]{64})")re");
        return std::regex_search(html, found, pattern) ? found[1].str() : std::string();
    }

    static std::string encoded(const std::string& text) {
        std::string out;
        static constexpr char hex[] = "0123456789ABCDEF";
        for (const unsigned char c : text) {
            if (std::isalnum(c) != 0) {
                out += static_cast<char>(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 0xf];
            }
        }
        return out;
    }
};

TEST_F(ConsoleHttp, ALinkShowsAButtonThatLogsInOnceWithAStrictHttpOnlyCookie) {
    const auto token = link("u-admin");
    // Opening the link (or a chat app's preview of it) changes nothing.
    const auto shown = get("/console/login?t=" + token);
    EXPECT_EQ(shown.status, 200u);
    EXPECT_NE(shown.body.find("name=\"t\" value=\"" + token + "\""), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins WHERE used_at IS NOT NULL"), 0);

    const auto in = form("/console/login", "t=" + token);
    EXPECT_EQ(in.status, 303u);
    EXPECT_EQ(in.headers.at("Location"), "/console/");
    const auto cookie = in.headers.at("Set-Cookie");
    EXPECT_NE(cookie.find("; Path=/console; Max-Age=43200; HttpOnly; SameSite=Strict; Secure"),
              std::string::npos)
        << cookie;
    const auto session = cookie.substr(0, cookie.find(';'));
    const auto overview = get("/console", session);
    EXPECT_EQ(overview.status, 200u);
    EXPECT_NE(overview.body.find("<h1>概览"), std::string::npos);
    EXPECT_NE(overview.headers.at("Content-Security-Policy").find("default-src 'none'"),
              std::string::npos);
    EXPECT_EQ(overview.headers.at("Cache-Control"), "no-store");

    // The same link again: a clear page, no session.
    const auto again = form("/console/login", "t=" + token);
    EXPECT_EQ(again.status, 410u);
    EXPECT_NE(again.body.find("已经用过"), std::string::npos);
    EXPECT_EQ(again.headers.count("Set-Cookie"), 0u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_sessions"), 1);
}

TEST_F(ConsoleHttp, ExpiredMistypedOrNoLinksGetAClearPage) {
    const auto token = link("u-admin");
    advance(std::chrono::seconds(601));
    const auto late = form("/console/login", "t=" + token);
    EXPECT_EQ(late.status, 410u);
    EXPECT_NE(late.body.find("已过期"), std::string::npos);
    const auto unknown = form("/console/login", "t=" + std::string(64, 'a'));
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_NE(unknown.body.find("链接无效"), std::string::npos);
    for (const auto* bad : {"", "t=abc", "t=%3Cscript%3E"}) {
        const auto reply = form("/console/login", bad);
        EXPECT_EQ(reply.status, 400u) << bad;
        EXPECT_EQ(reply.body.find("<script"), std::string::npos);
    }
    const auto none = get("/console");
    EXPECT_EQ(none.status, 401u);
    EXPECT_NE(none.body.find("请在群里或私聊里发“控制台”"), std::string::npos);
    EXPECT_EQ(get("/console", "loudong_console=" + std::string(64, 'b')).status, 401u);
}

TEST_F(ConsoleHttp, ASessionEndsAfterTwelveHoursOrAtLogout) {
    const auto session = login("u-admin");
    EXPECT_EQ(get("/console", session).status, 200u);
    advance(std::chrono::hours(12) + std::chrono::seconds(1));
    const auto expired = get("/console", session);
    EXPECT_EQ(expired.status, 401u);
    EXPECT_NE(expired.body.find("登录已过期或已退出"), std::string::npos);

    const auto next = login("u-admin");
    const auto csrf = csrf_of(get("/console", next).body);
    EXPECT_EQ(form("/console/logout", "csrf=wrong", next).status, 403u);
    EXPECT_EQ(get("/console", next).status, 200u);
    const auto out = form("/console/logout", "csrf=" + csrf, next);
    EXPECT_EQ(out.status, 200u);
    EXPECT_NE(out.headers.at("Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(get("/console", next).status, 401u);
}

TEST_F(ConsoleHttp, AFormChangesStateOnlyWithTheSessionsCsrfTokenAsTheMembersOwnCommand) {
    const auto session = login("u-admin");
    const auto csrf = csrf_of(get("/console/households", session).body);
    ASSERT_EQ(csrf.size(), 64u);
    const auto note = [&](const std::string& token, const std::string& text) {
        return form(
            "/console/act",
            "csrf=" + token + "&nonce=n1&prefix=" + encoded("备注") + "&text=" + encoded(text),
            session);
    };
    // A wrong or missing token, or another session's: refused, nothing changed.
    const auto other = csrf_of(get("/console", login("u-601")).body);
    for (const auto& wrong : {std::string("x"), std::string(), other}) {
        const auto reply = note(wrong, "3-502 被改了");
        EXPECT_EQ(reply.status, 403u);
        EXPECT_NE(reply.body.find("什么都没改"), std::string::npos);
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE note = '独居老人'"), 1);
    // Script tags are kept as text and shown escaped.
    const auto saved = note(csrf, "3-502 <script>alert(1)</script>");
    EXPECT_EQ(saved.status, 200u);
    EXPECT_NE(saved.body.find("已记下3-502的备注：&lt;script&gt;alert(1)&lt;/script&gt;"),
              std::string::npos)
        << saved.body;
    const auto page = get("/console/households", session).body;
    EXPECT_EQ(page.find("<script>"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    // A command the pages do not offer is refused, even from the committee.
    const auto bind =
        form("/console/act", "csrf=" + csrf + "&command=" + encoded("绑定 7号楼"), session);
    EXPECT_EQ(bind.status, 400u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE building = '7'"), 0);
    // A huge field is refused with a clear answer, and nothing is saved.
    const auto huge = note(csrf, "3-502 " + std::string(60 * 1024, 'x'));
    EXPECT_NE(huge.body.find("备注没有保存：最多200个字，这次是61440个字"), std::string::npos)
        << huge.status << huge.body.substr(0, 800);
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE length(note) > 1000"), 0);
}

TEST_F(ConsoleHttp, AnotherSitesPageCannotPostOrLogInAndAnExpiredSessionChangesNothing) {
    const auto token = link("u-admin");
    std::map<std::string, std::string> elsewhere{
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Origin", "https://evil.example.com"}};
    const auto refused = http_call(port_, verb::post, "/console/login", "t=" + token, elsewhere);
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(refused.headers.count("Set-Cookie"), 0u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM console_logins WHERE used_at IS NOT NULL"), 0);
    std::map<std::string, std::string> own{{"Content-Type", "application/x-www-form-urlencoded"},
                                           {"Origin", "https://loudong.example.org"}};
    const auto in = http_call(port_, verb::post, "/console/login", "t=" + token, own);
    ASSERT_EQ(in.status, 303u);
    const auto session =
        in.headers.at("Set-Cookie").substr(0, in.headers.at("Set-Cookie").find(';'));
    const auto csrf = csrf_of(get("/console/households", session).body);
    advance(std::chrono::hours(13));
    const auto late = form(
        "/console/act", "csrf=" + csrf + "&nonce=x&command=" + encoded("备注 3-502 改了"), session);
    EXPECT_EQ(late.status, 401u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE note = '独居老人'"), 1);
}

TEST_F(ConsoleHttp, TheSameFormSentTwiceActsOnce) {
    say("bldg-3", "u-502b", "登记 3-502");
    const auto session = login("u-admin");
    const auto csrf = csrf_of(get("/console/households", session).body);
    const auto body = "csrf=" + csrf + "&nonce=abc&command=" + encoded("通知 3 明天停水");
    EXPECT_EQ(form("/console/act", body, session).status, 200u);
    EXPECT_EQ(form("/console/act", body, session).status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 1);
    const auto other = "csrf=" + csrf + "&nonce=abd&command=" + encoded("通知 3 明天停水");
    EXPECT_EQ(form("/console/act", other, session).status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 2) << "a new page is a new notice";
}

TEST_F(ConsoleHttp, ALeadsFormsMeetTheChatsPermissionChecks) {
    const auto session = login("u-601");
    const auto csrf = csrf_of(get("/console/households", session).body);
    const auto notice = form(
        "/console/act", "csrf=" + csrf + "&nonce=1&command=" + encoded("通知 全部 开会"), session);
    EXPECT_NE(notice.body.find("仅限居委会使用"), std::string::npos) << notice.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 0);
    const auto note =
        form("/console/act", "csrf=" + csrf + "&nonce=2&command=" + encoded("备注 5-1201 轮椅"),
             session);
    EXPECT_NE(note.body.find("你负责的是3号楼"), std::string::npos) << note.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE note = '轮椅'"), 0);
    const auto import =
        form("/console/import", "csrf=" + csrf + "&csv=" + encoded("楼号,房号\n3,901\n"), session);
    EXPECT_EQ(import.status, 403u);
    EXPECT_EQ(get("/console/households?building=5", session).status, 403u);
    EXPECT_EQ(get("/console/labels?campaign=1&building=5", session).status, 403u);
    EXPECT_EQ(get("/console/notices", session).status, 403u);
    const auto overview = get("/console", session).body;
    EXPECT_EQ(overview.find("阳性"), std::string::npos);
    EXPECT_EQ(overview.find("5号楼"), std::string::npos);
}

TEST_F(ConsoleHttp, TheRegistryImportsByTheCommandLinesRules) {
    const auto session = login("u-admin");
    const auto csrf = csrf_of(get("/console/households", session).body);
    const auto bad = form("/console/import",
                          "csrf=" + csrf + "&csv=" + encoded("楼号,房号\n3,901\n3,abc\n"), session);
    EXPECT_EQ(bad.status, 400u);
    EXPECT_NE(bad.body.find("没有导入任何房号"), std::string::npos) << bad.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE room = '901'"), 0);
    const auto good =
        form("/console/import",
             "csrf=" + csrf + "&csv=" + encoded("楼号,房号,备注\n3,901,新户\n3,902\n"), session);
    EXPECT_EQ(good.status, 200u);
    EXPECT_NE(good.body.find("已导入2户，其中新增2户"), std::string::npos) << good.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE room IN ('901', '902') AND listed = 1"),
              2);
}

TEST_F(ConsoleHttp, OffWithoutAPublicUrl) {
    stop();
    config_.public_url.clear();
    restart();
    EXPECT_EQ(get("/console").status, 404u);
    EXPECT_NE(say("c", "u-admin", "控制台").find("控制台没有开启"), std::string::npos);
}

// Street staff choose a compound on the page; every page and form after acts there.
class ConsoleStreet : public ConsoleHttp {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.public_url = "https://loudong.example.org";
        cfg.compounds = {{"zijing", bot::compound_config{"紫荆小区", {"generic:z-admin"}}},
                         {"gumei9", bot::compound_config{"古美九村", {"generic:g-admin"}}}};
        cfg.street = {"generic:s-1"};
        start(cfg);
        say("z-3", "z-admin", "绑定 3号楼");
        say("z-3", "z-502", "登记 3-502");
        say("g-3", "g-admin", "绑定 3号楼");
        say("g-3", "g-777", "登记 3-777");
    }
};

TEST_F(ConsoleStreet, AChosenCompoundStaysForEveryPageAndForm) {
    auto body = json::parse(message("s-link", "s-1", "s-1", "控制台 紫荆小区"));
    body["private"] = true;
    const auto reply = reply_text(post(body.dump()).body);
    const auto at = reply.find("login?t=");
    ASSERT_NE(at, std::string::npos) << reply;
    const auto in = form("/console/login", "t=" + reply.substr(at + 8, 64));
    ASSERT_EQ(in.status, 303u) << in.body;
    const auto session =
        in.headers.at("Set-Cookie").substr(0, in.headers.at("Set-Cookie").find(';'));
    EXPECT_NE(get("/console/", session).body.find("<strong>紫荆小区</strong>"), std::string::npos);
    EXPECT_NE(get("/console/?compound=gumei9", session).body.find("<strong>古美九村</strong>"),
              std::string::npos);
    const auto households = get("/console/households", session).body;
    EXPECT_NE(households.find("<strong>古美九村</strong>"), std::string::npos);
    EXPECT_NE(households.find("<td>3-777"), std::string::npos);
    EXPECT_EQ(households.find("<td>3-502"), std::string::npos);
    const auto saved =
        form("/console/act",
             "csrf=" + csrf_of(households) + "&nonce=s&command=" + encoded("备注 3-777 腿脚不便"),
             session);
    EXPECT_EQ(saved.status, 200u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM households WHERE compound = 'gumei9' AND room = '777' "
                    "AND note = '腿脚不便'"),
              1);
}

}  // namespace
}  // namespace loudong::testing
