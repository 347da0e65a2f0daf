// Issue 20: a committee reads loudong's replies without a manual. Every command, in every form
// and refusal the tests know of, sent by the committee, a lead, a resident and a stranger, and
// the timed jobs of two days: no reply and no outbox message shows an English word, a
// platform's prefix ("generic:u-1") or a member's account id where a name is known.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

// The English words of a text a Chinese reader would meet: ASCII letters outside a /command,
// outside “…” (what the user typed, quoted back) and outside {{…}} (template variables, shown
// to the committee editing a template). Units after a number ("5kg") are words of Chinese too.
std::vector<std::string> english_words(const std::string& text) {
    static const std::set<std::string> units{"kg", "g", "ml", "cm", "km"};
    std::vector<std::string> found;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 3, "“") == 0 || text.compare(i, 3, "”") == 0) {
            quoted = text.compare(i, 3, "“") == 0;
            i += 3;
            continue;
        }
        if (text.compare(i, 2, "{{") == 0) {
            const auto end = text.find("}}", i);
            i = end == std::string::npos ? text.size() : end + 2;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (!std::isalpha(c)) {
            ++i;
            continue;
        }
        auto end = i;
        while (end < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' ||
                text[end] == '-' || text[end] == ':' || text[end] == '.')) {
            ++end;
        }
        const auto word = text.substr(i, end - i);
        const bool command = i > 0 && text[i - 1] == '/';
        const bool unit =
            i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1])) && units.contains(word);
        if (!quoted && !command && !unit) {
            found.push_back(word);
        }
        i = end;
    }
    return found;
}

TEST(EnglishWords, FindsWhatAReaderWouldMeetAndNothingElse) {
    EXPECT_EQ(english_words("已授予 李老师（generic:u-li）志愿者身份"),
              std::vector<std::string>{"generic:u-li"});
    EXPECT_EQ(english_words("请写 all 或楼号"), std::vector<std::string>{"all"});
    EXPECT_TRUE(english_words("没有“foo”这个命令，发 /help 或“帮助”").empty());
    EXPECT_TRUE(english_words("大米5kg×1袋，可用变量：{{building}} {{room}}").empty());
}

class ChineseReplies : public testing::compound {
protected:
    void SetUp() override {
        say("c", "u-admin", "绑定 居委会", "张主任");
        say("vol", "u-admin", "绑定 志愿者", "张主任");
        say("c", "u-admin", "楼栋 5号楼 房号 101 102 1201");
        say("c", "u-admin", "楼栋 3号楼 6层 2户");
        resident("u-wang", "3-502", "王阿姨");
        resident("u-wangs", "3-502", "王叔叔");
        resident("u-li", "3-601", "李老师");
        resident("u-zhang", "5-1201", "张师傅");
        resident("u-vol", "5-101", "小赵");
        say("c", "u-admin", "授权 5-101 志愿者");
        say("c", "u-admin", "授权 3-601 楼组长");
        say("bldg-3", "u-pending", "登记 3-502", "路人");
    }

    /// Sends `text` as `user` in `chat` and keeps the reply for the scan.
    void send_and_keep(const std::string& chat, const std::string& user, const std::string& text,
                       const std::string& name) {
        // Three seconds apart: nobody here sends more than 20 commands a minute, so every one
        // is answered rather than stopped as a flood (SPEC §8 item 11).
        now_ += 3;
        const auto reply = say(chat, user, text, name);
        if (!reply.empty()) {
            seen_.push_back({user + "@" + chat + " › " + text, reply});
        }
    }

    void run_due_jobs() {
        for (const auto& job : dispatcher_.due_jobs(now_)) {
            dispatcher_.run_job(job, now_);
        }
    }

    struct exchange {
        std::string what;
        std::string text;
    };
    std::vector<exchange> seen_;
};

TEST_F(ChineseReplies, NoReplyOrMessageShowsAnEnglishWordOrAnId) {
    const std::vector<std::string> keywords{
        "帮助",     "登记", "我的",     "绑定",   "授权",     "撤销", "开团",     "上架",
        "菜单",     "下单", "我的订单", "取消",   "截单",     "汇总", "配送单",   "送达",
        "发布任务", "任务", "揭榜",     "退出",   "名单",     "完成", "时长",     "核酸",
        "叫号",     "抗原", "未报",     "统计",   "通知",     "模板", "取消任务", "排班",
        "我的班次", "换班", "接班",     "签到",   "确认时长", "补采", "确认",     "拒绝",
        "注销",     "移出", "备注",     "代下单", "楼栋",     "解绑"};
    const std::vector<std::string> arguments{
        "",       " -1",    " 0",          " 99999999999999999999", " 一二三",
        " 3-999", " 9号楼", " 明天 25:00", " 1 2 3 4 5 6 7 8"};
    // A day as it runs: each command in its right form too.
    const std::vector<std::pair<std::string, std::string>> day{
        {"c", "开团 华联超市 截单 20:00"},
        {"c", "上架 鸡蛋 15.8 200 盒 限购 2"},
        {"c", "上架 大米5kg 39.9 不限量 袋"},
        {"bldg-3", "下单 鸡蛋 两盒 大米5kg 1"},
        {"bldg-3", "下单 鸡蛋 5"},
        {"bldg-3", "下单 苹果 1"},
        {"c", "发布任务 物资搬运 明天 14:00-16:00 2 地点 1号门"},
        {"c", "排班 东门,南门 明天 08:00-次日08:00 每4小时 2人 地点 岗亭"},
        {"vol", "揭榜 1"},
        {"vol", "揭榜 东门 明天 全天"},
        {"vol", "换班 2 3-601"},
        {"c", "核酸 全部 明天 07:00 小区广场"},
        {"c", "核酸 3,5 明天 07:00 东门"},
        {"c", "核酸 列表"},
        {"c", "通知 全部 明天停水"},
        {"c", "通知 志愿者 今晚开会"},
        {"c", "通知 状态"},
        {"c", "授权 3-502 志愿者"},
        {"c", "授权 3-502 王叔叔 志愿者"},
        {"c", "授权 u-nobody 志愿者"},
        {"c", "撤销 3-502 王叔叔 志愿者"},
        {"c", "确认 路人"},
        {"c", "统计"},
        {"c", "未报"},
        {"c", "模板"},
        {"c", "模板 团购"},
        {"c", "模板 下单成功"},
        {"c", "模板 下单成功 改成 {{building 室"},
        {"c", "模板 下单成功 改成 {{nosuch}}"},
        {"c", "确认时长"},
        {"c", "补采 3-502"},
        {"c", "帮助 授权"},
        {"c", "/foo"},
    };
    struct sender {
        std::string chat;
        std::string user;
        std::string name;
    };
    const std::vector<sender> senders{{"c", "u-admin", "张主任"},
                                      {"bldg-3", "u-li", "李老师"},
                                      {"bldg-3", "u-wang", "王阿姨"},
                                      {"bldg-5", "u-stranger", "路过的"},
                                      {"vol", "u-vol", "小赵"}};
    for (const auto& [chat, text] : day) {
        for (const auto& s : senders) {
            send_and_keep(chat, s.user, text, s.name);
        }
    }
    for (const auto& keyword : keywords) {
        for (const auto& argument : arguments) {
            for (const auto& s : senders) {
                send_and_keep(s.chat, s.user, keyword + argument, s.name);
            }
        }
    }
    // Two days of timed jobs: cut-offs, menus, reminders, test rounds, antigen reminders.
    for (int minutes = 0; minutes < 2 * 24 * 60; minutes += 10) {
        now_ += 600;
        run_due_jobs();
    }
    for (const auto& row : outbox()) {
        seen_.push_back({"outbox → " + row.chat, row.text});
    }
    ASSERT_GT(seen_.size(), 1000u);
    RecordProperty("texts_scanned", static_cast<int>(seen_.size()));
    int bad = 0;
    for (const auto& e : seen_) {
        const auto words = english_words(e.text);
        if (!words.empty() && ++bad <= 40) {
            ADD_FAILURE() << e.what << "\n→ " << e.text << "\nEnglish: " << words.front();
        }
    }
    EXPECT_EQ(bad, 0) << "of " << seen_.size() << " texts";
}

}  // namespace
}  // namespace loudong::handlers
