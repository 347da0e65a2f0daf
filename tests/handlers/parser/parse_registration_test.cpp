// handlers/parser/parse_help.cpp and parse_registration.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

// ---- help, register, me, bind, grant, revoke ---------------------------------------------------

TEST(CommandParser, HelpTakesAnOptionalTopic) {
    EXPECT_EQ(args_of<help_args>("帮助", command_name::help).topic, std::nullopt);
    EXPECT_EQ(args_of<help_args>("/help 登记", command_name::help).topic, "登记");
    EXPECT_EQ(args_of<help_args>("帮助 /order", command_name::help).topic, "/order");
}

TEST(CommandParser, RegisterReadsEveryAddressForm) {
    for (const auto* text :
         {"登记 3号楼 502", "/register 3 502", "登记 3-502", "登记 ３号楼 ５０２室",
          "登记 3幢502室", "登记 3号楼502", "登记 3栋 502室", "登记 B3 502", "登记 b3-502",
          "登记 3号 502", "登记：3-502", "/register 03 502"}) {
        const auto args = args_of<register_args>(text, command_name::register_member);
        EXPECT_EQ(args.building.label, "3") << text;
        EXPECT_EQ(args.room, "502") << text;
    }
    const auto high = args_of<register_args>("登记 12号楼 1201室", command_name::register_member);
    EXPECT_EQ(high.building.label, "12");
    EXPECT_EQ(high.room, "1201");
}

TEST(CommandParser, ApproveRejectAndRemoveNameAMemberOrARoomAndAName) {
    const auto name = args_of<member_args>("确认 王叔叔", command_name::approve);
    EXPECT_EQ(name.member, "王叔叔");
    EXPECT_FALSE(name.building);
    EXPECT_EQ(args_of<member_args>("/approve @10001", command_name::approve).member, "10001");
    EXPECT_EQ(args_of<member_args>("拒绝 Wang Ayi", command_name::reject).member, "Wang Ayi");
    EXPECT_EQ(args_of<member_args>("确认", command_name::approve).member, "");
    const auto room = args_of<member_args>("移出 3-502 王叔叔", command_name::remove);
    EXPECT_EQ(room.building->label, "3");
    EXPECT_EQ(room.room, "502");
    EXPECT_EQ(room.member, "王叔叔");
    const auto room_only = args_of<member_args>("/remove 3号楼502室", command_name::remove);
    EXPECT_EQ(room_only.building->label, "3");
    EXPECT_EQ(room_only.member, "");
    expect_usage("移出", "missing_argument", "");
    EXPECT_TRUE(std::holds_alternative<no_args>(std::get<command>(parse_command("注销")).args));
}

TEST(CommandParser, RegisterExplainsHalfTypedAddresses) {
    expect_usage("登记", "missing_argument", "");
    expect_usage("登记 3号楼", "missing_argument", "");
    expect_usage("/register", "missing_argument", "");
    expect_usage("登记 甲楼 502", "bad_building", "甲楼");
    expect_usage("登记 3楼 502", "bad_building", "3楼");
    expect_usage("登记 3号楼 五零二", "bad_room", "五零二");
    expect_usage("登记 3号楼 0502", "bad_room", "0502");
    expect_usage("登记 3号楼 502 王阿姨", "too_many_arguments", "王阿姨");
    expect_usage("登记 3-502 王阿姨", "too_many_arguments", "王阿姨");
    EXPECT_EQ(error_of("登记").name, command_name::register_member);
}

TEST(CommandParser, MeTakesNothingMore) {
    command_of("我的", command_name::me);
    expect_usage("/me please", "too_many_arguments", "please");
    // A keyword with chat after it is chat; the slash form is surely meant for the bot.
    EXPECT_TRUE(is_chat("我的 订单"));
    expect_usage("/me orders", "too_many_arguments", "orders");
}

TEST(CommandParser, BindNamesABuildingOrAGroup) {
    auto args = args_of<bind_args>("绑定 3号楼", command_name::bind);
    EXPECT_EQ(args.kind, bind_args::target::building);
    EXPECT_EQ(args.building.label, "3");
    EXPECT_EQ(args_of<bind_args>("/bind committee", command_name::bind).kind,
              bind_args::target::committee);
    EXPECT_EQ(args_of<bind_args>("绑定 居委会", command_name::bind).kind,
              bind_args::target::committee);
    EXPECT_EQ(args_of<bind_args>("/bind Volunteers", command_name::bind).kind,
              bind_args::target::volunteers);
    EXPECT_EQ(args_of<bind_args>("绑定 志愿者", command_name::bind).kind,
              bind_args::target::volunteers);
    expect_usage("绑定", "missing_argument", "");
    expect_usage("绑定 业主群", "bad_target", "业主群");
    expect_usage("绑定 3号楼 业主群", "too_many_arguments", "业主群");
}

// A WeCom chat's group robot: the key after key= in its webhook address (SPEC §9).
TEST(CommandParser, BindTakesAWecomRobotsWebhookKey) {
    auto args = args_of<bind_args>("绑定 居委会 webhook 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
                                   command_name::bind);
    EXPECT_EQ(args.kind, bind_args::target::committee);
    EXPECT_EQ(args.webhook_key, "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa");
    args = args_of<bind_args>("绑定 3号楼 Webhook abcdef12 确认", command_name::bind);
    EXPECT_EQ(args.building.label, "3");
    EXPECT_EQ(args.webhook_key, "abcdef12");
    EXPECT_TRUE(args.confirmed);
    EXPECT_TRUE(args_of<bind_args>("绑定 3号楼", command_name::bind).webhook_key.empty());
    expect_usage("绑定 3号楼 webhook abc", "bad_webhook_key", "abc");
    expect_usage("绑定 3号楼 webhook key=abc&x=1", "bad_webhook_key", "key=abc&x=1");
    expect_usage("绑定 webhook abcdef12", "too_many_arguments", "abcdef12");
}

TEST(CommandParser, GrantAndRevokeReadMemberAndRole) {
    auto args = args_of<role_args>("授权 @u-502a 志愿者", command_name::grant);
    EXPECT_EQ(args.member, "u-502a");
    EXPECT_EQ(args.which, role::volunteer);
    args = args_of<role_args>("/grant generic:u-1 committee", command_name::grant);
    EXPECT_EQ(args.member, "generic:u-1");
    EXPECT_EQ(args.which, role::committee);
    args = args_of<role_args>("授权 10001 楼组长", command_name::grant);
    EXPECT_EQ(args.which, role::lead);
    args = args_of<role_args>("授权 3-502 居委", command_name::grant);
    EXPECT_EQ(args.member, "3-502");
    EXPECT_EQ(args.which, role::committee);
    args = args_of<role_args>("授权 志愿者 @王阿姨", command_name::grant);
    EXPECT_EQ(args.member, "王阿姨");
    EXPECT_EQ(args.which, role::volunteer);
    args = args_of<role_args>("/revoke u-1 LEAD", command_name::revoke);
    EXPECT_EQ(args.which, role::lead);
    EXPECT_EQ(args_of<role_args>("撤销 u-1 委员", command_name::revoke).which, role::committee);
}

TEST(CommandParser, GrantRefusesUnknownRolesAndMissingParts) {
    expect_usage("/grant u-1 king", "bad_role", "king");
    expect_usage("/grant u-1", "missing_argument", "");
    expect_usage("授权", "missing_argument", "");
    expect_usage("撤销 u-1 志愿者 楼组长", "too_many_arguments", "楼组长");
    expect_usage("授权 @ 志愿者", "missing_argument", "");
}

}  // namespace loudong::handlers
