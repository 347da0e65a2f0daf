#include "handlers/registration.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

using Registration = testing::compound;

TEST_F(Registration, EveryWrittenFormOfAnAddressRegistersTheSameRoom) {
    const char* forms[] = {"登记 3号楼 502",       "/register 3 502", "登记 3-502",
                           "登记 ３号楼 ５０２室", "#登记 3幢502室",  "@bot 登记 B3 502"};
    int i = 0;
    for (const auto* form : forms) {
        const auto user = "u-" + std::to_string(i++);
        EXPECT_NE(say("bldg-3", user, form).find("3号楼502室"), std::string::npos) << form;
        const auto m = dispatcher_.store().members.find("generic", user);
        ASSERT_TRUE(m) << form;
        EXPECT_EQ(m->building, "3") << form;
        EXPECT_EQ(m->room, "502") << form;
    }
    const storage::compound_scope::entered in(dispatcher_.store().scope, storage::default_compound);
    EXPECT_EQ(dispatcher_.store().members.at_room("3", "502").size(), std::size(forms));
}

TEST_F(Registration, ASecondHouseholdMemberWaitsUntilTheFirstConfirms) {
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-502a", "登记 3号楼 502", "王阿姨"), "已登记：3号楼502室。");
    clear_outbox();
    EXPECT_EQ(say("bldg-3", "u-502b", "登记 3-502", "王叔叔"),
              "已收到登记申请：3号楼502室。本户已登记的家人、楼组长或居委会确认后，就可以下单、报抗"
              "原了。");
    const auto asked = outbox();
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0].chat, "u-502a");
    EXPECT_TRUE(asked[0].is_private);
    EXPECT_EQ(asked[0].text,
              "王叔叔申请登记为3号楼502室住户。同意请回复：确认 王叔叔；不同意请回复：拒绝 王叔叔");
    EXPECT_EQ(say("bldg-3", "u-502b", "我的"), "王叔叔：3号楼502室（等待确认）");
    EXPECT_EQ(say("bldg-3", "u-502b", "我的订单"),
              "你的登记（3号楼502室）还在等待确认，确认后才能用“我的订单”。");
    clear_outbox();
    EXPECT_EQ(say("u-502a", "u-502a", "确认 王叔叔"), "已确认：王叔叔为3号楼502室住户。");
    const auto told = outbox();
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].chat, "u-502b");
    EXPECT_EQ(told[0].text, "你的登记已确认：3号楼502室。现在可以下单、报抗原了。");
    EXPECT_EQ(say("bldg-3", "u-502b", "我的"), "王叔叔：3号楼502室");
    EXPECT_EQ(say("bldg-3", "u-502a", "确认 王叔叔"), "没有等待你确认的“王叔叔”。");
}

TEST_F(Registration, RegisteringAgainMovesOrSaysNothingChanged) {
    say("bldg-3", "u-admin", "绑定 3号楼");
    say("bldg-5", "u-admin", "绑定 5号楼");
    say("bldg-3", "u-1", "登记 3-502");
    EXPECT_NE(say("bldg-3", "u-1", "登记 3-502").find("无需重复"), std::string::npos);
    EXPECT_EQ(say("bldg-3", "u-1", "登记 5-1201"),
              "这里是3号楼群。5号楼的住户请在5号楼群里登记，或私聊我登记。");
    const auto moved = say("bldg-5", "u-1", "登记 5-1201");
    EXPECT_NE(moved.find("3号楼502室 → 5号楼1201室"), std::string::npos) << moved;
    const storage::compound_scope::entered in(dispatcher_.store().scope, storage::default_compound);
    EXPECT_TRUE(dispatcher_.store().members.at_room("3", "502").empty());
}

TEST_F(Registration, MeShowsAddressAndRoles) {
    EXPECT_NE(say("bldg-3", "u-1", "我的", "李阿姨").find("未登记"), std::string::npos);
    say("bldg-3", "u-admin", "绑定 3号楼");
    say("bldg-3", "u-1", "登记 3-502", "李阿姨");
    EXPECT_EQ(say("bldg-3", "u-1", "/me"), "李阿姨：3号楼502室");
    say("c", "u-admin", "授权 u-1 志愿者");
    EXPECT_EQ(say("bldg-3", "u-1", "我的"), "李阿姨：3号楼502室，身份：志愿者");
}

TEST_F(Registration, CommitteeBindsBuildingAndRoleChats) {
    EXPECT_EQ(say("bldg-3", "u-admin", "绑定 3号楼"), "本群已绑定为3号楼群。");
    EXPECT_NE(say("committee", "u-admin", "/bind committee").find("居委会工作群"),
              std::string::npos);
    say("vols", "u-admin", "/bind volunteers");
    auto& chats = dispatcher_.store().chats;
    EXPECT_EQ(chats.find("generic", "bldg-3")->building, "3");
    EXPECT_EQ(chats.find("generic", "committee")->kind, "committee");
    EXPECT_EQ(chats.find("generic", "vols")->kind, "volunteers");
}

TEST_F(Registration, ResidentsAreRefusedPolitelyNamingTheCommittee) {
    say("bldg-3", "u-1", "登记 3-502");
    for (const auto* text :
         {"绑定 3号楼", "授权 u-2 志愿者", "/revoke u-2 volunteer", "/grant u-1 committee"}) {
        const auto answer = say("bldg-3", "u-1", text);
        EXPECT_NE(answer.find("仅限居委会使用"), std::string::npos) << text << " → " << answer;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles"), 0);
    EXPECT_FALSE(dispatcher_.store().chats.find("generic", "bldg-3")->kind);
}

TEST_F(Registration, GrantAndRevokeByIdOrByRoom) {
    say("bldg-3", "u-1", "登记 3-502", "小张");
    EXPECT_EQ(say("c", "u-admin", "授权 3-502 楼组长"),
              "已授予 小张（3号楼502室）楼组长身份（负责3号楼）。");
    EXPECT_NE(say("c", "u-admin", "授权 u-1 lead").find("已是楼组长"), std::string::npos);
    // Naming the buildings sets them; the same ones again change nothing.
    EXPECT_EQ(say("c", "u-admin", "授权 u-1 楼组长 3号楼,5号楼"),
              "已授予 小张（3号楼502室）楼组长身份（负责3号楼、5号楼）。");
    EXPECT_EQ(say("c", "u-admin", "/grant u-1 lead 5 3"),
              "小张（3号楼502室）已是楼组长（负责5号楼、3号楼）。");
    EXPECT_EQ(say("c", "u-admin", "撤销 u-1 lead"), "已撤销 小张（3号楼502室）的楼组长身份。");
    EXPECT_NE(say("c", "u-admin", "撤销 u-1 lead").find("不是楼组长"), std::string::npos);
    EXPECT_NE(say("c", "u-admin", "授权 9-101 志愿者").find("还没有人登记"), std::string::npos);
    say("bldg-3", "u-2", "登记 3-502", "小王");
    const auto ambiguous = say("c", "u-admin", "授权 3-502 志愿者");
    EXPECT_EQ(ambiguous, "3号楼502室有2人登记：小张、小王。请在房号后写上名字，如：3-502 小张");
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles"), 0);
    EXPECT_EQ(say("c", "u-admin", "授权 3-502 小李 志愿者"), "3号楼502室没有叫“小李”的登记住户。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM member_roles"), 0);
    EXPECT_EQ(say("c", "u-admin", "授权 3-502 小王 志愿者"),
              "已授予 小王（3号楼502室）志愿者身份。");
    EXPECT_EQ(say("c", "u-admin", "撤销 3-502 小王 志愿者"),
              "已撤销 小王（3号楼502室）的志愿者身份。");
}

TEST_F(Registration, AGrantedCommitteeMemberMayGrantAndConfigCommitteeCannotBeRevokedInChat) {
    say("c", "u-7", "我的");
    say("c", "u-8", "我的");
    say("c", "u-admin", "授权 u-7 居委会");
    EXPECT_NE(say("c", "u-7", "授权 u-8 志愿者").find("已授予"), std::string::npos);
    EXPECT_NE(say("c", "u-7", "撤销 u-admin 居委会").find("配置文件"), std::string::npos);
}

TEST_F(Registration, BindingInAPrivateChatIsRefused) {
    message msg;
    msg.platform = "generic";
    msg.message_id = "p-1";
    msg.chat_id = "dm-admin";
    msg.sender_id = "u-admin";
    msg.text = "绑定 3号楼";
    msg.is_private = true;
    const auto outcome = dispatcher_.process(msg, now_);
    ASSERT_EQ(outcome.replies.size(), 1u);
    EXPECT_NE(outcome.replies[0].text.find("群里"), std::string::npos);
    EXPECT_FALSE(dispatcher_.store().chats.find("generic", "dm-admin")->kind);
}

}  // namespace
}  // namespace loudong::handlers
