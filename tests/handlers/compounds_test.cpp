// Two compounds on one dispatcher (SPEC §7): the same building and room labels are separate
// households, with separate orders, antigen reports, notices, campaigns, templates and
// committee rights; a chat belongs to the compound it was bound in; street staff name one.
#include <string>

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

settings street_office() {
    settings s;
    s.zone = date::locate_zone("Asia/Shanghai");
    s.platforms = {"generic"};
    s.compounds = {{"zijing", compound_settings{"紫荆小区", {"generic:z-admin"}}},
                   {"gumei9", compound_settings{"古美九村", {"generic:g-admin"}}}};
    s.street = {"generic:street"};
    return s;
}

class Compounds : public testing::compound {
protected:
    Compounds() : compound(":memory:", street_office()) {}

    /// Sends `text` privately from `user`; returns the reply texts.
    std::string say_privately(const std::string& user, const std::string& text) {
        return join(send("dm-" + user, user, text, "", "", true).replies);
    }

    /// The chats the outbox holds messages for, in order, joined by spaces.
    std::string outbox_chats() {
        SQLite::Statement rows(db_.connection(), "SELECT chat_id FROM outbox ORDER BY id");
        std::string chats;
        while (rows.executeStep()) {
            chats += (chats.empty() ? "" : " ") + rows.getColumn(0).getString();
        }
        return chats;
    }

    std::string expect_reply(const std::string& chat, const std::string& user,
                             const std::string& text, const std::string& part) {
        auto reply = say(chat, user, text);
        EXPECT_NE(reply.find(part), std::string::npos) << text << " → " << reply;
        return reply;
    }

    /// Both compounds bound and a household at 3-502 in each.
    void two_compounds() {
        expect_reply("z-committee", "z-admin", "绑定 居委会", "居委会工作群");
        expect_reply("z-3", "z-admin", "绑定 3号楼", "3号楼群");
        expect_reply("g-committee", "g-admin", "绑定 居委会", "居委会工作群");
        expect_reply("g-3", "g-admin", "绑定 3号楼", "3号楼群");
        expect_reply("z-3", "z-502", "登记 3-502", "已登记：3号楼502室。");
        // Not "本户已登记2人": the other compound's 3-502 is another household.
        EXPECT_EQ(say("g-3", "g-502", "登记 3-502"), "已登记：3号楼502室。");
    }
};

TEST_F(Compounds, TheSameLabelsAreSeparateHouseholdsOrdersReportsAndNotices) {
    two_compounds();
    expect_reply("z-committee", "z-admin", "开团 紫荆团购", "已开团：1团 紫荆团购");
    expect_reply("z-committee", "z-admin", "上架 鸡蛋 10 100 盒", "已上架 1. 鸡蛋");
    // One open group buy per compound, side by side.
    expect_reply("g-committee", "g-admin", "开团 古美团购", "已开团：1团 古美团购");
    expect_reply("g-committee", "g-admin", "上架 牛奶 5 100 盒", "已上架 1. 牛奶");

    expect_reply("z-3", "z-502", "下单 鸡蛋 2", "单号1");
    expect_reply("g-3", "g-502", "下单 牛奶 1", "单号1");
    const auto not_here = say("g-3", "g-502", "下单 鸡蛋 1");
    EXPECT_EQ(not_here.find("单号"), std::string::npos) << not_here;
    const auto mine = say("z-3", "z-502", "我的订单");
    EXPECT_NE(mine.find("鸡蛋×2"), std::string::npos) << mine;
    EXPECT_EQ(mine.find("牛奶"), std::string::npos) << mine;
    // The other compound's order 1 is not this household's to cancel, nor anyone's here.
    expect_reply("z-3", "z-502", "取消 1", "已取消1号订单");
    expect_reply("g-3", "g-502", "我的订单", "牛奶×1");

    db_.connection().exec("DELETE FROM outbox");
    expect_reply("z-3", "z-502", "抗原 阳性", "今日已报");
    // The alert and the household's private advice; nothing reaches the other compound.
    EXPECT_EQ(outbox_chats(), "z-committee z-502");
    expect_reply("z-committee", "z-admin", "统计", "已报1/1户，阳性1户");
    expect_reply("g-committee", "g-admin", "统计", "已报0/1户，阳性0户");
    expect_reply("g-3", "g-502", "抗原 阴性", "今日已报");
    expect_reply("z-committee", "z-admin", "统计", "阳性1户");

    // g-502's group report asks them privately to report privately next time.
    EXPECT_EQ(outbox_chats(), "z-committee z-502 g-502");
    EXPECT_EQ(db_.connection().exec("DELETE FROM outbox"), 3);
    expect_reply("z-committee", "z-admin", "通知 all 明天停水", "正在发往1个楼栋群");
    EXPECT_EQ(outbox_chats(), "z-3");
}

TEST_F(Compounds, ACommitteeIsNobodyInAnotherCompound) {
    two_compounds();
    const auto denied = "仅限居委会使用";
    expect_reply("z-3", "g-admin", "通知 all 假通知", denied);
    expect_reply("z-3", "g-admin", "绑定 5号楼", denied);
    expect_reply("z-3", "g-admin", "授权 3-502 居委会", denied);
    expect_reply("g-committee", "z-admin", "统计", denied);
    expect_reply("g-committee", "z-admin", "模板 register.done set 改了", denied);
    // A resident of one compound is not registered in the other.
    expect_reply("g-3", "z-502", "我的订单", "请先登记");
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE chat_id = 'z-3' AND building = '3' AND "
                    "compound = 'zijing'"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_F(Compounds, AChatJoinsTheCompoundOfWhoBindsItAndStreetStaffNameOne) {
    // Nobody can tell which compound an unbound chat is: a stranger is asked to wait.
    expect_reply("new-chat", "u-new", "登记 3-502", "本群还没有绑定小区");
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE room IS NOT NULL"), 0);
    expect_reply("new-chat", "z-admin", "绑定 7号楼", "7号楼群");
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE chat_id = 'new-chat' AND compound = "
                    "'zijing'"),
              1);
    expect_reply("new-chat", "u-new", "登记 7-101", "已登记：7号楼101室");
    EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE room = '101' AND compound = 'zijing'"), 1);

    // Street staff have committee rights everywhere, in the compound they name.
    expect_reply("street-chat", "street", "绑定 古美九村 5号楼", "5号楼群");
    EXPECT_EQ(count("SELECT COUNT(*) FROM chats WHERE chat_id = 'street-chat' AND compound = "
                    "'gumei9' AND building = '5'"),
              1);
    const auto choose = say_privately("street", "统计");
    EXPECT_NE(choose.find("请在命令后写上小区名"), std::string::npos) << choose;
    EXPECT_NE(choose.find("古美九村、紫荆小区"), std::string::npos) << choose;
    EXPECT_NE(say_privately("street", "统计 紫荆小区").find("【今日抗原"), std::string::npos);
    EXPECT_NE(say_privately("street", "统计 zijing").find("已报0/1户"), std::string::npos);
    EXPECT_EQ(say_privately("street", "统计 某某小区"),
              "没有“某某小区”这个小区。本街道的小区：古美九村、紫荆小区");
    // In a group, the same words stay ordinary chat.
    EXPECT_EQ(say("new-chat", "street", "统计 某某小区"), "");
    // Help needs no compound.
    EXPECT_NE(say_privately("street", "帮助").find("你可以用"), std::string::npos);
    // A resident's private command acts in their own compound.
    EXPECT_NE(say_privately("u-new", "我的").find("7号楼101室"), std::string::npos);
}

TEST_F(Compounds, ATemplateEditedByOneCommitteeChangesOnlyItsCompound) {
    expect_reply("z-3", "z-admin", "绑定 3号楼", "3号楼群");
    expect_reply("g-3", "g-admin", "绑定 3号楼", "3号楼群");
    expect_reply("z-3", "z-admin", "模板 register.done set 紫荆欢迎你：{{building}}-{{room}}",
                 "已更新");
    EXPECT_EQ(say("z-3", "z-502", "登记 3-502"), "紫荆欢迎你：3-502");
    EXPECT_EQ(say("g-3", "g-502", "登记 3-502"), "已登记：3号楼502室。");
}

TEST_F(Compounds, DailyRemindersRunInEachCompoundForItsOwnChats) {
    two_compounds();
    db_.connection().exec("DELETE FROM outbox");
    dispatcher_.schedule_daily_jobs(now_);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT compound) FROM jobs"), 2);
    const std::int64_t eight = 1651104000;  // 08:00 in Shanghai, 28 April 2022
    for (const auto& job : dispatcher_.due_jobs(eight)) {
        dispatcher_.run_job(job, eight);
    }
    const auto chats = outbox_chats();
    EXPECT_NE(chats.find("z-3"), std::string::npos) << chats;
    EXPECT_NE(chats.find("g-3"), std::string::npos) << chats;
    EXPECT_EQ(chats.find("committee"), std::string::npos) << chats;
}

}  // namespace
}  // namespace loudong::handlers
