// Many compounds in one database (SPEC §7): a release 1 file migrates into "default", and
// every repository reads and writes only the compound in scope.

#include <filesystem>

#include <gtest/gtest.h>

#include "storage/antigen_repository.hpp"
#include "storage/chat_repository.hpp"
#include "storage/compound_scope.hpp"
#include "storage/database.hpp"
#include "storage/job_repository.hpp"
#include "storage/member_repository.hpp"
#include "storage/notice_repository.hpp"
#include "storage/order_repository.hpp"
#include "storage/task_repository.hpp"
#include "storage/template_repository.hpp"
#include "storage/test_round_repository.hpp"

namespace loudong::storage {
namespace {

// Every repository of one connection over one scope, as handlers::repositories holds them.
struct all_repositories {
    explicit all_repositories(SQLite::Database& db)
        : members(db, scope),
          chats(db, scope),
          templates(db, scope),
          jobs(db, scope),
          notices(db, scope),
          orders(db, scope),
          test_rounds(db, scope),
          antigen(db, scope),
          tasks(db, scope) {}

    compound_scope scope;
    member_repository members;
    chat_repository chats;
    template_repository templates;
    job_repository jobs;
    notice_repository notices;
    order_repository orders;
    test_round_repository test_rounds;
    antigen_repository antigen;
    task_repository tasks;
};

// A copy of tests/fixtures/release1/loudong.db, which the release 1 binary (commit 71f5fe8)
// wrote; see tests/fixtures/README.md for the commands that made it.
std::string release1_copy() {
    const auto path = std::filesystem::temp_directory_path() /
                      ("loudong-release1-" + std::to_string(::getpid()) + ".db");
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    std::filesystem::copy_file(std::string(LOUDONG_FIXTURES) + "/release1/loudong.db", path);
    return path.string();
}

TEST(Compounds, AReleaseOneDatabaseMigratesAndItsDataStaysVisibleInDefault) {
    const auto path = release1_copy();
    {
        SQLite::Database before(path, SQLite::OPEN_READONLY);
        ASSERT_EQ(before.execAndGet("SELECT MAX(version) FROM schema_version").getInt(), 6);
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), database::current_version());
    all_repositories store(db.connection());
    {
        const compound_scope::entered in(store.scope, default_compound);
        const auto household = store.members.at_room("3", "502");
        ASSERT_EQ(household.size(), 1u);
        EXPECT_EQ(household.front().display_name, "王阿姨");
        EXPECT_EQ(household.front().compound, "default");
        EXPECT_EQ(store.members.roles(household.front().id), std::set<role>{role::volunteer});
        const auto lead = store.members.find("generic", "u-601");
        ASSERT_TRUE(lead);
        EXPECT_EQ(store.members.roles(lead->id), std::set<role>{role::lead});

        EXPECT_EQ(store.chats.bound_to("building", std::string("3")).size(), 1u);
        EXPECT_EQ(store.chats.bound_to("committee").size(), 1u);
        EXPECT_EQ(store.chats.find("generic", "bldg-3")->compound, "default");

        const auto open = store.orders.open_campaigns();
        ASSERT_EQ(open.size(), 1u);
        const auto* campaign = &open.front();
        EXPECT_EQ(campaign->number, 1);
        EXPECT_EQ(campaign->title, "周一蔬菜");
        const auto orders = store.orders.of_household(campaign->id, "3", "502");
        ASSERT_EQ(orders.size(), 1u);
        EXPECT_EQ(orders.front().total_fen, 2400);

        const auto day = store.antigen.reporting("2026-11-28");
        ASSERT_EQ(day.size(), 1u);
        EXPECT_EQ(day.front().reported, 2);
        EXPECT_EQ(day.front().positive, 1);
        EXPECT_EQ(store.antigen.report("2026-11-28", "3", "502", "negative", household.front().id,
                                       1795840000),
                  "positive");  // the migrated report is the one replaced

        ASSERT_TRUE(store.tasks.find(1));
        EXPECT_EQ(store.tasks.find(1)->title, "送菜");
        EXPECT_EQ(store.tasks.claims(1).size(), 1u);
        EXPECT_EQ(store.notices.latest()->state, "sent");
        ASSERT_TRUE(store.test_rounds.latest_scheduled());
        EXPECT_EQ(store.test_rounds.latest_scheduled()->id, 2);

        // The committee's edit stays its compound's; the shipped text is the table's again.
        const auto edited = store.templates.find("zh-CN", "register.done");
        ASSERT_TRUE(edited);
        EXPECT_TRUE(edited->edited);
        EXPECT_NE(edited->text.find("（已改）"), std::string::npos) << edited->text;
    }
    const auto jobs = store.jobs.due(1795940000, 100);
    ASSERT_EQ(jobs.size(), 25u);
    for (const auto& j : jobs) {
        EXPECT_EQ(j.compound, "default");
    }
    {
        const compound_scope::entered in(store.scope, "zijing");
        EXPECT_TRUE(store.members.at_room("3", "502").empty());
        EXPECT_TRUE(store.chats.bound_to("building").empty());
        EXPECT_FALSE(store.orders.latest());
        EXPECT_TRUE(store.antigen.reporting("2026-11-28").empty());
        EXPECT_FALSE(store.tasks.find(1));
        EXPECT_FALSE(store.notices.latest());
        EXPECT_FALSE(store.test_rounds.latest_scheduled());
        EXPECT_FALSE(store.templates.find("zh-CN", "register.done")->edited);
    }
    std::filesystem::remove(path);
}

TEST(Compounds, EveryRowMadeInACompoundIsItsAndUnseenFromAnother) {
    database db(":memory:");
    all_repositories store(db.connection());
    store.templates.load_defaults({{"zh-CN", {{"register.done", "已登记"}}}}, 1);
    std::int64_t resident = 0;
    std::int64_t campaign = 0;
    std::int64_t task = 0;
    std::int64_t round = 0;
    std::int64_t notice = 0;
    {
        const compound_scope::entered in(store.scope, "zijing");
        resident = store.members.touch("generic", "z-502", "王阿姨", 1).id;
        store.members.set_address(resident, "3", "502", 1);
        store.members.grant(resident, role::volunteer, "generic:z-admin", 1);
        store.chats.bind("generic", "z-3", "building", "3", "generic:z-admin", 1);
        campaign = store.orders.open_campaign("紫荆团", std::nullopt, "generic:z-admin", {}, 1).id;
        const auto eggs = store.orders.put_item(campaign, "鸡蛋", 1200, 10, "盒", std::nullopt);
        store.orders.place(campaign, resident, "generic", "z-3", "3", "502",
                           {{eggs.id, "鸡蛋", "盒", 2, 1200}}, std::nullopt, false, 2);
        task = store.tasks.create(
            new_task{"送菜", 100, 200, 2, "东门", "", "generic", "z-committee"}, "x", 1);
        ASSERT_TRUE(store.tasks.take_slot(task, resident, 2));
        // The shift changes hands (换班/接班): the taker's claim is this compound's too.
        const auto neighbour = store.members.touch("generic", "z-503", "李叔叔", 1).id;
        store.tasks.offer_swap(*store.tasks.claim_of(task, resident), neighbour, 2);
        store.tasks.take_swap(*store.tasks.offered_to(task, neighbour), 2);
        ASSERT_TRUE(store.tasks.take_slot(task, resident, 2));
        round = store.test_rounds.create("广场", 100, 15, {"3"}, "x", 1).id;
        notice = store.notices.create("停水", R"({"all":true})", "x", 1, 1, "sent");
        store.antigen.report("2026-11-28", "3", "502", "positive", resident, 3);
        store.jobs.schedule(job_kind::notice, "{}", 10, std::string("daily:1"), 1);
        store.templates.set("zh-CN", "register.done", "紫荆：已登记", "generic:z-admin", 4);
    }
    // Each table's rows name the compound they were made in.
    for (const auto* table :
         {"notices", "jobs", "campaigns", "items", "orders", "test_rounds", "antigen_reports",
          "tasks", "task_claims", "member_roles", "compound_templates", "chats", "members"}) {
        EXPECT_EQ(db.connection()
                      .execAndGet(std::string("SELECT group_concat(DISTINCT compound) FROM ") +
                                  table + " WHERE compound IS NOT NULL")
                      .getString(),
                  "zijing")
            << table;
    }
    {
        const compound_scope::entered in(store.scope, "gumei9");
        EXPECT_TRUE(store.members.at_room("3", "502").empty());
        EXPECT_TRUE(store.members.roles(resident).empty());
        EXPECT_TRUE(store.chats.bound_to("building", std::string("3")).empty());
        EXPECT_FALSE(store.orders.latest());
        EXPECT_FALSE(store.orders.find_campaign(campaign));
        EXPECT_FALSE(store.tasks.find(task));
        EXPECT_TRUE(store.tasks.open_with_free_slots(0, 10).empty());
        EXPECT_FALSE(store.test_rounds.find(round));
        EXPECT_FALSE(store.notices.find(notice));
        EXPECT_TRUE(store.antigen.reporting("2026-11-28").empty());
        EXPECT_EQ(store.templates.find("zh-CN", "register.done")->text, "已登记");
        // The same room and day in another compound is another household's report.
        EXPECT_EQ(store.antigen.report("2026-11-28", "3", "502", "negative", resident, 5),
                  std::nullopt);
        // The same daily job key is another compound's job.
        EXPECT_TRUE(store.jobs.schedule(job_kind::notice, "{}", 10, std::string("daily:1"), 1));
    }
    {
        const compound_scope::entered in(store.scope, "zijing");
        EXPECT_EQ(store.antigen.reporting("2026-11-28").front().positive, 1);
        EXPECT_EQ(store.templates.find("zh-CN", "register.done")->text, "紫荆：已登记");
        EXPECT_EQ(store.members.roles(resident), std::set<role>{role::volunteer});
    }
}

TEST(Compounds, AQueryOfCompoundStateOutsideAScopeIsADefect) {
    database db(":memory:");
    all_repositories store(db.connection());
    EXPECT_THROW(store.members.at_room("3", "502"), std::logic_error);
    EXPECT_THROW(store.orders.latest(), std::logic_error);
    EXPECT_THROW(store.chats.bound_to("committee"), std::logic_error);
    // Identity lookups and shipped texts need no compound.
    EXPECT_FALSE(store.members.find("generic", "nobody"));
    EXPECT_FALSE(store.templates.find("zh-CN", "no.such.key"));
}

}  // namespace
}  // namespace loudong::storage
