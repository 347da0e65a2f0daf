// handlers/parser/parse_orders.cpp (and the optional-building commands of the core).
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

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
    expect_usage("上架 鸡蛋 15.8 200 盒 限购 很多", "bad_number", "很多");
    // A limit in Chinese numerals is a limit.
    EXPECT_EQ(
        args_of<item_args>("上架 鸡蛋 15.8 200 盒 限购 两", command_name::item).limit_per_person,
        2);
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

TEST(CommandParser, OrderReadsQuantitiesInChineseNumerals) {
    auto args = args_of<order_args>("下单 鸡蛋 两盒 大米5kg 一袋 三文鱼 十", command_name::order);
    ASSERT_EQ(args.lines.size(), 3U);
    EXPECT_EQ(args.lines[0].item, "鸡蛋");
    EXPECT_EQ(args.lines[0].quantity, 2);
    EXPECT_EQ(args.lines[0].unit, "盒");
    EXPECT_EQ(args.lines[1].item, "大米5kg");
    EXPECT_EQ(args.lines[1].quantity, 1);
    // A name that starts with a numeral is a name (三文鱼, salmon).
    EXPECT_EQ(args.lines[2].item, "三文鱼");
    EXPECT_EQ(args.lines[2].quantity, 10);
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
    EXPECT_EQ(args_of<campaign_args>("汇总", command_name::summary).building, std::nullopt);
    EXPECT_EQ(args_of<campaign_args>("汇总 3号楼", command_name::summary).building->label, "3");
    EXPECT_EQ(args_of<building_opt_args>("未报", command_name::pending).building, std::nullopt);
    EXPECT_EQ(args_of<building_opt_args>("未报 ５栋", command_name::pending).building->label, "5");
    expect_usage("汇总 大楼", "bad_building", "大楼");
    expect_usage("/pending 3 5", "too_many_arguments", "5");
}

TEST(CommandParser, DeliveryNeedsABuilding) {
    EXPECT_EQ(args_of<campaign_args>("配送单 3号楼", command_name::delivery).building->label, "3");
    EXPECT_EQ(args_of<campaign_args>("/delivery B12", command_name::delivery).building->label,
              "12");
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

}  // namespace loudong::handlers
