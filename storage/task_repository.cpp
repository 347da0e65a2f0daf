#include "storage/task_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

std::optional<std::string> optional_text(const SQLite::Column& column) {
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.getString();
}

// A task with its counts: slots held (holding or done) and the waiting list.
constexpr const char* task_select =
    "SELECT t.id, t.title, t.starts_at, t.ends_at, t.slots, t.place, t.note, t.platform, "
    "t.chat_id, t.state, "
    "t.held, (SELECT COUNT(*) FROM task_claims c WHERE c.task_id = t.id AND c.state = 'waiting') "
    "FROM tasks t ";

constexpr const char* free_slot_condition =
    "t.compound = ?3 AND t.state = 'open' AND t.starts_at > ?1 AND t.slots > t.held ";

constexpr const char* claim_select =
    "SELECT c.id, c.task_id, c.member_id, m.user_id, m.display_name, m.building, m.room, c.slot, "
    "c.state, c.minutes, c.checked_in_at, m.platform, "
    "EXISTS (SELECT 1 FROM private_refusals r WHERE r.member_id = c.member_id) "
    "FROM task_claims c JOIN members m ON m.id = c.member_id ";

// The lowest slot number of task ?1 that no claim holds; none when the task is full. Slots
// usually fill without gaps (held = the highest slot), so the next is one past the highest;
// only after someone left is the first gap searched for.
constexpr const char* lowest_free_slot =
    "SELECT n FROM (SELECT CASE "
    "WHEN t.held = COALESCE((SELECT MAX(slot) FROM task_claims WHERE task_id = ?1), 0) "
    "THEN t.held + 1 "
    "WHEN NOT EXISTS (SELECT 1 FROM task_claims WHERE task_id = ?1 AND slot = 1) THEN 1 "
    "ELSE (SELECT c.slot + 1 FROM task_claims c WHERE c.task_id = ?1 AND c.slot IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM task_claims d WHERE d.task_id = ?1 AND d.slot = c.slot + 1) "
    "ORDER BY c.slot LIMIT 1) END AS n, t.slots AS slots FROM tasks t WHERE t.id = ?1) "
    "WHERE n <= slots";

}  // namespace

task_repository::task_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db), scope_(scope), cache_(db) {}

std::int64_t task_repository::create(const new_task& posted, const std::string& by,
                                     std::int64_t now) {
    statement_use insert(cache_(
        "INSERT INTO tasks (title, starts_at, ends_at, slots, place, note, platform, chat_id, "
        "state, created_by, created_at, compound) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', "
        "?9, ?10, ?11)"));
    insert->bind(1, posted.title);
    insert->bind(2, posted.starts_at);
    insert->bind(3, posted.ends_at);
    insert->bind(4, posted.slots);
    insert->bind(5, posted.place);
    insert->bind(6, posted.note);
    insert->bind(7, posted.platform);
    insert->bind(8, posted.chat_id);
    insert->bind(9, by);
    insert->bind(10, now);
    insert->bind(11, scope_.id());
    insert->exec();
    return db_.getLastInsertRowid();
}

std::vector<task> task_repository::select_tasks(SQLite::Statement& query) {
    std::vector<task> found;
    while (query.executeStep()) {
        found.push_back(task{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                             query.getColumn(2).getInt64(), query.getColumn(3).getInt64(),
                             query.getColumn(4).getInt64(), query.getColumn(5).getString(),
                             query.getColumn(6).getString(), query.getColumn(7).getString(),
                             query.getColumn(8).getString(), query.getColumn(9).getString(),
                             query.getColumn(10).getInt64(), query.getColumn(11).getInt64()});
    }
    return found;
}

std::vector<task_claim> task_repository::select_claims(SQLite::Statement& query) {
    std::vector<task_claim> found;
    while (query.executeStep()) {
        const auto slot = query.getColumn(7);
        found.push_back(
            task_claim{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                       query.getColumn(2).getInt64(), query.getColumn(3).getString(),
                       query.getColumn(4).getString(), optional_text(query.getColumn(5)),
                       optional_text(query.getColumn(6)),
                       slot.isNull() ? std::nullopt : std::optional<std::int64_t>(slot.getInt64()),
                       query.getColumn(8).getString(), query.getColumn(9).getInt64(),
                       query.getColumn(10).isNull()
                           ? std::nullopt
                           : std::optional<std::int64_t>(query.getColumn(10).getInt64()),
                       query.getColumn(11).getString(), query.getColumn(12).getInt() != 0});
    }
    return found;
}

std::optional<task> task_repository::find(std::int64_t id) {
    statement_use query(cache_(std::string(task_select) + "WHERE t.id = ?1 AND t.compound = ?2"));
    query->bind(1, id);
    query->bind(2, scope_.id());
    auto found = select_tasks(*query);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
}

std::vector<task> task_repository::open_with_free_slots(std::int64_t now, int limit,
                                                        std::int64_t skip) {
    statement_use query(cache_(std::string(task_select) + "WHERE " + free_slot_condition +
                               "ORDER BY t.starts_at, t.id LIMIT ?2 OFFSET ?4"));
    query->bind(1, now);
    query->bind(2, limit);
    query->bind(3, scope_.id());
    query->bind(4, skip);
    return select_tasks(*query);
}

std::vector<task> task_repository::titled_between(const std::string& title, std::int64_t from,
                                                  std::int64_t to) {
    statement_use query(
        cache_(std::string(task_select) +
               "WHERE t.compound = ?1 AND t.state = 'open' AND t.title = ?2 AND "
               "t.starts_at >= ?3 AND t.starts_at < ?4 ORDER BY t.starts_at, t.id"));
    query->bind(1, scope_.id());
    query->bind(2, title);
    query->bind(3, from);
    query->bind(4, to);
    return select_tasks(*query);
}

namespace {

// The member's live claims on open tasks not over yet (a task without an end is over once
// it starts).
constexpr const char* claimed_condition =
    "JOIN task_claims k ON k.task_id = t.id WHERE k.member_id = ?1 AND "
    "k.state IN ('holding', 'waiting') AND t.compound = ?2 AND t.state = 'open' AND "
    "MAX(t.starts_at, t.ends_at) > ?3 ";

}  // namespace

std::vector<task> task_repository::claimed_by(std::int64_t member_id, std::int64_t now, int limit) {
    statement_use query(cache_(std::string(task_select) + claimed_condition +
                               "ORDER BY t.starts_at, t.id LIMIT ?4"));
    query->bind(1, member_id);
    query->bind(2, scope_.id());
    query->bind(3, now);
    query->bind(4, limit);
    return select_tasks(*query);
}

std::int64_t task_repository::count_claimed_by(std::int64_t member_id, std::int64_t now) {
    statement_use query(cache_(std::string("SELECT COUNT(*) FROM tasks t ") + claimed_condition));
    query->bind(1, member_id);
    query->bind(2, scope_.id());
    query->bind(3, now);
    return query->executeStep() ? query->getColumn(0).getInt64() : 0;
}

std::vector<task> task_repository::upcoming(std::int64_t now, int limit) {
    statement_use query(cache_(std::string(task_select) +
                               "WHERE t.compound = ?3 AND t.state = 'open' AND t.ends_at >= ?1 "
                               "ORDER BY t.starts_at, t.id LIMIT ?2"));
    query->bind(1, now);
    query->bind(2, limit);
    query->bind(3, scope_.id());
    return select_tasks(*query);
}

std::int64_t task_repository::count_open_with_free_slots(std::int64_t now) {
    statement_use query(
        cache_(std::string("SELECT COUNT(*) FROM tasks t WHERE ") + free_slot_condition));
    query->bind(1, now);
    query->bind(3, scope_.id());
    query->executeStep();
    return query->getColumn(0).getInt64();
}

std::optional<task_claim> task_repository::claim_of(std::int64_t task_id, std::int64_t member_id) {
    statement_use query(cache_(std::string(claim_select) +
                               "WHERE c.task_id = ?1 AND c.member_id = ?2 "
                               "AND c.state <> 'left'"));
    query->bind(1, task_id);
    query->bind(2, member_id);
    auto found = select_claims(*query);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
}

std::vector<task_claim> task_repository::claims(std::int64_t task_id) {
    statement_use query(cache_(std::string(claim_select) +
                               "WHERE c.task_id = ?1 AND c.state <> 'left' "
                               "ORDER BY c.slot IS NULL, c.slot, c.id"));
    query->bind(1, task_id);
    return select_claims(*query);
}

std::optional<task> task_repository::overlapping(std::int64_t member_id, std::int64_t starts_at,
                                                 std::int64_t ends_at, std::int64_t except) {
    statement_use query(
        cache_(std::string(task_select) +
               "JOIN task_claims mine ON mine.task_id = t.id WHERE mine.member_id = ?1 "
               "AND mine.slot IS NOT NULL AND t.compound = ?5 AND t.state = 'open' AND t.id <> ?4 "
               "AND t.starts_at < MAX(?3, ?2 + 1) AND ?2 < MAX(t.ends_at, t.starts_at + 1) "
               "ORDER BY t.starts_at LIMIT 1"));
    query->bind(1, member_id);
    query->bind(2, starts_at);
    query->bind(3, ends_at);
    query->bind(4, except);
    query->bind(5, scope_.id());
    auto found = select_tasks(*query);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
}

std::optional<std::int64_t> task_repository::take_slot(std::int64_t task_id, std::int64_t member_id,
                                                       std::int64_t now) {
    // One statement finds and takes the slot, so nothing can come between the two.
    statement_use insert(cache_(std::string("INSERT INTO task_claims (task_id, member_id, "
                                            "state, slot, claimed_at, compound) SELECT ?1, "
                                            "?2, 'holding', n, ?3, ?4 FROM (") +
                                lowest_free_slot + ")"));
    insert->bind(1, task_id);
    insert->bind(2, member_id);
    insert->bind(3, now);
    insert->bind(4, scope_.id());
    if (insert->exec() == 0) {
        return std::nullopt;
    }
    statement_use slot(cache_("SELECT slot FROM task_claims WHERE id = ?1"));
    slot->bind(1, db_.getLastInsertRowid());
    slot->executeStep();
    return slot->getColumn(0).getInt64();
}

std::int64_t task_repository::join_waiting_list(std::int64_t task_id, std::int64_t member_id,
                                                std::int64_t now) {
    statement_use insert(
        cache_("INSERT INTO task_claims (task_id, member_id, state, claimed_at, compound) "
               "VALUES (?1, ?2, 'waiting', ?3, ?4)"));
    insert->bind(1, task_id);
    insert->bind(2, member_id);
    insert->bind(3, now);
    insert->bind(4, scope_.id());
    insert->exec();
    return waiting_place(task_id, db_.getLastInsertRowid());
}

std::int64_t task_repository::waiting_place(std::int64_t task_id, std::int64_t claim_id) {
    statement_use query(
        cache_("SELECT COUNT(*) FROM task_claims WHERE task_id = ?1 "
               "AND state = 'waiting' AND id <= ?2"));
    query->bind(1, task_id);
    query->bind(2, claim_id);
    query->executeStep();
    return query->getColumn(0).getInt64();
}

void task_repository::leave(std::int64_t claim_id, std::int64_t now) {
    statement_use update(cache_(
        "UPDATE task_claims SET state = 'left', slot = NULL, changed_at = ?2 WHERE id = ?1"));
    update->bind(1, claim_id);
    update->bind(2, now);
    update->exec();
}

std::optional<std::int64_t> task_repository::promote(std::int64_t claim_id, std::int64_t now) {
    statement_use update(
        cache_(std::string("UPDATE task_claims SET state = 'holding', changed_at = ?3, slot = (") +
               lowest_free_slot + ") WHERE id = ?2 AND state = 'waiting' AND EXISTS (" +
               lowest_free_slot + ")"));
    statement_use task_of(cache_("SELECT task_id FROM task_claims WHERE id = ?1"));
    task_of->bind(1, claim_id);
    if (!task_of->executeStep()) {
        return std::nullopt;
    }
    update->bind(1, task_of->getColumn(0).getInt64());
    update->bind(2, claim_id);
    update->bind(3, now);
    if (update->exec() == 0) {
        return std::nullopt;
    }
    statement_use slot(cache_("SELECT slot FROM task_claims WHERE id = ?1"));
    slot->bind(1, claim_id);
    slot->executeStep();
    return slot->getColumn(0).getInt64();
}

void task_repository::offer_swap(const task_claim& claim, std::int64_t to_member,
                                 std::int64_t now) {
    statement_use withdraw(
        cache_("UPDATE task_swaps SET state = 'withdrawn', done_at = ?2 "
               "WHERE claim_id = ?1 AND state = 'offered'"));
    withdraw->bind(1, claim.id);
    withdraw->bind(2, now);
    withdraw->exec();
    statement_use insert(
        cache_("INSERT INTO task_swaps (task_id, claim_id, from_member, to_member, "
               "state, created_at) VALUES (?1, ?2, ?3, ?4, 'offered', ?5)"));
    insert->bind(1, claim.task_id);
    insert->bind(2, claim.id);
    insert->bind(3, claim.member_id);
    insert->bind(4, to_member);
    insert->bind(5, now);
    insert->exec();
}

std::optional<task_swap> task_repository::offered_to(std::int64_t task_id, std::int64_t member_id) {
    statement_use query(
        cache_("SELECT s.id, s.task_id, s.claim_id, s.from_member, s.to_member FROM task_swaps s "
               "JOIN task_claims c ON c.id = s.claim_id JOIN tasks t ON t.id = s.task_id "
               "WHERE s.task_id = ?1 AND s.to_member = ?2 AND s.state = 'offered' AND "
               "c.state = 'holding' AND c.member_id = s.from_member AND t.compound = ?3 "
               "ORDER BY s.id DESC LIMIT 1"));
    query->bind(1, task_id);
    query->bind(2, member_id);
    query->bind(3, scope_.id());
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return task_swap{query->getColumn(0).getInt64(), query->getColumn(1).getInt64(),
                     query->getColumn(2).getInt64(), query->getColumn(3).getInt64(),
                     query->getColumn(4).getInt64()};
}

void task_repository::take_swap(const task_swap& swap, std::int64_t now) {
    statement_use slot_of(
        cache_("SELECT slot FROM task_claims WHERE id = ?1 AND state = 'holding'"));
    slot_of->bind(1, swap.claim_id);
    if (!slot_of->executeStep()) {
        return;
    }
    const auto slot = slot_of->getColumn(0).getInt64();
    statement_use leave_slot(
        cache_("UPDATE task_claims SET state = 'left', slot = NULL, "
               "changed_at = ?2 WHERE id = ?1"));
    leave_slot->bind(1, swap.claim_id);
    leave_slot->bind(2, now);
    leave_slot->exec();
    // The taker waiting on this task moves onto the slot; otherwise a new claim holds it.
    statement_use move_waiting(
        cache_("UPDATE task_claims SET state = 'holding', slot = ?3, "
               "changed_at = ?4 WHERE task_id = ?1 AND member_id = ?2 "
               "AND state = 'waiting'"));
    move_waiting->bind(1, swap.task_id);
    move_waiting->bind(2, swap.to_member);
    move_waiting->bind(3, slot);
    move_waiting->bind(4, now);
    if (move_waiting->exec() == 0) {
        statement_use insert(
            cache_("INSERT INTO task_claims (task_id, member_id, state, slot, "
                   "claimed_at, compound) VALUES (?1, ?2, 'holding', ?3, ?4, ?5)"));
        insert->bind(1, swap.task_id);
        insert->bind(2, swap.to_member);
        insert->bind(3, slot);
        insert->bind(4, now);
        insert->bind(5, scope_.id());
        insert->exec();
    }
    statement_use done(cache_("UPDATE task_swaps SET state = 'taken', done_at = ?2 WHERE id = ?1"));
    done->bind(1, swap.id);
    done->bind(2, now);
    done->exec();
}

void task_repository::check_in(std::int64_t claim_id, std::int64_t now) {
    statement_use update(
        cache_("UPDATE task_claims SET checked_in_at = ?2, changed_at = ?2 "
               "WHERE id = ?1 AND state = 'holding' AND checked_in_at IS NULL"));
    update->bind(1, claim_id);
    update->bind(2, now);
    update->exec();
}

// Ended shifts (a task with an end, not cancelled) that someone still holds: nobody checked out.
constexpr const char* unconfirmed_condition =
    "WHERE t.compound = ?2 AND t.state <> 'cancelled' AND t.ends_at > t.starts_at AND "
    "t.ends_at <= ?1 AND EXISTS (SELECT 1 FROM task_claims c WHERE c.task_id = t.id AND "
    "c.state = 'holding') ";

std::vector<task> task_repository::unconfirmed(std::int64_t now, int limit) {
    statement_use query(cache_(std::string(task_select) + unconfirmed_condition +
                               "ORDER BY t.ends_at, t.id LIMIT ?3"));
    query->bind(1, now);
    query->bind(2, scope_.id());
    query->bind(3, limit);
    return select_tasks(*query);
}

std::int64_t task_repository::count_unconfirmed(std::int64_t now) {
    statement_use query(
        cache_(std::string("SELECT COUNT(*) FROM tasks t ") + unconfirmed_condition));
    query->bind(1, now);
    query->bind(2, scope_.id());
    return query->executeStep() ? query->getColumn(0).getInt64() : 0;
}

void task_repository::check_out(std::int64_t claim_id, std::int64_t minutes, std::int64_t now) {
    statement_use update(
        cache_("UPDATE task_claims SET state = 'done', minutes = ?2, changed_at = ?3 "
               "WHERE id = ?1 AND state = 'holding'"));
    update->bind(1, claim_id);
    update->bind(2, minutes);
    update->bind(3, now);
    update->exec();
}

void task_repository::cancel(std::int64_t task_id, std::int64_t now) {
    statement_use update(
        cache_("UPDATE tasks SET state = 'cancelled', cancelled_at = ?2 WHERE id = ?1 "
               "AND compound = ?3"));
    update->bind(1, task_id);
    update->bind(2, now);
    update->bind(3, scope_.id());
    update->exec();
}

std::vector<volunteer_hours> task_repository::hours(std::int64_t from, std::int64_t to) {
    statement_use query(cache_(
        "SELECT m.id, m.user_id, m.display_name, m.building, m.room, SUM(c.minutes), COUNT(*) "
        "FROM task_claims c JOIN tasks t ON t.id = c.task_id JOIN members m ON m.id = c.member_id "
        "WHERE t.compound = ?3 AND c.state = 'done' AND t.starts_at >= ?1 AND t.starts_at < ?2 "
        "GROUP BY m.id ORDER BY SUM(c.minutes) DESC, COUNT(*) DESC, m.id"));
    query->bind(1, from);
    query->bind(2, to);
    query->bind(3, scope_.id());
    std::vector<volunteer_hours> found;
    while (query->executeStep()) {
        found.push_back(
            volunteer_hours{query->getColumn(0).getInt64(), query->getColumn(1).getString(),
                            query->getColumn(2).getString(), optional_text(query->getColumn(3)),
                            optional_text(query->getColumn(4)), query->getColumn(5).getInt64(),
                            query->getColumn(6).getInt64()});
    }
    return found;
}

}  // namespace loudong::storage
