#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <SQLiteCpp/Database.h>
#include <date/tz.h>

#include "handlers/access_rules.hpp"
#include "handlers/message.hpp"
#include "handlers/reply_builder.hpp"
#include "storage/antigen_repository.hpp"
#include "storage/chat_repository.hpp"
#include "storage/job_repository.hpp"
#include "storage/member_repository.hpp"
#include "storage/notice_repository.hpp"
#include "storage/order_repository.hpp"
#include "storage/outbox_repository.hpp"
#include "storage/processed_message_repository.hpp"
#include "storage/task_repository.hpp"
#include "storage/template_repository.hpp"
#include "storage/test_round_repository.hpp"

namespace loudong::handlers {

/// The repositories of one connection, built once and reused for every message.
struct repositories {
    explicit repositories(SQLite::Database& db)
        : connection(db),
          members(db),
          chats(db),
          templates(db),
          processed(db),
          outbox(db),
          jobs(db),
          notices(db),
          orders(db),
          test_rounds(db),
          antigen(db),
          tasks(db) {}

    SQLite::Database& connection;
    storage::member_repository members;
    storage::chat_repository chats;
    storage::template_repository templates;
    storage::processed_message_repository processed;
    storage::outbox_repository outbox;
    storage::job_repository jobs;
    storage::notice_repository notices;
    storage::order_repository orders;
    storage::test_round_repository test_rounds;
    storage::antigen_repository antigen;
    storage::task_repository tasks;
};

/// Compound-wide settings the handlers need.
struct settings {
    std::string locale = "zh-CN";
    const date::time_zone* zone = nullptr;  ///< the compound's time zone
    std::set<std::string> committee;        ///< "platform:user" keys from the config
    /// The platforms the server speaks, by name: what comes before ':' in a member's key.
    std::set<std::string> platforms;
    /// A timed job this late (the server was down) is dropped rather than run.
    std::int64_t stale_after_seconds = 2 * 3600;
    /// Daily antigen reminder to every building chat, minutes after local midnight.
    int antigen_daily_minutes = 8 * 60;
    /// Daily list of rooms not yet reported, minutes after local midnight.
    int antigen_pending_minutes = 12 * 60;
    /// Time between two buildings' turns in a nucleic-acid round.
    int test_call_interval_minutes = 15;
    /// How long before a task starts its claimants are reminded.
    std::int64_t task_lead_seconds = 30 * 60;
};

/// Everything a handler may use: the message, its sender, the clock, storage and replies.
/// Handlers read the time only from `now`, so tests can set it.
struct context {
    const message& msg;
    std::int64_t now;  ///< Unix seconds
    const settings& config;
    repositories& store;
    reply_builder& replies;
    storage::member sender;
    standing sender_standing;

    /// A reply in the message's own chat, rendered from a template.
    reply answer(const std::string& key, const nlohmann::json& vars = nlohmann::json::object()) {
        return reply{msg.chat_id, replies.text(key, vars), msg.message_id};
    }

    /// A result that is just that one reply.
    handler_result answer_only(const std::string& key,
                               const nlohmann::json& vars = nlohmann::json::object()) {
        handler_result result;
        result.replies.push_back(answer(key, vars));
        return result;
    }
};

/// What a timed job may use: the clock, storage and replies (no incoming message).
struct job_context {
    std::int64_t now;  ///< Unix seconds
    const settings& config;
    repositories& store;
    reply_builder& replies;
};

}  // namespace loudong::handlers
