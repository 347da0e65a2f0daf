#include "storage/job_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {

job_repository::job_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db),
      scope_(scope),
      schedule_(db,
                "INSERT INTO jobs (kind, payload, due_at, unique_key, created_at, compound) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (compound, unique_key) DO NOTHING"),
      ran_(db,
           "SELECT COUNT(*) FROM jobs WHERE compound = ?1 AND unique_key = ?2 AND state = 'done'"),
      postpone_(db,
                "UPDATE jobs SET due_at = ?1 WHERE compound = ?2 AND unique_key = ?3 AND "
                "state = 'pending'"),
      due_(db,
           "SELECT id, kind, payload, due_at, compound FROM jobs WHERE state = 'pending' AND "
           "due_at <= ?1 "
           "ORDER BY due_at, id LIMIT ?2"),
      finish_(db, "UPDATE jobs SET state = ?2, ran_at = ?3 WHERE id = ?1"),
      next_(db, "SELECT MIN(due_at) FROM jobs WHERE state = 'pending'") {}

std::optional<std::int64_t> job_repository::schedule(job_kind kind, const std::string& payload,
                                                     std::int64_t due_at,
                                                     const std::optional<std::string>& unique_key,
                                                     std::int64_t now) {
    statement_use insert(schedule_);
    insert->bind(1, std::string(stored_word(kind)));
    insert->bind(2, payload);
    insert->bind(3, due_at);
    if (unique_key) {
        insert->bind(4, *unique_key);
    } else {
        insert->bind(4);
    }
    insert->bind(5, now);
    insert->bind(6, scope_.id());
    if (insert->exec() == 0) {
        return std::nullopt;
    }
    return db_.getLastInsertRowid();
}

bool job_repository::schedule_or_postpone(job_kind kind, const std::string& payload,
                                          std::int64_t due_at, const std::string& unique_key,
                                          std::int64_t now) {
    {
        statement_use update(postpone_);
        update->bind(1, due_at);
        update->bind(2, scope_.id());
        update->bind(3, unique_key);
        if (update->exec() > 0) {
            return true;
        }
    }
    return schedule(kind, payload, due_at, unique_key, now).has_value();
}

bool job_repository::ran(const std::string& unique_key) {
    statement_use query(ran_);
    query->bind(1, scope_.id());
    query->bind(2, unique_key);
    return query->executeStep() && query->getColumn(0).getInt() > 0;
}

std::vector<job> job_repository::due(std::int64_t now, int limit) {
    statement_use query(due_);
    query->bind(1, now);
    query->bind(2, limit);
    std::vector<job> found;
    while (query->executeStep()) {
        found.push_back(job{query->getColumn(0).getInt64(),
                            from_stored_word<job_kind>(query->getColumn(1).getString()),
                            query->getColumn(2).getString(), query->getColumn(3).getInt64(),
                            query->getColumn(4).getString()});
    }
    return found;
}

void job_repository::finish(std::int64_t id, job_outcome outcome, std::int64_t now) {
    statement_use update(finish_);
    update->bind(1, id);
    update->bind(2, std::string(stored_word(outcome)));
    update->bind(3, now);
    update->exec();
}

std::optional<std::int64_t> job_repository::next_due() {
    statement_use query(next_);
    query->executeStep();
    if (query->getColumn(0).isNull()) {
        return std::nullopt;
    }
    return query->getColumn(0).getInt64();
}

}  // namespace loudong::storage
