#include "storage/chat_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

chat read_chat(SQLite::Statement& row) {
    chat c;
    c.platform = row.getColumn(0).getString();
    c.chat_id = row.getColumn(1).getString();
    c.title = row.getColumn(2).getString();
    if (!row.getColumn(3).isNull()) {
        c.kind = row.getColumn(3).getString();
    }
    if (!row.getColumn(4).isNull()) {
        c.building = row.getColumn(4).getString();
    }
    if (!row.getColumn(5).isNull()) {
        c.compound = row.getColumn(5).getString();
    }
    c.has_webhook = row.getColumn(6).getInt() != 0;
    return c;
}

}  // namespace

chat_repository::chat_repository(SQLite::Database& db, const compound_scope& scope)
    : scope_(scope),
      touch_(db,
             // Runs for every command: the WHERE leaves the row (and its page) untouched
             // unless the title really changed.
             "INSERT INTO chats (platform, chat_id, title) VALUES (?1, ?2, ?3) "
             "ON CONFLICT (platform, chat_id) DO UPDATE SET title = excluded.title "
             "WHERE excluded.title <> '' AND excluded.title <> chats.title"),
      bind_(db,
            "INSERT INTO chats (platform, chat_id, kind, building, bound_by, bound_at, compound) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (platform, chat_id) DO UPDATE SET "
            "kind = excluded.kind, building = excluded.building, bound_by = excluded.bound_by, "
            "bound_at = excluded.bound_at, compound = excluded.compound"),
      unbind_(db,
              "UPDATE chats SET kind = NULL, building = NULL, compound = NULL, bound_by = ?3, "
              "bound_at = ?4 WHERE platform = ?1 AND chat_id = ?2 AND compound = ?5 "
              "AND kind IS NOT NULL"),
      find_(db,
            "SELECT platform, chat_id, title, kind, building, compound, "
            "webhook_key IS NOT NULL FROM chats WHERE platform = ?1 AND chat_id = ?2"),
      bound_to_(db,
                "SELECT platform, chat_id, title, kind, building, compound, "
                "webhook_key IS NOT NULL FROM chats WHERE compound = ?3 AND kind = ?1 AND (?2 IS "
                "NULL OR building = ?2) "
                "ORDER BY platform, chat_id"),
      webhook_(db, "UPDATE chats SET webhook_key = ?3 WHERE platform = ?1 AND chat_id = ?2") {}

void chat_repository::touch(const std::string& platform, const std::string& chat_id,
                            const std::string& title, std::int64_t /*now*/) {
    // Runs for every command: a read is cheaper than an upsert that changes nothing.
    if (const auto known = find(platform, chat_id);
        known && (title.empty() || title == known->title)) {
        return;
    }
    statement_use upsert(touch_);
    upsert->bind(1, platform);
    upsert->bind(2, chat_id);
    upsert->bind(3, title);
    upsert->exec();
    memory_.forget(platform_key(platform, chat_id));
}

void chat_repository::bind(const std::string& platform, const std::string& chat_id,
                           const std::string& kind, const std::optional<std::string>& building,
                           const std::string& bound_by, std::int64_t now) {
    statement_use upsert(bind_);
    upsert->bind(1, platform);
    upsert->bind(2, chat_id);
    upsert->bind(3, kind);
    if (building) {
        upsert->bind(4, *building);
    } else {
        upsert->bind(4);
    }
    upsert->bind(5, bound_by);
    upsert->bind(6, now);
    upsert->bind(7, scope_.id());
    upsert->exec();
    memory_.forget(platform_key(platform, chat_id));
}

void chat_repository::set_webhook_key(const std::string& platform, const std::string& chat_id,
                                      const std::string& key) {
    statement_use update(webhook_);
    update->bind(1, platform);
    update->bind(2, chat_id);
    update->bind(3, key);
    update->exec();
    memory_.forget(platform_key(platform, chat_id));
}

bool chat_repository::unbind(const std::string& platform, const std::string& chat_id,
                             const std::string& unbound_by, std::int64_t now) {
    statement_use update(unbind_);
    update->bind(1, platform);
    update->bind(2, chat_id);
    update->bind(3, unbound_by);
    update->bind(4, now);
    update->bind(5, scope_.id());
    const bool changed = update->exec() > 0;
    memory_.forget(platform_key(platform, chat_id));
    return changed;
}

std::optional<chat> chat_repository::find(const std::string& platform, const std::string& chat_id) {
    auto key = platform_key(platform, chat_id);
    if (const auto* known = memory_.find(key)) {
        return *known;
    }
    auto found = read(platform, chat_id);
    if (found) {
        memory_.keep(std::move(key), *found);
    }
    return found;
}

std::optional<chat> chat_repository::read(const std::string& platform, const std::string& chat_id) {
    statement_use query(find_);
    query->bind(1, platform);
    query->bind(2, chat_id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return read_chat(*query);
}

std::vector<chat> chat_repository::bound_to(const std::string& kind,
                                            const std::optional<std::string>& building) {
    statement_use query(bound_to_);
    query->bind(1, kind);
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    query->bind(3, scope_.id());
    std::vector<chat> found;
    while (query->executeStep()) {
        found.push_back(read_chat(*query));
    }
    return found;
}

bool move_chat(SQLite::Database& db, const std::string& platform, const std::string& from,
               const std::string& to) {
    if (from == to) {
        return false;
    }
    const auto run = [&](const char* sql) {
        SQLite::Statement statement(db, sql);
        statement.bind(1, platform);
        statement.bind(2, from);
        statement.bind(3, to);
        return statement.exec();
    };
    run("DELETE FROM chats WHERE platform = ?1 AND chat_id = ?3 AND kind IS NULL "
        "AND EXISTS (SELECT 1 FROM chats WHERE platform = ?1 AND chat_id = ?2)");
    const bool known = run("UPDATE OR IGNORE chats SET chat_id = ?3 "
                           "WHERE platform = ?1 AND chat_id = ?2") > 0;
    run("UPDATE outbox SET chat_id = ?3 WHERE platform = ?1 AND chat_id = ?2 "
        "AND state = 'pending'");
    run("UPDATE outbox SET fallback_chat = ?3 WHERE platform = ?1 AND fallback_chat = ?2 "
        "AND state = 'pending'");
    run("UPDATE tasks SET chat_id = ?3 WHERE platform = ?1 AND chat_id = ?2");
    run("UPDATE members SET registered_chat = ?3 WHERE platform = ?1 AND registered_chat = ?2");
    return known;
}

}  // namespace loudong::storage
