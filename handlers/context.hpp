#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <date/tz.h>

#include "handlers/access_rules.hpp"
#include "handlers/flood_guard.hpp"
#include "handlers/message.hpp"
#include "handlers/reply_builder.hpp"
#include "handlers/text_parts.hpp"
#include "storage/antigen_repository.hpp"
#include "storage/chat_repository.hpp"
#include "storage/compound_scope.hpp"
#include "storage/console_repository.hpp"
#include "storage/household_repository.hpp"
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
          members(db, scope),
          chats(db, scope),
          templates(db, scope),
          processed(db),
          outbox(db),
          jobs(db, scope),
          notices(db, scope),
          orders(db, scope),
          test_rounds(db, scope),
          antigen(db, scope),
          tasks(db, scope),
          households(db, scope),
          console(db) {}

    SQLite::Database& connection;
    /// The compound the message or job being handled acts in; every repository below reads it.
    storage::compound_scope scope;
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
    storage::household_repository households;
    storage::console_repository console;
};

/// One compound (小区) as the config names it.
struct compound_settings {
    std::string name;                 ///< as residents call it: 紫荆小区
    std::set<std::string> committee;  ///< "platform:user" keys with committee rights here
};

/// The settings the handlers need: the instance's, and each compound's.
struct settings {
    std::string locale = "zh-CN";
    const date::time_zone* zone = nullptr;  ///< the compounds' time zone
    /// By id. A config without `compounds` has one, "default" (storage::default_compound).
    std::map<std::string, compound_settings> compounds{
        {storage::default_compound, compound_settings{"本小区", {}}}};
    /// Street office staff: committee rights in every compound.
    std::set<std::string> street;
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
    /// Command messages a minute per member, and for staff (SPEC §8 item 11); 0: no limit.
    flood_limits floods;
    /// The longest text each platform takes in one message (none listed: no limit).
    std::map<std::string, text_limit> text_limits;
    /// Platforms whose webhook answer carries no message: replies go through the outbox.
    std::set<std::string> replies_by_api;
    /// Where the committee console is reached from outside (https://…, no trailing slash);
    /// empty: the console is off (SPEC §12).
    std::string public_url;
    /// How long a console login link works.
    std::int64_t console_link_seconds = 10 * 60;

    /// The limit of a platform's messages; no limit for a platform that states none.
    text_limit limit_of(const std::string& platform) const {
        const auto found = text_limits.find(platform);
        return found == text_limits.end() ? text_limit{} : found->second;
    }

    /// Whether the member (by "platform:user" key) has committee rights in the compound by the
    /// config (granted committee roles are in storage).
    bool committee_by_config(const std::string& key, const std::string& compound) const {
        if (street.contains(key)) {
            return true;
        }
        const auto found = compounds.find(compound);
        return found != compounds.end() && found->second.committee.contains(key);
    }

    /// The compound whose configured committee the member sits on, when exactly one.
    std::optional<std::string> committee_compound(const std::string& key) const {
        std::optional<std::string> found;
        for (const auto& [id, compound] : compounds) {
            if (compound.committee.contains(key)) {
                if (found) {
                    return std::nullopt;
                }
                found = id;
            }
        }
        return found;
    }

    /// The compound with this id or name, if configured.
    std::optional<std::string> compound_named(std::string_view word) const {
        for (const auto& [id, compound] : compounds) {
            if (word == id || word == compound.name) {
                return id;
            }
        }
        return std::nullopt;
    }
};

/// Everything a handler may use: the message, its sender, the clock, storage and replies.
/// Handlers read the time only from `now`, so tests can set it.
struct context {
    const message& msg;
    std::int64_t now;             ///< Unix seconds
    const std::string& compound;  ///< the compound it acts in (also the storage scope)
    const settings& config;
    repositories& store;
    reply_builder& replies;
    storage::member sender;
    standing sender_standing;

    /// A reply in the message's own chat, rendered from a template.
    reply answer(const std::string& key, const nlohmann::json& vars = nlohmann::json::object()) {
        return reply{msg.chat_id, replies.text(key, vars), msg.message_id};
    }

    /// Whether the sender may act on a building (SPEC §8 item 4): the committee or one of its
    /// leads; with `volunteers_too`, any volunteer as well (they serve the whole compound).
    bool acts_on(const std::string& building, bool volunteers_too = false) const {
        return sender_standing.leads(building) ||
               (volunteers_too && sender_standing.has(role::volunteer));
    }

    /// The refusal of a lead acting on another building, naming theirs.
    handler_result not_yours(const std::string& building) {
        std::string yours;
        for (const auto& b : sender_standing.lead_buildings) {
            yours += (yours.empty() ? "" : "、") + replies.text("building.name", {{"building", b}});
        }
        return answer_only("lead.not_yours", {{"building", building}, {"yours", yours}});
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
    std::int64_t now;             ///< Unix seconds
    const std::string& compound;  ///< the compound it acts in (also the storage scope)
    const settings& config;
    repositories& store;
    reply_builder& replies;
};

}  // namespace loudong::handlers
