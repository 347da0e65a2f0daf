#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/compound_scope.hpp"
#include "storage/statement_cache.hpp"

namespace loudong::storage {

/// A building's reporting on one day: its households (the registry's rooms and the rooms
/// someone registered at), those reported, positive, and those nobody registered at.
struct building_reporting {
    std::string building;
    std::int64_t rooms = 0;
    std::int64_t reported = 0;
    std::int64_t positive = 0;
    std::int64_t unregistered = 0;
};

/// A household that has not reported.
struct pending_room {
    std::string building;
    std::string room;
    bool registered = true;  ///< false: a registry room nobody registered at (knock there)
    bool invalid = false;    ///< reported 无效 today: must test again, so still pending
};

/// A household whose result changed during a day: its results in the order reported, repeats
/// folded ("positive", "negative").
struct antigen_change {
    std::string building;
    std::string room;
    std::vector<std::string> results;
};

/// Antigen self-test reports in the compound in scope: every report is kept (the history), and
/// the day's status of a room is its latest counted report.
class antigen_repository {
public:
    antigen_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records a room's result for a day, replacing an earlier one that day; returns the
    /// result it replaced, if any.
    std::optional<std::string> report(const std::string& day, const std::string& building,
                                      const std::string& room, const std::string& result,
                                      std::int64_t member_id, std::int64_t now);

    /// Keeps the report of a member waiting to be confirmed: in the history, not counted for
    /// the household.
    void record_unconfirmed(const std::string& day, const std::string& building,
                            const std::string& room, const std::string& result,
                            std::int64_t member_id, std::int64_t now);

    /// The households whose counted result changed on `day`, by building and room.
    std::vector<antigen_change> changes(const std::string& day);

    /// Households (registry rooms and rooms with a registered resident) that have not
    /// reported on `day`, or whose result that day is invalid (they must test again), by
    /// building and room number (one building when given).
    std::vector<pending_room> pending(const std::string& day,
                                      const std::optional<std::string>& building = std::nullopt);

    /// Per-building counts for `day`.
    std::vector<building_reporting> reporting(const std::string& day);

private:
    void keep(const std::string& day, const std::string& building, const std::string& room,
              const std::string& result, std::int64_t member_id, std::int64_t now, bool counted);

    const compound_scope& scope_;
    statement_cache cache_;
};

}  // namespace loudong::storage
