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
    return before;
}

std::vector<std::pair<std::string, std::string>> antigen_repository::pending(
    const std::string& day, const std::optional<std::string>& building) {
    statement_use query(cache_(
        "SELECT DISTINCT m.building, m.room FROM members m WHERE m.compound = ?3 "
        "AND m.room IS NOT NULL AND (?2 IS NULL OR m.building = ?2) AND NOT EXISTS (SELECT 1 "
        "FROM antigen_reports a WHERE a.compound = ?3 AND a.day = ?1 AND a.building = m.building "
        "AND a.room = m.room) "
        "ORDER BY CAST(m.building AS INTEGER), m.building, CAST(m.room AS INTEGER), m.room"));
    query->bind(1, day);
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    query->bind(3, scope_.id());
    std::vector<std::pair<std::string, std::string>> rooms;
    while (query->executeStep()) {
        rooms.emplace_back(query->getColumn(0).getString(), query->getColumn(1).getString());
    }
    return rooms;
}

std::vector<building_reporting> antigen_repository::reporting(const std::string& day) {
    statement_use query(cache_(
        "SELECT r.building, COUNT(*), "
        "SUM(a.result IS NOT NULL), SUM(COALESCE(a.result = 'positive', 0)) FROM "
        "(SELECT DISTINCT building, room FROM members WHERE compound = ?2 AND room IS NOT NULL) r "
        "LEFT JOIN antigen_reports a ON a.compound = ?2 AND a.day = ?1 AND a.building = r.building "
        "AND a.room = r.room "
        "GROUP BY r.building ORDER BY CAST(r.building AS INTEGER), r.building"));
    query->bind(1, day);
    query->bind(2, scope_.id());
    std::vector<building_reporting> rows;
    while (query->executeStep()) {
        rows.push_back(
            building_reporting{query->getColumn(0).getString(), query->getColumn(1).getInt64(),
                               query->getColumn(2).getInt64(), query->getColumn(3).getInt64()});
    }
    return rows;
}

}  // namespace loudong::storage
