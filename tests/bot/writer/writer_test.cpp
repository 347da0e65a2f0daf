// The single writer: what it keeps in memory follows what the database kept.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include "bot/writer/writer.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::bot {
namespace {

class Writer : public ::testing::Test {
protected:
    Writer()
        : path_((std::filesystem::temp_directory_path() /
                 ("loudong-writer-" + std::to_string(::getpid()) + ".db"))
                    .string()) {
        remove_files();
    }
    ~Writer() override { remove_files(); }

    void remove_files() {
        for (const auto* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(path_ + suffix);
        }
    }

    static handlers::settings compound() {
        handlers::settings s;
        s.zone = date::locate_zone("Asia/Shanghai");
        return s;
    }

    /// Runs `task` on the writer thread, in the default compound; true when its batch
    /// committed.
    static bool run(writer& w, std::function<void(handlers::dispatcher&)> task) {
        std::promise<bool> committed;
        w.run(
            [task = std::move(task)](handlers::dispatcher& d, std::int64_t /*now*/) {
                const storage::compound_scope::entered in(d.store().scope,
                                                          storage::default_compound);
                task(d);
            },
            [&committed](bool ok) { committed.set_value(ok); });
        return committed.get_future().get();
    }

    /// Member u-1 (王阿姨, no room, no role) and chat bldg-3 (unbound), each read once so the
    /// writer keeps them in memory; returns the member's id.
    static std::int64_t seen_member_and_chat(writer& w) {
        std::int64_t id = 0;
        EXPECT_TRUE(run(w, [&id](handlers::dispatcher& d) {
            id = d.store().members.touch("generic", "u-1", "王阿姨", 1).id;
            d.store().chats.touch("generic", "bldg-3", "3号楼", 1);
            (void)d.store().members.roles(id);
        }));
        return id;
    }

    std::string path_;
    metrics stats_;
};

TEST_F(Writer, ATemplateEditRolledBackWithItsMessageIsNotKeptInMemory) {
    writer w(path_, compound(), stats_, [] { return std::int64_t{1651100000}; });
    w.start();
    std::string original;
    ASSERT_TRUE(run(w, [&original](handlers::dispatcher& d) {
        original = d.store().templates.find("zh-CN", "command.unknown")->text;
    }));
    // The edit is seen (and kept in memory by find), then the message fails and is rolled back.
    EXPECT_TRUE(run(w, [](handlers::dispatcher& d) {
        d.store().templates.set("zh-CN", "command.unknown", "EDITED", "generic:u-admin", 1);
        if (d.store().templates.find("zh-CN", "command.unknown")->text != "EDITED") {
            throw std::logic_error("the edit was not visible inside its own transaction");
        }
        throw std::runtime_error("the handler fails after the edit");
    }));
    std::string after;
    ASSERT_TRUE(run(w, [&after](handlers::dispatcher& d) {
        after = d.store().templates.find("zh-CN", "command.unknown")->text;
    }));
    EXPECT_EQ(after, original);
    w.stop();
}

// A message whose handling fails is rolled back and its sender told so: in the webhook's answer
// where the platform takes one, through the outbox (in the batch's transaction) where the
// platform answers by its API, as QQ does. A trigger stands in for a handler's bug.
TEST_F(Writer, AFailedMessageIsApologisedForInItsChatAlsoWhereThePlatformAnswersByApi) {
    auto config = compound();
    config.replies_by_api.insert("qq");
    writer w(path_, config, stats_, [] { return std::int64_t{1651100000}; });
    {
        SQLite::Database db(path_, SQLite::OPEN_READWRITE);
        db.exec(
            "CREATE TRIGGER handler_bug BEFORE INSERT ON processed_messages "
            "WHEN NEW.message_id LIKE 'bug-%' BEGIN SELECT RAISE(ABORT, 'a bug'); END");
    }
    w.start();
    auto send = [&w](const std::string& platform, const std::string& id) {
        handlers::message msg;
        msg.platform = platform;
        msg.message_id = id;
        msg.chat_id = "grp-3";
        msg.sender_id = "u-1";
        msg.text = "帮助";
        std::promise<write_result> result;
        w.submit(msg, handlers::parse_command(msg.text),
                 [&result](write_result r) { result.set_value(std::move(r)); });
        return result.get_future().get();
    };
    const std::string apology = "抱歉，系统出了点问题，这条消息没有处理，请稍后再发一次。";

    const auto answered = send("generic", "bug-1");
    EXPECT_TRUE(answered.stored);
    EXPECT_EQ(answered.outcome.command, "error");
    ASSERT_EQ(answered.outcome.replies.size(), 1u);
    EXPECT_EQ(answered.outcome.replies[0].text, apology);
    EXPECT_EQ(answered.outcome.queued, 0);

    const auto by_api = send("qq", "bug-2");
    EXPECT_TRUE(by_api.stored);
    EXPECT_EQ(by_api.outcome.command, "error");
    EXPECT_TRUE(by_api.outcome.replies.empty());
    EXPECT_EQ(by_api.outcome.queued, 1);
    // A handled message's own reply is queued the same way (the trigger spares it).
    EXPECT_EQ(send("qq", "ok-3").outcome.queued, 1);
    w.stop();

    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    SQLite::Statement rows(db,
                           "SELECT platform, chat_id, reply_to, reply_seq, text FROM outbox "
                           "ORDER BY id");
    ASSERT_TRUE(rows.executeStep());
    EXPECT_EQ(rows.getColumn(0).getString(), "qq");
    EXPECT_EQ(rows.getColumn(1).getString(), "grp-3");
    EXPECT_EQ(rows.getColumn(2).getString(), "bug-2");
    EXPECT_EQ(rows.getColumn(3).getInt(), 1);
    EXPECT_EQ(rows.getColumn(4).getString(), apology);
    ASSERT_TRUE(rows.executeStep());
    EXPECT_EQ(rows.getColumn(2).getString(), "ok-3");
    EXPECT_NE(rows.getColumn(4).getString(), apology);
    EXPECT_FALSE(rows.executeStep());
}

TEST_F(Writer, ACommittedTemplateEditIsSeenAtOnce) {
    writer w(path_, compound(), stats_, [] { return std::int64_t{1651100000}; });
    w.start();
    ASSERT_TRUE(run(w, [](handlers::dispatcher& d) {
        (void)d.store().templates.find("zh-CN", "command.unknown");  // kept in memory
        d.store().templates.set("zh-CN", "command.unknown", "EDITED", "generic:u-admin", 1);
    }));
    std::string after;
    ASSERT_TRUE(run(w, [&after](handlers::dispatcher& d) {
        after = d.store().templates.find("zh-CN", "command.unknown")->text;
    }));
    EXPECT_EQ(after, "EDITED");
    w.stop();
}

TEST_F(Writer, MemberAndChatChangesRolledBackWithTheirMessageAreNotKeptInMemory) {
    writer w(path_, compound(), stats_, [] { return std::int64_t{1651100000}; });
    w.start();
    const auto id = seen_member_and_chat(w);
    // Address, name, role and binding change and are seen, then the message fails.
    EXPECT_TRUE(run(w, [id](handlers::dispatcher& d) {
        auto& store = d.store();
        store.members.set_address(id, "3", "502", 2);
        store.members.touch("generic", "u-1", "王阿姨(502)", 2);
        store.members.grant(id, storage::role::volunteer, "generic:u-admin", 2);
        store.chats.bind("generic", "bldg-3", "building", "3", "generic:u-admin", 2);
        const auto seen = store.members.find("generic", "u-1");
        if (!seen || seen->room != "502" || seen->display_name != "王阿姨(502)" ||
            !store.members.roles(id).contains(storage::role::volunteer) ||
            store.chats.find("generic", "bldg-3")->building != "3") {
            throw std::logic_error("the changes were not visible inside their own transaction");
        }
        throw std::runtime_error("the handler fails after the changes");
    }));
    std::optional<storage::member> member;
    std::set<storage::role> roles;
    std::optional<storage::chat> chat;
    ASSERT_TRUE(run(w, [&](handlers::dispatcher& d) {
        member = d.store().members.find("generic", "u-1");
        roles = d.store().members.roles(id);
        chat = d.store().chats.find("generic", "bldg-3");
    }));
    ASSERT_TRUE(member && chat);
    EXPECT_FALSE(member->room.has_value());
    EXPECT_EQ(member->display_name, "王阿姨");
    EXPECT_TRUE(roles.empty());
    EXPECT_FALSE(chat->kind.has_value());
    w.stop();
}

TEST_F(Writer, CommittedMemberAndChatChangesAreSeenAtOnce) {
    writer w(path_, compound(), stats_, [] { return std::int64_t{1651100000}; });
    w.start();
    const auto id = seen_member_and_chat(w);
    ASSERT_TRUE(run(w, [id](handlers::dispatcher& d) {
        d.store().members.set_address(id, "3", "502", 2);
        d.store().members.grant(id, storage::role::volunteer, "generic:u-admin", 2);
        d.store().chats.bind("generic", "bldg-3", "building", "3", "generic:u-admin", 2);
    }));
    std::optional<storage::member> member;
    std::set<storage::role> roles;
    std::optional<storage::chat> chat;
    ASSERT_TRUE(run(w, [&](handlers::dispatcher& d) {
        // A new name arrives with the next message; so does a revoked role.
        member = d.store().members.touch("generic", "u-1", "王阿姨(502)", 3);
        d.store().members.revoke(id, storage::role::volunteer);
        d.store().members.grant(id, storage::role::lead, "generic:u-admin", 3);
        roles = d.store().members.roles(id);
        d.store().chats.touch("generic", "bldg-3", "3号楼 业主群", 3);
        chat = d.store().chats.find("generic", "bldg-3");
    }));
    ASSERT_TRUE(member && chat);
    EXPECT_EQ(member->room, "502");
    EXPECT_EQ(member->building, "3");
    EXPECT_EQ(member->display_name, "王阿姨(502)");
    EXPECT_EQ(roles, std::set<storage::role>{storage::role::lead});
    EXPECT_EQ(chat->building, "3");
    EXPECT_EQ(chat->title, "3号楼 业主群");
    w.stop();
}

TEST_F(Writer, ATimedJobTheDatabaseRefusesStaysDueAndTheMetricSaysSoAtOnce) {
    std::atomic<std::int64_t> now{1651100000};  // 2022-04-28 06:53 in Shanghai
    writer w(path_, compound(), stats_, [&now] { return now.load(); });
    w.start();
    ASSERT_TRUE(run(w, [](handlers::dispatcher&) {}));
    const auto writable = [this] {
        const auto text = stats_.render();
        return text.find("\nloudong_storage_writable 1\n") != std::string::npos;
    };
    ASSERT_TRUE(writable());

    // Another connection holds the write lock: the writer's BEGIN fails with SQLITE_BUSY when
    // the 08:00 antigen reminder falls due (and again each second while the lock is held).
    SQLite::Database other(path_, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    now = 1651100000 + 2 * 3600;
    w.poke();
    for (int i = 0; i < 150 && writable(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_FALSE(writable()) << "a failed commit of timed jobs must show without a probe";
    other.exec("ROLLBACK");

    // The disk is back: the job was not marked failed, it runs now, and the metric recovers.
    w.poke();
    ASSERT_TRUE(run(w, [](handlers::dispatcher&) {}));
    for (int i = 0; i < 50 && !writable(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(writable());
    w.stop();
    SQLite::Database check(path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(check
                  .execAndGet("SELECT state FROM jobs WHERE kind = 'antigen_daily' "
                              "ORDER BY due_at LIMIT 1")
                  .getString(),
              "done");
}

}  // namespace
}  // namespace loudong::bot
