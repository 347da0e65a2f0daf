#pragma once

// The real loudong server on a loopback port with a real SQLite file, for end-to-end tests.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bot/server.hpp"
#include "http_client.hpp"

namespace loudong::testing {

using json = nlohmann::json;

/// The reply texts of a generic webhook answer ({"replies":[{"text":…}]}), joined by newlines;
/// empty when the body holds none.
inline std::string reply_text(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, false);
    std::string out;
    if (parsed.is_object() && parsed.contains("replies")) {
        for (const auto& r : parsed["replies"]) {
            out += (out.empty() ? "" : "\n") + r["text"].get<std::string>();
        }
    }
    return out;
}

class running_server : public ::testing::Test {
protected:
    /// Starts the server on a free port with a fresh database file; its clock is the system
    /// clock moved by `advance` (or `start_clock_at`). LOUDONG_E2E_CLOCK=<unix seconds> starts
    /// every test's clock there instead, to try the tests at another time of day.
    void start(bot::config cfg = {}) {
        if (const char* at = std::getenv("LOUDONG_E2E_CLOCK"); at != nullptr && !clock_set_) {
            start_clock_at(std::stoll(at));
        }
        db_path_ = (std::filesystem::temp_directory_path() /
                    ("loudong-e2e-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                       .string();
        for (const auto* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(db_path_ + suffix);
        }
        cfg.port = 0;
        cfg.db = db_path_;
        if (cfg.compounds.empty()) {
            cfg.committee = {"generic:u-admin"};
        }
        config_ = cfg;
        server_ = std::make_unique<bot::server>(
            cfg, [this] { return bot::server::system_clock_ms() + offset_ms_.load(); });
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(); });
    }

    /// Stops the server as SIGTERM would; the database file stays.
    void stop() {
        if (server_) {
            server_->stop();
            thread_.join();
            server_.reset();
        }
    }

    /// Restarts on the same database with the same config.
    void restart() {
        stop();
        server_ = std::make_unique<bot::server>(
            config_, [this] { return bot::server::system_clock_ms() + offset_ms_.load(); });
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(); });
    }

    /// Moves the server's clock forward and lets it look for due jobs.
    void advance(std::chrono::seconds by) {
        offset_ms_ += std::chrono::duration_cast<std::chrono::milliseconds>(by).count();
        server_->check_jobs();
    }

    /// Starts the server's clock at a Unix time (seconds), before `start`: for a test whose
    /// figures depend on the time of day (a round for 明天 is announced at 20:00 the day before).
    void start_clock_at(std::int64_t unix_seconds) {
        offset_ms_ = unix_seconds * 1000 - bot::server::system_clock_ms();
        clock_set_ = true;
    }

    /// Moves the server's clock to a Unix time (seconds) and lets it look for due jobs.
    void advance_to(std::int64_t unix_seconds) {
        offset_ms_ = unix_seconds * 1000 - bot::server::system_clock_ms();
        server_->check_jobs();
    }

    void TearDown() override { stop(); }

    static std::string message(const std::string& id, const std::string& chat,
                               const std::string& user, const std::string& text) {
        return json{{"message_id", id},
                    {"chat_id", chat},
                    {"sender", {{"id", user}, {"name", "王阿姨"}}},
                    {"text", text}}
            .dump();
    }

    http_reply post(const std::string& body,
                    const std::map<std::string, std::string>& headers = {}) {
        return http_call(port_, bot::http::verb::post, "/hook/generic", body, headers);
    }

    /// The reply texts of one message, joined by newlines; fails the test on a non-200.
    std::string say(const std::string& chat, const std::string& user, const std::string& text) {
        const auto reply = post(message("m-" + std::to_string(++counter_), chat, user, text));
        EXPECT_EQ(reply.status, 200u) << reply.body;
        return reply_text(reply.body);
    }

    int count(const std::string& sql) {
        SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt();
    }

    /// Polls `sql` (a count) until it reaches `want`; false after 20 s. For what the writer does
    /// on its own, like the jobs `advance_to` pokes it to run and the outbox it then sends.
    bool eventually(const std::string& sql, int want) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (count(sql) != want) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return true;
    }

    std::string db_path_;
    std::unique_ptr<bot::server> server_;
    std::atomic<std::int64_t> offset_ms_{0};
    bool clock_set_ = false;
    bot::config config_;
    std::thread thread_;
    unsigned short port_ = 0;
    int counter_ = 0;
};

}  // namespace loudong::testing
