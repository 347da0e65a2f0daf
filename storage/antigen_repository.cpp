#include "storage/antigen_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {

antigen_repository::antigen_repository(SQLite::Database& db, const compound_scope& scope)
    : scope_(scope), cache_(db) {}

std::optional<std::string> antigen_repository::report(const std::string& day,
                                                      const std::string& building,
                                                      const std::string& room,
                                                      const std::string& result,
                                                      std::int64_t member_id, std::int64_t now) {
    std::optional<std::string> before;
    statement_use query(cache_(
        "SELECT result FROM antigen_reports WHERE compound = ?4 AND day = ?1 AND building = ?2 "
        "AND room = ?3"));
    query->bind(1, day);
    query->bind(4, scope_.id());
    query->bind(2, building);
    query->bind(3, room);
    if (query->executeStep()) {
        before = query->getColumn(0).getString();
    }
    statement_use upsert(
        cache_("INSERT INTO antigen_reports (compound, day, building, room, result, member_id, "
               "reported_at) VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6) "
               "ON CONFLICT (compound, day, building, room) DO UPDATE SET "
               "result = excluded.result, member_id = excluded.member_id, "
               "reported_at = excluded.reported_at"));
    upsert->bind(1, day);
    upsert->bind(2, building);
    upsert->bind(3, room);
    upsert->bind(4, result);
    upsert->bind(5, member_id);
    upsert->bind(6, now);
    upsert->bind(7, scope_.id());
    upsert->exec();
    keep(day, building, room, result, member_id, now, true);
    return before;
}

void antigen_repository::record_unconfirmed(const std::string& day, const std::string& building,
                                            const std::string& room, const std::string& result,
                                            std::int64_t member_id, std::int64_t now) {
    keep(day, building, room, result, member_id, now, false);
}

void antigen_repository::keep(const std::string& day, const std::string& building,
                              const std::string& room, const std::string& result,
                              std::int64_t member_id, std::int64_t now, bool counted) {
    statement_use insert(
        cache_("INSERT INTO antigen_history (compound, day, building, room, result, member_id, "
               "reported_at, counted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert->bind(1, scope_.id());
    insert->bind(2, day);
    insert->bind(3, building);
    insert->bind(4, room);
    insert->bind(5, result);
    insert->bind(6, member_id);
    insert->bind(7, now);
    insert->bind(8, counted ? 1 : 0);
    insert->exec();
}

std::vector<antigen_change> antigen_repository::changes(const std::string& day) {
    // Only households that reported more than one result that day are read.
    statement_use query(
        cache_("SELECT h.building, h.room, h.result FROM antigen_history h "
               "WHERE h.compound = ?1 AND h.day = ?2 AND h.counted = 1 AND EXISTS ("
               "  SELECT 1 FROM antigen_history o WHERE o.compound = h.compound AND o.day = h.day "
               "  AND o.building = h.building AND o.room = h.room AND o.counted = 1 "
               "  AND o.result <> h.result) "
               "ORDER BY CAST(h.building AS INTEGER), h.building, CAST(h.room AS INTEGER), h.room, "
               "h.id"));
    query->bind(1, scope_.id());
    query->bind(2, day);
    std::vector<antigen_change> found;
    while (query->executeStep()) {
        auto building = query->getColumn(0).getString();
        auto room = query->getColumn(1).getString();
        auto result = query->getColumn(2).getString();
        if (found.empty() || found.back().building != building || found.back().room != room) {
            found.push_back({std::move(building), std::move(room), {}});
        }
        auto& results = found.back().results;
        if (results.empty() || results.back() != result) {
            results.push_back(std::move(result));
        }
    }
    return found;
}

namespace {

// The compound's households (?3): every room of its registry, and every room someone registered
// at (all there is without a registry), with whether anyone is registered there.
constexpr const char* households_of_compound =
    "WITH registered AS (SELECT DISTINCT building, room FROM members "
    "  WHERE compound = ?3 AND room IS NOT NULL AND confirmed = 1), "
    "households_all AS ("
    "  SELECT building, room, 1 AS registered FROM registered "
    "  UNION ALL SELECT h.building, h.room, 0 FROM households h WHERE h.compound = ?3 "
    "  AND h.listed = 1 AND NOT EXISTS (SELECT 1 FROM registered r "
    "  WHERE r.building = h.building AND r.room = h.room)) ";

}  // namespace

std::vector<pending_room> antigen_repository::pending(const std::string& day,
                                                      const std::optional<std::string>& building) {
    statement_use query(cache_(
        std::string(households_of_compound) +
        "SELECT x.building, x.room, x.registered, a.result IS NOT NULL FROM households_all x "
        "LEFT JOIN antigen_reports a ON a.compound = ?3 AND a.day = ?1 "
        "AND a.building = x.building AND a.room = x.room "
        "WHERE (?2 IS NULL OR x.building = ?2) AND (a.result IS NULL OR a.result = 'invalid') "
        "ORDER BY CAST(x.building AS INTEGER), x.building, CAST(x.room AS INTEGER), x.room"));
    query->bind(1, day);
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    query->bind(3, scope_.id());
    std::vector<pending_room> rooms;
    while (query->executeStep()) {
        rooms.push_back(
            pending_room{query->getColumn(0).getString(), query->getColumn(1).getString(),
                         query->getColumn(2).getInt() != 0, query->getColumn(3).getInt() != 0});
    }
    return rooms;
}

std::vector<building_reporting> antigen_repository::reporting(const std::string& day) {
    statement_use query(cache_(
        std::string(households_of_compound) +
        "SELECT x.building, COUNT(*), SUM(COALESCE(a.result <> 'invalid', 0)), "
        "SUM(COALESCE(a.result = 'positive', 0)), SUM(x.registered = 0) FROM households_all x "
        "LEFT JOIN antigen_reports a ON a.compound = ?3 AND a.day = ?1 "
        "AND a.building = x.building AND a.room = x.room "
        "GROUP BY x.building ORDER BY CAST(x.building AS INTEGER), x.building"));
    query->bind(1, day);
    query->bind(3, scope_.id());
    std::vector<building_reporting> rows;
    while (query->executeStep()) {
        rows.push_back(
            building_reporting{query->getColumn(0).getString(), query->getColumn(1).getInt64(),
                               query->getColumn(2).getInt64(), query->getColumn(3).getInt64(),
                               query->getColumn(4).getInt64()});
    }
    return rows;
}

}  // namespace loudong::storage
