// SPEC §11 over HTTP, two days of a compound's group buys: the supermarket and the pharmacy open
// side by side, orders in both, a volunteer's order for a household without a phone, a relay
// list re-pasted after a line was deleted; the supermarket closes and is delivered over two days
// while a fruit campaign opens. The stock invariant holds after every step.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

class GroupBuyDay : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.generic.outbound_url = platform_.url("/send");
        cfg.generic.rate = {0, 1000, 1000};
        start(cfg);
    }

    /// Says `text` and expects `part` in the reply; then checks the stock invariant.
    std::string expect(const std::string& chat, const std::string& user, const std::string& text,
                       const std::string& part) {
        const auto reply = say(chat, user, text);
        EXPECT_NE(reply.find(part), std::string::npos) << text << " → " << reply;
        // sold + left = stock and never negative; sold is what the orders not cancelled hold.
        EXPECT_EQ(count("SELECT COUNT(*) FROM items i WHERE i.sold < 0 OR (i.stock IS NOT NULL "
                        "AND i.sold > i.stock) OR i.sold <> (SELECT COALESCE(SUM(l.quantity), 0) "
                        "FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE "
                        "l.item_id = i.id AND o.state <> 'cancelled')"),
                  0)
            << "after " << text;
        return reply;
    }

    fake_platform platform_;
};

TEST_F(GroupBuyDay, TwoShopsAProxyOrderAndARePasteOverTwoDays) {
    // The compound: a registry, chats, three households with phones, one volunteer.
    expect("committee", "u-admin", "/bind committee", "居委会工作群");
    expect("vol", "u-admin", "绑定 志愿者", "志愿者群");
    expect("committee", "u-admin", "楼栋 3号楼 6层 2户", "3号楼已登记房号");
    expect("committee", "u-admin", "楼栋 5号楼 12层 2户", "5号楼已登记房号");
    expect("bldg-3", "u-admin", "绑定 3号楼", "3号楼群");
    expect("bldg-5", "u-admin", "绑定 5号楼", "5号楼群");
    expect("bldg-3", "u-502", "登记 3-502", "已登记");
    expect("bldg-3", "u-601", "登记 3-601", "已登记");
    expect("bldg-5", "u-1201", "登记 5-1201", "已登记");
    expect("bldg-5", "u-vol", "登记 5-101", "已登记");
    expect("committee", "u-admin", "授权 u-vol 志愿者", "志愿者身份");
    expect("committee", "u-admin", "备注 3-402 独居老人，没有智能手机", "已记下");

    // Day 1: two shops.
    expect("committee", "u-admin", "开团 华联超市 截单 23:00", "已开团：1团 华联超市");
    expect("committee", "u-admin", "上架 鸡蛋 15.8 100 盒", "已上架 1. 鸡蛋");
    expect("committee", "u-admin", "上架 大米5kg 39.9 10 袋 限购 1", "已上架 2. 大米5kg");
    expect("committee", "u-admin", "开团 药店", "已开团：2团 药店");
    expect("committee", "u-admin", "上架 2团 抗原 10 100 盒 限购 2", "已上架 1. 抗原");
    expect("bldg-3", "u-502", "菜单", "1团 华联超市");
    expect("bldg-3", "u-502", "下单 鸡蛋 2 抗原 1", "单号1（华联超市）");
    expect("bldg-5", "u-1201", "下单 大米5kg 1", "单号3（华联超市）");
    // A relay list, then the same list after its first line was deleted: no second order.
    expect("bldg-3", "u-601", "#接龙 华联超市\n1. 5-1201 鸡蛋1\n2. 3-601 鸡蛋1 大米5kg 1",
           "3-601 下单成功，单号4");
    expect("bldg-3", "u-601", "#接龙 华联超市\n1. 3-601 鸡蛋1 大米5kg 1",
           "3-601 接龙订单4没有变化。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE room = '601'"), 1);
    // The volunteer takes 3-402's order by phone: nobody there has a phone to tell.
    expect("vol", "u-vol", "代下单 3-402 鸡蛋 1 大米5kg 1",
           "已为3-402代下单，单号5（华联超市）：\n鸡蛋×1盒 15.80元\n大米5kg×1袋 39.90元\n"
           "合计55.70元。这户没有登记的成员，请电话或当面告知。");
    expect("vol", "u-vol", "代下单 3-702 鸡蛋 1", "不在住户名册里");
    // The supermarket closes at 23:00; the pharmacy stays open.
    const auto close_at = count("SELECT due_at FROM jobs WHERE kind = 'campaign_close'");
    advance_to(close_at + 60);
    ASSERT_TRUE(eventually("SELECT COUNT(*) FROM campaigns WHERE state = 'closed'", 1));
    expect("bldg-3", "u-502", "下单 鸡蛋 1", "“华联超市”已截单");
    expect("bldg-3", "u-502", "下单 抗原 1", "3-502 下单成功，单号6");

    // Day 2: fruit opens; the supermarket's orders are still there to deliver.
    advance_to(close_at + 10 * 3600);
    expect("committee", "u-admin", "开团 周三水果", "已开团：3团 周三水果");
    expect("committee", "u-admin", "上架 3团 苹果 10 100 斤", "已上架 1. 苹果");
    expect("bldg-3", "u-502", "下单 苹果 2", "单号7（周三水果）");
    expect("vol", "u-vol", "配送单 3号楼",
           "【3号楼待送】共6单\n1团 华联超市：\n402室【独居老人，没有智能手机】 #5 鸡蛋×1 "
           "大米5kg×1");
    expect("vol", "u-vol", "配送单 3号楼", "2团 药店：\n502室 #2 抗原×1\n502室 #6 抗原×1");
    expect("bldg-3", "u-502", "我的订单", "【华联超市】\n#1 鸡蛋×2 31.60元 待送");
    expect("vol", "u-vol", "送达 3号楼 1团", "已标记3单送达");
    expect("vol", "u-vol", "送达 3", "已标记1单送达");
    expect("vol", "u-vol", "配送单 3号楼", "【3号楼待送】共3单\n2团 药店：");
    expect("bldg-3", "u-502", "我的订单", "#7 苹果×2 20.00元 待送");
    expect("committee", "u-admin", "汇总", "【汇总】2团 药店：共2单");
    const auto summary = expect("committee", "u-admin", "汇总", "【汇总】3团 周三水果：共1单");
    EXPECT_EQ(summary.find("华联超市"), std::string::npos) << summary;

    // What the platform got: each building told of its deliveries once, nothing in the
    // volunteers' chat, the closing totals in the committee's.
    const auto queued = static_cast<std::size_t>(count("SELECT COUNT(*) FROM outbox"));
    ASSERT_TRUE(eventually("SELECT COUNT(*) FROM outbox WHERE state = 'pending'", 0));
    ASSERT_TRUE(platform_.wait_for(queued));
    int building_notices = 0;
    for (const auto& r : platform_.received()) {
        const auto body = json::parse(r.body);
        const auto chat = body["chat_id"].get<std::string>();
        const auto text = body["text"].get<std::string>();
        EXPECT_NE(chat, "vol") << text;
        if ((chat == "bldg-3" || chat == "bldg-5") &&
            text.find("已送到门口") != std::string::npos) {
            ++building_notices;
            EXPECT_EQ(text.find("402"), std::string::npos) << text;
        }
    }
    EXPECT_EQ(building_notices, 2);
    EXPECT_EQ(platform_.received().size(), queued);
}

}  // namespace
}  // namespace loudong::testing
