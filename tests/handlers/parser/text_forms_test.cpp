// handlers/parser/text_forms.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

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

// Shanghai addresses often put a lane (弄) above the building (SPEC §7).
TEST(TextForms, LaneForms) {
    for (const auto* typed : {"12弄3号", "12弄3号楼", "12弄3", "12弄3栋", "012弄03号"}) {
        ASSERT_TRUE(parse_building(typed).has_value()) << typed;
        EXPECT_EQ(parse_building(typed)->label, "12弄3") << typed;
    }
    for (const auto* typed : {"12弄", "弄3号", "0弄3号", "12弄0号", "12345弄3号", "12弄3号楼502",
                              "B12弄3", "12弄弄3"}) {
        EXPECT_EQ(parse_building(typed), std::nullopt) << typed;
    }
    const address expected{{"12弄3"}, "502"};
    for (const auto* typed :
         {"12-3-502", "12弄3号502室", "12弄3号楼502", "12弄3-502", "12/3/502", "12弄3号-502室"}) {
        EXPECT_EQ(parse_address(typed), expected) << typed;
    }
    EXPECT_EQ(parse_address(normalize_text("１２－３－５０２")), expected);
    EXPECT_EQ(parse_address(normalize_text("１２弄３号５０２室")), expected);
    EXPECT_EQ(parse_address("12弄3号", "502"), expected);
    for (const auto* typed : {"12-3-", "12-3-502-1", "12--502", "12弄-502", "-12-3-502"}) {
        EXPECT_EQ(parse_address(typed), std::nullopt) << typed;
    }
    EXPECT_EQ(labels(*parse_building_list("12弄3,12弄5号")),
              (std::vector<std::string>{"12弄3", "12弄5"}));
}

TEST(TextForms, QuantityForms) {
    EXPECT_EQ(parse_quantity("2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("x2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("×2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("*2"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("2份"), (quantity{2, "份"}));
    EXPECT_EQ(parse_quantity("x3袋"), (quantity{3, "袋"}));
    for (const auto* typed : {"0", "x", "", "2kg", "10000", "-1", "2.5"}) {
        EXPECT_EQ(parse_quantity(typed), std::nullopt) << typed;
    }
}

TEST(TextForms, QuantitiesInChineseNumerals) {
    EXPECT_EQ(parse_quantity("两盒"), (quantity{2, "盒"}));
    EXPECT_EQ(parse_quantity("三份"), (quantity{3, "份"}));
    EXPECT_EQ(parse_quantity("十个"), (quantity{10, "个"}));
    EXPECT_EQ(parse_quantity("两"), (quantity{2, std::nullopt}));
    EXPECT_EQ(parse_quantity("十二"), (quantity{12, std::nullopt}));
    EXPECT_EQ(parse_quantity("二十袋"), (quantity{20, "袋"}));
    EXPECT_EQ(parse_quantity("九十九"), (quantity{99, std::nullopt}));
    EXPECT_EQ(parse_quantity("x两袋"), (quantity{2, "袋"}));
    // Names that start with a numeral stay names: salmon, pork belly, a spice, porridge.
    for (const auto* typed : {"三文鱼", "五花肉", "十三香", "八宝粥", "一次性手套", "二锅头", "零",
                              "一二三", "十十", "二十十", "两两盒", "百"}) {
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
