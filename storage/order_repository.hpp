#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "storage/kinds.hpp"

#include "storage/statement_cache.hpp"

namespace loudong::storage {

/// A group-buy campaign (开团): one shop's list, open until cut-off.
struct campaign {
    std::int64_t id = 0;
    std::string title;
    std::optional<std::int64_t> closes_at;  ///< Unix seconds
    campaign_state state = campaign_state::open;
};

/// An item on a campaign's menu; money in integer fen.
struct item {
    std::int64_t id = 0;
    std::int64_t number = 0;  ///< 1, 2, … within the campaign
    std::string name;
    std::int64_t price_fen = 0;
    std::optional<std::int64_t> stock;  ///< empty: unlimited
    std::int64_t sold = 0;
    std::string unit;
    std::optional<std::int64_t> limit_per_person;  ///< per household (room)
};

/// One line of an order, with the price it was sold at.
struct order_line_row {
    std::int64_t item_id = 0;
    std::string item_name;
    std::string unit;
    std::int64_t quantity = 0;
    std::int64_t price_fen = 0;
};

/// An order with its lines.
struct order {
    std::int64_t id = 0;
    std::int64_t number = 0;  ///< short number within the campaign (跟团号)
    std::int64_t member_id = 0;
    std::string platform;
    std::string chat_id;
    std::string building;
    std::string room;
    std::int64_t total_fen = 0;
    order_state state = order_state::placed;
    std::int64_t created_at = 0;
    std::vector<order_line_row> lines;
};

/// Per-item totals of a campaign (not counting cancelled orders).
struct item_total {
    std::string name;
    std::string unit;
    std::int64_t quantity = 0;
    std::int64_t amount_fen = 0;
};

/// Orders per building.
struct building_count {
    std::string building;
    std::int64_t orders = 0;
    std::int64_t delivered = 0;
};

/// Campaigns, items and orders. Stock is checked and taken in the caller's transaction,
/// and the table's CHECK refuses any sale beyond stock.
///
/// Campaigns are found only in the compound in scope; items and orders are reached through a
/// campaign found so, and are created in the compound in scope.
class order_repository {
public:
    order_repository(SQLite::Database& db, const compound_scope& scope);

    /// Opens a campaign; returns its id.
    std::int64_t open_campaign(const std::string& title, std::optional<std::int64_t> closes_at,
                               const std::string& by, std::int64_t now);

    /// The open campaign, if any.
    std::optional<campaign> open();

    /// The open campaign, or else the most recent one.
    std::optional<campaign> latest();

    /// One campaign by id.
    std::optional<campaign> find_campaign(std::int64_t id);

    /// Closes a campaign.
    void close(std::int64_t campaign_id, std::int64_t now);

    /// Adds an item, or updates the item of that name; returns it.
    item put_item(std::int64_t campaign_id, const std::string& name, std::int64_t price_fen,
                  std::optional<std::int64_t> stock, const std::string& unit,
                  std::optional<std::int64_t> limit_per_person);

    /// A campaign's items by number.
    std::vector<item> items(std::int64_t campaign_id);

    /// How many of an item a household has ordered (cancelled orders not counted).
    std::int64_t household_quantity(std::int64_t item_id, const std::string& building,
                                    const std::string& room);

    /// Records an order and takes its quantities from stock; returns the order.
    order place(std::int64_t campaign_id, std::int64_t member_id, const std::string& platform,
                const std::string& chat_id, const std::string& building, const std::string& room,
                const std::vector<order_line_row>& lines, std::optional<std::int64_t> relay_number,
                std::int64_t now);

    /// One order by its short number.
    std::optional<order> find(std::int64_t campaign_id, std::int64_t number);

    /// A household's (room's) orders in a campaign, newest first.
    std::vector<order> of_household(std::int64_t campaign_id, const std::string& building,
                                    const std::string& room);

    /// A campaign's orders (of one building when given), by building and room.
    std::vector<order> of_campaign(std::int64_t campaign_id,
                                   const std::optional<std::string>& building = std::nullopt);

    /// Cancels an order and returns its quantities to stock.
    void cancel(const order& placed, std::int64_t now);

    /// Marks an order delivered.
    void mark_delivered(std::int64_t order_id, std::int64_t now);

    /// Whether a relay-list line number was already ordered by this room.
    bool relay_taken(std::int64_t campaign_id, const std::string& building, const std::string& room,
                     std::int64_t relay_number);

    /// Per-item totals, by item number.
    std::vector<item_total> totals(std::int64_t campaign_id,
                                   const std::optional<std::string>& building = std::nullopt);

    /// Orders per building, by building.
    std::vector<building_count> per_building(std::int64_t campaign_id);

private:
    std::vector<order> select_orders(SQLite::Statement& query);

    SQLite::Database& db_;
    const compound_scope& scope_;
    statement_cache cache_;
};

}  // namespace loudong::storage
