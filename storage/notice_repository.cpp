#include "storage/notice_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

constexpr const char* notice_columns = "id, text, targets, created_by, send_at, state";

notice read_notice(SQLite::Statement& row) {
    return notice{row.getColumn(0).getInt64(),  row.getColumn(1).getString(),
                  row.getColumn(2).getString(), row.getColumn(3).getString(),
                  row.getColumn(4).getInt64(),  row.getColumn(5).getString()};
}

}  // namespace

notice_repository::notice_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db),
      scope_(scope),
      create_(db,
              "INSERT INTO notices (text, targets, created_by, created_at, send_at, state, "
              "compound) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      find_(db, std::string("SELECT ") + notice_columns +
                    " FROM notices WHERE id = ?1 AND compound = ?2"),
      latest_(db, std::string("SELECT ") + notice_columns +
                      " FROM notices WHERE compound = ?1 ORDER BY id DESC LIMIT 1"),
      set_state_(db, "UPDATE notices SET state = ?2 WHERE id = ?1 AND compound = ?3") {}

std::int64_t notice_repository::create(const std::string& text, const std::string& targets,
                                       const std::string& created_by, std::int64_t now,
                                       std::int64_t send_at, const std::string& state) {
    statement_use insert(create_);
    insert->bind(1, text);
    insert->bind(2, targets);
    insert->bind(3, created_by);
    insert->bind(4, now);
    insert->bind(5, send_at);
    insert->bind(6, state);
    insert->bind(7, scope_.id());
    insert->exec();
    return db_.getLastInsertRowid();
}

std::optional<notice> notice_repository::find(std::int64_t id) {
    statement_use query(find_);
    query->bind(1, id);
    query->bind(2, scope_.id());
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return read_notice(*query);
}

std::optional<notice> notice_repository::latest() {
    statement_use query(latest_);
    query->bind(1, scope_.id());
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return read_notice(*query);
}

std::vector<notice> notice_repository::recent(int limit) {
    SQLite::Statement query(db_, std::string("SELECT ") + notice_columns +
                                     " FROM notices WHERE compound = ?1 ORDER BY id "
                                     "DESC LIMIT ?2");
    query.bind(1, scope_.id());
    query.bind(2, limit);
    std::vector<notice> found;
    while (query.executeStep()) {
        found.push_back(read_notice(query));
    }
    return found;
}

void notice_repository::set_state(std::int64_t id, const std::string& state) {
    statement_use update(set_state_);
    update->bind(1, id);
    update->bind(2, state);
    update->bind(3, scope_.id());
    update->exec();
}

}  // namespace loudong::storage
