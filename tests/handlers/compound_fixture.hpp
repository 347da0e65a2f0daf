#pragma once

// A small compound for handler tests: an in-memory database (or a file the test owns) with the
// shipped templates, a dispatcher whose committee is generic:u-admin, and a settable clock.

#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "handlers/dispatcher.hpp"
#include "storage/database.hpp"
#include "templates/default_templates.hpp"

namespace loudong::handlers::testing {

class compound : public ::testing::Test {
protected:
    /// `path` is ":memory:" or a database file, which the test creates and removes.
    explicit compound(const std::string& path = ":memory:", settings config = make_settings())
        : db_(path), dispatcher_(db_.connection(), std::move(config)) {
        dispatcher_.store().templates.load_defaults(templates::shipped_defaults(), now_);
    }

public:
    /// The compound's settings: compound default, committee generic:u-admin.
    static settings make_settings() {
        settings s;
        s.zone = date::locate_zone("Asia/Shanghai");
        s.compounds = {{"default", handlers::compound_settings{"本小区", {"generic:u-admin"}}}};
        s.platforms = {"generic", "onebot", "telegram"};
        s.public_url = "https://loudong.example.org";
        return s;
    }

protected:
    /// Sends `text` from `user` in `chat`; returns the reply texts joined by newlines.
    std::string say(const std::string& chat, const std::string& user, const std::string& text,
                    const std::string& name = "") {
        return join(send(chat, user, text, name).replies);
    }

    processing_outcome send(const std::string& chat, const std::string& user,
                            const std::string& text, const std::string& name = "",
                            const std::string& message_id = "", bool is_private = false) {
        message msg;
        msg.is_private = is_private;
        msg.platform = "generic";
        msg.message_id = message_id.empty() ? "m-" + std::to_string(++counter_) : message_id;
        msg.chat_id = chat;
        msg.sender_id = user;
        msg.sender_name = name;
        msg.text = text;
        msg.time = now_;
        return dispatcher_.process(msg, now_);
    }

    /// Registers `user` at `address` ("3-502") as residents do (SPEC §8 item 1): in their
    /// building's group "bldg-3", which `committee` binds first; a second member of a household
    /// waits, and `committee` confirms them.
    void resident(const std::string& user, const std::string& address, const std::string& name = "",
                  const std::string& committee = "u-admin") {
        const auto building = address.substr(0, address.find('-'));
        const auto chat = "bldg-" + building;
        say(chat, committee, "绑定 " + building);
        const auto reply = say(chat, user, "登记 " + address, name);
        const bool waits =
            reply.starts_with("已收到登记申请") || reply.starts_with("Registration for");
        ASSERT_TRUE(waits || reply.starts_with("已登记") || reply.starts_with("Registered"))
            << reply;
        if (waits) {
            const auto confirmed = say(chat, committee, "/approve generic:" + user);
            ASSERT_TRUE(confirmed.starts_with("已确认") || confirmed.starts_with("Confirmed"))
                << confirmed;
        }
    }

    /// Forgets what the outbox holds (what a test's set-up queued).
    void clear_outbox() { db_.connection().exec("DELETE FROM outbox"); }

    static std::string join(const std::vector<reply>& replies) {
        std::string out;
        for (const auto& r : replies) {
            out += (out.empty() ? "" : "\n") + r.text;
        }
        return out;
    }

    int count(const std::string& sql) { return db_.connection().execAndGet(sql).getInt(); }

    /// One message the outbox holds.
    struct outbox_row {
        std::string chat;
        bool is_private;
        std::string text;
    };

    std::vector<outbox_row> outbox() {
        SQLite::Statement q(db_.connection(),
                            "SELECT chat_id, is_private, text FROM outbox ORDER BY id");
        std::vector<outbox_row> all;
        while (q.executeStep()) {
            all.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt() != 0,
                           q.getColumn(2).getString()});
        }
        return all;
    }

    storage::database db_;
    dispatcher dispatcher_;
    std::int64_t now_ = 1651100000;  // 2022-04-28 06:53 in Shanghai
    int counter_ = 0;
};

}  // namespace loudong::handlers::testing
