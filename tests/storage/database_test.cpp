#include "storage/database.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/chat_repository.hpp"
#include "storage/kinds.hpp"
#include "storage/member_repository.hpp"
#include "storage/outbox_repository.hpp"
#include "storage/processed_message_repository.hpp"
#include "storage/savepoint.hpp"
#include "storage/template_repository.hpp"

namespace loudong::storage {
namespace {

std::string temp_db(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("loudong-" + name + "-" + std::to_string(::getpid()) + ".db");
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    return path.string();
}

TEST(Database, MigratesAFreshDatabaseToTheCurrentVersion) {
    database db(":memory:");
    EXPECT_EQ(db.schema_version(), database::current_version());
    EXPECT_TRUE(db.writable());
}

TEST(Database, AFileANewerLoudongMigratedIsRefusedAndLeftAlone) {
    const auto path = temp_db("newer");
    {
        database db(path);
        db.connection().exec("INSERT INTO schema_version (version) VALUES (" +
                             std::to_string(database::current_version() + 1) + ")");
    }
    try {
        database db(path);
        ADD_FAILURE() << "a newer database was opened";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "schema version " + std::to_string(database::current_version() + 1) +
                      ", written by a newer loudong; this one knows up to version " +
                      std::to_string(database::current_version())),
                  std::string::npos)
            << e.what();
    }
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT MAX(version) FROM schema_version").getInt(),
              database::current_version() + 1);
}

TEST(Database, ReopenedFileKeepsMembersRolesAndChats) {
    const auto path = temp_db("reopen");
    compound_scope scope;
    const compound_scope::entered in(scope, default_compound);
    {
        database db(path);
        member_repository members(db.connection(), scope);
        auto m = members.touch("generic", "u-502a", "王阿姨", 100);
        members.set_address(m.id, "3", "502", 101);
        EXPECT_TRUE(members.grant(m.id, role::volunteer, "generic:u-admin", 102));
        chat_repository chats(db.connection(), scope);
        chats.bind("generic", "bldg-3", "building", "3", "generic:u-admin", 103);
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), database::current_version());
    member_repository members(db.connection(), scope);
    const auto m = members.find("generic", "u-502a");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->display_name, "王阿姨");
    EXPECT_EQ(m->building, "3");
    EXPECT_EQ(m->room, "502");
    EXPECT_EQ(members.roles(m->id), std::set<role>{role::volunteer});
    chat_repository chats(db.connection(), scope);
    const auto c = chats.find("generic", "bldg-3");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->kind, "building");
    EXPECT_EQ(c->building, "3");
    EXPECT_EQ(chats.bound_to("building", std::string("3")).size(), 1u);
    EXPECT_TRUE(chats.bound_to("committee").empty());
}

TEST(MemberRepository, TouchKeepsTheLastNonEmptyNameAndSamePlatformIdsAreOnePerson) {
    database db(":memory:");
    compound_scope scope;
    member_repository members(db.connection(), scope);
    const auto first = members.touch("onebot", "10001", "老李", 1);
    const auto again = members.touch("onebot", "10001", "", 2);
    const auto other_platform = members.touch("telegram", "10001", "Li", 3);
    EXPECT_EQ(first.id, again.id);
    EXPECT_EQ(again.display_name, "老李");
    EXPECT_NE(first.id, other_platform.id);
    EXPECT_EQ(other_platform.key(), "telegram:10001");
}

TEST(MemberRepository, AHouseholdHasSeveralMembersAndRolesGrantOnce) {
    database db(":memory:");
    compound_scope scope;
    const compound_scope::entered in(scope, default_compound);
    member_repository members(db.connection(), scope);
    const auto a = members.touch("generic", "a", "A", 1);
    const auto b = members.touch("generic", "b", "B", 1);
    members.set_address(a.id, "3", "502", 2);
    members.set_address(b.id, "3", "502", 2);
    EXPECT_EQ(members.at_room("3", "502").size(), 2u);
    EXPECT_TRUE(members.grant(a.id, role::lead, "x", 3));
    EXPECT_FALSE(members.grant(a.id, role::lead, "x", 4));
    EXPECT_TRUE(members.revoke(a.id, role::lead));
    EXPECT_FALSE(members.revoke(a.id, role::lead));
    // No enum names a mayor; the schema refuses the word all the same.
    EXPECT_THROW(db.connection().exec("INSERT INTO member_roles (member_id, compound, role, "
                                      "granted_by, granted_at) VALUES (" +
                                      std::to_string(a.id) + ", 'default', 'mayor', 'x', 5)"),
                 SQLite::Exception);
}

// One message's savepoint: kept when released, undone when rolled back or when an exception
// leaves its scope, while the transaction around it goes on with what was kept.
TEST(Savepoint, KeepsWhatIsReleasedAndUndoesTheRestInsideOneTransaction) {
    database db(":memory:");
    auto& c = db.connection();
    c.exec("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
    savepoint_statements statements(c, "message");
    c.exec("BEGIN IMMEDIATE");
    {
        savepoint kept(statements);
        c.exec("INSERT INTO kept (id) VALUES (1)");
        kept.release();
    }
    {
        savepoint undone(statements);
        c.exec("INSERT INTO kept (id) VALUES (2)");
        undone.roll_back();
    }
    try {
        savepoint thrown(statements);
        c.exec("INSERT INTO kept (id) VALUES (3)");
        throw std::runtime_error("the handler failed");
    } catch (const std::runtime_error&) {
    }
    {
        savepoint again(statements);  // the same prepared statements, reused
        c.exec("INSERT INTO kept (id) VALUES (4)");
        again.release();
    }
    c.exec("COMMIT");
    EXPECT_EQ(c.execAndGet("SELECT group_concat(id) FROM kept").getString(), "1,4");
}

// Every enum's stored words pass the schema's CHECK constraints, so a value the code can write
// is one the database takes (storage/kinds.hpp is the one place the words are written).
TEST(StoredWords, EveryRoleStateAndJobKindIsAWordTheSchemaTakes) {
    database db(":memory:");
    auto& c = db.connection();
    c.exec("INSERT INTO members (id, platform, user_id, first_seen) VALUES (1, 'generic', 'u', 0)");
    for (const auto& [value, word] : stored_words<role>::words) {
        EXPECT_EQ(from_stored_word<role>(word), value);
        SQLite::Statement insert(c,
                                 "INSERT INTO member_roles (member_id, compound, role, "
                                 "granted_by, granted_at) VALUES (1, 'default', ?1, 'x', 0)");
        insert.bind(1, std::string(word));
        EXPECT_NO_THROW(insert.exec()) << word;
    }
    for (const auto& [value, word] : stored_words<campaign_state>::words) {
        EXPECT_EQ(from_stored_word<campaign_state>(word), value);
        SQLite::Statement insert(c,
                                 "INSERT INTO campaigns (title, state, created_by, created_at) "
                                 "VALUES ('t', ?1, 'x', 0)");
        insert.bind(1, std::string(word));
        EXPECT_NO_THROW(insert.exec()) << word;
    }
    for (const auto& [value, word] : stored_words<job_kind>::words) {
        EXPECT_EQ(from_stored_word<job_kind>(word), value);
    }
    for (const auto& [value, word] : stored_words<job_outcome>::words) {
        SQLite::Statement insert(c,
                                 "INSERT INTO jobs (compound, kind, payload, due_at, state, "
                                 "created_at) VALUES ('default', 'notice', '{}', 0, ?1, 0)");
        insert.bind(1, std::string(word));
        EXPECT_NO_THROW(insert.exec()) << word;
    }
    int number = 0;
    for (const auto& [value, word] : stored_words<order_state>::words) {
        EXPECT_EQ(from_stored_word<order_state>(word), value);
        SQLite::Statement insert(c,
                                 "INSERT INTO orders (campaign_id, number, member_id, platform, "
                                 "chat_id, building, room, total_fen, state, created_at) "
                                 "VALUES (1, ?2, 1, 'generic', 'c', '3', '502', 0, ?1, 0)");
        insert.bind(1, std::string(word));
        insert.bind(2, ++number);
        EXPECT_NO_THROW(insert.exec()) << word;
    }
    EXPECT_EQ(from_stored_word<order_state>("refunded"), std::nullopt);
    EXPECT_EQ(stored_word(order_state::delivered), "delivered");
}

TEST(TemplateRepository, LoadingDefaultsAddsNewKeysAndKeepsCommitteeEdits) {
    database db(":memory:");
    compound_scope scope;
    const compound_scope::entered in(scope, default_compound);
    template_repository repo(db.connection(), scope);
    templates::default_texts v1{{"zh-CN", {{"a", "旧A"}, {"b", "旧B"}}}};
    repo.load_defaults(v1, 1);
    repo.set("zh-CN", "a", "委员会改过的A", "generic:u-admin", 2);

    templates::default_texts v2{{"zh-CN", {{"a", "新A"}, {"b", "新B"}, {"c", "新C"}}}};
    repo.load_defaults(v2, 3);
    EXPECT_EQ(repo.find("zh-CN", "a")->text, "委员会改过的A");
    EXPECT_EQ(repo.find("zh-CN", "a")->default_text, "新A");
    EXPECT_EQ(repo.find("zh-CN", "b")->text, "新B");
    EXPECT_EQ(repo.find("zh-CN", "c")->text, "新C");
    EXPECT_EQ(repo.list("zh-CN").size(), 3u);

    repo.reset("zh-CN", "a");
    EXPECT_EQ(repo.find("zh-CN", "a")->text, "新A");
    EXPECT_FALSE(repo.find("zh-CN", "a")->edited);
}

TEST(OutboxRepository, EachChatsLanesAreQueuesAndEarlierLanesComeFirst) {
    database db(":memory:");
    outbox_repository outbox(db.connection());
    constexpr int alert = 0;
    constexpr int direct = 1;
    constexpr int broadcast = 2;
    const auto notice1 = outbox.enqueue("generic", "bldg-1", false, "通知1", {}, broadcast, 100);
    const auto notice2 = outbox.enqueue("generic", "bldg-1", false, "通知2", {}, broadcast, 100);
    const auto reminder = outbox.enqueue("telegram", "71", true, "提醒", {}, direct, 100);
    const auto alarm = outbox.enqueue("generic", "committee", false, "阳性", {}, alert, 101);
    const auto other = outbox.enqueue("generic", "bldg-2", false, "通知1", {}, broadcast, 101);
    auto ids = [&](std::int64_t now_ms) {
        std::vector<std::int64_t> found;
        for (const auto& m : outbox.due(now_ms, 10)) {
            found.push_back(m.id);
        }
        return found;
    };
    // One per chat and lane, the alert first though queued last; 通知2 waits behind 通知1.
    EXPECT_EQ(ids(101'000), (std::vector<std::int64_t>{alarm, reminder, notice1, other}));
    EXPECT_EQ(outbox.due(101'000, 10)[0].lane, alert);

    // bldg-1's notice backs off: the chat's alert is not held behind it, nor is its next
    // notice sent before it.
    outbox.retry_at(notice1, 200'000, "timed out");
    const auto late_alarm = outbox.enqueue("generic", "bldg-1", false, "阳性", {}, alert, 102);
    EXPECT_EQ(ids(102'000), (std::vector<std::int64_t>{alarm, late_alarm, reminder, other}));
    outbox.mark_sent(late_alarm, 102);
    outbox.mark_sent(alarm, 102);
    EXPECT_EQ(ids(200'000), (std::vector<std::int64_t>{reminder, notice1, other}));
    outbox.mark_sent(notice1, 200);
    EXPECT_EQ(ids(200'000), (std::vector<std::int64_t>{reminder, notice2, other}));
}

// The heads are found by one index seek per chat's lane (a skip scan): a long queue behind one
// chat neither hides another chat's head nor lets its own later messages out first.
TEST(OutboxRepository, LongQueuesGiveOneHeadPerPlatformChatPrivacyAndLane) {
    database db(":memory:");
    outbox_repository outbox(db.connection());
    constexpr int direct = 1;
    constexpr int broadcast = 2;
    std::vector<std::int64_t> group_replies;
    for (int i = 0; i < 500; ++i) {
        group_replies.push_back(outbox.enqueue("qq", "grp", false, "回复", {}, direct, 100));
    }
    // The same id as a one-to-one chat, and on another platform: queues of their own.
    const auto private_first = outbox.enqueue("qq", "grp", true, "私信1", {}, direct, 100);
    outbox.enqueue("qq", "grp", true, "私信2", {}, direct, 100);
    const auto onebot_first = outbox.enqueue("onebot", "grp", false, "回复", {}, direct, 100);
    outbox.enqueue("onebot", "grp", false, "回复", {}, direct, 100);
    const auto notice = outbox.enqueue("qq", "grp", false, "通知", {}, broadcast, 100);
    const auto last = outbox.enqueue("generic", "a", false, "回复", {}, direct, 100);
    auto ids = [&](std::int64_t now_ms, int limit) {
        std::vector<std::int64_t> found;
        for (const auto& m : outbox.due(now_ms, limit)) {
            found.push_back(m.id);
        }
        return found;
    };
    EXPECT_EQ(ids(100'000, 10), (std::vector<std::int64_t>{group_replies[0], private_first,
                                                           onebot_first, last, notice}));
    EXPECT_EQ(ids(100'000, 2), (std::vector<std::int64_t>{group_replies[0], private_first}));
    const auto head = outbox.due(100'000, 1).at(0);
    EXPECT_EQ(head.text, "回复");
    EXPECT_FALSE(head.is_private);

    // Sent heads give way to the next of their queue; a head backing off holds its queue, and
    // the time the worker waits for is a head's, not that of a message queued behind it.
    outbox.mark_sent(group_replies[0], 101);
    outbox.mark_sent(private_first, 101);
    EXPECT_EQ(ids(101'000, 10).at(0), group_replies[1]);
    outbox.retry_at(group_replies[1], 300'000, "timed out");
    outbox.retry_at(group_replies[2], 150'000, "timed out");
    for (const auto& m : outbox.due(101'000, 10)) {
        outbox.retry_at(m.id, m.chat_id == "a" ? 200'000 : 250'000, "timed out");
    }
    EXPECT_TRUE(ids(199'000, 10).empty());
    EXPECT_EQ(outbox.next_attempt(), 200'000);
    EXPECT_EQ(ids(300'000, 10).at(0), group_replies[1]);
    EXPECT_EQ(outbox.depth(), 500 - 1 + 1 + 2 + 1 + 1);
}

TEST(ProcessedMessageRepository, RemembersRepliesPerPlatformChatMessageAndSender) {
    database db(":memory:");
    processed_message_repository processed(db.connection());
    processed.record("generic", "bldg-3", "m-1", "u-1", "[1]", 100);
    EXPECT_EQ(processed.find("generic", "bldg-3", "m-1", "u-1"), "[1]");
    EXPECT_FALSE(processed.find("generic", "bldg-4", "m-1", "u-1"));
    EXPECT_FALSE(processed.find("onebot", "bldg-3", "m-1", "u-1"));
    // The same id from another sender is another message.
    EXPECT_FALSE(processed.find("generic", "bldg-3", "m-1", "u-2"));
    processed.record("generic", "bldg-3", "m-1", "u-2", "[3]", 100);
    EXPECT_THROW(processed.record("generic", "bldg-3", "m-1", "u-1", "[2]", 101),
                 SQLite::Exception);
    EXPECT_EQ(processed.prune(101), 2);
    EXPECT_FALSE(processed.find("generic", "bldg-3", "m-1", "u-1"));
}

}  // namespace
}  // namespace loudong::storage
