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

constexpr const char* campaign_columns =
    "SELECT id, number, title, closes_at, state, created_by, buildings FROM campaigns ";

std::vector<std::string> split_buildings(const std::string& stored) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < stored.size()) {
        const auto comma = stored.find(',', start);
        const auto end = comma == std::string::npos ? stored.size() : comma;
        if (end > start) {
            out.push_back(stored.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

campaign campaign_row(SQLite::Statement& query) {
    return campaign{query.getColumn(0).getInt64(),
                    query.getColumn(1).getInt64(),
                    query.getColumn(2).getString(),
                    optional_int(query.getColumn(3)),
                    from_stored_word<campaign_state>(query.getColumn(4).getString())
                        .value_or(campaign_state::closed),
                    query.getColumn(5).getString(),
                    query.getColumn(6).isNull() ? std::vector<std::string>{}
                                                : split_buildings(query.getColumn(6).getString())};
}

std::optional<campaign> one_campaign(SQLite::Statement& query) {
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return campaign_row(query);
}

// Orders joined with their lines; numeric building and room order, as volunteers walk.
constexpr const char* order_select =
    "SELECT o.id, o.number, o.member_id, o.platform, o.chat_id, o.building, o.room, "
    "o.total_fen, o.state, o.created_at, l.item_id, i.name, i.unit, l.quantity, l.price_fen, "
    "o.campaign_id, o.relay_number, o.placed_by IS NOT NULL "
    "FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN items i ON i.id = l.item_id ";

}  // namespace

order_repository::order_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db), scope_(scope), cache_(db) {}

campaign order_repository::open_campaign(const std::string& title,
                                         std::optional<std::int64_t> closes_at,
                                         const std::string& by,
                                         const std::vector<std::string>& buildings,
                                         std::int64_t now) {
    std::string stored;
    for (const auto& b : buildings) {
        stored += (stored.empty() ? "" : ",") + b;
    }
    statement_use insert(cache_(
        "INSERT INTO campaigns (title, created_by, created_at, closes_at, state, compound, number, "
        "buildings) VALUES (?1, ?2, ?3, ?4, 'open', ?5, (SELECT COALESCE(MAX(number), 0) + 1 "
        "FROM campaigns WHERE compound = ?5), ?6)"));
    insert->bind(1, title);
    insert->bind(2, by);
    insert->bind(3, now);
    bind_optional(*insert, 4, closes_at);
    insert->bind(5, scope_.id());
    if (stored.empty()) {
        insert->bind(6);
    } else {
        insert->bind(6, stored);
    }
    insert->exec();
    return *find_campaign(db_.getLastInsertRowid());
}

std::vector<campaign> order_repository::select_campaigns(SQLite::Statement& query) {
    std::vector<campaign> found;
    while (query.executeStep()) {
        found.push_back(campaign_row(query));
    }
    return found;
}

std::vector<campaign> order_repository::open_campaigns() {
    statement_use query(cache_(std::string(campaign_columns) +
                               "WHERE compound = ?1 AND state = 'open' ORDER BY number"));
    query->bind(1, scope_.id());
    return select_campaigns(*query);
}

std::optional<campaign> order_repository::latest() {
    statement_use query(
        cache_(std::string(campaign_columns) + "WHERE compound = ?1 ORDER BY id DESC LIMIT 1"));
    query->bind(1, scope_.id());
    return one_campaign(*query);
}

std::vector<campaign> order_repository::recent_campaigns(int limit) {
    statement_use query(
        cache_(std::string(campaign_columns) + "WHERE compound = ?1 ORDER BY id DESC LIMIT ?2"));
    query->bind(1, scope_.id());
    query->bind(2, limit);
    return select_campaigns(*query);
}

std::optional<campaign> order_repository::find_campaign(std::int64_t id) {
    statement_use query(cache_(std::string(campaign_columns) + "WHERE id = ?1 AND compound = ?2"));
    query->bind(1, id);
    query->bind(2, scope_.id());
    return one_campaign(*query);
}

std::optional<campaign> order_repository::numbered_campaign(std::int64_t number) {
    statement_use query(
        cache_(std::string(campaign_columns) + "WHERE compound = ?1 AND number = ?2"));
    query->bind(1, scope_.id());
    query->bind(2, number);
    return one_campaign(*query);
}

std::vector<campaign> order_repository::with_waiting_orders() {
    statement_use query(cache_(std::string(campaign_columns) +
                               "WHERE compound = ?1 AND EXISTS (SELECT 1 FROM orders o "
                               "WHERE o.compound = ?1 AND o.campaign_id = campaigns.id "
                               "AND o.state = 'placed') ORDER BY number"));
    query->bind(1, scope_.id());
    return select_campaigns(*query);
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
                                                  const std::string& room,
                                                  std::int64_t except_order) {
    statement_use query(
        cache_("SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l "
               "JOIN orders o ON o.id = l.order_id WHERE l.item_id = ?1 "
               "AND o.building = ?2 AND o.room = ?3 AND o.state <> 'cancelled' AND o.id <> ?4"));
    query->bind(1, item_id);
    query->bind(2, building);
    query->bind(3, room);
    query->bind(4, except_order);
    query->executeStep();
    return query->getColumn(0).getInt64();
}

order order_repository::place(std::int64_t campaign_id, std::int64_t member_id,
                              const std::string& platform, const std::string& chat_id,
                              const std::string& building, const std::string& room,
                              const std::vector<order_line_row>& lines,
                              std::optional<std::int64_t> relay_number, bool proxy,
                              std::int64_t now) {
    std::int64_t total = 0;
    for (const auto& line : lines) {
        total += line.quantity * line.price_fen;
    }
    statement_use insert(cache_(
        "INSERT INTO orders (campaign_id, number, member_id, platform, chat_id, building, room, "
        "total_fen, state, relay_number, created_at, compound, placed_by) VALUES (?1, (SELECT "
        "COALESCE(MAX(number), 0) + 1 FROM orders WHERE compound = ?10), ?2, ?3, ?4, ?5, ?6, "
        "?7, 'placed', ?8, ?9, ?10, ?11)"));
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
    bind_optional(*insert, 11, proxy ? std::optional<std::int64_t>(member_id) : std::nullopt);
    insert->exec();
    const auto order_id = db_.getLastInsertRowid();
    take_lines(order_id, lines);
    statement_use number(cache_("SELECT number FROM orders WHERE id = ?1"));
    number->bind(1, order_id);
    number->executeStep();
    // Built from what is in hand: re-reading the order with its lines cost a fifth of an order.
    order placed{order_id,
                 number->getColumn(0).getInt64(),
                 member_id,
                 platform,
                 chat_id,
                 building,
                 room,
                 total,
                 order_state::placed,
                 now,
                 lines,
                 campaign_id,
                 relay_number,
                 proxy};
    return placed;
}

void order_repository::take_lines(std::int64_t order_id, const std::vector<order_line_row>& lines) {
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
}

void order_repository::give_back(const std::vector<order_line_row>& lines) {
    statement_use restock(cache_("UPDATE items SET sold = sold - ?2 WHERE id = ?1"));
    for (const auto& line : lines) {
        restock->bind(1, line.item_id);
        restock->bind(2, line.quantity);
        restock->exec();
        restock->reset();
    }
}

order order_repository::replace_lines(const order& placed, const std::vector<order_line_row>& lines,
                                      std::int64_t now) {
    give_back(placed.lines);
    statement_use drop(cache_("DELETE FROM order_lines WHERE order_id = ?1"));
    drop->bind(1, placed.id);
    drop->exec();
    take_lines(placed.id, lines);
    auto now_placed = placed;
    now_placed.lines = lines;
    now_placed.total_fen = 0;
    for (const auto& line : lines) {
        now_placed.total_fen += line.quantity * line.price_fen;
    }
    statement_use update(cache_("UPDATE orders SET total_fen = ?2, changed_at = ?3 WHERE id = ?1"));
    update->bind(1, placed.id);
    update->bind(2, now_placed.total_fen);
    update->bind(3, now);
    update->exec();
    return now_placed;
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
                                  {},
                                  query.getColumn(15).getInt64(),
                                  optional_int(query.getColumn(16)),
                                  query.getColumn(17).getInt() != 0});
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
    give_back(placed.lines);
}

void order_repository::mark_delivered(std::int64_t order_id, std::int64_t now) {
    statement_use update(
        cache_("UPDATE orders SET state = 'delivered', changed_at = ?2 WHERE id = ?1"));
    update->bind(1, order_id);
    update->bind(2, now);
    update->exec();
}

std::vector<order> order_repository::numbered(std::int64_t number) {
    statement_use query(cache_(std::string(order_select) +
                               "WHERE o.compound = ?1 AND o.number = ?2 ORDER BY o.id, i.number"));
    query->bind(1, scope_.id());
    query->bind(2, number);
    return select_orders(*query);
}

std::vector<order> order_repository::waiting_of_household(const std::string& building,
                                                          const std::string& room) {
    statement_use query(cache_(std::string(order_select) +
                               "WHERE o.compound = ?1 AND o.building = ?2 AND o.room = ?3 AND "
                               "o.state = 'placed' ORDER BY o.id DESC, i.number"));
    query->bind(1, scope_.id());
    query->bind(2, building);
    query->bind(3, room);
    return select_orders(*query);
}

std::vector<order> order_repository::waiting(const std::optional<std::string>& building) {
    statement_use query(
        cache_(std::string(order_select) +
               "WHERE o.compound = ?1 AND o.state = 'placed' AND (?2 IS NULL OR o.building = ?2) "
               "ORDER BY o.campaign_id, CAST(o.building AS INTEGER), o.building, "
               "CAST(o.room AS INTEGER), o.room, o.number, i.number"));
    query->bind(1, scope_.id());
    if (building) {
        query->bind(2, *building);
    } else {
        query->bind(2);
    }
    return select_orders(*query);
}

std::optional<order> order_repository::relay_order(std::int64_t campaign_id,
                                                   const std::string& building,
                                                   const std::string& room) {
    statement_use query(cache_(std::string(order_select) +
                               "WHERE o.campaign_id = ?1 AND o.building = ?2 AND o.room = ?3 "
                               "AND o.relay_number IS NOT NULL AND o.state <> 'cancelled' "
                               "ORDER BY o.id DESC, i.number"));
    query->bind(1, campaign_id);
    query->bind(2, building);
    query->bind(3, room);
    auto found = select_orders(*query);
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
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
