// SPEC §11: several group buys at once, nothing forgotten when the next one opens, re-listing
// that changes only what it names, 接龙 re-pastes, orders for households without a phone, and
// leads' campaigns that serve their buildings. The stock invariant is checked after each step.
#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

struct exchange {
    const char* chat;
    const char* user;
    const char* text;
    const char* reply;  ///< a part of the reply
};

class GroupBuys : public testing::compound {
protected:
    void SetUp() override {
        say("committee", "u-admin", "/bind committee");
        say("vol", "u-admin", "绑定 志愿者");
        say("bldg-3", "u-admin", "绑定 3号楼");
        say("bldg-5", "u-admin", "绑定 5号楼");
        resident("u-502a", "3-502", "王阿姨");
        resident("u-502b", "3-502", "王叔叔");
        resident("u-601", "3-601", "李老师");
        resident("u-1201", "5-1201", "张师傅");
        resident("u-vol", "5-101", "小赵");
        say("committee", "u-admin", "授权 u-vol 志愿者");
        resident("u-lead3", "3-301", "陈组长");
        say("committee", "u-admin", "授权 u-lead3 楼组长");
        clear_outbox();
    }

    /// Two shops open side by side: 1团 the supermarket, 2团 the pharmacy; both sell eggs.
    void open_two() {
        expect("committee", "u-admin", "开团 华联超市 截单 18:00", "已开团：1团 华联超市");
        expect("committee", "u-admin", "上架 鸡蛋 15.8 200 盒", "已上架 1. 鸡蛋");
        expect("committee", "u-admin", "上架 大米5kg 39.9 10 袋 限购 1", "已上架 2. 大米5kg");
        expect("committee", "u-admin", "开团 药店", "已开团：2团 药店。请上架商品（上架 2团");
        expect("committee", "u-admin", "上架 1团 酱油 9.9", "已上架 3. 酱油");
        expect("committee", "u-admin", "上架 2团 抗原 10 100 盒 限购 2", "已上架 1. 抗原");
        expect("committee", "u-admin", "上架 2团 鸡蛋 12 50 盒", "已上架 2. 鸡蛋");
    }

    void expect(const std::string& chat, const std::string& user, const std::string& text,
                const std::string& part) {
        const auto reply = say(chat, user, text);
        EXPECT_NE(reply.find(part), std::string::npos) << text << " → " << reply;
        expect_stock_holds(text);
    }

    /// sold + left = stock, never negative, and sold is what the orders not cancelled hold.
    void expect_stock_holds(const std::string& after) {
        SQLite::Statement q(db_.connection(),
                            "SELECT i.name, i.sold, i.stock, (SELECT COALESCE(SUM(l.quantity), 0) "
                            "FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE "
                            "l.item_id = i.id AND o.state <> 'cancelled') FROM items i");
        while (q.executeStep()) {
            const auto sold = q.getColumn(1).getInt64();
            EXPECT_EQ(sold, q.getColumn(3).getInt64())
                << q.getColumn(0).getString() << " after " << after;
            EXPECT_GE(sold, 0) << after;
            if (!q.getColumn(2).isNull()) {
                EXPECT_LE(sold, q.getColumn(2).getInt64()) << after;
            }
        }
    }

    template <std::size_t n>
    void run(const exchange (&steps)[n]) {
        for (const auto& s : steps) {
            expect(s.chat, s.user, s.text, s.reply);
        }
    }

    void run_due_jobs() {
        for (const auto& job : dispatcher_.due_jobs(now_)) {
            dispatcher_.run_job(job, now_);
        }
    }

    /// What the outbox holds for `chat`, texts joined by "|".
    std::string sent_to(const std::string& chat) {
        std::string out;
        for (const auto& row : outbox()) {
            if (row.chat == chat) {
                out += row.text + "|";
            }
        }
        return out;
    }

    std::string private_to(const std::string& user) {
        std::string out;
        for (const auto& row : outbox()) {
            if (row.chat == user && row.is_private) {
                out += row.text + "|";
            }
        }
        return out;
    }
};

TEST_F(GroupBuys, TwoShopsOpenAtOnceMenuAndOrdersFindTheRightOne) {
    open_two();
    const exchange steps[] = {
        {"bldg-3", "u-601", "菜单",
         "进行中的团：\n1团 华联超市 4月28日 18:00截单，3样商品\n2团 药店，2样商品\n"
         "发“菜单 1”看1团的商品。"},
        {"bldg-3", "u-601", "菜单 2",
         "【2团 药店】\n1. 抗原 10.00元/盒 剩100 限购2\n2. 鸡蛋 12.00元/盒 剩50"},
        {"bldg-3", "u-601", "菜单 2", "下单示例：下单 2团 1 2"},
        {"bldg-3", "u-601", "菜单 9团", "没有9团。"},
        // A name only one campaign sells goes there; the reply names the shop.
        {"bldg-3", "u-601", "下单 抗原 2", "3-601 下单成功，单号1（药店）：\n抗原×2盒 20.00元"},
        {"bldg-3", "u-601", "下单 酱油 1", "单号2（华联超市）"},
        // Eggs are in both: the reply asks which, showing how.
        {"bldg-3", "u-601", "下单 鸡蛋 2",
         "“鸡蛋”在1团（华联超市）2团（药店）都有，请写明哪个团，如：下单 1团 鸡蛋 2"},
        {"bldg-3", "u-601", "下单 2团 鸡蛋 2", "单号3（药店）：\n鸡蛋×2盒 24.00元"},
        {"bldg-3", "u-601", "下单 第1团 鸡蛋 1", "单号4（华联超市）：\n鸡蛋×1盒 15.80元"},
        // An item number is per campaign: with two open it needs the campaign.
        {"bldg-3", "u-601", "下单 1 2", "现在有2个团，商品编号要带团号，如：下单 1团 1 2"},
        {"bldg-3", "u-601", "下单 2团 1 1", "你家已订2盒"},
        // Lines of two shops make two orders, all or none.
        {"bldg-3", "u-502a", "下单 大米5kg 1 抗原 1", "单号5（华联超市）"},
        {"bldg-5", "u-1201", "下单 大米5kg 1 抗原 101", "抗原只剩97盒，不够101盒，这单没有下。"},
        // Re-listing an item only one shop sells needs no campaign; a new one or eggs do.
        {"committee", "u-admin", "上架 抗原 9",
         "已更新 1. 抗原：9.00元/盒，库存100（已卖3，剩97）"},
        {"committee", "u-admin", "上架 鸡蛋 15", "现在有2个团在进行：1团 华联超市；2团 药店；"},
        {"committee", "u-admin", "上架 口罩 2", "请写明哪个团，如：上架 1团 口罩 2.00"},
    };
    run(steps);
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE building = '5'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE building = '3' AND room = '502'"), 2);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT number) FROM orders"),
              count("SELECT COUNT(*) FROM orders"));
}

TEST_F(GroupBuys, NothingIsForgottenWhenTheNextCampaignOpens) {
    expect("committee", "u-admin", "开团 周一蔬菜", "1团");
    expect("committee", "u-admin", "上架 青菜 5 100 份", "已上架");
    expect("bldg-3", "u-502a", "下单 青菜 2", "单号1");
    expect("bldg-5", "u-1201", "下单 青菜 1", "单号2");
    expect("committee", "u-admin", "截单", "“周一蔬菜”已截单：共2单");
    expect("committee", "u-admin", "开团 周三水果", "已开团：2团 周三水果");
    expect("committee", "u-admin", "上架 苹果 10 100 斤", "已上架");
    expect("bldg-3", "u-502b", "下单 苹果 3", "单号3");
    expect("bldg-5", "u-1201", "下单 青菜 1", "“周一蔬菜”已截单，不能再下单或取消了。");
    const exchange steps[] = {
        {"bldg-3", "u-502a", "我的订单",
         "你家（3-502）的订单：\n【周一蔬菜】\n#1 青菜×2 10.00元 待送\n【周三水果】\n#3 苹果×3 "
         "30.00元 待送"},
        {"vol", "u-vol", "配送单 3号楼", "【3号楼待送】共2单\n1团 周一蔬菜：\n502室 #1 青菜×2"},
        {"vol", "u-vol", "配送单 3号楼", "2团 周三水果：\n502室 #3 苹果×3"},
        {"vol", "u-vol", "汇总", "【汇总】1团 周一蔬菜（已截单）：共2单，合计15.00元"},
        {"vol", "u-vol", "汇总", "【汇总】2团 周三水果：共1单，合计30.00元"},
        {"vol", "u-vol", "送达 3号楼 2团", "已标记1单送达"},
        {"vol", "u-vol", "配送单 3号楼", "【3号楼待送】共1单\n1团 周一蔬菜：\n502室 #1"},
        {"vol", "u-vol", "送达 1", "已标记1单送达"},
        {"vol", "u-vol", "送达 1", "1号订单已送达。"},
        {"vol", "u-vol", "送达 3号楼", "3号楼没有待送的订单。"},
        {"vol", "u-vol", "送达 5号楼", "已标记1单送达"},
        {"bldg-3", "u-502a", "我的订单", "#3 苹果×3 30.00元 已送达"},
        {"vol", "u-vol", "汇总", "【汇总】周三水果：共1单"},
    };
    run(steps);
    // The residents were told in their building chats, each once.
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE text LIKE '%已送到门口%'"), 3);
}

struct relisting {
    const char* command;
    const char* reply;
    const char* state;  ///< price_fen|stock|sold|limit|unit afterwards
};

TEST_F(GroupBuys, ReListingChangesOnlyWhatItNamesAndNamesCompareAfterNfkc) {
    expect("committee", "u-admin", "开团 华联超市", "1团");
    expect("committee", "u-admin", "上架 大米5kg 39.9 10 袋 限购 1", "已上架 1. 大米5kg");
    for (const auto* user : {"u-502a", "u-601", "u-1201", "u-vol"}) {
        say(user == std::string("u-1201") || user == std::string("u-vol") ? "bldg-5" : "bldg-3",
            user, "下单 大米5kg 1");
    }
    const relisting table[] = {
        {"上架 大米5kg 35", "已更新 1. 大米5kg：35.00元/袋，库存10（已卖4，剩6），每户限购1。",
         "3500|10|4|1|袋"},
        // A trailing no-break space, full-width letters, a space inside: the same item.
        {"上架 大米5kg\u00A0 0.01", "已更新 1. 大米5kg：0.01元/袋，库存10", "1|10|4|1|袋"},
        {"上架 大米５ＫＧ 36", "已更新 1. 大米5kg：36.00元/袋", "3600|10|4|1|袋"},
        {"上架 大米5kg\u3000 36 20", "库存20（已卖4，剩16）", "3600|20|4|1|袋"},
        {"上架 大米5kg 36 限购 2", "每户限购2。", "3600|20|4|2|袋"},
        {"上架 大米5kg 36 包", "36.00元/包", "3600|20|4|2|包"},
        {"上架 大米5kg 36 不限购", "，不限购。", "3600|20|4||包"},
        {"上架 大米5kg 36 不限量", "不限量（已卖4）", "3600||4||包"},
        {"上架 大米5kg 36 3", "大米5kg已卖出4包，库存不能少于这个数。", "3600||4||包"},
        {"上架 大米5kg 36 200 不限量", "多了“不限量”", "3600||4||包"},
    };
    for (const auto& row : table) {
        expect("committee", "u-admin", row.command, row.reply);
        SQLite::Statement q(db_.connection(),
                            "SELECT price_fen || '|' || COALESCE(stock, '') || '|' || sold || '|' "
                            "|| COALESCE(limit_per_person, '') || '|' || unit FROM items");
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getString(), row.state) << row.command;
        EXPECT_FALSE(q.executeStep()) << row.command << ": a second item was made";
    }
}

TEST_F(GroupBuys, ARePastedRelayReplacesTheHouseholdsOrderWhateverItsLineNumber) {
    expect("committee", "u-admin", "开团 华联超市", "1团");
    expect("committee", "u-admin", "上架 鸡蛋 15.8 10 盒", "已上架");
    expect("committee", "u-admin", "上架 牛奶 6 10 盒", "已上架");
    const std::string first = "#接龙 华联超市\n1. 3-601 鸡蛋1\n2. 5-1201 鸡蛋1\n3. 3-502 鸡蛋2";
    expect("bldg-3", "u-502a", first, "3-502 下单成功，单号1");
    // Line 1 deleted: 3-502 is now line 2, unchanged.
    const std::string renumbered = "#接龙 华联超市\n1. 5-1201 鸡蛋1\n2. 3-502 鸡蛋2";
    expect("bldg-3", "u-502b", renumbered, "3-502 接龙订单1没有变化。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 1);
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '鸡蛋'"), 2);
    // Changed: more eggs, milk added; the number stays.
    expect("bldg-3", "u-502a", "#接龙 华联超市\n1. 5-1201 鸡蛋1\n2. 3-502 鸡蛋3 牛奶1",
           "3-502 接龙订单1已更新：鸡蛋 2→3盒，新增牛奶×1盒。合计53.40元。");
    expect("bldg-3", "u-502a", "#接龙 华联超市\n1. 3-502 牛奶2", "鸡蛋");
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '鸡蛋'"), 0);
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '牛奶'"), 2);
    // More than is left is refused and the order stays as it was.
    expect("bldg-3", "u-502a", "#接龙\n1. 3-502 牛奶11", "牛奶只剩10盒，不够11盒");
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '牛奶'"), 2);
    // Once delivered, a re-paste with a change does not reorder.
    expect("vol", "u-vol", "送达 1", "已标记1单送达");
    expect("bldg-3", "u-502a", "#接龙\n1. 3-502 牛奶3", "接龙订单1已送达，不能再改");
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 1);
}

TEST_F(GroupBuys, ARelayListNamingItsShopOrdersFromThatShop) {
    open_two();
    // Eggs are sold by both shops; the list's first line names the pharmacy.
    expect("bldg-3", "u-502a", "#接龙 药店 周二\n1. 3-601 抗原1\n2. 3-502 鸡蛋2",
           "3-502 下单成功，单号1（药店）：\n鸡蛋×2盒 24.00元");
    expect("bldg-3", "u-502a", "#接龙 周二\n1. 3-502 鸡蛋2",
           "“鸡蛋”在1团（华联超市）2团（药店）都有");
    expect("bldg-3", "u-502a", "#接龙 2团\n1. 3-502 鸡蛋2", "3-502 接龙订单1没有变化。");
}

TEST_F(GroupBuys, ALeadsCampaignServesTheLeadsBuildings) {
    expect("committee", "u-admin", "开团 华联超市", "1团");
    expect("committee", "u-admin", "上架 鸡蛋 15.8 100 盒", "已上架");
    expect("bldg-3", "u-lead3", "开团 3号楼水果", "已开团：2团 3号楼水果，供3号楼。");
    const exchange steps[] = {
        {"bldg-3", "u-lead3", "上架 苹果 10 50 斤", "已上架 1. 苹果"},
        {"bldg-3", "u-lead3", "上架 1团 酱油 9.9", "1团（华联超市）由开团的楼组长或居委会管理。"},
        {"bldg-3", "u-601", "菜单", "2团 3号楼水果"},
        // 5号楼 sees only the compound's shop and cannot order from 3号楼's.
        {"bldg-5", "u-1201", "菜单", "【华联超市】"},
        {"bldg-5", "u-1201", "菜单 2", "2团（3号楼水果）只供3号楼。"},
        {"bldg-5", "u-1201", "下单 2团 苹果 1", "2团（3号楼水果）只供3号楼。"},
        {"bldg-5", "u-1201", "下单 苹果 1", "菜单里没有“苹果”"},
        {"bldg-3", "u-601", "下单 苹果 2", "3-601 下单成功，单号1（3号楼水果）"},
        {"bldg-3", "u-lead3", "截单", "“3号楼水果”已截单：共1单"},
        {"bldg-3", "u-lead3", "截单 1团", "1团（华联超市）由开团的楼组长或居委会管理。"},
    };
    run(steps);
}

// Issue 20: the buildings a group buy serves hear of it where they are, once its listing has
// paused (one menu, not one message per 上架), and hear when it closes.
TEST_F(GroupBuys, ItsMenuGoesToItsBuildingsOnceListingPausesAndItsCloseToo) {
    expect("committee", "u-admin", "开团 华联超市 截单 18:00", "已开团：1团 华联超市");
    expect("committee", "u-admin", "上架 鸡蛋 15.8 200 盒",
           "已上架 1. 鸡蛋 15.80元/盒，库存200。5分钟内不再上架，菜单就发到全部楼栋群。");
    now_ += 4 * 60;
    run_due_jobs();
    EXPECT_TRUE(outbox().empty());  // still listing: the wait starts again with each item
    expect("committee", "u-admin", "上架 大米5kg 39.9 10 袋 限购 1", "菜单就发到全部楼栋群");
    now_ += 4 * 60;
    run_due_jobs();
    EXPECT_TRUE(outbox().empty());
    now_ += 60;
    run_due_jobs();
    const auto menu = sent_to("bldg-3");
    EXPECT_EQ(menu.rfind("【团购开始】华联超市开始接单了，4月28日 18:00截单。\n【华联超市】4月28日 "
                         "18:00截单\n1. 鸡蛋 15.80元/盒 剩200\n2. 大米5kg 39.90元/袋 剩10 限购1\n",
                         0),
              0u)
        << menu;
    EXPECT_EQ(sent_to("bldg-5"), menu);
    EXPECT_EQ(sent_to("vol"), "");        // not a building
    EXPECT_EQ(sent_to("committee"), "");  // the committee listed it
    EXPECT_EQ(outbox().size(), 2u);
    // Once told, a later item is not announced again, and the reply does not promise it.
    clear_outbox();
    const auto later = say("committee", "u-admin", "上架 酱油 9.9");
    EXPECT_EQ(later.find("菜单就发到"), std::string::npos) << later;
    now_ += 10 * 60;
    run_due_jobs();
    EXPECT_TRUE(outbox().empty());

    expect("bldg-3", "u-601", "下单 鸡蛋 2", "下单成功");
    expect("committee", "u-admin", "截单", "“华联超市”已截单：共1单");
    EXPECT_EQ(sent_to("bldg-3"), "【截单】华联超市已截单，不再接单。下了单的请留意送货通知。|");
    EXPECT_EQ(sent_to("bldg-5"), sent_to("bldg-3"));
    EXPECT_NE(sent_to("committee").find("【截单汇总】华联超市"), std::string::npos);
}

TEST_F(GroupBuys, ALeadsCampaignIsAnnouncedOnlyInTheLeadsBuildings) {
    expect("bldg-3", "u-lead3", "开团 3号楼水果", "已开团：1团 3号楼水果，供3号楼。");
    expect("bldg-3", "u-lead3", "上架 苹果 10 50 斤", "5分钟内不再上架，菜单就发到3号楼的群。");
    now_ += 5 * 60;
    run_due_jobs();
    EXPECT_NE(sent_to("bldg-3").find("【团购开始】3号楼水果开始接单了。"), std::string::npos);
    EXPECT_EQ(sent_to("bldg-5"), "");
    EXPECT_EQ(outbox().size(), 1u);
    // A campaign closed before its menu went out is not announced, nor its close.
    clear_outbox();
    expect("committee", "u-admin", "开团 药店", "已开团");
    expect("committee", "u-admin", "上架 2团 抗原 10 100 盒", "菜单就发到全部楼栋群");
    expect("committee", "u-admin", "截单 2团", "已截单");
    now_ += 5 * 60;
    run_due_jobs();
    EXPECT_EQ(sent_to("bldg-3"), "");
    EXPECT_EQ(sent_to("bldg-5"), "");
}

TEST_F(GroupBuys, VolunteersOrderForHouseholdsWithoutAPhoneAndTheHouseholdIsTold) {
    expect("committee", "u-admin", "开团 华联超市", "1团");
    expect("committee", "u-admin", "上架 鸡蛋 15.8 100 盒 限购 2", "已上架");
    expect("committee", "u-admin", "楼栋 3号楼 6层 2户", "3号楼已登记房号");
    expect("committee", "u-admin", "备注 3-402 独居老人，电话13800000000", "已记下");
    clear_outbox();
    // 3-402: in the registry, nobody registered (no smartphone).
    expect("vol", "u-vol", "代下单 3-402 鸡蛋 2",
           "已为3-402代下单，单号1：\n鸡蛋×2盒 "
           "31.60元\n合计31.60元。这户没有登记的成员，请电话或当面告知。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE placed_by IS NOT NULL AND room = '402'"), 1);
    expect("vol", "u-vol", "代下单 3-402 鸡蛋 1", "鸡蛋每户限购2盒，你家已订2盒");
    // 3-502 has members: both are told privately.
    expect("bldg-3", "u-lead3", "/orderfor 3号楼 502 鸡蛋 1", "已私信告知住户。");
    EXPECT_NE(private_to("u-502a").find("陈组长为你家（3-502）代下单，单号2（华联超市）：鸡蛋×1盒"),
              std::string::npos)
        << private_to("u-502a");
    EXPECT_NE(private_to("u-502b").find("取消 2"), std::string::npos);
    const exchange steps[] = {
        {"bldg-3", "u-502a", "我的订单", "#2 鸡蛋×1 15.80元 待送（代下单）"},
        {"vol", "u-vol", "代下单 3-702 鸡蛋 1", "3号楼702室不在住户名册里"},
        {"bldg-3", "u-601", "代下单 3-402 鸡蛋 1",
         "抱歉，“代下单”仅限志愿者、楼组长或居委会使用。"},
        {"bldg-3", "u-lead3", "代下单 5-1201 鸡蛋 1",
         "你负责的是3号楼。5号楼请找该楼楼组长或居委会。"},
        {"vol", "u-vol", "代下单 3-402", "参数不全"},
        {"vol", "u-vol", "代下单 鸡蛋 2", "地址“鸡蛋”看不懂"},
        {"vol", "u-vol", "配送单 3号楼", "402室【独居老人，电话13800000000】 #1 鸡蛋×2"},
    };
    run(steps);
    // Whoever placed an order for a household may cancel it, like the household; nobody else.
    expect("vol", "u-vol", "代下单 3-602 鸡蛋 1", "单号3");
    expect("bldg-3", "u-601", "取消 3", "3号订单不是你家的");
    expect("vol", "u-vol", "取消 3", "已取消3号订单（3-602，15.80元）。");
    clear_outbox();
    // Delivered: the household is told privately, not the volunteers' chat the order came from.
    expect("vol", "u-vol", "送达 3号楼", "已标记2单送达");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE chat_id = 'vol'"), 0);
    EXPECT_NE(private_to("u-502a").find("已送到门口"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 2);
}

}  // namespace
}  // namespace loudong::handlers
