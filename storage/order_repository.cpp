#include "storage/order_repository.hpp"

#include <map>

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

void bind_optional(SQLite::Statement& statement, int index,
                   const std::optional<std::int64_t>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind(index);
    }
}

std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.getInt64();
}

constexpr const char* campaign_columns = "SELECT id, title, closes_at, state FROM campaigns ";

std::optional<campaign> one_campaign(SQLite::Statement& query) {
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return campaign{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                    optional_int(query.getColumn(2)),
                    from_stored_word<campaign_state>(query.getColumn(3).getString())
                        .value_or(campaign_state::closed)};
}

// Orders joined with their lines; numeric building and room order, as volunteers walk.
constexpr const char* order_select =
    "SELECT o.id, o.number, o.member_id, o.platform, o.chat_id, o.building, o.room, "
    "o.total_fen, o.state, o.created_at, l.item_id, i.name, i.unit, l.quantity, l.price_fen "
    "FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN items i ON i.id = l.item_id ";

}  // namespace

order_repository::order_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db), scope_(scope), cache_(db) {}

std::int64_t order_repository::open_campaign(const std::string& title,
                                             std::optional<std::int64_t> closes_at,
                                             const std::string& by, std::int64_t now) {
    statement_use insert(
        cache_("INSERT INTO campaigns (title, created_by, created_at, closes_at, "
               "state, compound) VALUES (?1, ?2, ?3, ?4, 'open', ?5)"));
    insert->bind(1, title);
    insert->bind(2, by);
    insert->bind(3, now);
    bind_optional(*insert, 4, closes_at);
    insert->bind(5, scope_.id());
    insert->exec();
    return db_.getLastInsertRowid();
}

std::optional<campaign> order_repository::open() {
    statement_use query(cache_(std::string(campaign_columns) +
                               "WHERE compound = ?1 AND state = 'open' ORDER BY id DESC LIMIT 1"));
    query->bind(1, scope_.id());
    return one_campaign(*query);
}

std::optional<campaign> order_repository::latest() {
    // Two walks down the primary key; one ORDER BY on `state = 'open'` sorted every campaign
    // in a temporary b-tree, a sixth of an order's cost, for every menu and order.
    if (auto open_one = open()) {
        return open_one;
    }
    statement_use query(
        cache_(std::string(campaign_columns) + "WHERE compound = ?1 ORDER BY id DESC LIMIT 1"));
    query->bind(1, scope_.id());
    return one_campaign(*query);
}

std::optional<campaign> order_repository::find_campaign(std::int64_t id) {
    statement_use query(cache_(std::string(campaign_columns) + "WHERE id = ?1 AND compound = ?2"));
    query->bind(1, id);
    query->bind(2, scope_.id());
    return one_campaign(*query);
}

void order_repository::close(std::int64_t campaign_id, std::int64_t now) {
    statement_use update(
        cache_("UPDATE campaigns SET state = 'closed', closed_at = ?2 WHERE id = ?1 "
               "AND compound = ?3"));
    update->bind(1, campaign_id);
    update->bind(2, now);
    update->bind(3, scope_.id());
    update->exec();
}

item order_repository::put_item(std::int64_t campaign_id, const std::string& name,
                                std::int64_t price_fen, std::optional<std::int64_t> stock,
                                const std::string& unit,
                                std::optional<std::int64_t> limit_per_person) {
    statement_use upsert(cache_(
        "INSERT INTO items (campaign_id, number, name, price_fen, stock, unit, limit_per_person, "
        "compound) VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM items WHERE "
        "campaign_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (campaign_id, name) DO UPDATE SET "
        "price_fen = excluded.price_fen, stock = excluded.stock, unit = excluded.unit, "
        "limit_per_person = excluded.limit_per_person"));
    upsert->bind(1, campaign_id);
    upsert->bind(2, name);
    upsert->bind(3, price_fen);
    bind_optional(*upsert, 4, stock);
    upsert->bind(5, unit);
    bind_optional(*upsert, 6, limit_per_person);
    upsert->bind(7, scope_.id());
    upsert->exec();
    for (auto& found : items(campaign_id)) {
        if (found.name == name) {
            return found;
        }
    }
    throw std::logic_error("item vanished after upsert");
}

std::vector<item> order_repository::items(std::int64_t campaign_id) {
    statement_use query(
        cache_("SELECT id, number, name, price_fen, stock, sold, unit, "
               "limit_per_person FROM items WHERE campaign_id = ?1 ORDER BY number"));
    query->bind(1, campaign_id);
    std::vector<item> found;
    while (query->executeStep()) {
        found.push_back(item{query->getColumn(0).getInt64(), query->getColumn(1).getInt64(),
                             query->getColumn(2).getString(), query->getColumn(3).getInt64(),
                             optional_int(query->getColumn(4)), query->getColumn(5).getInt64(),
                             query->getColumn(6).getString(), optional_int(query->getColumn(7))});
    }
    return found;
}

std::int64_t order_repository::household_quantity(std::int64_t item_id, const std::string& building,
                                                  const std::string& room) {
    statement_use query(
        cache_("SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l "
               "JOIN orders o ON o.id = l.order_id WHERE l.item_id = ?1 "
               "AND o.building = ?2 AND o.room = ?3 AND o.state <> 'cancelled'"));
    query->bind(1, item_id);
    query->bind(2, building);
    query->bind(3, room);
    query->executeStep();
    return query->getColumn(0).getInt64();
}

order order_repository::place(std::int64_t campaign_id, std::int64_t member_id,
                              const std::string& platform, const std::string& chat_id,
                              const std::string& building, const std::string& room,
                              const std::vector<order_line_row>& lines,
                              std::optional<std::int64_t> relay_number, std::int64_t now) {
    std::int64_t total = 0;
    for (const auto& line : lines) {
        total += line.quantity * line.price_fen;
    }
    statement_use insert(cache_(
        "INSERT INTO orders (campaign_id, number, member_id, platform, chat_id, building, room, "
        "total_fen, state, relay_number, created_at, compound) VALUES (?1, (SELECT "
        "COALESCE(MAX(number), 0) + 1 FROM orders WHERE campaign_id = ?1), ?2, ?3, ?4, ?5, ?6, "
        "?7, 'placed', ?8, ?9, ?10)"));
    insert->bind(1, campaign_id);
    insert->bind(2, member_id);
    insert->bind(3, platform);
    insert->bind(4, chat_id);
    insert->bind(5, building);
    insert->bind(6, room);
    insert->bind(7, total);
    bind_optional(*insert, 8, relay_number);
    insert->bind(9, now);
    insert->bind(10, scope_.id());
    insert->exec();
    const auto order_id = db_.getLastInsertRowid();
    statement_use add_line(
        cache_("INSERT INTO order_lines (order_id, item_id, quantity, price_fen) VALUES (?1, ?2, "
               "?3, ?4)"));
    statement_use take(cache_("UPDATE items SET sold = sold + ?2 WHERE id = ?1"));
    for (const auto& line : lines) {
        add_line->bind(1, order_id);
        add_line->bind(2, line.item_id);
        add_line->bind(3, line.quantity);
        add_line->bind(4, line.price_fen);
        add_line->exec();
        add_line->reset();
        take->bind(1, line.item_id);
        take->bind(2, line.quantity);
        take->exec();
        take->reset();
    }
    statement_use number(cache_("SELECT number FROM orders WHERE id = ?1"));
    number->bind(1, order_id);
    number->executeStep();
    // Built from what is in hand: re-reading the order with its lines cost a fifth of an order.
    return order{order_id,
                 number->getColumn(0).getInt64(),
                 member_id,
                 platform,
                 chat_id,
                 building,
                 room,
                 total,
                 order_state::placed,
                 now,
                 lines};
}

std::vector<order> order_repository::select_orders(SQLite::Statement& query) {
    std::vector<order> found;
    while (query.executeStep()) {
        const auto id = query.getColumn(0).getInt64();
        if (found.empty() || found.back().id != id) {
            found.push_back(order{id,
                                  query.getColumn(1).getInt64(),
                                  query.getColumn(2).getInt64(),
                                  query.getColumn(3).getString(),
                                  query.getColumn(4).getString(),
                                  query.getColumn(5).getString(),
                                  query.getColumn(6).getString(),
                                  query.getColumn(7).getInt64(),
                                  from_stored_word<order_state>(query.getColumn(8).getString())
                                      .value_or(order_state::cancelled),
                                  query.getColumn(9).getInt64(),
                                  {}});
        }
        found.back().lines.push_back(
            order_line_row{query.getColumn(10).getInt64(), query.getColumn(11).getString(),
                           query.getColumn(12).getString(), query.getColumn(13).getInt64(),
                           query.getColumn(14).getInt64()});
    }
    return found;
}

std::optional<order> order_repository::find(std::int64_t campaign_id, std::int64_t number) {
    statement_use query(cache_(std::string(order_select) +
                               "WHERE o.campaign_id = ?1 AND o.number = ?2 ORDER BY i.number"));
    query->bind(1, campaign_id);
    query->bind(2, number);
    auto found = select_orders(*query);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
}

std::vector<order> order_repository::of_household(std::int64_t campaign_id,
                                                  const std::string& building,
                                                  const std::string& room) {
    statement_use query(cache_(std::string(order_select) +
                               "WHERE o.campaign_id = ?1 AND o.building = ?2 AND o.room = ?3 "
                               "ORDER BY o.number DESC, i.number"));
    query->bind(1, campaign_id);
    query->bind(2, building);
    query->bind(3, room);
    return select_orders(*query);
}

std::vector<order> order_repository::of_campaign(std::int64_t campaign_id,
                                                 const std::optional<std::string>& building) {
    statement_use query(
        cache_(std::string(order_select) +
               "WHERE o.campaign_id = ?1 AND (?2 IS NULL OR o.building = ?2) "
               "ORDER BY CAST(o.building AS INTEGER), o.building, CAST(o.room AS INTEGER), "
               "o.room, o.number, i.number"));
    query->bind(1, campaign_id);
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    return select_orders(*query);
}

void order_repository::cancel(const order& placed, std::int64_t now) {
    statement_use update(
        cache_("UPDATE orders SET state = 'cancelled', changed_at = ?2 WHERE id = ?1"));
    update->bind(1, placed.id);
    update->bind(2, now);
    update->exec();
    statement_use restock(cache_("UPDATE items SET sold = sold - ?2 WHERE id = ?1"));
    for (const auto& line : placed.lines) {
        restock->bind(1, line.item_id);
        restock->bind(2, line.quantity);
        restock->exec();
        restock->reset();
    }
}

void order_repository::mark_delivered(std::int64_t order_id, std::int64_t now) {
    statement_use update(
        cache_("UPDATE orders SET state = 'delivered', changed_at = ?2 WHERE id = ?1"));
    update->bind(1, order_id);
    update->bind(2, now);
    update->exec();
}

bool order_repository::relay_taken(std::int64_t campaign_id, const std::string& building,
                                   const std::string& room, std::int64_t relay_number) {
    statement_use query(
        cache_("SELECT 1 FROM orders WHERE campaign_id = ?1 AND building = ?2 AND "
               "room = ?3 AND relay_number = ?4 AND state <> 'cancelled'"));
    query->bind(1, campaign_id);
    query->bind(2, building);
    query->bind(3, room);
    query->bind(4, relay_number);
    return query->executeStep();
}

std::vector<item_total> order_repository::totals(std::int64_t campaign_id,
                                                 const std::optional<std::string>& building) {
    statement_use query(cache_(
        "SELECT i.name, i.unit, COALESCE(SUM(l.quantity), 0), "
        "COALESCE(SUM(l.quantity * l.price_fen), 0) FROM items i "
        "LEFT JOIN order_lines l ON l.item_id = i.id AND l.order_id IN (SELECT id FROM orders "
        "WHERE campaign_id = ?1 AND state <> 'cancelled' AND (?2 IS NULL OR building = ?2)) "
        "WHERE i.campaign_id = ?1 GROUP BY i.id ORDER BY i.number"));
    query->bind(1, campaign_id);
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    std::vector<item_total> found;
    while (query->executeStep()) {
        found.push_back(item_total{query->getColumn(0).getString(), query->getColumn(1).getString(),
                                   query->getColumn(2).getInt64(), query->getColumn(3).getInt64()});
    }
    return found;
}

std::vector<building_count> order_repository::per_building(std::int64_t campaign_id) {
    statement_use query(
        cache_("SELECT building, COUNT(*), SUM(state = 'delivered') FROM orders "
               "WHERE campaign_id = ?1 AND state <> 'cancelled' GROUP BY building "
               "ORDER BY CAST(building AS INTEGER), building"));
    query->bind(1, campaign_id);
    std::vector<building_count> found;
    while (query->executeStep()) {
        found.push_back(building_count{query->getColumn(0).getString(),
                                       query->getColumn(1).getInt64(),
                                       query->getColumn(2).getInt64()});
    }
    return found;
}

}  // namespace loudong::storage
