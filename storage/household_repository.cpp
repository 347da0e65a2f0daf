#include "storage/household_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {

household_repository::household_repository(SQLite::Database& db, const compound_scope& scope)
    : scope_(scope), cache_(db) {}

std::int64_t household_repository::list(const std::vector<listed_room>& rooms,
                                        const std::string& by, std::int64_t now) {
    statement_use known(cache_(
        "SELECT listed FROM households WHERE compound = ?1 AND building = ?2 AND room = ?3"));
    statement_use upsert(cache_(
        "INSERT INTO households (compound, building, room, listed, listed_at, note, note_by, "
        "note_at) VALUES (?1, ?2, ?3, 1, ?4, ?5, CASE WHEN ?5 = '' THEN NULL ELSE ?6 END, "
        "CASE WHEN ?5 = '' THEN NULL ELSE ?4 END) "
        "ON CONFLICT (compound, building, room) DO UPDATE SET listed = 1, "
        "listed_at = COALESCE(households.listed_at, excluded.listed_at), "
        "note = CASE WHEN excluded.note = '' THEN households.note ELSE excluded.note END, "
        "note_by = CASE WHEN excluded.note = '' THEN households.note_by ELSE excluded.note_by END, "
        "note_at = CASE WHEN excluded.note = '' THEN households.note_at ELSE excluded.note_at "
        "END"));
    std::int64_t added = 0;
    for (const auto& r : rooms) {
        known->bind(1, scope_.id());
        known->bind(2, r.building);
        known->bind(3, r.room);
        if (!known->executeStep() || known->getColumn(0).getInt() == 0) {
            ++added;
        }
        known->reset();
        upsert->bind(1, scope_.id());
        upsert->bind(2, r.building);
        upsert->bind(3, r.room);
        upsert->bind(4, now);
        upsert->bind(5, r.note);
        upsert->bind(6, by);
        upsert->exec();
        upsert->reset();
    }
    return added;
}

bool household_repository::has_registry() {
    statement_use query(
        cache_("SELECT EXISTS (SELECT 1 FROM households WHERE compound = ?1 AND listed = 1)"));
    query->bind(1, scope_.id());
    query->executeStep();
    return query->getColumn(0).getInt() != 0;
}

bool household_repository::listed(const std::string& building, const std::string& room) {
    statement_use query(
        cache_("SELECT 1 FROM households WHERE compound = ?1 AND building = ?2 AND room = ?3 "
               "AND listed = 1"));
    query->bind(1, scope_.id());
    query->bind(2, building);
    query->bind(3, room);
    return query->executeStep();
}

std::int64_t household_repository::listed_in(const std::string& building) {
    statement_use query(cache_(
        "SELECT COUNT(*) FROM households WHERE compound = ?1 AND listed = 1 AND building = ?2"));
    query->bind(1, scope_.id());
    query->bind(2, building);
    query->executeStep();
    return query->getColumn(0).getInt64();
}

void household_repository::set_note(const std::string& building, const std::string& room,
                                    const std::string& note, const std::string& by,
                                    std::int64_t now) {
    statement_use upsert(cache_(
        "INSERT INTO households (compound, building, room, note, note_by, note_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (compound, building, room) DO UPDATE SET "
        "note = excluded.note, note_by = excluded.note_by, note_at = excluded.note_at"));
    upsert->bind(1, scope_.id());
    upsert->bind(2, building);
    upsert->bind(3, room);
    upsert->bind(4, note);
    upsert->bind(5, by);
    upsert->bind(6, now);
    upsert->exec();
}

std::vector<household> household_repository::notes(const std::string& building) {
    statement_use query(
        cache_("SELECT building, room, listed, note FROM households WHERE compound = ?1 AND "
               "building = ?2 AND note <> '' ORDER BY CAST(room AS INTEGER), room"));
    query->bind(1, scope_.id());
    query->bind(2, building);
    std::vector<household> found;
    while (query->executeStep()) {
        found.push_back(household{query->getColumn(0).getString(), query->getColumn(1).getString(),
                                  query->getColumn(2).getInt() != 0,
                                  query->getColumn(3).getString()});
    }
    return found;
}

std::vector<household_row> household_repository::rooms(const std::optional<std::string>& building) {
    statement_use query(cache_(
        "WITH known AS (SELECT building, room FROM households WHERE compound = ?1 AND listed = 1 "
        "UNION SELECT building, room FROM members WHERE compound = ?1 AND room IS NOT NULL) "
        "SELECT k.building, k.room, COALESCE(h.listed, 0), COALESCE(h.note, ''), "
        "(SELECT COUNT(*) FROM members m WHERE m.compound = ?1 AND m.building = k.building "
        "AND m.room = k.room AND m.confirmed = 1), "
        "(SELECT COUNT(*) FROM members m WHERE m.compound = ?1 AND m.building = k.building "
        "AND m.room = k.room AND m.confirmed = 0) "
        "FROM known k LEFT JOIN households h ON h.compound = ?1 AND h.building = k.building "
        "AND h.room = k.room WHERE (?2 IS NULL OR k.building = ?2) "
        "ORDER BY CAST(k.building AS INTEGER), k.building, CAST(k.room AS INTEGER), k.room"));
    query->bind(1, scope_.id());
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    std::vector<household_row> rows;
    while (query->executeStep()) {
        rows.push_back(
            household_row{query->getColumn(0).getString(), query->getColumn(1).getString(),
                          query->getColumn(2).getInt() != 0, query->getColumn(3).getString(),
                          query->getColumn(4).getInt64(), query->getColumn(5).getInt64()});
    }
    return rows;
}

std::string household_repository::note(const std::string& building, const std::string& room) {
    statement_use query(
        cache_("SELECT note FROM households WHERE compound = ?1 AND building = ?2 AND room = ?3"));
    query->bind(1, scope_.id());
    query->bind(2, building);
    query->bind(3, room);
    return query->executeStep() ? query->getColumn(0).getString() : std::string();
}

}  // namespace loudong::storage
