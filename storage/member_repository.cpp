#include "storage/member_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

constexpr const char* member_columns =
    "id, platform, user_id, display_name, building, room, compound, confirmed, username";

member read_member(SQLite::Statement& row) {
    member m;
    m.id = row.getColumn(0).getInt64();
    m.platform = row.getColumn(1).getString();
    m.user_id = row.getColumn(2).getString();
    m.display_name = row.getColumn(3).getString();
    if (!row.getColumn(4).isNull()) {
        m.building = row.getColumn(4).getString();
    }
    if (!row.getColumn(5).isNull()) {
        m.room = row.getColumn(5).getString();
    }
    if (!row.getColumn(6).isNull()) {
        m.compound = row.getColumn(6).getString();
    }
    m.confirmed = row.getColumn(7).getInt() != 0;
    if (!row.getColumn(8).isNull()) {
        m.username = row.getColumn(8).getString();
    }
    return m;
}

}  // namespace

member_repository::member_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db),
      scope_(scope),
      upsert_(db,
              "INSERT INTO members (platform, user_id, display_name, first_seen) "
              // Runs for every command: no write unless the name really changed.
              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (platform, user_id) DO UPDATE SET "
              "display_name = excluded.display_name WHERE excluded.display_name <> '' "
              "AND excluded.display_name <> members.display_name"),
      find_(db, std::string("SELECT ") + member_columns +
                    " FROM members WHERE platform = ?1 AND user_id = ?2"),
      set_address_(
          db,
          "UPDATE members SET building = ?2, room = ?3, registered_at = ?4, compound = ?5, "
          "registered_chat = NULLIF(?6, ''), confirmed = ?7 WHERE id = ?1"),
      at_room_(db, std::string("SELECT ") + member_columns +
                       " FROM members WHERE compound = ?3 AND building = ?1 AND room = ?2 "
                       "ORDER BY id"),
      roles_(db,
             "SELECT role FROM member_roles WHERE member_id = ?1 AND compound = ?2 ORDER BY role"),
      grant_(db,
             // ON CONFLICT, not OR IGNORE: OR IGNORE would also swallow the CHECK on role.
             "INSERT INTO member_roles (member_id, compound, role, granted_by, granted_at) "
             "VALUES (?1, ?5, ?2, ?3, ?4) ON CONFLICT (member_id, compound, role) DO NOTHING"),
      revoke_(db, "DELETE FROM member_roles WHERE member_id = ?1 AND role = ?2 AND compound = ?3"),
      holding_(db, std::string("SELECT ") + member_columns +
                       " FROM members WHERE id IN (SELECT member_id FROM member_roles "
                       "WHERE compound = ?1 AND role = ?2) ORDER BY id"),
      registered_in_chat_(db,
                          "SELECT COUNT(*) FROM members WHERE compound = ?1 AND platform = ?2 "
                          "AND registered_chat = ?3 AND room IS NOT NULL"),
      hint_once_(db,
                 "UPDATE members SET private_hint_day = ?2 WHERE id = ?1 "
                 "AND private_hint_day IS NOT ?2"),
      lead_buildings_(db,
                      "SELECT building FROM lead_buildings WHERE member_id = ?1 AND compound = ?2 "
                      "ORDER BY CAST(building AS INTEGER), building"),
      leads_of_(db, std::string("SELECT ") + member_columns +
                        " FROM members WHERE id IN (SELECT b.member_id FROM lead_buildings b "
                        "JOIN member_roles r ON r.member_id = b.member_id "
                        "AND r.compound = b.compound AND r.role = 'lead' "
                        "WHERE b.compound = ?1 AND b.building = ?2) ORDER BY id"),
      waiting_(db, std::string("SELECT ") + member_columns +
                       " FROM members WHERE compound = ?1 AND confirmed = 0 AND room IS NOT NULL "
                       "ORDER BY registered_at, id"),
      confirm_(db,
               "UPDATE members SET confirmed = 1 WHERE id = ?1 AND confirmed = 0 "
               "AND room IS NOT NULL"),
      clear_address_(db,
                     "UPDATE members SET building = NULL, room = NULL, compound = NULL, "
                     "registered_chat = NULL, confirmed = 1, registered_at = ?2 WHERE id = ?1") {}

member member_repository::touch(const std::string& platform, const std::string& user_id,
                                const std::string& display_name, std::int64_t now) {
    // Every command touches its sender; most are known with the same name, and a read is
    // cheaper than an upsert that changes nothing.
    if (auto known = find(platform, user_id);
        known && (display_name.empty() || display_name == known->display_name)) {
        return *known;
    }
    {
        statement_use upsert(upsert_);
        upsert->bind(1, platform);
        upsert->bind(2, user_id);
        upsert->bind(3, display_name);
        upsert->bind(4, now);
        upsert->exec();
    }
    members_.forget(platform_key(platform, user_id));  // the name may have changed
    return *find(platform, user_id);
}

std::optional<member> member_repository::find(const std::string& platform,
                                              const std::string& user_id) {
    auto key = platform_key(platform, user_id);
    if (const auto* known = members_.find(key)) {
        return *known;
    }
    auto found = read(platform, user_id);
    if (found) {
        members_.keep(std::move(key), *found);
    }
    return found;
}

std::optional<member> member_repository::read(const std::string& platform,
                                              const std::string& user_id) {
    statement_use query(find_);
    query->bind(1, platform);
    query->bind(2, user_id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return read_member(find_);
}

void member_repository::set_address(std::int64_t member_id, const std::string& building,
                                    const std::string& room, std::int64_t now,
                                    const std::string& chat_id, bool confirmed) {
    statement_use update(set_address_);
    update->bind(6, chat_id);
    update->bind(7, confirmed ? 1 : 0);
    update->bind(1, member_id);
    update->bind(2, building);
    update->bind(3, room);
    update->bind(4, now);
    update->bind(5, scope_.id());
    update->exec();
    // Registration is rare next to reads: a walk over the kept members beats a second index.
    members_.forget_if([member_id](const member& m) { return m.id == member_id; });
}

std::string member_repository::roles_key(std::int64_t member_id) const {
    return platform_key(scope_.id(), std::to_string(member_id));
}

void member_repository::forget() {
    members_.clear();
    roles_of_.clear();
}

std::vector<member> member_repository::at_room(const std::string& building,
                                               const std::string& room) {
    statement_use query(at_room_);
    query->bind(1, building);
    query->bind(2, room);
    query->bind(3, scope_.id());
    std::vector<member> found;
    while (query->executeStep()) {
        found.push_back(read_member(at_room_));
    }
    return found;
}

std::set<role> member_repository::roles(std::int64_t member_id) {
    auto key = roles_key(member_id);
    if (const auto* known = roles_of_.find(key)) {
        return *known;
    }
    statement_use query(roles_);
    query->bind(1, member_id);
    query->bind(2, scope_.id());
    std::set<role> held;
    while (query->executeStep()) {
        if (const auto r = from_stored_word<role>(roles_.getColumn(0).getString())) {
            held.insert(*r);
        }
    }
    roles_of_.keep(std::move(key), held);
    return held;
}

bool member_repository::grant(std::int64_t member_id, role which, const std::string& granted_by,
                              std::int64_t now) {
    statement_use insert(grant_);
    insert->bind(1, member_id);
    insert->bind(2, std::string(stored_word(which)));
    insert->bind(3, granted_by);
    insert->bind(4, now);
    insert->bind(5, scope_.id());
    roles_of_.forget(roles_key(member_id));
    return insert->exec() > 0;
}

bool member_repository::revoke(std::int64_t member_id, role which) {
    statement_use remove(revoke_);
    remove->bind(1, member_id);
    remove->bind(2, std::string(stored_word(which)));
    remove->bind(3, scope_.id());
    roles_of_.forget(roles_key(member_id));
    return remove->exec() > 0;
}

std::int64_t member_repository::registered_in_chat(const std::string& platform,
                                                   const std::string& chat_id) {
    // Rare (a bind): a scan of one compound's members (by members_by_room) is fine.
    statement_use count(registered_in_chat_);
    count->bind(1, scope_.id());
    count->bind(2, platform);
    count->bind(3, chat_id);
    count->executeStep();
    return count->getColumn(0).getInt64();
}

namespace {

std::string lower_ascii(std::string text) {
    for (auto& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

}  // namespace

bool member_repository::note_username(const member& m, const std::string& username) {
    const auto lower = lower_ascii(username);
    if (lower.empty() || lower == m.username) {
        return false;
    }
    // Rare (a new or renamed username): a plain statement.
    SQLite::Statement update(db_, "UPDATE members SET username = ?2 WHERE id = ?1");
    update.bind(1, m.id);
    update.bind(2, lower);
    update.exec();
    members_.forget(platform_key(m.platform, m.user_id));
    return true;
}

std::optional<member> member_repository::find_by_username(const std::string& platform,
                                                          const std::string& username) {
    SQLite::Statement query(db_, std::string("SELECT ") + member_columns +
                                     " FROM members WHERE platform = ?1 AND username = ?2");
    query.bind(1, platform);
    query.bind(2, lower_ascii(username));
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_member(query);
}

std::set<std::string> member_repository::lead_buildings(std::int64_t member_id) {
    statement_use query(lead_buildings_);
    query->bind(1, member_id);
    query->bind(2, scope_.id());
    std::set<std::string> found;
    while (query->executeStep()) {
        found.insert(query->getColumn(0).getString());
    }
    return found;
}

bool member_repository::set_lead_buildings(std::int64_t member_id,
                                           const std::set<std::string>& buildings) {
    if (lead_buildings(member_id) == buildings) {
        return false;
    }
    // Rare (a grant): plain statements.
    SQLite::Statement clear(db_,
                            "DELETE FROM lead_buildings WHERE member_id = ?1 AND compound = ?2");
    clear.bind(1, member_id);
    clear.bind(2, scope_.id());
    clear.exec();
    SQLite::Statement add(db_,
                          "INSERT INTO lead_buildings (member_id, compound, building) "
                          "VALUES (?1, ?2, ?3)");
    for (const auto& building : buildings) {
        add.bind(1, member_id);
        add.bind(2, scope_.id());
        add.bind(3, building);
        add.exec();
        add.reset();
    }
    return true;
}

std::vector<member> member_repository::leads_of(const std::string& building) {
    statement_use query(leads_of_);
    query->bind(1, scope_.id());
    query->bind(2, building);
    std::vector<member> found;
    while (query->executeStep()) {
        found.push_back(read_member(*query));
    }
    return found;
}

std::vector<member> member_repository::waiting() {
    statement_use query(waiting_);
    query->bind(1, scope_.id());
    std::vector<member> found;
    while (query->executeStep()) {
        found.push_back(read_member(*query));
    }
    return found;
}

bool member_repository::confirm(std::int64_t member_id) {
    statement_use update(confirm_);
    update->bind(1, member_id);
    const bool changed = update->exec() > 0;
    members_.forget_if([member_id](const member& m) { return m.id == member_id; });
    return changed;
}

void member_repository::clear_address(std::int64_t member_id, std::int64_t now) {
    statement_use update(clear_address_);
    update->bind(1, member_id);
    update->bind(2, now);
    update->exec();
    members_.forget_if([member_id](const member& m) { return m.id == member_id; });
}

bool member_repository::hint_once(std::int64_t member_id, const std::string& day) {
    statement_use update(hint_once_);
    update->bind(1, member_id);
    update->bind(2, day);
    return update->exec() > 0;
}

std::vector<member> member_repository::holding(role which) {
    statement_use query(holding_);
    query->bind(1, scope_.id());
    query->bind(2, std::string(stored_word(which)));
    std::vector<member> found;
    while (query->executeStep()) {
        found.push_back(read_member(*query));
    }
    return found;
}

}  // namespace loudong::storage
