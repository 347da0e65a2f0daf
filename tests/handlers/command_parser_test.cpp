#include "handlers/parser/command_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

std::string describe(const parse_result& result) {
    if (std::holds_alternative<not_a_command>(result)) {
        return "ordinary chat";
    }
    if (const auto* unknown = std::get_if<unknown_command>(&result)) {
        return "unknown command /" + unknown->word;
    }
    if (const auto* error = std::get_if<usage_error>(&result)) {
        return "usage error " + std::string(english_name(error->name)) + ": " + error->reason +
               " [" + error->token + "]";
    }
    return "command " + std::string(english_name(std::get<command>(result).name));
}

// The recognised command, or a failure saying what the parser made of the text instead.
command command_of(std::string_view text, command_name expected) {
    const auto result = parse_command(text);
    const auto* cmd = std::get_if<command>(&result);
    if (cmd == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" gave " << describe(result) << ", expected command "
                      << english_name(expected);
        return command{};
    }
    EXPECT_EQ(english_name(cmd->name), english_name(expected)) << "\"" << text << "\"";
    return *cmd;
}

template <class Args>
Args args_of(std::string_view text, command_name expected) {
    const auto cmd = command_of(text, expected);
    const auto* args = std::get_if<Args>(&cmd.args);
    if (args == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" carried other arguments";
        return Args{};
    }
    return *args;
}

usage_error error_of(std::string_view text) {
    const auto result = parse_command(text);
    const auto* error = std::get_if<usage_error>(&result);
    if (error == nullptr) {
        ADD_FAILURE() << "\"" << text << "\" gave " << describe(result)
                      << ", expected a usage error";
        return usage_error{};
    }
    return *error;
}

void expect_usage(std::string_view text, std::string_view reason, std::string_view token) {
    const auto error = error_of(text);
    EXPECT_EQ(error.reason, reason) << "\"" << text << "\"";
    EXPECT_EQ(error.token, token) << "\"" << text << "\"";
}

bool is_chat(std::string_view text) {
    return std::holds_alternative<not_a_command>(parse_command(text));
}

std::vector<std::string> labels(const buildings_args& list) {
    std::vector<std::string> out;
    for (const auto& b : list.buildings) {
        out.push_back(b.label);
    }
    return out;
}

constexpr int minutes(int h, int m) {
    return h * 60 + m;
}

constexpr day_ref on(int month, int day) {
    return day_ref{day_ref::kind::month_day, month, day};
}

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
    EXPECT_EQ(args_of<task_number_args>("揭榜12", command_name::claim).task, 12);
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

// ---- orders ----------------------------------------------------------------------------------

TEST(CommandParser, ShopReadsTitleAndCutOff) {
    auto args = args_of<shop_args>("开团 华联超市4月28日 截单 18:00", command_name::shop);
    EXPECT_EQ(args.title, "华联超市4月28日");
    EXPECT_EQ(args.until, time_of_day{minutes(18, 0)});
    args = args_of<shop_args>("/shop Hualian group buy until 18:30", command_name::shop);
    EXPECT_EQ(args.title, "Hualian group buy");
    EXPECT_EQ(args.until, time_of_day{minutes(18, 30)});
    args = args_of<shop_args>("开团 华联超市 截单18:00", command_name::shop);
    EXPECT_EQ(args.title, "华联超市");
    EXPECT_EQ(args.until, time_of_day{minutes(18, 0)});
    args = args_of<shop_args>("开团 叮咚买菜保供 截止 １７：００", command_name::shop);
    EXPECT_EQ(args.until, time_of_day{minutes(17, 0)});
    args = args_of<shop_args>("开团 华联超市", command_name::shop);
    EXPECT_EQ(args.title, "华联超市");
    EXPECT_EQ(args.until, std::nullopt);
}

TEST(CommandParser, ShopExplainsBadCutOff) {
    expect_usage("开团", "missing_argument", "");
    expect_usage("开团 截单 18:00", "missing_argument", "");
    expect_usage("开团 华联 截单 25:00", "bad_time", "25:00");
    expect_usage("开团 华联 截单", "missing_argument", "");
    expect_usage("开团 华联 截单 18:00 明天", "too_many_arguments", "明天");
}

TEST(CommandParser, ItemReadsPriceInFenStockUnitAndLimit) {
    auto args = args_of<item_args>("上架 鸡蛋 15.8 200 盒", command_name::item);
    EXPECT_EQ(args.name, "鸡蛋");
    EXPECT_EQ(args.price_fen, 1580);
    EXPECT_EQ(args.stock, 200);
    EXPECT_EQ(args.unit, "盒");
    EXPECT_EQ(args.limit_per_person, std::nullopt);
    args = args_of<item_args>("上架 大米5kg 39.9 80 袋", command_name::item);
    EXPECT_EQ(args.name, "大米5kg");
    EXPECT_EQ(args.price_fen, 3990);
    EXPECT_EQ(args.stock, 80);
    EXPECT_EQ(args.unit, "袋");
    args = args_of<item_args>("上架 鸡蛋 15.8 200 盒 限购 2", command_name::item);
    EXPECT_EQ(args.limit_per_person, 2);
    args = args_of<item_args>("上架 口罩 ¥2.5 1000个 限购2", command_name::item);
    EXPECT_EQ(args.price_fen, 250);
    EXPECT_EQ(args.stock, 1000);
    EXPECT_EQ(args.unit, "个");
    EXPECT_EQ(args.limit_per_person, 2);
    args = args_of<item_args>("上架 牛奶 ６５元/箱 ３０", command_name::item);
    EXPECT_EQ(args.price_fen, 6500);
    EXPECT_EQ(args.unit, "箱");
    EXPECT_EQ(args.stock, 30);
    args = args_of<item_args>("/item bread 12 limit 1", command_name::item);
    EXPECT_EQ(args.price_fen, 1200);
    EXPECT_EQ(args.stock, std::nullopt);
    EXPECT_EQ(args.limit_per_person, 1);
    args = args_of<item_args>("上架 保供蔬菜包 0", command_name::item);
    EXPECT_EQ(args.price_fen, 0);
}

TEST(CommandParser, ItemRefusesBadPrices) {
    expect_usage("上架 鸡蛋 -1", "bad_price", "-1");
    expect_usage("上架 鸡蛋 15.888", "bad_price", "15.888");
    expect_usage("上架 鸡蛋 十五元", "bad_price", "十五元");
    expect_usage("上架 鸡蛋 99999999", "bad_price", "99999999");
    expect_usage("上架 鸡蛋 1e3", "bad_price", "1e3");
    expect_usage("上架 鸡蛋", "missing_argument", "");
    expect_usage("上架", "missing_argument", "");
    expect_usage("上架 鸡蛋 15.8 -5", "bad_number", "-5");
    expect_usage("上架 鸡蛋 15.8 200 盒 限购 两", "bad_number", "两");
    expect_usage("上架 鸡蛋 15.8 200 盒 新鲜", "too_many_arguments", "新鲜");
}

TEST(CommandParser, OrderReadsSeveralItemsAndQuantities) {
    auto args = args_of<order_args>("下单 鸡蛋 2 大米5kg 1", command_name::order);
    ASSERT_EQ(args.lines.size(), 2U);
    EXPECT_EQ(args.lines[0].item, "鸡蛋");
    EXPECT_EQ(args.lines[0].quantity, 2);
    EXPECT_EQ(args.lines[1].item, "大米5kg");
    EXPECT_EQ(args.lines[1].quantity, 1);
    EXPECT_TRUE(args.relay.empty());
    for (const auto* text :
         {"下单 鸡蛋 2，大米 1", "下单 鸡蛋2、大米1", "/order 鸡蛋 x2, 大米 x1"}) {
        args = args_of<order_args>(text, command_name::order);
        ASSERT_EQ(args.lines.size(), 2U) << text;
        EXPECT_EQ(args.lines[0].item, "鸡蛋") << text;
        EXPECT_EQ(args.lines[0].quantity, 2) << text;
        EXPECT_EQ(args.lines[1].item, "大米") << text;
        EXPECT_EQ(args.lines[1].quantity, 1) << text;
    }
}

TEST(CommandParser, OrderReadsEveryQuantityForm) {
    for (const auto* text :
         {"/order 鸡蛋 x2", "下单 鸡蛋 X2", "下单 鸡蛋 ×2", "下单 鸡蛋 *2", "下单 鸡蛋 2",
          "下单 鸡蛋2", "下单 鸡蛋x2", "下单 鸡蛋 ｘ２", "下单 鸡蛋 2盒"}) {
        const auto args = args_of<order_args>(text, command_name::order);
        ASSERT_EQ(args.lines.size(), 1U) << text;
        EXPECT_EQ(args.lines[0].item, "鸡蛋") << text;
        EXPECT_EQ(args.lines[0].quantity, 2) << text;
    }
    const auto unit = args_of<order_args>("下单 大米 ×3袋 鸡蛋2份", command_name::order);
    ASSERT_EQ(unit.lines.size(), 2U);
    EXPECT_EQ(unit.lines[0].quantity, 3);
    EXPECT_EQ(unit.lines[0].unit, "袋");
    EXPECT_EQ(unit.lines[1].item, "鸡蛋");
    EXPECT_EQ(unit.lines[1].unit, "份");
}

TEST(CommandParser, OrderByItemNumber) {
    const auto args = args_of<order_args>("下单 1 2 3 1", command_name::order);
    ASSERT_EQ(args.lines.size(), 2U);
    EXPECT_EQ(args.lines[0].item, "1");
    EXPECT_EQ(args.lines[0].quantity, 2);
    EXPECT_EQ(args.lines[1].item, "3");
    EXPECT_EQ(args.lines[1].quantity, 1);
}

TEST(CommandParser, OrderDefaultsToOneAndKeepsNamesWithDigits) {
    auto args = args_of<order_args>("下单 鸡蛋 大米", command_name::order);
    ASSERT_EQ(args.lines.size(), 2U);
    EXPECT_EQ(args.lines[0].quantity, 1);
    EXPECT_EQ(args.lines[1].quantity, 1);
    for (const auto* name : {"大米5kg", "农夫山泉550", "iPhone13", "可乐2L"}) {
        args = args_of<order_args>(std::string("下单 ") + name, command_name::order);
        ASSERT_EQ(args.lines.size(), 1U) << name;
        EXPECT_EQ(args.lines[0].item, name);
        EXPECT_EQ(args.lines[0].quantity, 1);
    }
}

TEST(CommandParser, OrderRefusesBadQuantities) {
    expect_usage("下单", "missing_argument", "");
    expect_usage("下单 ，", "missing_argument", "");
    expect_usage("下单 鸡蛋 0", "bad_quantity", "0");
    expect_usage("下单 鸡蛋 -1", "bad_quantity", "-1");
    expect_usage("下单 鸡蛋 x0", "bad_quantity", "x0");
    expect_usage("下单 鸡蛋 99999999999999999999999", "bad_quantity", "99999999999999999999999");
    expect_usage("下单 -2", "bad_quantity", "-2");
    expect_usage("下单 鸡蛋0", "bad_quantity", "鸡蛋0");
}

TEST(CommandParser, RelayListKeepsEachNumberedLine) {
    const auto args = args_of<order_args>(
        "#接龙\n华联超市4月28日团购\n例 3-502 鸡蛋2\n\n1. 3-101 鸡蛋2\n2. 王阿姨 3号楼 502 "
        "鸡蛋1 大米1\n3、5-1201 大米２\n4. 随便写点什么",
        command_name::order);
    EXPECT_TRUE(args.lines.empty());
    ASSERT_EQ(args.relay.size(), 4U);
    EXPECT_EQ(args.relay[0].number, 1);
    EXPECT_EQ(args.relay[0].building->label, "3");
    EXPECT_EQ(args.relay[0].room, "101");
    ASSERT_EQ(args.relay[0].lines.size(), 1U);
    EXPECT_EQ(args.relay[0].lines[0].item, "鸡蛋");
    EXPECT_EQ(args.relay[0].lines[0].quantity, 2);
    EXPECT_EQ(args.relay[1].room, "502");
    ASSERT_EQ(args.relay[1].lines.size(), 2U);
    EXPECT_EQ(args.relay[1].lines[1].item, "大米");
    EXPECT_EQ(args.relay[2].building->label, "5");
    EXPECT_EQ(args.relay[2].room, "1201");
    EXPECT_EQ(args.relay[2].lines[0].quantity, 2);
    EXPECT_EQ(args.relay[3].building, std::nullopt);
    EXPECT_EQ(args.relay[3].text, "随便写点什么");
}

TEST(CommandParser, RelayOnOneLineIsAPlainOrder) {
    const auto args = args_of<order_args>("接龙 鸡蛋2 大米1", command_name::order);
    EXPECT_TRUE(args.relay.empty());
    ASSERT_EQ(args.lines.size(), 2U);
    EXPECT_EQ(args.lines[1].item, "大米");
}

TEST(CommandParser, MyOrdersMenuCloseTakeNothing) {
    command_of("我的订单", command_name::myorders);
    command_of("菜单", command_name::menu);
    command_of("截单", command_name::close);
    expect_usage("/menu now", "too_many_arguments", "now");
}

TEST(CommandParser, CancelTakesAnOptionalOrderNumber) {
    EXPECT_EQ(args_of<order_number_args>("取消 12", command_name::cancel).order, 12);
    EXPECT_EQ(args_of<order_number_args>("取消 #12", command_name::cancel).order, 12);
    EXPECT_EQ(args_of<order_number_args>("/cancel 12号", command_name::cancel).order, 12);
    EXPECT_EQ(args_of<order_number_args>("取消", command_name::cancel).order, std::nullopt);
    expect_usage("取消 鸡蛋", "bad_number", "鸡蛋");
    expect_usage("取消 0", "bad_number", "0");
    expect_usage("取消 12 13", "too_many_arguments", "13");
}

TEST(CommandParser, SummaryAndPendingTakeAnOptionalBuilding) {
    EXPECT_EQ(args_of<building_opt_args>("汇总", command_name::summary).building, std::nullopt);
    EXPECT_EQ(args_of<building_opt_args>("汇总 3号楼", command_name::summary).building->label, "3");
    EXPECT_EQ(args_of<building_opt_args>("未报", command_name::pending).building, std::nullopt);
    EXPECT_EQ(args_of<building_opt_args>("未报 ５栋", command_name::pending).building->label, "5");
    expect_usage("汇总 大楼", "bad_building", "大楼");
    expect_usage("/pending 3 5", "too_many_arguments", "5");
}

TEST(CommandParser, DeliveryNeedsABuilding) {
    EXPECT_EQ(args_of<building_args>("配送单 3号楼", command_name::delivery).building.label, "3");
    EXPECT_EQ(args_of<building_args>("/delivery B12", command_name::delivery).building.label, "12");
    expect_usage("配送单", "missing_argument", "");
    expect_usage("配送单 全部", "bad_building", "全部");
}

TEST(CommandParser, DeliveredTakesAnOrderNumberOrABuilding) {
    auto args = args_of<delivered_args>("送达 12", command_name::delivered);
    EXPECT_EQ(args.order, 12);
    EXPECT_EQ(args.building, std::nullopt);
    args = args_of<delivered_args>("送达 3号楼", command_name::delivered);
    EXPECT_EQ(args.order, std::nullopt);
    EXPECT_EQ(args.building->label, "3");
    EXPECT_EQ(args_of<delivered_args>("/delivered #3", command_name::delivered).order, 3);
    EXPECT_EQ(args_of<delivered_args>("送达 B3", command_name::delivered).building->label, "3");
    expect_usage("送达", "missing_argument", "");
    expect_usage("送达 门口", "bad_target", "门口");
}

// ---- tasks -----------------------------------------------------------------------------------

TEST(CommandParser, TaskReadsTitleDayRangeAndSlots) {
    const auto args =
        args_of<task_args>("发布任务 物资搬运 4-28 14:00-16:00 6", command_name::task);
    EXPECT_EQ(args.title, "物资搬运");
    EXPECT_EQ(args.when.day, on(4, 28));
    EXPECT_EQ(args.when.start, time_of_day{minutes(14, 0)});
    EXPECT_EQ(args.when.end, time_of_day{minutes(16, 0)});
    EXPECT_EQ(args.slots, 6);
    EXPECT_EQ(args.place, std::nullopt);
    EXPECT_EQ(args.when.until, std::nullopt);
}

TEST(CommandParser, TaskReadsARecurringRotaWithItsLastDay) {
    auto args =
        args_of<task_args>("发布任务 门岗值守 每天 08:00-12:00 2 至 5-10", command_name::task);
    EXPECT_EQ(args.title, "门岗值守");
    EXPECT_EQ(args.when.day.which, day_ref::kind::every_day);
    EXPECT_EQ(args.when.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.when.end, time_of_day{minutes(12, 0)});
    EXPECT_EQ(args.slots, 2);
    EXPECT_EQ(args.when.until, on(5, 10));
    args = args_of<task_args>("发布任务 门岗值守 每天 08:00-12:00 至5月10日 2 地点 1号门",
                              command_name::task);
    EXPECT_EQ(args.when.until, on(5, 10));
    EXPECT_EQ(args.slots, 2);
    EXPECT_EQ(args.place, "1号门");
}

TEST(CommandParser, TaskReadsPlaceNoteAndOtherTimeForms) {
    auto args = args_of<task_args>("发布任务 楼道消杀 明天 8:00-12:00 4人 地点 3号楼 备注 带好手套",
                                   command_name::task);
    EXPECT_EQ(args.title, "楼道消杀");
    EXPECT_EQ(args.when.day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.when.start, time_of_day{minutes(8, 0)});
    EXPECT_EQ(args.slots, 4);
    EXPECT_EQ(args.place, "3号楼");
    EXPECT_EQ(args.note, "带好手套");
    args = args_of<task_args>("/task Gate duty tomorrow 8:00-12:00 2 place North gate",
                              command_name::task);
    EXPECT_EQ(args.title, "Gate duty");
    EXPECT_EQ(args.place, "North gate");
    args = args_of<task_args>("发布任务 核酸引导 １４：００－１６：００ ３", command_name::task);
    EXPECT_EQ(args.when.day.which, day_ref::kind::unspecified);
    EXPECT_EQ(args.when.end, time_of_day{minutes(16, 0)});
    EXPECT_EQ(args.slots, 3);
    args = args_of<task_args>("发布任务 夜间值守 每天 20:00-24:00 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{24 * 60});
    args = args_of<task_args>("发布任务 夜间值守 每天 22:00-06:00 2", command_name::task);
    EXPECT_EQ(args.when.end, time_of_day{minutes(6, 0)});
    args = args_of<task_args>("发布任务 送菜 4月28日 9点半 2", command_name::task);
    EXPECT_EQ(args.when.day, on(4, 28));
    EXPECT_EQ(args.when.start, time_of_day{minutes(9, 30)});
}

TEST(CommandParser, TaskExplainsWhatIsWrong) {
    expect_usage("发布任务", "missing_argument", "");
    expect_usage("发布任务 物资搬运", "missing_argument", "");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00", "missing_argument", "");
    expect_usage("发布任务 物资搬运 4-31 14:00 6", "bad_time", "4-31");
    expect_usage("发布任务 物资搬运 4-28 25:00-26:00 6", "bad_time", "25:00-26:00");
    expect_usage("发布任务 物资搬运 4-28 6", "bad_time", "6");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 六", "bad_number", "六");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 0", "bad_number", "0");
    expect_usage("发布任务 门岗 每天 08:00-12:00 2 至 5-32", "bad_time", "5-32");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 6 快来", "too_many_arguments", "快来");
    expect_usage("发布任务 物资搬运 4-28 14:00-16:00 6 地点", "missing_argument", "");
}

TEST(CommandParser, TaskNumberCommandsReadTheNumber) {
    EXPECT_EQ(args_of<task_number_args>("揭榜 12", command_name::claim).task, 12);
    EXPECT_EQ(args_of<task_number_args>("报名 12", command_name::claim).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/claim #12", command_name::claim).task, 12);
    EXPECT_EQ(args_of<task_number_args>("退出 ７", command_name::unclaim).task, 7);
    EXPECT_EQ(args_of<task_number_args>("/unclaim 7", command_name::unclaim).task, 7);
    EXPECT_EQ(args_of<task_number_args>("名单 12号", command_name::roster).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/roster 12", command_name::roster).task, 12);
    EXPECT_EQ(args_of<task_number_args>("完成 12", command_name::done).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/done 12", command_name::done).task, 12);
}

TEST(CommandParser, TaskNumberCommandsExplainBadNumbers) {
    expect_usage("揭榜 abc", "bad_number", "abc");
    expect_usage("揭榜", "missing_argument", "");
    expect_usage("报名 -3", "bad_number", "-3");
    expect_usage("揭榜 12 13", "too_many_arguments", "13");
    expect_usage("完成 99999999999999999999", "bad_number", "99999999999999999999");
    EXPECT_EQ(error_of("退出 门岗").name, command_name::unclaim);
}

TEST(CommandParser, CancelTaskIsTheLongerKeywordThanCancel) {
    EXPECT_EQ(args_of<task_number_args>("取消任务 12", command_name::cancel_task).task, 12);
    EXPECT_EQ(args_of<task_number_args>("取消任务12", command_name::cancel_task).task, 12);
    EXPECT_EQ(args_of<task_number_args>("/canceltask #7", command_name::cancel_task).task, 7);
    EXPECT_EQ(args_of<task_number_args>("#取消任务 ３", command_name::cancel_task).task, 3);
    EXPECT_EQ(command_of("取消任务 12", command_name::cancel_task).keyword, "取消任务");
    EXPECT_EQ(find_command("取消任务"), command_name::cancel_task);
    // 取消 alone still cancels an order.
    EXPECT_EQ(args_of<order_number_args>("取消 12", command_name::cancel).order, 12);
    expect_usage("取消任务", "missing_argument", "");
    expect_usage("取消任务 门岗", "bad_number", "门岗");
    EXPECT_EQ(error_of("取消任务 门岗").name, command_name::cancel_task);
    EXPECT_TRUE(is_chat("取消任务了吗"));
}

TEST(CommandParser, TasksAndHoursTakeNothing) {
    command_of("任务", command_name::tasks);
    command_of("时长", command_name::hours);
    expect_usage("/hours april", "too_many_arguments", "april");
}

// ---- tests: nucleic acid and antigen ----------------------------------------------------------

TEST(CommandParser, TestReadsBuildingsTimeAndPlace) {
    auto args = args_of<test_args>("核酸 all 明天 07:00 小区广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.when.day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.when.start, time_of_day{minutes(7, 0)});
    EXPECT_EQ(args.place, "小区广场");
    args = args_of<test_args>("核酸 1-5 4-29 07:00 2号门", command_name::test);
    EXPECT_FALSE(args.targets.all);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    EXPECT_EQ(args.when.day, on(4, 29));
    EXPECT_EQ(args.place, "2号门");
    args = args_of<test_args>("核酸 3,1,2 明天 7:00 广场", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "1", "2"}));
    args = args_of<test_args>("核酸 3、5、7 明天 07:00-09:00 东门 核酸亭", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(args.when.end, time_of_day{minutes(9, 0)});
    EXPECT_EQ(args.place, "东门 核酸亭");
    args = args_of<test_args>("/test 3, 5, 7 tomorrow 07:00 square", command_name::test);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    args = args_of<test_args>("核酸 全部 明天 07:00 广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    args = args_of<test_args>("核酸 明天 07:00 all 广场", command_name::test);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.place, "广场");
}

TEST(CommandParser, TestExplainsWhatIsWrong) {
    expect_usage("核酸", "missing_argument", "");
    expect_usage("核酸 all 明天 07:00", "missing_argument", "");
    expect_usage("核酸 all 小区广场", "bad_time", "小区广场");
    expect_usage("核酸 all 明天 7:60 广场", "bad_time", "7:60");
    expect_usage("核酸 全体居民 明天 07:00 广场", "bad_target", "全体居民");
    expect_usage("核酸 1-500 明天 07:00 广场", "bad_target", "1-500");
    expect_usage("核酸 明天 25:00 all 广场", "bad_time", "25:00");
}

TEST(CommandParser, CallNamesABuildingOrTheNext) {
    EXPECT_EQ(args_of<call_args>("叫号 3号楼", command_name::call).building->label, "3");
    EXPECT_TRUE(args_of<call_args>("叫号 下一栋", command_name::call).next);
    EXPECT_TRUE(args_of<call_args>("/call next", command_name::call).next);
    EXPECT_FALSE(args_of<call_args>("叫号 3", command_name::call).next);
    expect_usage("叫号", "missing_argument", "");
    expect_usage("叫号 大家", "bad_building", "大家");
}

TEST(CommandParser, AntigenReadsEveryResultForm) {
    using result = antigen_args::result;
    const std::vector<std::pair<std::string_view, result>> forms{
        {"抗原 阴性", result::negative},       {"抗原阴性", result::negative},
        {"抗原 -", result::negative},          {"/antigen negative", result::negative},
        {"抗原 阴性。", result::negative},     {"抗原阴性！", result::negative},
        {"抗原 阳性", result::positive},       {"抗原阳性", result::positive},
        {"抗原 +", result::positive},          {"/antigen POSITIVE", result::positive},
        {"抗原 无效", result::invalid},        {"抗原无效", result::invalid},
        {"/antigen invalid", result::invalid}, {"@bot 抗原 阴性", result::negative},
    };
    for (const auto& [text, value] : forms) {
        EXPECT_EQ(args_of<antigen_args>(text, command_name::antigen).value, value) << text;
    }
}

TEST(CommandParser, AntigenExplainsBadResults) {
    expect_usage("抗原", "missing_argument", "");
    expect_usage("抗原 不知道", "bad_result", "不知道");
    expect_usage("/antigen maybe", "bad_result", "maybe");
    expect_usage("抗原 阴性 3-502", "too_many_arguments", "3-502");
    EXPECT_TRUE(is_chat("抗原是阴性吗"));
    EXPECT_TRUE(is_chat("抗原试剂到了"));
}

TEST(CommandParser, StatsTakesNothing) {
    command_of("统计", command_name::stats);
    EXPECT_TRUE(is_chat("统计 今天"));
    expect_usage("/stats today", "too_many_arguments", "today");
}

// ---- notices and templates --------------------------------------------------------------------

TEST(CommandParser, NoticeKeepsTheTextAsTyped) {
    auto args =
        args_of<notice_args>("通知 all 今晚8点全员核酸，请带好身份证", command_name::notice);
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.at, std::nullopt);
    EXPECT_EQ(args.text, "今晚8点全员核酸，请带好身份证");
    args = args_of<notice_args>("/notice 3,5,7 Water off 9-11", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(args.text, "Water off 9-11");
    args =
        args_of<notice_args>("通知 3号楼 电梯检修：\n  下午停用　请走楼梯\n", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3"}));
    EXPECT_EQ(args.text, "电梯检修：\n  下午停用　请走楼梯");
    args = args_of<notice_args>("通知 1-3 明天 07:00 停水", command_name::notice);
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(args.at, std::nullopt);
    EXPECT_EQ(args.text, "明天 07:00 停水");
}

TEST(CommandParser, NoticeCanBeScheduled) {
    auto args = args_of<notice_args>("通知 明天 07:00 all 全员核酸", command_name::notice);
    ASSERT_TRUE(args.at.has_value());
    EXPECT_EQ(args.at->day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(args.at->start, time_of_day{minutes(7, 0)});
    EXPECT_TRUE(args.targets.all);
    EXPECT_EQ(args.text, "全员核酸");
    args = args_of<notice_args>("通知 4-28 07:00 3,5 领取物资", command_name::notice);
    ASSERT_TRUE(args.at.has_value());
    EXPECT_EQ(args.at->day, on(4, 28));
    EXPECT_EQ(labels(args.targets), (std::vector<std::string>{"3", "5"}));
}

TEST(CommandParser, ATestRoundCanBeCancelledOrPostponed) {
    auto args = args_of<test_args>("核酸 取消", command_name::test);
    EXPECT_EQ(args.what, test_args::action::cancel);
    args = args_of<test_args>("核酸 推迟 30分钟", command_name::test);
    EXPECT_EQ(args.what, test_args::action::postpone);
    EXPECT_EQ(args.postpone_minutes, 30);
    args = args_of<test_args>("/test postpone 45", command_name::test);
    EXPECT_EQ(args.postpone_minutes, 45);
    expect_usage("核酸 推迟", "missing_argument", "");
    expect_usage("核酸 推迟 很久", "bad_number", "很久");
}

TEST(CommandParser, NoticeStatusAsksAboutTheLatestOrOneNotice) {
    auto args = args_of<notice_args>("通知 状态", command_name::notice);
    EXPECT_TRUE(args.status);
    EXPECT_EQ(args.number, std::nullopt);
    args = args_of<notice_args>("/notice status 12", command_name::notice);
    EXPECT_TRUE(args.status);
    EXPECT_EQ(args.number, 12);
    expect_usage("/notice status x", "bad_number", "x");
}

TEST(CommandParser, NoticeExplainsWhatIsMissing) {
    expect_usage("通知", "missing_argument", "");
    expect_usage("通知 all", "missing_argument", "");
    expect_usage("通知 大家 明天停水", "bad_target", "大家");
    expect_usage("通知 明天 07:00", "missing_argument", "");
    expect_usage("通知 明天 25:00 all 停水", "bad_time", "25:00");
}

TEST(CommandParser, TemplateListsShowsSetsAndResets) {
    auto args = args_of<template_args>("/template", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::list);
    args = args_of<template_args>("/template order.placed", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::show);
    EXPECT_EQ(args.key, "order.placed");
    args = args_of<template_args>("/template order.placed reset", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::reset);
    args = args_of<template_args>("模板 order.placed 恢复", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::reset);
    EXPECT_EQ(args.key, "order.placed");
}

TEST(CommandParser, TemplateSetKeepsTheTextVerbatim) {
    const std::string text =
        "您的订单 {{number}} 已收到：\n{{#lines}}- {{item}} × {{quantity}}\n{{/lines}}合计 "
        "{{total}} 元（送至 {{room}}）";
    auto args =
        args_of<template_args>("/template order.placed set " + text, command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::set);
    EXPECT_EQ(args.key, "order.placed");
    EXPECT_EQ(args.text, text);
    args = args_of<template_args>("模板 order.placed 设置\n" + text + "\n",
                                  command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::set);
    EXPECT_EQ(args.text, text);
    expect_usage("/template order.placed set", "missing_argument", "");
    expect_usage("/template order.placed delete", "too_many_arguments", "delete");
    expect_usage("/template order.placed reset now", "too_many_arguments", "now");
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

// ---- text forms ------------------------------------------------------------------------------

TEST(TextForms, BuildingForms) {
    for (const auto* typed : {"3", "3号楼", "3号", "3幢", "3栋", "3座", "B3", "b3", "03"}) {
        ASSERT_TRUE(parse_building(typed).has_value()) << typed;
        EXPECT_EQ(parse_building(typed)->label, "3") << typed;
    }
    for (const auto* typed : {"", "0", "12345", "B", "楼", "3楼", "三号楼", "3-502", "-3"}) {
        EXPECT_EQ(parse_building(typed), std::nullopt) << typed;
    }
}

TEST(TextForms, RoomAndAddressForms) {
    EXPECT_EQ(parse_room("502"), "502");
    EXPECT_EQ(parse_room("502室"), "502");
    EXPECT_EQ(parse_room("0502"), std::nullopt);
    EXPECT_EQ(parse_room("五零二"), std::nullopt);
    const address expected{{"3"}, "502"};
    for (const auto* typed : {"3-502", "3号楼502", "3幢502室", "B3-502", "3号楼-502", "3/502"}) {
        EXPECT_EQ(parse_address(typed), expected) << typed;
    }
    EXPECT_EQ(parse_address("3502"), std::nullopt);
    EXPECT_EQ(parse_address("3-"), std::nullopt);
    EXPECT_EQ(parse_address("3号楼", "502"), expected);
    EXPECT_EQ(parse_address("3", "502室"), expected);
    EXPECT_EQ(parse_address("3号楼", "五楼"), std::nullopt);
}

TEST(TextForms, QuantityForms) {
    EXPECT_EQ(parse_quantity("2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("x2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("×2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("*2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("2份"), (quantity{2, "份"}));
    EXPECT_EQ(parse_quantity("x3袋"), (quantity{3, "袋"}));
    for (const auto* typed : {"0", "x", "", "2kg", "10000", "-1", "2.5", "两"}) {
        EXPECT_EQ(parse_quantity(typed), std::nullopt) << typed;
    }
}

TEST(TextForms, PricesAreExactFen) {
    EXPECT_EQ(parse_price_fen("15.8"), 1580);
    EXPECT_EQ(parse_price_fen("39.90"), 3990);
    EXPECT_EQ(parse_price_fen("39.9"), 3990);
    EXPECT_EQ(parse_price_fen("0.1"), 10);
    EXPECT_EQ(parse_price_fen("0.07"), 7);
    EXPECT_EQ(parse_price_fen("15元"), 1500);
    EXPECT_EQ(parse_price_fen("¥15.8"), 1580);
    EXPECT_EQ(parse_price_fen("￥15.8"), 1580);
    EXPECT_EQ(parse_price_fen("15块"), 1500);
    EXPECT_EQ(parse_price_fen("100000"), max_price_fen);
    for (const auto* typed :
         {"-1", "15.888", "100000.01", "1e3", "", ".5", "15.", "1,5", "abc", "99999999999999999"}) {
        EXPECT_EQ(parse_price_fen(typed), std::nullopt) << typed;
    }
    EXPECT_EQ(format_fen(1580), "15.80");
    EXPECT_EQ(format_fen(5), "0.05");
    EXPECT_EQ(format_fen(0), "0.00");
    EXPECT_EQ(format_fen(-150), "-1.50");
    EXPECT_EQ(format_fen(std::numeric_limits<std::int64_t>::min()), "-92233720368547758.08");
}

TEST(TextForms, TimesOfDay) {
    EXPECT_EQ(parse_time_of_day("8:00"), time_of_day{480});
    EXPECT_EQ(parse_time_of_day("08:00"), time_of_day{480});
    EXPECT_EQ(parse_time_of_day("14:00"), time_of_day{840});
    EXPECT_EQ(parse_time_of_day("8点"), time_of_day{480});
    EXPECT_EQ(parse_time_of_day("8点半"), time_of_day{510});
    EXPECT_EQ(parse_time_of_day("8点15分"), time_of_day{495});
    for (const auto* typed : {"24:00", "8:0", "8:60", "25:00", "8", ":30", "8:000", "-1:00"}) {
        EXPECT_EQ(parse_time_of_day(typed), std::nullopt) << typed;
    }
    EXPECT_EQ(format_time_of_day(time_of_day{510}), "08:30");
    EXPECT_EQ(format_time_of_day(time_of_day{1440}), "24:00");
}

TEST(TextForms, TimeRanges) {
    const auto range = parse_time_range("14:00-16:00");
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->start, time_of_day{840});
    EXPECT_EQ(range->end, time_of_day{960});
    EXPECT_EQ(parse_time_range("14:00~16:00")->end, time_of_day{960});
    EXPECT_EQ(parse_time_range("14:00到16:00")->end, time_of_day{960});
    EXPECT_EQ(parse_time_range("14:00")->end, std::nullopt);
    EXPECT_EQ(parse_time_range("14:00-14:00"), std::nullopt);
    EXPECT_EQ(parse_time_range("14:00-"), std::nullopt);
}

TEST(TextForms, Days) {
    EXPECT_EQ(parse_day("今天")->which, day_ref::kind::today);
    EXPECT_EQ(parse_day("明天")->which, day_ref::kind::tomorrow);
    EXPECT_EQ(parse_day("每天")->which, day_ref::kind::every_day);
    EXPECT_EQ(parse_day("4-28"), on(4, 28));
    EXPECT_EQ(parse_day("4/28"), on(4, 28));
    EXPECT_EQ(parse_day("4月28日"), on(4, 28));
    EXPECT_EQ(parse_day("4月28号"), on(4, 28));
    EXPECT_EQ(parse_day("2-29"), on(2, 29));
    for (const auto* typed : {"2-30", "13-1", "0-5", "4-0", "4月", "后天", "14:00"}) {
        EXPECT_EQ(parse_day(typed), std::nullopt) << typed;
    }
    EXPECT_EQ(parse_until("至5-10"), on(5, 10));
    EXPECT_TRUE(is_until_marker("至"));
}

TEST(TextForms, WhenOverSeveralTokens) {
    const std::vector<std::string_view> tokens{"每天", "08:00-12:00", "至", "5-10", "2"};
    std::size_t used = 0;
    const auto when = parse_when(tokens, used);
    ASSERT_TRUE(when.has_value());
    EXPECT_EQ(used, 4U);
    EXPECT_EQ(when->day.which, day_ref::kind::every_day);
    EXPECT_EQ(when->until, on(5, 10));
    const std::vector<std::string_view> glued{"明天07:00", "广场"};
    const auto tomorrow = parse_when(glued, used);
    ASSERT_TRUE(tomorrow.has_value());
    EXPECT_EQ(used, 1U);
    EXPECT_EQ(tomorrow->day.which, day_ref::kind::tomorrow);
    EXPECT_EQ(tomorrow->start, time_of_day{420});
    const std::vector<std::string_view> bad{"明天", "广场"};
    EXPECT_EQ(parse_when(bad, used), std::nullopt);
    EXPECT_EQ(used, 1U);
}

TEST(TextForms, BuildingLists) {
    EXPECT_TRUE(parse_building_list("all")->all);
    EXPECT_TRUE(parse_building_list("ALL")->all);
    EXPECT_TRUE(parse_building_list("全部")->all);
    EXPECT_EQ(labels(*parse_building_list("3,5,7")), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(labels(*parse_building_list("3、5、7")), (std::vector<std::string>{"3", "5", "7"}));
    EXPECT_EQ(labels(*parse_building_list("1-5")),
              (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    EXPECT_EQ(labels(*parse_building_list("3,1,2")), (std::vector<std::string>{"3", "1", "2"}));
    EXPECT_EQ(labels(*parse_building_list("3,3,5,")), (std::vector<std::string>{"3", "5"}));
    EXPECT_EQ(labels(*parse_building_list("1-3,7号楼")),
              (std::vector<std::string>{"1", "2", "3", "7"}));
    for (const auto* typed : {"", ",", "5-1", "1-500", "a", "3,x", "3-502"}) {
        EXPECT_EQ(parse_building_list(typed), std::nullopt) << typed;
    }
}

TEST(TextForms, RolesAndResults) {
    EXPECT_EQ(parse_role("volunteer"), role::volunteer);
    EXPECT_EQ(parse_role("志愿者"), role::volunteer);
    EXPECT_EQ(parse_role("Lead"), role::lead);
    EXPECT_EQ(parse_role("楼组长"), role::lead);
    EXPECT_EQ(parse_role("居委会"), role::committee);
    EXPECT_EQ(parse_role("admin"), std::nullopt);
    EXPECT_EQ(parse_antigen_result("-"), antigen_args::result::negative);
    EXPECT_EQ(parse_antigen_result("+"), antigen_args::result::positive);
    EXPECT_EQ(parse_antigen_result("无效"), antigen_args::result::invalid);
    EXPECT_EQ(parse_antigen_result("阴阳"), std::nullopt);
}

}  // namespace loudong::handlers
