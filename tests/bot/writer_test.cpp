// The single writer: what it keeps in memory follows what the database kept.
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "bot/writer.hpp"

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

    /// Runs `task` on the writer thread; true when its batch committed.
    static bool run(writer& w, std::function<void(handlers::dispatcher&)> task) {
        std::promise<bool> committed;
        w.run(std::move(task), [&committed](bool ok) { committed.set_value(ok); });
        return committed.get_future().get();
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

}  // namespace
}  // namespace loudong::bot
