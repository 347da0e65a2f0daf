// A whole group buy over HTTP: 5 buildings, 50 residents, concurrent orders, delivery.
#include <gtest/gtest.h>

#include "../support/fake_platform.hpp"
#include "server_fixture.hpp"

namespace loudong::testing {
namespace {

class OrdersFlow : public running_server {
protected:
    void SetUp() override {
        bot::config cfg;
        cfg.generic.outbound_url = platform_.url("/send");
        cfg.generic.rate = {0, 1000, 1000};
        cfg.admin_token = "shop-secret";
        start(cfg);
    }

    /// Residents r-<building>-<i>, rooms <building>-<101 + i>, in their building chats.
    void register_residents(int buildings, int per_building) {
        for (int b = 1; b <= buildings; ++b) {
            const auto chat = "bldg-" + std::to_string(b);
            say(chat, "u-admin", "绑定 " + std::to_string(b) + "号楼");
            for (int i = 0; i < per_building; ++i) {
                say(chat, resident(b, i),
                    "登记 " + std::to_string(b) + "-" + std::to_string(101 + i));
            }
        }
    }

    static std::string resident(int building, int i) {
        return "r-" + std::to_string(building) + "-" + std::to_string(i);
    }

    fake_platform platform_;
};

TEST_F(OrdersFlow, FiveBuildingsFiftyResidentsFromMenuToDoor) {
    say("committee", "u-admin", "/bind committee");
    register_residents(5, 10);
    say("committee", "u-admin", "开团 华联超市4月28日 截单 23:59");
    say("committee", "u-admin", "上架 鸡蛋 15.8 200 盒");
    say("committee", "u-admin", "上架 大米5kg 39.9 80 袋 限购 1");
    for (int b = 1; b <= 5; ++b) {
        for (int i = 0; i < 10; ++i) {
            const auto reply =
                say("bldg-" + std::to_string(b), resident(b, i), "下单 鸡蛋 2 大米5kg 1");
            ASSERT_NE(reply.find("下单成功"), std::string::npos) << reply;
        }
    }
    EXPECT_NE(say("bldg-1", "r-1-0", "菜单").find("大米5kg 39.90元/袋 剩30 限购1"),
              std::string::npos);
    EXPECT_NE(say("bldg-1", "r-1-0", "下单 大米5kg 1").find("限购1"), std::string::npos);
    const auto closed = say("committee", "u-admin", "截单");
    EXPECT_NE(closed.find("共50单，合计3575.00元"), std::string::npos) << closed;
    EXPECT_NE(say("bldg-2", "r-2-3", "下单 鸡蛋 1").find("已截单"), std::string::npos);

    say("committee", "u-admin", "授权 r-4-0 志愿者");
    const auto doors = say("bldg-4", "r-4-0", "配送单 4号楼");
    EXPECT_NE(doors.find("【4号楼待送】共10单"), std::string::npos) << doors;
    EXPECT_LT(doors.find("101室"), doors.find("110室"));
    EXPECT_EQ(say("bldg-4", "r-4-0", "送达 4号楼"), "已标记10单送达，已通知住户。");
    // The committee's totals and building 4's "delivered" notice reach the platform.
    ASSERT_TRUE(platform_.wait_for(2));
    bool told_building = false;
    for (const auto& r : platform_.received()) {
        const auto body = json::parse(r.body);
        if (body["chat_id"] == "bldg-4") {
            told_building = body["text"].get<std::string>().find("4-110(#") != std::string::npos;
        }
    }
    EXPECT_TRUE(told_building);

    const auto csv = http_call(port_, bot::http::verb::get, "/export/orders.csv", "",
                               {{"Authorization", "Bearer shop-secret"}});
    ASSERT_EQ(csv.status, 200u) << csv.body;
    EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv.headers.at("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'),
              1 + 100);  // header + 2 lines x 50
    EXPECT_NE(csv.body.find("4,110,鸡蛋,2,盒,15.80,31.60,已送达"), std::string::npos);
    EXPECT_EQ(http_call(port_, bot::http::verb::get, "/export/orders.csv").status, 401u);
    EXPECT_EQ(http_call(port_, bot::http::verb::get, "/export/orders.csv", "",
                        {{"Authorization", "Bearer wrong"}})
                  .status,
              401u);
}

TEST_F(OrdersFlow, TwoHundredSimultaneousOrdersForStockOfFiftySellExactlyFifty) {
    register_residents(1, 1);
    // Two campaigns open (SPEC §11): the orders find the one that sells antigen tests.
    ASSERT_NE(say("committee", "u-admin", "开团 菜场").find("1团"), std::string::npos);
    say("committee", "u-admin", "上架 青菜 5 100 份");
    ASSERT_NE(say("committee", "u-admin", "开团 抢购").find("2团"), std::string::npos);
    say("committee", "u-admin", "上架 2团 抗原 20 50 盒");
    // 200 residents registered directly over HTTP, then all order at once.
    for (int i = 0; i < 200; ++i) {
        say("bldg-1", "c-" + std::to_string(i), "登记 1-" + std::to_string(1000 + i));
    }
    std::atomic<int> accepted{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 20; ++t) {
        clients.emplace_back([&, t] {
            for (int i = t; i < 200; i += 20) {
                const auto user = "c-" + std::to_string(i);
                const auto reply = post(message("o-" + user, "bldg-1", user, "下单 抗原 1"));
                if (reply.body.find("下单成功") != std::string::npos) {
                    ++accepted;
                } else if (reply.body.find("已售完") != std::string::npos) {
                    ++refused;
                }
            }
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    EXPECT_EQ(accepted.load(), 50);
    EXPECT_EQ(refused.load(), 150);
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '抗原'"), 50);
    EXPECT_EQ(count("SELECT sold FROM items WHERE name = '青菜'"), 0);
    EXPECT_EQ(count("SELECT SUM(quantity) FROM order_lines"), 50);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT number) FROM orders"), 50);
}

}  // namespace
}  // namespace loudong::testing
