#include "handlers/orders.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

class Orders : public testing::compound {
protected:
    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        say("bldg-3", "u-admin", "绑定 3号楼");
        resident("u-502a", "3-502", "王阿姨");
        resident("u-502b", "3-502", "王叔叔");
        resident("u-601", "3-601", "李老师");
        resident("u-1201", "5-1201", "张师傅");
    }

    void open_shop(const std::string& line = "开团 华联超市 截单 18:00") {
        ASSERT_NE(say("committee", "u-admin", line).find("已开团"), std::string::npos);
        say("committee", "u-admin", "上架 鸡蛋 15.8 200 盒");
        say("committee", "u-admin", "上架 大米5kg 39.9 80 袋");
        say("committee", "u-admin", "上架 大米10kg 75 10 袋");
    }

    std::string outbox_text(const std::string& chat) {
        SQLite::Statement q(db_.connection(),
                            "SELECT group_concat(text, '|') FROM outbox WHERE chat_id = ?1");
        q.bind(1, chat);
        q.executeStep();
        return q.getColumn(0).isNull() ? "" : q.getColumn(0).getString();
    }
};

TEST_F(Orders, AResidentOrdersFromTheMenuAndSeesLinesTotalAndDoor) {
    open_shop();
    const auto menu = say("bldg-3", "u-601", "菜单");
    EXPECT_NE(menu.find("1. 鸡蛋 15.80元/盒 剩200"), std::string::npos) << menu;
    EXPECT_NE(menu.find("截单"), std::string::npos);
    const auto placed = say("bldg-3", "u-502a", "下单 鸡蛋 2 大米5kg 1");
    EXPECT_EQ(placed,
              "3-502 下单成功，单号1：\n鸡蛋×2盒 31.60元\n大米5kg×1袋 39.90元\n"
              "合计71.50元，送到3号楼502室。");
    EXPECT_NE(say("bldg-3", "u-601", "/order 鸡蛋 x3").find("鸡蛋×3盒 47.40元"), std::string::npos);
    EXPECT_NE(say("bldg-3", "u-601", "下单 2 1").find("大米5kg×1袋"), std::string::npos);
    EXPECT_NE(say("bldg-3", "u-601", "菜单").find("剩195"), std::string::npos);
}

TEST_F(Orders, UnregisteredResidentsAreToldToRegisterFirst) {
    open_shop();
    EXPECT_NE(say("bldg-3", "u-new", "下单 鸡蛋 1").find("请先登记"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 0);
}

TEST_F(Orders, StockIsNeverOversoldAndAnOrderIsAllOrNothing) {
    say("committee", "u-admin", "开团 菜场");
    say("committee", "u-admin", "上架 青菜 5 5 份");
    say("committee", "u-admin", "上架 土豆 3 100 斤");
    EXPECT_NE(say("bldg-3", "u-502a", "下单 青菜 3").find("下单成功"), std::string::npos);
    const auto short_of = say("bldg-3", "u-601", "下单 土豆 2 青菜 3");
    EXPECT_EQ(short_of, "青菜只剩2份，不够3份，这单没有下。");
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '土豆'"), 0);
    EXPECT_NE(say("bldg-3", "u-601", "下单 青菜 2").find("下单成功"), std::string::npos);
    EXPECT_EQ(say("bldg-5", "u-1201", "下单 青菜 1"), "青菜已售完，这单没有下。");
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '青菜'"), 5);
    EXPECT_NE(say("bldg-3", "u-502a", "菜单").find("青菜 5.00元/份 已售完"), std::string::npos);
}

TEST_F(Orders, APerHouseholdLimitHoldsAcrossMembersAndOrders) {
    say("committee", "u-admin", "开团 药店");
    say("committee", "u-admin", "上架 抗原 10 100 盒 限购 2");
    EXPECT_NE(say("bldg-3", "u-502a", "下单 抗原 1").find("下单成功"), std::string::npos);
    EXPECT_NE(say("bldg-3", "u-502b", "下单 抗原 1").find("下单成功"), std::string::npos);
    EXPECT_EQ(say("bldg-3", "u-502b", "下单 抗原 1"), "抗原每户限购2盒，你家已订2盒，这单没有下。");
    EXPECT_NE(say("bldg-3", "u-601", "下单 抗原 2").find("下单成功"), std::string::npos);
}

TEST_F(Orders, OrdersAfterTheCutOffAreRefusedAndTheCommitteeGetsTotals) {
    open_shop("开团 华联超市 截单 18:00");
    say("bldg-3", "u-502a", "下单 鸡蛋 2");
    now_ += 12 * 3600;  // 18:53, past the cut-off
    EXPECT_EQ(say("bldg-3", "u-601", "下单 鸡蛋 1"), "“华联超市”已截单，不能再下单或取消了。");
    EXPECT_EQ(say("bldg-3", "u-502a", "取消"), "“华联超市”已截单，不能再下单或取消了。");
    for (const auto& job : dispatcher_.due_jobs(now_)) {
        dispatcher_.run_job(job, now_);
    }
    EXPECT_NE(outbox_text("committee").find("【截单汇总】华联超市：共1单，合计31.60元"),
              std::string::npos)
        << outbox_text("committee");
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns WHERE state = 'closed'"), 1);
}

TEST_F(Orders, OnlyTheHouseholdOrTheCommitteeCancelsAndStockReturns) {
    open_shop();
    say("bldg-3", "u-502a", "下单 鸡蛋 2");
    EXPECT_EQ(say("bldg-3", "u-601", "取消 1"),
              "1号订单不是你家的，只有下单的住户或居委会可以取消。");
    EXPECT_EQ(say("bldg-3", "u-502b", "取消 1"), "已取消1号订单（3-502，31.60元）。");
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '鸡蛋'"), 0);
    EXPECT_EQ(say("bldg-3", "u-502b", "取消 1"), "1号订单已取消，不能取消。");
    say("bldg-3", "u-601", "下单 鸡蛋 1");
    EXPECT_NE(say("committee", "u-admin", "取消 2").find("已取消2号订单"), std::string::npos);
}

TEST_F(Orders, ItemsMatchExactlyByNumberOrByAUniquePrefix) {
    open_shop();
    EXPECT_NE(say("bldg-3", "u-601", "下单 鸡 1").find("鸡蛋×1"), std::string::npos);
    const auto ambiguous = say("bldg-3", "u-601", "下单 大米 1");
    EXPECT_EQ(ambiguous, "“大米”指哪个？2. 大米5kg 3. 大米10kg 请写全名或编号。");
    EXPECT_EQ(say("bldg-3", "u-601", "下单 可乐 1"), "菜单里没有“可乐”，发“菜单”看看有什么。");
}

TEST_F(Orders, MyOrdersSummaryDeliveryListAndDelivered) {
    open_shop();
    say("bldg-3", "u-601", "下单 鸡蛋 1");
    say("bldg-3", "u-502a", "下单 大米5kg 2");
    say("bldg-5", "u-1201", "下单 鸡蛋 3");
    EXPECT_NE(say("bldg-3", "u-502b", "我的订单").find("#2 大米5kg×2 79.80元 待送"),
              std::string::npos);
    say("committee", "u-admin", "授权 u-601 志愿者");
    const auto summary = say("committee", "u-admin", "汇总");
    EXPECT_NE(summary.find("共3单，合计143.00元"), std::string::npos) << summary;
    EXPECT_NE(summary.find("鸡蛋 4盒 63.20元"), std::string::npos) << summary;
    EXPECT_NE(summary.find("3号楼2单"), std::string::npos) << summary;
    const auto doors = say("bldg-3", "u-601", "配送单 3号楼");
    EXPECT_LT(doors.find("502室"), doors.find("601室")) << doors;
    EXPECT_EQ(doors.find("1201"), std::string::npos);
    EXPECT_EQ(say("bldg-3", "u-601", "送达 3号楼"), "已标记2单送达，已通知住户。");
    EXPECT_EQ(outbox_text("bldg-3"), "以下订单已送到门口，请及时取回：3-502(#2) 3-601(#1)");
    EXPECT_EQ(say("bldg-3", "u-601", "配送单 3号楼"), "3号楼没有待送的订单。");
    EXPECT_NE(say("bldg-3", "u-601", "配送单 3号楼 1团").find("待送0单"), std::string::npos);
    EXPECT_EQ(say("bldg-5", "u-1201", "送达 3"), "抱歉，“送达”仅限志愿者、楼组长或居委会使用。");
    EXPECT_EQ(say("committee", "u-admin", "送达 3"), "已标记1单送达，已通知住户。");
    EXPECT_EQ(say("committee", "u-admin", "送达 3"), "3号订单已送达。");
}

TEST_F(Orders, APastedRelayListOrdersTheSendersLineOnceAndARePasteChangesNothing) {
    open_shop();
    const std::string relay =
        "#接龙 华联超市\n1. 3-601 鸡蛋1\n2. 5-1201 大米5kg 1\n3. 3-502 鸡蛋2 大米5kg 1";
    const auto placed = say("bldg-3", "u-502a", relay);
    EXPECT_NE(placed.find("鸡蛋×2盒"), std::string::npos) << placed;
    EXPECT_NE(placed.find("大米5kg×1袋"), std::string::npos) << placed;
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 1);
    const auto again = say("bldg-3", "u-502b", relay + "\n4. 3-601 大米10kg 1");
    EXPECT_EQ(again, "3-502 接龙订单1没有变化。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 1);
    EXPECT_NE(say("bldg-5", "u-1201", relay).find("5-1201 下单成功"), std::string::npos);
}

TEST_F(Orders, WhatUsersTypeIsStoredAndShownLiterally) {
    say("committee", "u-admin", "开团 \"周末\"特供🍓 {{title}}");
    say("committee", "u-admin", "上架 草莓🍓');DROP_TABLE_items;-- 29.9 10 盒");
    const auto menu = say("bldg-3", "u-601", "菜单");
    EXPECT_NE(menu.find("{{title}}"), std::string::npos) << menu;
    EXPECT_NE(menu.find("草莓🍓');DROP_TABLE_items;--"), std::string::npos) << menu;
    EXPECT_NE(say("bldg-3", "u-601", "下单 1 1").find("29.90元"), std::string::npos);
}

TEST_F(Orders, ResidentsCannotRunTheShopAndTheSameShopIsNotOpenedTwice) {
    EXPECT_EQ(say("bldg-3", "u-601", "开团 私人团"), "抱歉，“开团”仅限楼组长或居委会使用。");
    open_shop();
    EXPECT_EQ(say("committee", "u-admin", "开团 华联 超市"), "“华联超市”已经在进行中（1团）。");
    EXPECT_EQ(say("bldg-3", "u-601", "上架 私货 1 1"), "抱歉，“上架”仅限楼组长或居委会使用。");
    EXPECT_NE(say("committee", "u-admin", "截单").find("已截单：共0单"), std::string::npos);
    EXPECT_NE(say("committee", "u-admin", "开团 华联超市").find("已开团：2团 华联超市"),
              std::string::npos);
}

}  // namespace
}  // namespace loudong::handlers
