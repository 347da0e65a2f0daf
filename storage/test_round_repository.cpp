#include "storage/test_round_repository.hpp"

#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

test_round_repository::test_round_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db), scope_(scope) {}

test_round test_round_repository::create(const std::string& place, std::int64_t starts_at,
                                         std::int64_t interval_minutes,
                                         const std::vector<std::string>& buildings,
                                         const std::string& by, std::int64_t now) {
    SQLite::Statement insert(db_,
                             "INSERT INTO test_rounds (place, starts_at, interval_minutes, state, "
                             "created_by, created_at, compound) "
                             "VALUES (?1, ?2, ?3, 'scheduled', ?4, ?5, ?6)");
    insert.bind(1, place);
    insert.bind(2, starts_at);
    insert.bind(3, interval_minutes);
    insert.bind(4, by);
    insert.bind(5, now);
    insert.bind(6, scope_.id());
    insert.exec();
    const auto id = db_.getLastInsertRowid();
    SQLite::Statement slot(db_,
                           "INSERT INTO test_slots (round_id, position, building, starts_at) "
                           "VALUES (?1, ?2, ?3, ?4)");
    for (std::size_t i = 0; i < buildings.size(); ++i) {
        slot.bind(1, id);
        slot.bind(2, static_cast<std::int64_t>(i + 1));
        slot.bind(3, buildings[i]);
        slot.bind(4, starts_at + static_cast<std::int64_t>(i) * interval_minutes * 60);
        slot.exec();
        slot.reset();
    }
    return *find(id);
}

std::optional<test_round> test_round_repository::find(std::int64_t id) {
    SQLite::Statement query(db_,
                            "SELECT id, place, starts_at, interval_minutes, state FROM "
                            "test_rounds WHERE id = ?1 AND compound = ?2");
    query.bind(1, id);
    query.bind(2, scope_.id());
    if (!query.executeStep()) {
        return std::nullopt;
    }
    test_round round{query.getColumn(0).getInt64(),  query.getColumn(1).getString(),
                     query.getColumn(2).getInt64(),  query.getColumn(3).getInt64(),
                     query.getColumn(4).getString(), {}};
    SQLite::Statement slots(db_,
                            "SELECT position, building, starts_at, called_at FROM test_slots "
                            "WHERE round_id = ?1 ORDER BY position");
    slots.bind(1, id);
    while (slots.executeStep()) {
        test_slot s{slots.getColumn(0).getInt64(), slots.getColumn(1).getString(),
                    slots.getColumn(2).getInt64(), std::nullopt};
        if (!slots.getColumn(3).isNull()) {
            s.called_at = slots.getColumn(3).getInt64();
        }
        round.slots.push_back(std::move(s));
    }
    return round;
}

std::optional<test_round> test_round_repository::latest_scheduled() {
    SQLite::Statement query(
        db_,
        "SELECT id FROM test_rounds WHERE compound = ?1 AND state = 'scheduled' ORDER BY id DESC "
        "LIMIT 1");
    query.bind(1, scope_.id());
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return find(query.getColumn(0).getInt64());
}

std::vector<test_round> test_round_repository::in_progress(std::int64_t now,
                                                           std::int64_t stale_seconds) {
    SQLite::Statement query(
        db_,
        "SELECT r.id FROM test_rounds r JOIN test_slots s ON s.round_id = r.id "
        "WHERE r.compound = ?1 AND r.state = 'scheduled' AND s.called_at IS NULL AND "
        "s.starts_at > ?2 GROUP BY r.id ORDER BY MIN(s.starts_at), r.id");
    query.bind(1, scope_.id());
    query.bind(2, now - stale_seconds);
    std::vector<test_round> rounds;
    while (query.executeStep()) {
        if (auto round = find(query.getColumn(0).getInt64())) {
            rounds.push_back(std::move(*round));
        }
    }
    return rounds;
}

void test_round_repository::mark_called(std::int64_t round_id, std::int64_t position,
                                        std::int64_t now) {
    SQLite::Statement update(
        db_, "UPDATE test_slots SET called_at = ?3 WHERE round_id = ?1 AND position = ?2");
    update.bind(1, round_id);
    update.bind(2, position);
    update.bind(3, now);
    update.exec();
}

void test_round_repository::postpone(std::int64_t round_id, std::int64_t seconds) {
    SQLite::Statement update(db_,
                             "UPDATE test_slots SET starts_at = starts_at + ?2 "
                             "WHERE round_id = ?1 AND called_at IS NULL");
    update.bind(1, round_id);
    update.bind(2, seconds);
    update.exec();
}

void test_round_repository::cancel(std::int64_t round_id) {
    SQLite::Statement update(
        db_, "UPDATE test_rounds SET state = 'cancelled' WHERE id = ?1 AND compound = ?2");
    update.bind(1, round_id);
    update.bind(2, scope_.id());
    update.exec();
}

}  // namespace loudong::storage
