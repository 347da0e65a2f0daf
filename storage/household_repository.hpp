#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/compound_scope.hpp"
#include "storage/statement_cache.hpp"

namespace loudong::storage {

/// A room of the registry, with the note staff keep on its household.
struct household {
    std::string building;
    std::string room;
    bool listed = false;  ///< in the compound's registry of real rooms
    std::string note;     ///< empty when none
};

/// A household as the console lists it: its room, whether the registry has it, its note, and
/// how many members are registered there (confirmed, and waiting to be).
struct household_row {
    std::string building;
    std::string room;
    bool listed = false;
    std::string note;
    std::int64_t members = 0;
    std::int64_t pending = 0;
};

/// One room to list, with a note when the import carries one.
struct listed_room {
    std::string building;
    std::string room;
    std::string note;
};

/// The household registry of the compound in scope (SPEC §7): its real rooms, registered or
/// not, and the notes staff keep on households.
class household_repository {
public:
    household_repository(SQLite::Database& db, const compound_scope& scope);

    /// Lists rooms (a note, when given, replaces the room's); returns how many were new.
    std::int64_t list(const std::vector<listed_room>& rooms, const std::string& by,
                      std::int64_t now);

    /// Whether the compound has a registry at all.
    bool has_registry();

    /// Whether the room is in the registry.
    bool listed(const std::string& building, const std::string& room);

    /// How many rooms of one building are in the registry.
    std::int64_t listed_in(const std::string& building);

    /// Sets (or, when empty, clears) the note on a household.
    void set_note(const std::string& building, const std::string& room, const std::string& note,
                  const std::string& by, std::int64_t now);

    /// The households of one building that carry a note.
    std::vector<household> notes(const std::string& building);

    /// Every household of the compound (of one building when given): the registry's rooms and
    /// those someone registered at, by building and room.
    std::vector<household_row> rooms(const std::optional<std::string>& building);

    /// The note on one household, empty when none.
    std::string note(const std::string& building, const std::string& room);

private:
    const compound_scope& scope_;
    statement_cache cache_;
};

}  // namespace loudong::storage
