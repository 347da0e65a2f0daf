// Two compounds side by side in one running server, over real HTTP and a real SQLite file
// (issue 13, SPEC §7): the same building and room labels are separate households with their
// own orders, antigen reports, notices, group buys and committees; a registry imported from a
// spreadsheet drives 未报 and 统计; a release 1 database keeps its data in compound default.
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "bot/households_import.hpp"
#include "server_fixture.hpp"
#include "storage/database.hpp"

namespace loudong::testing {
namespace {

class CompoundsFlow : public running_server {
protected:
    void start_street_office() {
        bot::config cfg;
        cfg.compounds = {{"zijing", {"紫荆小区", {"generic:z-admin"}}},
                         {"gumei9", {"古美九村", {"generic:g-admin"}}}};
        cfg.street = {"generic:street"};
        start(cfg);
    }

    void expect(const std::string& chat, const std::string& user, const std::string& text,
                const std::string& part) {
        const auto reply = say(chat, user, text);
        EXPECT_NE(reply.find(part), std::string::npos) << text << " → " << reply;
    }
};

TEST_F(CompoundsFlow, TwoCompoundsRunSideBySideWithTheSameLabels) {
    start_street_office();
    // The operator imports 紫荆小区's registry while the server runs.
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(
        bot::import_households(config_, "zijing",
                               std::string(LOUDONG_FIXTURES) + "/registry/sample.csv", out, err),
        0)
        << err.str();
    EXPECT_EQ(out.str(), "已导入紫荆小区（zijing）的房号表：7户，其中新增7户。\n");

    for (const auto* side : {"z", "g"}) {
        const std::string admin = std::string(side) + "-admin";
        expect(std::string(side) + "-committee", admin, "绑定 居委会", "居委会工作群");
        expect(std::string(side) + "-3", admin, "绑定 3号楼", "本群已绑定为3号楼群");
    }
    expect("z-3", "z-502", "登记 3-502", "已登记：3号楼502室。");
    expect("g-3", "g-502", "登记 3-502", "已登记：3号楼502室。");
    // The registry refuses a room 紫荆小区 does not have; 古美九村 has no registry.
    expect("z-3", "z-909", "登记 3-909", "3号楼没有909室");
    expect("g-3", "g-909", "登记 3-909", "已登记：3号楼909室。");

    expect("z-committee", "z-admin", "开团 紫荆团购", "已开团：1团 紫荆团购");
    expect("z-committee", "z-admin", "上架 鸡蛋 10 100 盒", "已上架 1. 鸡蛋");
    expect("g-committee", "g-admin", "开团 古美团购", "已开团：1团 古美团购");
    expect("g-committee", "g-admin", "上架 牛奶 5 100 盒", "已上架 1. 牛奶");
    expect("z-3", "z-502", "下单 鸡蛋 2", "单号1");
    expect("g-3", "g-502", "下单 牛奶 1", "单号1");
    expect("z-3", "z-502", "我的订单", "鸡蛋×2");
    EXPECT_EQ(say("z-3", "z-502", "我的订单").find("牛奶"), std::string::npos);

    expect("z-3", "z-502", "抗原 阳性", "今日已报");
    expect("z-committee", "z-admin", "统计", "已报1/7户，阳性1户，其中6户无人登记");
    expect("g-committee", "g-admin", "统计", "已报0/2户，阳性0户");
    expect("z-committee", "z-admin", "未报 3号楼", "3号楼：101-102（未登记）、501（未登记）");
    expect("z-committee", "z-admin", "通知 all 明天停水", "正在发往1个楼栋群");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE chat_id LIKE 'g-%'"), 0);

    // Committees are nobody in the other compound; street staff name the one they act in.
    expect("z-3", "g-admin", "通知 all 假通知", "仅限居委会使用");
    expect("g-committee", "z-admin", "统计", "仅限居委会使用");
    expect("street-dm", "street", "统计 古美九村", "统计只在居委会工作群里查看");
    expect("g-committee", "street", "统计", "已报0/2户");
    EXPECT_EQ(count("SELECT COUNT(*) FROM notices"), 1);

    // Privately, a compound the street does not have is answered with those it has.
    const auto unknown = post(json{
        {"message_id", "dm-1"},
        {"chat_id", "street-dm"},
        {"private", true},
        {"sender", {{"id", "street"}, {"name", "街道王"}}},
        {"text", "统计 某某小区"}}.dump());
    EXPECT_EQ(reply_text(unknown.body), "没有“某某小区”这个小区。本街道的小区：古美九村、紫荆小区");
}

TEST_F(CompoundsFlow, AReleaseOneDatabaseKeepsItsDataInCompoundDefault) {
    // The day before the fixture's task #1 (2026-11-29 09:00 in Shanghai), so that it is still
    // open whenever the test runs.
    start_clock_at(1795827600);
    start();
    stop();
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(db_path_ + suffix);
    }
    std::filesystem::copy_file(std::string(LOUDONG_FIXTURES) + "/release1/loudong.db", db_path_);
    restart();
    EXPECT_EQ(say("bldg-3", "u-502a", "我的"), "王阿姨：3号楼502室，身份：志愿者");
    expect("bldg-3", "u-502a", "我的订单", "#1 鸡蛋×2 24.00元 待送");
    expect("committee", "u-admin", "模板 register.done", "（已改）");
    expect("bldg-3", "u-new", "登记 3-1201", "已登记：3号楼1201室（已改）");
    expect("committee", "u-admin", "任务", "#1 送菜");
    EXPECT_EQ(count("SELECT MAX(version) FROM schema_version"),
              storage::database::current_version());
}

}  // namespace
}  // namespace loudong::testing
