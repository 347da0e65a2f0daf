#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/compound_scope.hpp"

namespace loudong::storage {

/// One building's turn in a nucleic-acid round.
struct test_slot {
    std::int64_t position = 0;  ///< 1, 2, … in calling order
    std::string building;
    std::int64_t starts_at = 0;
    std::optional<std::int64_t> called_at;
};

/// A nucleic-acid round (核酸): buildings called down in turn to one place.
struct test_round {
    std::int64_t id = 0;
    std::string place;
    std::int64_t starts_at = 0;
    std::int64_t interval_minutes = 0;
    std::string state;  ///< "scheduled" or "cancelled"
    std::vector<test_slot> slots;
};

/// Nucleic-acid rounds and their calling order.
class test_round_repository {
public:
    test_round_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records a round with one slot per building; returns it.
    test_round create(const std::string& place, std::int64_t starts_at,
                      std::int64_t interval_minutes, const std::vector<std::string>& buildings,
                      const std::string& by, std::int64_t now);

    /// One round with its slots.
    std::optional<test_round> find(std::int64_t id);

    /// The newest round that is not cancelled.
    std::optional<test_round> latest_scheduled();

    /// Rounds in progress: not cancelled, with a building not yet called whose time is less
    /// than `stale_seconds` ago; the one whose next building is due soonest first.
    std::vector<test_round> in_progress(std::int64_t now, std::int64_t stale_seconds);

    /// Marks a building's slot called now.
    void mark_called(std::int64_t round_id, std::int64_t position, std::int64_t now);

    /// Moves every slot not yet called later by `seconds`.
    void postpone(std::int64_t round_id, std::int64_t seconds);

    /// Cancels a round.
    void cancel(std::int64_t round_id);

private:
    SQLite::Database& db_;
    const compound_scope& scope_;
};

}  // namespace loudong::storage
