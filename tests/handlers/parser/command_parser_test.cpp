// The parser's core (handlers/parser/command_parser.cpp): normalising, the command word,
// robustness.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

namespace {

struct sample {
    std::string_view text;
    command_name name;
};

// One Chinese and one English message for every row of SPEC §3's command table.
const std::vector<sample> command_table_samples{
    {"帮助", command_name::help},
    {"/help", command_name::help},
    {"登记 3号楼 502", command_name::register_member},
    {"/register 3 502", command_name::register_member},
    {"我的", command_name::me},
    {"/me", command_name::me},
    {"绑定 3号楼", command_name::bind},
    {"/bind committee", command_name::bind},
    {"授权 @u-502a 志愿者", command_name::grant},
    {"/grant u-502a volunteer", command_name::grant},
    {"撤销 u-502a 楼组长", command_name::revoke},
    {"/revoke 10001 lead", command_name::revoke},
    {"开团 华联超市4月28日 截单 18:00", command_name::shop},
    {"/shop Hualian until 18:00", command_name::shop},
    {"上架 鸡蛋 15.8 200 盒", command_name::item},
    {"/item eggs 15.8 200 box", command_name::item},
    {"菜单", command_name::menu},
    {"/menu", command_name::menu},
    {"下单 鸡蛋 2 大米5kg 1", command_name::order},
    {"/order 鸡蛋 x2", command_name::order},
    {"接龙 鸡蛋 2", command_name::order},
    {"我的订单", command_name::myorders},
    {"/myorders", command_name::myorders},
    {"取消 12", command_name::cancel},
    {"/cancel", command_name::cancel},
    {"截单", command_name::close},
    {"/close", command_name::close},
    {"汇总", command_name::summary},
    {"/summary 3", command_name::summary},
    {"配送单 3号楼", command_name::delivery},
    {"/delivery B3", command_name::delivery},
    {"送达 12", command_name::delivered},
    {"/delivered 3号楼", command_name::delivered},
    {"发布任务 物资搬运 4-28 14:00-16:00 6", command_name::task},
    {"/task Moving 4-28 14:00-16:00 6", command_name::task},
    {"任务", command_name::tasks},
    {"/tasks", command_name::tasks},
    {"揭榜 12", command_name::claim},
    {"报名 12", command_name::claim},
    {"/claim 12", command_name::claim},
    {"退出 12", command_name::unclaim},
    {"/unclaim 12", command_name::unclaim},
    {"名单 12", command_name::roster},
    {"/roster 12", command_name::roster},
    {"完成 12", command_name::done},
    {"/done 12", command_name::done},
    {"时长", command_name::hours},
    {"/hours", command_name::hours},
    {"核酸 all 明天 07:00 小区广场", command_name::test},
    {"/test 1-5 4-29 07:00 gate2", command_name::test},
    {"叫号 3号楼", command_name::call},
    {"/call next", command_name::call},
    {"抗原 阴性", command_name::antigen},
    {"/antigen negative", command_name::antigen},
    {"未报", command_name::pending},
    {"/pending 3", command_name::pending},
    {"统计", command_name::stats},
    {"/stats", command_name::stats},
    {"通知 all 今晚8点全员核酸", command_name::notice},
    {"/notice 3,5,7 water off", command_name::notice},
    {"模板", command_name::template_text},
    {"/template order.placed", command_name::template_text},
    {"取消任务 12", command_name::cancel_task},
    {"/canceltask 12", command_name::cancel_task},
};

}  // namespace

// ---- normalisation ---------------------------------------------------------------------------

TEST(CommandParser, NormalizeReadsFullWidthFormsAsAscii) {
    EXPECT_EQ(normalize_text("登记　３号楼　５０２室"), "登记 3号楼 502室");
    EXPECT_EQ(normalize_text("通知：ａｌｌ，３，５"), "通知:all,3,5");
    EXPECT_EQ(normalize_text("／ＨＥＬＰ　＠ｂｏｔ"), "/HELP @bot");
    EXPECT_EQ(normalize_text("３、５、７"), "3、5、7");
}

TEST(CommandParser, NormalizeFoldsAndTrimsWhiteSpace) {
    EXPECT_EQ(normalize_text("  下单 \n\t 鸡蛋\u3000\u3000 2  "), "下单 鸡蛋 2");
    // QQ puts U+2005 after a mention; some clients add zero-width spaces.
    EXPECT_EQ(normalize_text("@bot\u2005登\u200B记 3-502"), "@bot 登记 3-502");
    EXPECT_EQ(normalize_text(""), "");
    EXPECT_EQ(normalize_text(" \n "), "");
}

TEST(CommandParser, NormalizeKeepsInvalidUtf8Bytes) {
    EXPECT_EQ(normalize_text("\xff\xfe abc"), "\xff\xfe abc");
    EXPECT_EQ(normalize_text("ab\xe4\xb8"), "ab\xe4\xb8");
    EXPECT_EQ(normalize_text("\xed\xa0\x80x"), "\xed\xa0\x80x");  // a UTF-16 surrogate
    EXPECT_EQ(normalize_text("\xc0\xaf"), "\xc0\xaf");            // an overlong '/'
    EXPECT_EQ(normalize_text(std::string_view("a\0b", 3)), std::string("a\0b", 3));
}

// ---- recognising commands --------------------------------------------------------------------

TEST(CommandParser, RecognisesEveryRowOfTheCommandTable) {
    for (const auto& s : command_table_samples) {
        command_of(s.text, s.name);
    }
}

TEST(CommandParser, EveryCommandIsFoundByItsEnglishAndChineseNames) {
    const auto table = command_syntaxes();
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto name = table[i].name;
        const std::string english(english_name(name));
        const auto chinese = chinese_keyword(name);
        EXPECT_EQ(find_command(english), name) << english;
        EXPECT_EQ(find_command("/" + english), name) << english;
        EXPECT_EQ(find_command(chinese), name) << chinese;
        for (std::size_t j = 0; j < i; ++j) {
            EXPECT_NE(english, english_name(table[j].name));
            EXPECT_NE(chinese, chinese_keyword(table[j].name));
        }
    }
    EXPECT_EQ(english_name(command_name::register_member), "register");
    EXPECT_EQ(english_name(command_name::template_text), "template");
    EXPECT_EQ(chinese_keyword(command_name::myorders), "我的订单");
}

TEST(CommandParser, FindCommandAcceptsHelpTopicsAsTyped) {
    EXPECT_EQ(find_command("登记"), command_name::register_member);
    EXPECT_EQ(find_command("/REGISTER"), command_name::register_member);
    EXPECT_EQ(find_command("接龙"), command_name::order);
    EXPECT_EQ(find_command("报名"), command_name::claim);
    EXPECT_EQ(find_command("#揭榜"), command_name::claim);
    EXPECT_EQ(find_command("／ｍｅ"), command_name::me);
    EXPECT_EQ(find_command("/order@loudong_bot"), command_name::order);
    EXPECT_EQ(find_command("我的天"), std::nullopt);
    EXPECT_EQ(find_command("foo"), std::nullopt);
    EXPECT_EQ(find_command(""), std::nullopt);
}

TEST(CommandParser, KeepsTheKeywordAsTyped) {
    EXPECT_EQ(command_of("登记 3-502", command_name::register_member).keyword, "登记");
    EXPECT_EQ(command_of("/Register 3-502", command_name::register_member).keyword, "/Register");
    EXPECT_EQ(command_of("#接龙 鸡蛋2", command_name::order).keyword, "接龙");
    EXPECT_EQ(command_of("报名 3", command_name::claim).keyword, "报名");
    EXPECT_EQ(error_of("揭榜").keyword, "揭榜");
}

TEST(CommandParser, EnglishNamesIgnoreCase) {
    command_of("/HELP", command_name::help);
    command_of("/Me", command_name::me);
    command_of("/MyOrders", command_name::myorders);
    command_of("/start", command_name::help);
}

TEST(CommandParser, StripsLeadingMentions) {
    const auto args = args_of<register_args>("@bot 登记 3号楼 502", command_name::register_member);
    EXPECT_EQ(args.building.label, "3");
    EXPECT_EQ(args.room, "502");
    command_of("@loudong_bot /me", command_name::me);
    command_of("@王阿姨 @bot 我的订单", command_name::myorders);
    command_of("＠ｂｏｔ　菜单", command_name::menu);
    command_of("@bot\u2005抗原 阴性", command_name::antigen);
    EXPECT_TRUE(is_chat("@bot"));
    EXPECT_TRUE(is_chat("@bot 大家好"));
    EXPECT_TRUE(is_chat("@王阿姨 下单了吗"));
}

// Which bot a "/cmd@name" is for is the Telegram adapter's to decide (it drops other bots'
// commands before they reach the parser); the parser reads the command either way.
TEST(CommandParser, AcceptsTelegramBotSuffix) {
    const auto cmd = command_of("/register@loudong_bot 3 502", command_name::register_member);
    EXPECT_EQ(std::get<register_args>(cmd.args).room, "502");
    command_of("/menu@OtherBot", command_name::menu);
    EXPECT_EQ(error_of("/claim@loudong_bot").name, command_name::claim);
}

TEST(CommandParser, AcceptsHashAndSlashBeforeChineseKeywords) {
    command_of("#登记 3-502", command_name::register_member);
    command_of("/登记 3-502", command_name::register_member);
    command_of("#菜单", command_name::menu);
}

TEST(CommandParser, LongestKeywordWins) {
    command_of("我的订单", command_name::myorders);
    command_of("我的", command_name::me);
    command_of("发布任务 物资搬运 14:00-16:00 6", command_name::task);
    command_of("任务", command_name::tasks);
}

TEST(CommandParser, ChineseKeywordGluedToAsciiArgumentsIsACommand) {
    EXPECT_EQ(args_of<claim_args>("揭榜12", command_name::claim).tasks,
              std::vector<std::int64_t>{12});
    EXPECT_EQ(args_of<register_args>("登记3-502", command_name::register_member).room, "502");
    EXPECT_EQ(args_of<call_args>("叫号3号楼", command_name::call).building->label, "3");
    EXPECT_EQ(args_of<notice_args>("通知：all 停水", command_name::notice).text, "停水");
}

TEST(CommandParser, OrdinaryChatStaysSilent) {
    for (const auto* text : {"大家好",
                             "我的天啊",
                             "任务很重",
                             "取消了吗",
                             "登记了吗",
                             "帮助一下邻居",
                             "通知大家明天做核酸",
                             "核酸做了吗",
                             "抗原是阴性的吧",
                             "下单了没有",
                             "名单在哪",
                             "完成了",
                             "退出群聊",
                             "统计局说",
                             "菜单呢",
                             "送达了吗",
                             "汇总一下",
                             "截单了吗",
                             "今天8点做核酸",
                             "",
                             "   ",
                             "\n",
                             "hello /help",
                             "3号楼502"}) {
        EXPECT_TRUE(is_chat(text)) << "\"" << text << "\" gave " << describe(parse_command(text));
    }
}

TEST(CommandParser, SlashThatIsNotACommandWordStaysSilent) {
    for (const auto* text : {"/", "/ 哈哈", "/:)", "/usr/bin/env", "/微笑", "/123", "//", "/_x",
                             "#", "#hello", "/ help"}) {
        EXPECT_TRUE(is_chat(text)) << "\"" << text << "\" gave " << describe(parse_command(text));
    }
    EXPECT_TRUE(is_chat("/" + std::string(40, 'a')));
}

TEST(CommandParser, UnknownSlashWordGetsTheHint) {
    const auto result = parse_command("/foo bar");
    ASSERT_TRUE(std::holds_alternative<unknown_command>(result)) << describe(result);
    EXPECT_EQ(std::get<unknown_command>(result).word, "foo");
    const auto other = parse_command("/Foo@SomeBot");
    ASSERT_TRUE(std::holds_alternative<unknown_command>(other)) << describe(other);
    EXPECT_EQ(std::get<unknown_command>(other).word, "Foo");
}

// ---- robustness ------------------------------------------------------------------------------

TEST(CommandParser, InvalidUtf8NeverCrashesAndIsChat) {
    for (const auto& text :
         {std::string("\xff\xfe\xfd"), std::string("\xe7\x99"), std::string("登记 \xff 502"),
          std::string("\x80\x80\x80 下单"), std::string("抗原\xe9"), std::string(3, '\0'),
          std::string("\xc0\xaf"
                      "help")}) {
        const auto result = parse_command(text);
        EXPECT_FALSE(std::holds_alternative<command>(result)) << describe(result);
    }
    expect_usage("登记 3号楼 \xff\xfe", "bad_room", "\xff\xfe");
    expect_usage("/order \xe9\x9b 0", "bad_quantity", "0");
}

TEST(CommandParser, LongGarbageNeverCrashes) {
    std::mt19937 random(20220428);
    std::string bytes(64 * 1024, '\0');
    for (auto& c : bytes) {
        c = static_cast<char>(random() & 0xFF);
    }
    EXPECT_NO_THROW(parse_command(bytes));
    EXPECT_TRUE(is_chat("大家" + bytes));
    EXPECT_NO_THROW(parse_command("/template x set " + bytes));

    const auto long_building = "登记 " + std::string(10000, '3') + " 502";
    expect_usage(long_building, "bad_building", std::string(10000, '3'));
    std::string many_lines = "下单";
    for (int i = 0; i < 5000; ++i) {
        many_lines += " 鸡蛋 2";
    }
    EXPECT_EQ(args_of<order_args>(many_lines, command_name::order).lines.size(), 5000U);
    expect_usage("通知 1-99999999999999999999 停水", "bad_target", "1-99999999999999999999");
}

TEST(CommandParser, RandomFragmentsNeverCrash) {
    const std::vector<std::string> fragments{
        "登记", "下单",     "接龙", "#",   "/",    "@bot", " ",    "\n",    "3",    "-",
        "502",  "号楼",     "x",    "×",   "2",    "份",   ":",    "14:00", "至",   "明天",
        "all",  ",",        "、",   "set", "{{",   "\xff", "\xe4", "阴性",  "抗原", "核酸",
        "通知", "发布任务", "１",   "　",  "限购", "¥",    "."};
    std::mt19937 random(42);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const auto parts = random() % 12;
        for (std::uint32_t k = 0; k < parts; ++k) {
            text += fragments[random() % fragments.size()];
        }
        EXPECT_NO_THROW(parse_command(text)) << text;
        // Chat that merely mentions a keyword later in the sentence never wakes the bot.
        EXPECT_TRUE(is_chat("大家好" + text)) << text;
    }
}

}  // namespace loudong::handlers

namespace loudong::handlers {

using namespace testing;

// Everywhere a building or room is read, a lane's building reads too (SPEC §7).
TEST(CommandParser, EveryCommandThatReadsABuildingOrRoomReadsALane) {
    const std::string lane = "12弄3";
    for (const auto* text : {"登记 12-3-502", "登记 12弄3号 502", "登记 12弄3号502室",
                             "/register 12-3-502", "登记 １２－３－５０２"}) {
        const auto args = args_of<register_args>(text, command_name::register_member);
        EXPECT_EQ(args.building.label, lane) << text;
        EXPECT_EQ(args.room, "502") << text;
    }
    EXPECT_EQ(args_of<bind_args>("绑定 12弄3号", command_name::bind).building.label, lane);
    EXPECT_EQ(args_of<campaign_args>("配送单 12弄3号楼", command_name::delivery).building->label,
              lane);
    EXPECT_EQ(args_of<delivered_args>("送达 12弄3号", command_name::delivered).building->label,
              lane);
    EXPECT_EQ(args_of<building_opt_args>("未报 12弄3号", command_name::pending).building->label,
              lane);
    EXPECT_EQ(args_of<campaign_args>("汇总 12弄3号", command_name::summary).building->label, lane);
    EXPECT_EQ(args_of<call_args>("叫号 12弄3号", command_name::call).building->label, lane);
    EXPECT_EQ(
        labels(args_of<notice_args>("通知 12弄3号,12弄5号 明天停水", command_name::notice).targets),
        (std::vector<std::string>{lane, "12弄5"}));
    EXPECT_EQ(
        labels(args_of<test_args>("核酸 12弄3号 明天 07:00 小区广场", command_name::test).targets),
        (std::vector<std::string>{lane}));
    const auto relay = args_of<order_args>("接龙 华联\n1. 12-3-502 鸡蛋2", command_name::order);
    ASSERT_EQ(relay.relay.size(), 1u);
    EXPECT_EQ(relay.relay.front().building->label, lane);
    EXPECT_EQ(relay.relay.front().room, "502");
    expect_usage("登记 12-3-", "bad_building", "12-3-");
}

}  // namespace loudong::handlers

namespace loudong::handlers {

// Found by the fuzzer: separators without a room are not a registry.
TEST(CommandParser, ARegistryOfRoomsNamesAtLeastOneRoom) {
    testing::expect_usage("楼栋 3号楼 房号 ，", "missing_argument", "");
    testing::expect_usage("/building 3 rooms , ,", "missing_argument", "");
    EXPECT_EQ(
        testing::args_of<registry_args>("楼栋 3号楼 房号 101，102", command_name::registry).rooms,
        (std::vector<std::string>{"101", "102"}));
}

}  // namespace loudong::handlers
