#include "handlers/console_pages.hpp"

#include <gtest/gtest.h>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;

// Two compounds: default (本小区, committee u-admin) and gumei9 (古美九村, committee g-admin);
// street staff s-1 sees both.
settings two_compounds() {
    auto s = testing::compound::make_settings();
    s.compounds.emplace("gumei9", compound_settings{"古美九村", {"generic:g-admin"}});
    s.street = {"generic:s-1"};
    return s;
}

class ConsolePages : public testing::compound {
protected:
    ConsolePages() : compound(":memory:", two_compounds()) {}

    void SetUp() override {
        say("c", "u-admin", "绑定 本小区 居委会");
        resident("u-502", "3-502", "王阿姨");
        resident("u-1502", "3-1502", "钱阿姨");
        resident("u-601", "3-601", "张叔");
        resident("u-1201", "5-1201", "赵姐");
        say("c", "u-admin", "授权 @u-601 楼组长 3号楼");
        say("c", "u-admin", "备注 3-502 独居老人，需送上门");
        say("c", "u-admin", "开团 华联超市");
        say("c", "u-admin", "上架 鸡蛋 15.8 100 盒");
        say("c", "u-admin", "上架 大米 45 50 袋");
        say("bldg-3", "u-1502", "下单 大米 1");
        say("bldg-5", "u-1201", "下单 大米 2");
        say("bldg-3", "u-502", "下单 鸡蛋 2 大米 1");
        say("bldg-3", "u-601", "下单 鸡蛋 1");
        say("bldg-3", "u-601", "取消");
        say("bldg-5", "u-1201", "抗原 阳性");
        say("bldg-3", "u-502", "抗原 阴性");
        // A second member of 3-502 waits; so does one of 5-1201.
        say("bldg-3", "u-502b", "登记 3-502", "王叔叔");
        say("bldg-5", "u-1201b", "登记 5-1201", "赵哥");
        // Compound gumei9 has a 3号楼 of its own, with an order.
        say("g-c", "g-admin", "绑定 古美九村 居委会");
        say("g-3", "g-admin", "绑定 古美九村 3号楼");
        say("g-3", "g-777", "登记 3-777", "古美住户");
        say("g-c", "g-admin", "开团 古美团购");
        say("g-c", "g-admin", "上架 牛奶 6 10 盒");
        say("g-3", "g-777", "下单 牛奶 1");
    }

    std::optional<console_viewer> viewer(const std::string& user,
                                         const std::string& session_compound = "default",
                                         const std::optional<std::string>& chosen = {}) {
        return console_viewer_of(dispatcher_.store(), dispatcher_.config(),
                                 storage::console_user{"generic", user, session_compound}, chosen);
    }

    repositories& store() { return dispatcher_.store(); }
    const settings& config() { return dispatcher_.config(); }

    static std::vector<std::string> column(const json& rows, const std::string& key) {
        std::vector<std::string> out;
        for (const auto& row : rows) {
            out.push_back(row.at(key).is_string() ? row.at(key).get<std::string>()
                                                  : row.at(key).dump());
        }
        return out;
    }
};

TEST_F(ConsolePages, OnlyTheCommitteeAndLeadsHaveAConsole) {
    EXPECT_TRUE(viewer("u-admin"));
    EXPECT_TRUE(viewer("u-601"));
    EXPECT_FALSE(viewer("u-502"));     // a resident
    EXPECT_FALSE(viewer("u-nobody"));  // never seen
    EXPECT_FALSE(viewer("g-admin"));   // another compound's committee, in this one
    say("c", "u-admin", "撤销 @u-601 楼组长");
    EXPECT_FALSE(viewer("u-601")) << "a revoked lead's session shows nothing";
}

TEST_F(ConsolePages, TheCommitteeOverviewCountsEveryBuilding) {
    const auto page = console_overview(store(), config(), *viewer("u-admin"), now_);
    ASSERT_EQ(page.status, 200);
    const auto& rows = page.vars["buildings"];
    EXPECT_EQ(column(rows, "name"), (std::vector<std::string>{"3号楼", "5号楼"}));
    EXPECT_EQ(rows[0]["registered"], 3);
    EXPECT_EQ(rows[0]["pending"], 1);
    EXPECT_EQ(rows[0]["reported"], 1);
    EXPECT_EQ(rows[0]["orders"], 2);  // the cancelled one is not counted
    EXPECT_EQ(rows[1]["positive"], 1);
    EXPECT_EQ(page.vars["total"]["positive"], 1);
    EXPECT_EQ(page.vars["campaigns"][0]["orders"], 3);
}

TEST_F(ConsolePages, ALeadSeesOnlyTheirBuildingAndNoHealthResult) {
    const auto lead = *viewer("u-601");
    const auto page = console_overview(store(), config(), lead, now_);
    const auto dump = page.vars.dump();
    EXPECT_EQ(column(page.vars["buildings"], "name"), (std::vector<std::string>{"3号楼"}));
    EXPECT_EQ(dump.find("positive"), std::string::npos) << dump;
    EXPECT_EQ(dump.find("5号楼"), std::string::npos);
    EXPECT_EQ(page.vars["campaigns"][0]["orders"], 2);

    EXPECT_EQ(console_households(store(), config(), lead, std::string("5")).status, 403);
    const auto households = console_households(store(), config(), lead, std::nullopt);
    EXPECT_EQ(column(households.vars["rooms"], "room"),
              (std::vector<std::string>{"502", "601", "1502"}));
    EXPECT_EQ(column(households.vars["waiting"], "name"), (std::vector<std::string>{"王叔叔"}));

    const auto orders = console_orders(store(), config(), lead, std::nullopt);
    EXPECT_EQ(orders.vars.dump().find("1201"), std::string::npos);
    EXPECT_EQ(column(orders.vars["per_building"], "name"), (std::vector<std::string>{"3号楼"}));
    EXPECT_EQ(console_labels(store(), config(), lead, 1, std::string("5")).status, 403);
    EXPECT_EQ(console_notices(store(), config(), lead).status, 403);
    EXPECT_EQ(console_templates(store(), config(), lead, std::nullopt).status, 403);
    const auto csv = console_orders_csv(store(), config(), lead, 1);
    ASSERT_TRUE(csv);
    EXPECT_NE(csv->find(",3,502,鸡蛋,2,"), std::string::npos) << *csv;
    EXPECT_EQ(csv->find("1201"), std::string::npos) << *csv;
}

TEST_F(ConsolePages, LabelsAreTheOrdersToDeliverByBuildingThenRoomWithTheNote) {
    const auto page = console_labels(store(), config(), *viewer("u-admin"), 1, std::nullopt);
    ASSERT_EQ(page.status, 200);
    const auto& labels = page.vars["sheets"][0]["labels"];
    // 3-601's order was cancelled; 502 before 1502 (as numbers), 3号楼 before 5号楼.
    std::vector<std::string> where;
    for (const auto& l : labels) {
        where.push_back(l["name"].get<std::string>() + " " + l["room"].get<std::string>());
    }
    EXPECT_EQ(where, (std::vector<std::string>{"3号楼 502", "3号楼 1502", "5号楼 1201"}));
    EXPECT_EQ(labels[0]["note"], "独居老人，需送上门");
    EXPECT_EQ(labels[0]["items"][0]["name"], "鸡蛋");
    EXPECT_EQ(labels[0]["items"][0]["quantity"], 2);
    EXPECT_EQ(page.vars["count"], 3);

    say("c", "u-admin", "送达 3号楼");
    const auto after = console_labels(store(), config(), *viewer("u-admin"), 1, std::string("3"));
    EXPECT_EQ(after.vars["count"], 0) << "delivered orders need no label";
    EXPECT_EQ(console_labels(store(), config(), *viewer("u-admin"), 9, std::nullopt).status, 404);
}

TEST_F(ConsolePages, TwentyFiveLabelsFillOneA4SheetAndStartASecond) {
    for (int room = 101; room < 123; ++room) {
        resident("u-" + std::to_string(room), "7-" + std::to_string(room));
        say("bldg-7", "u-" + std::to_string(room), "下单 鸡蛋 1");
    }
    const auto page = console_labels(store(), config(), *viewer("u-admin"), 1, std::nullopt);
    ASSERT_EQ(page.vars["count"], 25);
    ASSERT_EQ(page.vars["sheets"].size(), 2u);
    EXPECT_EQ(page.vars["sheets"][0]["labels"].size(), 24u);
    EXPECT_EQ(page.vars["sheets"][1]["labels"][0]["room"], "122");
}

TEST_F(ConsolePages, ACommitteeMemberNeverSeesAnotherCompound) {
    // u-admin's session is in default; asking for gumei9 changes nothing (street staff only).
    const auto admin = *viewer("u-admin", "default", std::string("gumei9"));
    EXPECT_EQ(admin.compound, "default");
    const auto orders = console_orders(store(), config(), admin, std::nullopt);
    EXPECT_EQ(orders.vars.dump().find("牛奶"), std::string::npos);
    EXPECT_EQ(console_labels(store(), config(), admin, 2, std::nullopt).status, 404);
    const auto gumei = *viewer("g-admin", "gumei9");
    const auto theirs = console_orders(store(), config(), gumei, std::nullopt);
    EXPECT_NE(theirs.vars.dump().find("牛奶"), std::string::npos);
    EXPECT_EQ(theirs.vars.dump().find("大米"), std::string::npos);
    EXPECT_EQ(
        column(console_households(store(), config(), gumei, std::nullopt).vars["rooms"], "room"),
        (std::vector<std::string>{"777"}));
}

TEST_F(ConsolePages, StreetStaffChooseTheCompound) {
    ASSERT_FALSE(viewer("s-1")) << "never seen: no member yet";
    say("c", "s-1", "我的");
    const auto street = *viewer("s-1", "default", std::string("gumei9"));
    EXPECT_EQ(street.compound, "gumei9");
    EXPECT_TRUE(street.whole_compound());
    EXPECT_EQ(viewer("s-1", "default", std::string("nowhere"))->compound, "default");
}

TEST_F(ConsolePages, TheCommitteeSeesNoticesAndTemplatesToEdit) {
    say("c", "u-admin", "通知 全部 今晚8点全员核酸");
    const auto notices = console_notices(store(), config(), *viewer("u-admin"));
    ASSERT_EQ(notices.status, 200);
    EXPECT_EQ(notices.vars["notices"][0]["text"], "今晚8点全员核酸");
    EXPECT_EQ(notices.vars["notices"][0]["pending"], 2);
    const auto templates =
        console_templates(store(), config(), *viewer("u-admin"), std::string("order.placed"));
    ASSERT_EQ(templates.status, 200);
    EXPECT_EQ(templates.vars["editing"]["key"], "order.placed");
    EXPECT_FALSE(templates.vars["editing"]["text"].get<std::string>().empty());
    EXPECT_EQ(console_templates(store(), config(), *viewer("u-admin"), std::string("nope")).status,
              404);
}

}  // namespace
}  // namespace loudong::handlers
