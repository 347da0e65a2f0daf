// Issue 20: the committee's guide (docs/居委会使用指南.md) cannot drift from the code. Its
// conversations are run, in order, against the real server over HTTP, and each reply must be
// the one written there.
//
// What the guide's fenced blocks hold:
//   3号楼群 › 王阿姨：登记 3-501      a message: the chat, the speaker (none: the committee
//   → 已登记：3号楼501室。            member 张主任), the text; then the reply, continued on
//     …                               lines indented by two spaces. "……" in a reply stands for
//                                     text the guide leaves out.
// Lines in an HTML comment (<!-- … -->, not shown to readers) run too: the set-up a reader does
// not need to see, and `时间 2026-11-30 12:10` to move the server's clock (Asia/Shanghai).
// Chats: 居委会群, 志愿者群, N号楼群, and 私聊 (the speaker's private chat with the bot).
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

struct step {
    int line = 0;
    std::string chat;     ///< as written: "3号楼群"
    std::string speaker;  ///< "" for the committee member
    std::string text;
    std::string expected;  ///< the reply as written, lines joined by "\n"; "" for none shown
    bool has_expected = false;
    std::optional<std::int64_t> clock;  ///< a `时间` line: move the clock here
};

std::int64_t shanghai(const std::string& when) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    int hour = 0;
    int minute = 0;
    if (std::sscanf(when.c_str(), "%d-%u-%u %d:%d", &year, &month, &day, &hour, &minute) != 5) {
        throw std::runtime_error("bad 时间 line: " + when);
    }
    const auto local = date::local_days{date::year{year} / month / day} + std::chrono::hours{hour} +
                       std::chrono::minutes{minute};
    return date::locate_zone("Asia/Shanghai")->to_sys(local).time_since_epoch().count();
}

std::vector<step> read_guide(const std::string& path) {
    std::ifstream in(path);
    std::vector<step> steps;
    std::string line;
    bool fenced = false;
    bool hidden = false;
    int number = 0;
    const std::string arrow = "→ ";
    const std::string says = " › ";
    while (std::getline(in, line)) {
        ++number;
        if (line.starts_with("```")) {
            fenced = !fenced;
            continue;
        }
        if (!fenced && line.starts_with("<!--")) {
            hidden = true;
            line = line.substr(4);
        }
        const bool closes = hidden && line.find("-->") != std::string::npos;
        if (closes) {
            line = line.substr(0, line.find("-->"));
        }
        if (fenced || hidden) {
            while (!line.empty() && line.back() == ' ') {
                line.pop_back();
            }
            const auto trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
            if (trimmed.starts_with("时间 ")) {
                step s;
                s.line = number;
                s.clock = shanghai(trimmed.substr(7));
                steps.push_back(std::move(s));
            } else if (line.starts_with(arrow) && !steps.empty()) {
                steps.back().expected = line.substr(arrow.size());
                steps.back().has_expected = true;
            } else if (line.starts_with("  ") && !steps.empty() && steps.back().has_expected) {
                steps.back().expected += "\n" + line.substr(2);
            } else if (const auto at = trimmed.find(says); at != std::string::npos) {
                step s;
                s.line = number;
                s.chat = trimmed.substr(0, at);
                s.text = trimmed.substr(at + says.size());
                const auto colon = s.text.find("：");
                // "王阿姨：登记 3-501": a speaker is a short name before the first "：".
                if (colon != std::string::npos && colon <= 12 &&
                    s.text.substr(0, colon).find(' ') == std::string::npos) {
                    s.speaker = s.text.substr(0, colon);
                    s.text = s.text.substr(colon + std::string("：").size());
                }
                steps.push_back(std::move(s));
            }
        }
        if (closes) {
            hidden = false;
        }
    }
    return steps;
}

// Whether `actual` is `expected`, where each "……" in `expected` stands for any text.
bool matches(const std::string& actual, const std::string& expected) {
    const std::string gap = "……";
    std::vector<std::string> parts;
    for (std::size_t from = 0;;) {
        const auto at = expected.find(gap, from);
        parts.push_back(expected.substr(from, at == std::string::npos ? at : at - from));
        if (at == std::string::npos) {
            break;
        }
        from = at + gap.size();
    }
    if (parts.size() == 1) {
        return actual == expected;
    }
    if (!actual.starts_with(parts.front()) || !actual.ends_with(parts.back()) ||
        actual.size() < parts.front().size() + parts.back().size()) {
        return false;
    }
    std::size_t at = parts.front().size();
    const auto end = actual.size() - parts.back().size();
    for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
        at = actual.find(parts[i], at);
        if (at == std::string::npos || at + parts[i].size() > end) {
            return false;
        }
        at += parts[i].size();
    }
    return true;
}

TEST(GuideReader, ReadsMessagesRepliesHiddenStepsAndGaps) {
    EXPECT_TRUE(matches("今天未报（3户）：101、102、103", "今天未报（3户）：101、……、103"));
    EXPECT_FALSE(matches("今天未报（3户）：101、102", "今天未报（3户）：101、……、103"));
    EXPECT_TRUE(matches("abc", "abc"));
    EXPECT_FALSE(matches("abcd", "abc"));
}

class Guide : public running_server {
protected:
    /// The chat id a chat's name stands for.
    static std::string chat_id(const step& s, const std::string& user) {
        if (s.chat == "居委会群") {
            return "committee";
        }
        if (s.chat == "志愿者群") {
            return "volunteers";
        }
        if (s.chat == "私聊") {
            return user;
        }
        const std::string suffix = "号楼群";
        if (s.chat.ends_with(suffix)) {
            return "bldg-" + s.chat.substr(0, s.chat.size() - suffix.size());
        }
        throw std::runtime_error("unknown chat in the guide: " + s.chat);
    }

    /// Each speaker of the guide is one account, in the order they first speak.
    std::string user_of(const std::string& speaker) {
        if (speaker.empty()) {
            return "u-admin";
        }
        auto [it, added] = users_.try_emplace(speaker, "");
        if (added) {
            it->second = "u-" + std::to_string(users_.size());
        }
        return it->second;
    }

    std::map<std::string, std::string> users_;
};

TEST_F(Guide, EveryConversationInTheCommitteesGuideRunsAsWritten) {
    const auto steps = read_guide(std::string(LOUDONG_SOURCE_DIR) + "/docs/居委会使用指南.md");
    ASSERT_GT(steps.size(), 30u);
    ASSERT_TRUE(steps.front().clock.has_value()) << "the guide starts with a 时间 line";
    start_clock_at(*steps.front().clock);
    bot::config cfg;
    cfg.public_url = "https://loudong.example.org";  // the guide's console link
    start(cfg);
    int checked = 0;
    for (const auto& s : steps) {
        if (s.clock) {
            advance_to(*s.clock);
            continue;
        }
        const auto user = user_of(s.speaker);
        const auto body = json{
            {"message_id", "guide-" + std::to_string(s.line)},
            {"chat_id", chat_id(s, user)},
            {"private", s.chat == "私聊"},
            {"sender", {{"id", user}, {"name", s.speaker.empty() ? "张主任" : s.speaker}}},
            {"text", s.text}}.dump();
        const auto reply = post(body);
        ASSERT_EQ(reply.status, 200u) << "guide line " << s.line << ": " << reply.body;
        const auto actual = reply_text(reply.body);
        if (s.has_expected) {
            EXPECT_TRUE(matches(actual, s.expected))
                << "docs/居委会使用指南.md line " << s.line << ": " << s.chat << " › " << s.text
                << "\nthe guide says:\n"
                << s.expected << "\nthe server says:\n"
                << actual;
            ++checked;
        }
    }
    RecordProperty("replies_checked", checked);
    EXPECT_GT(checked, 25);
}

}  // namespace
}  // namespace loudong::testing
