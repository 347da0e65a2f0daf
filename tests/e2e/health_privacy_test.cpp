// A day of antigen reporting and a nucleic-acid round over HTTP, then a privacy scan of every
// message the platform received and every webhook reply: no result next to a name or room
// outside the committee chat and the reporter's private chat.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

class HealthPrivacy : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.generic.outbound_url = platform_.url("/send");
        cfg.generic.rate = {0, 1000, 1000};
        start(cfg);
    }

    /// Sends a message and keeps the reply texts for the scan.
    std::string speak(const std::string& chat, const std::string& user, const std::string& text) {
        auto answer = say(chat, user, text);
        replies_.push_back({chat, answer});
        return answer;
    }

    fake_platform platform_;
    std::vector<std::pair<std::string, std::string>> replies_;
};

TEST_F(HealthPrivacy, NoResultEverReachesAGroupNextToANameOrRoom) {
    speak("committee", "u-admin", "/bind committee");
    speak("vols", "u-admin", "/bind volunteers");
    struct resident {
        std::string id, name, building, room;
    };
    const std::vector<resident> residents{{"u-1", "王阿姨", "1", "101"},
                                          {"u-2", "李老师", "1", "102"},
                                          {"u-3", "张师傅", "2", "201"},
                                          {"u-4", "陈奶奶", "2", "202"},
                                          {"u-5", "赵叔叔", "3", "301"}};
    for (const auto* b : {"1", "2", "3"}) {
        speak(std::string("bldg-") + b, "u-admin", std::string("绑定 ") + b + "号楼");
    }
    for (const auto& r : residents) {
        post(json{{"message_id", "reg-" + r.id},
                  {"chat_id", "bldg-" + r.building},
                  {"sender", {{"id", r.id}, {"name", r.name}}},
                  {"text", "登记 " + r.building + "-" + r.room}}
                 .dump());
    }
    speak("committee", "u-admin", "核酸 all 明天 07:00 小区广场");
    speak("committee", "u-admin", "叫号 下一栋");

    // Reports: negative, positive, invalid; the positive and invalid raise alerts.
    speak("bldg-1", "u-1", "抗原 阴性");
    speak("bldg-1", "u-2", "抗原 阳性");
    speak("bldg-2", "u-3", "/antigen invalid");
    speak("vols", "u-4", "抗原 阳性");  // typed in the volunteers' chat by mistake
    speak("committee", "u-admin", "未报");
    speak("committee", "u-admin", "统计");
    speak("bldg-1", "u-admin", "未报 1号楼");

    // The 12:00 pending list goes to every building chat.
    const std::int64_t pending_at = count("SELECT due_at FROM jobs WHERE kind = 'antigen_pending'");
    advance_to(pending_at + 30);
    // 1 call, 3 alerts, 3 private advices, 3 pending lists, and u-1 asked privately to report
    // privately next time (the positives' advice asks the same).
    ASSERT_TRUE(platform_.wait_for(11));

    const std::vector<std::string> result_words{"阳性",     "阴性",     "无效",
                                                "positive", "negative", "invalid"};
    auto leaks = [&](const std::string& text) {
        bool has_result = false;
        for (const auto& w : result_words) {
            has_result = has_result || text.find(w) != std::string::npos;
        }
        bool names_someone = false;
        for (const auto& r : residents) {
            names_someone = names_someone || text.find(r.name) != std::string::npos ||
                            text.find(r.room) != std::string::npos;
        }
        return has_result && names_someone;
    };
    int scanned = 0;
    int committee_alerts = 0;
    int private_advice = 0;
    for (const auto& r : platform_.received()) {
        const auto body = json::parse(r.body);
        const auto chat = body["chat_id"].get<std::string>();
        const auto text = body["text"].get<std::string>();
        if (chat == "committee") {
            committee_alerts += text.find("【抗原异常】") != std::string::npos;
            continue;
        }
        if (body.value("private", false)) {
            ++private_advice;
            continue;
        }
        ++scanned;
        EXPECT_FALSE(leaks(text)) << chat << ": " << text;
    }
    for (const auto& [chat, text] : replies_) {
        if (chat != "committee") {
            ++scanned;
            EXPECT_FALSE(leaks(text)) << chat << ": " << text;
        }
    }
    EXPECT_GE(scanned, 13);
    EXPECT_EQ(committee_alerts, 3);
    EXPECT_EQ(private_advice, 4);
}

}  // namespace
}  // namespace loudong::testing
