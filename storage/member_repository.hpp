#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "storage/kinds.hpp"
#include "storage/read_memory.hpp"

namespace loudong::storage {

/// A person the bot has seen, identified per platform ("onebot:10001").
struct member {
    std::int64_t id = 0;
    std::string platform;
    std::string user_id;
    std::string display_name;
    std::optional<std::string> building;  ///< building label, e.g. "3"
    std::optional<std::string> room;      ///< room, e.g. "502"
    std::optional<std::string> compound;  ///< the compound registered in, once registered
    /// False while a registration waits for the household, the lead or the committee to
    /// confirm it (SPEC §8 item 2).
    bool confirmed = true;
    std::string username;  ///< the platform's @username, lower case; empty when unknown

    /// "platform:user_id", the form used in the config and in /grant.
    std::string key() const { return platform + ":" + user_id; }
};

/// Members, their registered addresses and their roles.
///
/// A member is one platform identity everywhere; their household (building and room) belongs
/// to the compound they registered in, and their roles to the compound in scope.
///
/// Every message reads its sender and the sender's roles, so both are kept in memory once
/// read. That is only right on the one connection that writes members (the writer's): every
/// change goes through this class and updates the memory, and `forget()` must be called when
/// a transaction that may have changed a member is rolled back.
class member_repository {
public:
    member_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records that a member was seen (creating them), keeping the newest non-empty name.
    member touch(const std::string& platform, const std::string& user_id,
                 const std::string& display_name, std::int64_t now);

    /// The member with this platform identity, if seen before.
    std::optional<member> find(const std::string& platform, const std::string& user_id);

    /// Binds a member to a room of the compound in scope (several members may share one room:
    /// a household).
    /// `chat_id` is the chat the registration was sent in.
    void set_address(std::int64_t member_id, const std::string& building, const std::string& room,
                     std::int64_t now, const std::string& chat_id = "", bool confirmed = true);

    /// Keeps a member's platform username (lower case); true when it changed.
    bool note_username(const member& m, const std::string& username);

    /// The member of a platform with this username (any case), if the bot has seen them.
    std::optional<member> find_by_username(const std::string& platform,
                                           const std::string& username);

    /// The buildings a lead acts on in the compound, by label.
    std::set<std::string> lead_buildings(std::int64_t member_id);

    /// Sets the buildings a lead acts on; false when they were those already.
    bool set_lead_buildings(std::int64_t member_id, const std::set<std::string>& buildings);

    /// The leads of a building of the compound.
    std::vector<member> leads_of(const std::string& building);

    /// Members of the compound whose registration waits to be confirmed, oldest first.
    std::vector<member> waiting();

    /// Confirms a pending registration; false when it was not pending.
    bool confirm(std::int64_t member_id);

    /// Takes a member out of their household (refused, removed or unregistered).
    void clear_address(std::int64_t member_id, std::int64_t now);

    /// How many members of the compound in scope registered in this (group) chat.
    std::int64_t registered_in_chat(const std::string& platform, const std::string& chat_id);

    /// Members registered at one room of the compound in scope.
    std::vector<member> at_room(const std::string& building, const std::string& room);

    /// The roles a member holds in the compound in scope.
    std::set<role> roles(std::int64_t member_id);

    /// Gives a role in the compound in scope; false when the member held it already.
    bool grant(std::int64_t member_id, role which, const std::string& granted_by, std::int64_t now);

    /// Records that the member is asked today (`day`) to report privately; false when they
    /// were already asked that day.
    bool hint_once(std::int64_t member_id, const std::string& day);

    /// The members granted a role in the compound in scope (not those the config names), by id.
    std::vector<member> holding(role which);

    /// Takes a role back; false when the member did not hold it.
    bool revoke(std::int64_t member_id, role which);

    /// Drops what is kept in memory (after a rollback); the next reads go to the database.
    void forget();

private:
    std::optional<member> read(const std::string& platform, const std::string& user_id);
    std::string roles_key(std::int64_t member_id) const;

    SQLite::Database& db_;
    const compound_scope& scope_;
    SQLite::Statement upsert_;
    SQLite::Statement find_;
    SQLite::Statement set_address_;
    SQLite::Statement at_room_;
    SQLite::Statement roles_;
    SQLite::Statement grant_;
    SQLite::Statement revoke_;
    SQLite::Statement holding_;
    SQLite::Statement registered_in_chat_;
    SQLite::Statement hint_once_;
    SQLite::Statement lead_buildings_;
    SQLite::Statement leads_of_;
    SQLite::Statement waiting_;
    SQLite::Statement confirm_;
    SQLite::Statement clear_address_;
    read_memory<std::string, member> members_;           ///< by platform_key(platform, user_id)
    read_memory<std::string, std::set<role>> roles_of_;  ///< by platform_key(compound, id)
};

}  // namespace loudong::storage
