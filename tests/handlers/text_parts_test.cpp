// SPEC §8.12 (issue 16): replies that fit. A text longer than a platform takes goes out in
// numbered parts cut at line ends, each within the limit as that platform counts length.
#include "handlers/text_parts.hpp"

#include <gtest/gtest.h>

#include <string>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

std::string lines(int count, const std::string& prefix) {
    std::string text;
    for (int i = 1; i <= count; ++i) {
        text += (i > 1 ? "\n" : "") + prefix + std::to_string(i);
    }
    return text;
}

// Each part's lines, in order, without the labels, are the text's lines.
std::string rejoined(const std::vector<std::string>& parts) {
    std::string all;
    for (const auto& p : parts) {
        const auto body = p.substr(p.find("）") + std::string("）").size());
        all += (all.empty() ? "" : "\n") + body;
    }
    return all;
}

TEST(TextParts, LengthIsCountedAsEachPlatformCountsIt) {
    EXPECT_EQ(text_length("3号楼502室", length_unit::characters), 7u);
    EXPECT_EQ(text_length("3号楼502室", length_unit::utf16), 7u);
    // An emoji outside the Basic Multilingual Plane is one character but two UTF-16 units.
    EXPECT_EQ(text_length("好😀", length_unit::characters), 2u);
    EXPECT_EQ(text_length("好😀", length_unit::utf16), 3u);
    // WeCom's group robot counts UTF-8 bytes.
    EXPECT_EQ(text_length("3号楼502室", length_unit::bytes), 13u);
    EXPECT_EQ(text_length("好😀", length_unit::bytes), 7u);
}

// A WeCom notice of Chinese text: parts of at most 2,048 bytes, label included, each whole
// UTF-8 characters (a part that ended inside one would not be valid text).
TEST(TextParts, BytePartsNeverCutACharacter) {
    std::string text;
    for (int i = 0; i < 3000; ++i) {
        text += "楼";  // 3 bytes each, no line ends: cut between characters
    }
    const auto parts = split_text(text, {2048, length_unit::bytes});
    ASSERT_GT(parts.size(), 4u);
    std::string body;
    for (const auto& p : parts) {
        EXPECT_LE(p.size(), 2048u);
        EXPECT_EQ(text_length(p, length_unit::bytes), p.size());
        const auto content = p.substr(p.find("）") + std::string("）").size());
        EXPECT_EQ(content.size() % 3, 0u) << "a part holds whole characters";
        body += content;
    }
    EXPECT_EQ(body, text);
}

TEST(TextParts, ATextThatFitsIsLeftAlone) {
    EXPECT_EQ(split_text("短消息", {100, length_unit::characters}),
              std::vector<std::string>{"短消息"});
    const auto long_text = lines(500, "3号楼");
    EXPECT_EQ(split_text(long_text, {}), std::vector<std::string>{long_text});
}

TEST(TextParts, ALongTextIsCutAtLineEndsIntoNumberedPartsThatFit) {
    const auto text = lines(300, "3号楼未报房间");  // about 3,300 characters
    for (const auto unit : {length_unit::characters, length_unit::utf16}) {
        const text_limit limit{500, unit};
        const auto parts = split_text(text, limit);
        ASSERT_GT(parts.size(), 5u);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            EXPECT_LE(text_length(parts[i], unit), 500u) << i;
            EXPECT_EQ(
                parts[i].rfind(
                    "（" + std::to_string(i + 1) + "/" + std::to_string(parts.size()) + "）", 0),
                0u);
            EXPECT_NE(parts[i].back(), '\n');
        }
        EXPECT_EQ(rejoined(parts), text);  // nothing lost, nothing cut inside a line
    }
}

TEST(TextParts, AListOnOneLineIsCutAfterItsSeparators) {
    std::string rooms = "未报：";
    for (int room = 101; room <= 400; ++room) {
        rooms += std::to_string(room) + (room < 400 ? "、" : "");
    }
    const auto parts = split_text(rooms, {120, length_unit::characters});
    ASSERT_GT(parts.size(), 5u);
    std::string body;
    for (const auto& p : parts) {
        EXPECT_LE(text_length(p, length_unit::characters), 120u);
        const auto text = p.substr(p.find("）") + std::string("）").size());
        EXPECT_TRUE(text.ends_with("、") || &p == &parts.back()) << text;
        body += text;
    }
    EXPECT_EQ(body, rooms);
}

TEST(TextParts, ALineLongerThanAPartIsCutBetweenCharacters) {
    std::string line;
    for (int i = 0; i < 300; ++i) {
        line += "楼😀";
    }
    const auto parts = split_text("标题\n" + line, {101, length_unit::utf16});
    ASSERT_GT(parts.size(), 8u);
    for (const auto& p : parts) {
        EXPECT_LE(text_length(p, length_unit::utf16), 101u);
    }
    std::string body;
    for (const auto& p : parts) {
        body += p.substr(p.find("）") + std::string("）").size());
    }
    EXPECT_EQ(body, "标题" + line);  // the emoji are never split (each stays 4 whole bytes)
}

// A reply longer than the platform takes goes out through the outbox in parts, in order, and
// the webhook's answer carries none of it; outbox messages are split the same way.
class LongReplies : public testing::compound {
protected:
    LongReplies() : compound(":memory:", with_limit()) {}

    static settings with_limit() {
        auto s = make_settings();
        s.text_limits["generic"] = {300, length_unit::utf16};
        return s;
    }
};

TEST_F(LongReplies, GoOutInNumberedPartsThroughTheOutboxInOrder) {
    say("c", "u-admin", "绑定 居委会");
    say("c", "u-admin", "楼栋 3号楼 30层 8户");
    clear_outbox();
    const auto outcome = send("c", "u-admin", "未报 3号楼");
    EXPECT_TRUE(outcome.replies.empty());
    const auto rows = outbox();
    ASSERT_GT(rows.size(), 2u);
    std::string all;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].chat, "c");
        EXPECT_FALSE(rows[i].is_private);
        EXPECT_LE(text_length(rows[i].text, length_unit::utf16), 300u);
        EXPECT_EQ(rows[i].text.rfind(
                      "（" + std::to_string(i + 1) + "/" + std::to_string(rows.size()) + "）", 0),
                  0u)
            << rows[i].text;
        all += rows[i].text;
    }
    EXPECT_NE(all.find("3号楼：101-108（未登记）"), std::string::npos) << all;
    EXPECT_NE(all.find("、3001-3008（未登记）"), std::string::npos) << all;
    EXPECT_EQ(static_cast<std::size_t>(outcome.queued), rows.size());
    // A short answer is still the webhook's.
    EXPECT_EQ(say("c", "u-admin", "我的").find("（1/"), std::string::npos);
}

// A platform whose webhook answer carries no message (QQ's official bot, OneBot's "reply":
// "api"): every reply goes through the outbox, answering its message, and the parts of a long
// one are numbered on (QQ's msg_seq), so that each is a passive reply of its own.
class RepliesByApi : public testing::compound {
protected:
    RepliesByApi() : compound(":memory:", by_api()) {}

    static settings by_api() {
        auto s = make_settings();
        s.text_limits["generic"] = {300, length_unit::utf16};
        s.replies_by_api = {"generic"};
        return s;
    }

    struct api_row {
        std::string chat;
        std::string reply_to;
        int reply_seq;
        int lane;
    };

    std::vector<api_row> rows() {
        std::vector<api_row> out;
        SQLite::Statement q(db_.connection(),
                            "SELECT chat_id, COALESCE(reply_to, ''), reply_seq, lane FROM outbox "
                            "ORDER BY id");
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                           q.getColumn(2).getInt(), q.getColumn(3).getInt()});
        }
        return out;
    }
};

TEST_F(RepliesByApi, EveryReplyAnswersItsMessageAndEachPartTakesTheNextSequence) {
    const auto bind = send("c", "u-admin", "绑定 居委会", "", "qq-msg-1");
    EXPECT_TRUE(bind.replies.empty());
    EXPECT_EQ(bind.queued, 1);
    auto found = rows();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].chat, "c");
    EXPECT_EQ(found[0].reply_to, "qq-msg-1");
    EXPECT_EQ(found[0].reply_seq, 1);
    EXPECT_EQ(found[0].lane, 1);  // direct

    say("c", "u-admin", "楼栋 3号楼 30层 8户");
    clear_outbox();
    const auto pending = send("c", "u-admin", "未报 3号楼", "", "qq-msg-2");
    EXPECT_TRUE(pending.replies.empty());
    found = rows();
    ASSERT_GT(found.size(), 2u);
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_EQ(found[i].reply_to, "qq-msg-2");
        EXPECT_EQ(found[i].reply_seq, static_cast<int>(i) + 1);
    }

    // A repeated delivery of the message is answered once: nothing more is queued.
    clear_outbox();
    const auto again = send("c", "u-admin", "未报 3号楼", "", "qq-msg-2");
    EXPECT_TRUE(again.repeated);
    EXPECT_TRUE(rows().empty());
}

}  // namespace
}  // namespace loudong::handlers
