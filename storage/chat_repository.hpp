#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "storage/read_memory.hpp"

namespace loudong::storage {

/// A group (or private) chat the bot is in, and what the committee bound it to.
struct chat {
    std::string platform;
    std::string chat_id;
    std::string title;
    std::optional<std::string> kind;      ///< "building", "committee", "volunteers"
    std::optional<std::string> building;  ///< when kind is "building"
    std::optional<std::string> compound;  ///< the compound it is bound in, once bound
    bool has_webhook = false;             ///< a group robot webhook key is kept for it (WeCom)
};

/// A chat of `platform` now has the id `to` (a Telegram group upgraded to a supergroup): its
/// binding and robot key, the messages still queued for it (and falling back to it), the tasks
/// posted in it and the members who registered in it move there. An unbound row the new id had
/// gives way; a bound one is kept. Returns whether the old chat was known. Callers keeping chats
/// or members in memory forget them.
bool move_chat(SQLite::Database& db, const std::string& platform, const std::string& from,
               const std::string& to);

/// Chats and their bindings.
///
/// Every message looks up its chat, so chats are kept in memory once read; as with members
/// (member_repository.hpp), only right on the writer's connection, with `forget()` after a
/// rollback.
class chat_repository {
public:
    chat_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records that a chat was seen, keeping the newest non-empty title.
    void touch(const std::string& platform, const std::string& chat_id, const std::string& title,
               std::int64_t now);

    /// Binds a chat to a building ("building" with a label) or a role chat of the compound in
    /// scope.
    void bind(const std::string& platform, const std::string& chat_id, const std::string& kind,
              const std::optional<std::string>& building, const std::string& bound_by,
              std::int64_t now);

    /// Keeps the group robot webhook key through which the outbox reaches this chat (WeCom).
    void set_webhook_key(const std::string& platform, const std::string& chat_id,
                         const std::string& key);

    /// Unbinds a chat of the compound in scope (it leaves the compound too); false when it was
    /// not bound there.
    bool unbind(const std::string& platform, const std::string& chat_id,
                const std::string& unbound_by, std::int64_t now);

    /// The chat, if seen before.
    std::optional<chat> find(const std::string& platform, const std::string& chat_id);

    /// The compound in scope's chats bound to a kind, optionally one building; ordered by
    /// platform and id.
    std::vector<chat> bound_to(const std::string& kind,
                               const std::optional<std::string>& building = std::nullopt);

    /// Drops what is kept in memory (after a rollback); the next reads go to the database.
    void forget() { memory_.clear(); }

private:
    std::optional<chat> read(const std::string& platform, const std::string& chat_id);

    const compound_scope& scope_;
    SQLite::Statement touch_;
    SQLite::Statement bind_;
    SQLite::Statement unbind_;
    SQLite::Statement find_;
    SQLite::Statement bound_to_;
    SQLite::Statement webhook_;
    read_memory<std::string, chat> memory_;  ///< by platform_key(platform, chat_id)
};

}  // namespace loudong::storage
