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

/// A group-buy campaign (开团): one shop's list, open until cut-off. Several may be open at once.
struct campaign {
    std::int64_t id = 0;
    std::int64_t number = 0;  ///< 1, 2, … within the compound: `2团`
    std::string title;
    std::optional<std::int64_t> closes_at;  ///< Unix seconds
    campaign_state state = campaign_state::open;
    std::string created_by;              ///< member key
    std::vector<std::string> buildings;  ///< a lead's campaign serves these; empty: all
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
    std::int64_t number = 0;     ///< short number, unique within the compound since migration 16
    std::int64_t member_id = 0;  ///< who placed it: the resident, or the staff member for 代下单
    std::string platform;
    std::string chat_id;
    std::string building;
    std::string room;
    std::int64_t total_fen = 0;
    order_state state = order_state::placed;
    std::int64_t created_at = 0;
    std::vector<order_line_row> lines;
    std::int64_t campaign_id = 0;
    std::optional<std::int64_t> relay_number;  ///< the 接龙 line it came from
    bool proxy = false;                        ///< placed by staff for the household (代下单)
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

    /// Opens a campaign with the next number of the compound; `buildings` empty serves all.
    campaign open_campaign(const std::string& title, std::optional<std::int64_t> closes_at,
                           const std::string& by, const std::vector<std::string>& buildings,
                           std::int64_t now);

    /// The open campaigns, by number.
    std::vector<campaign> open_campaigns();

    /// The newest campaign, open or not.
    std::optional<campaign> latest();

    /// The newest campaigns, open or closed, newest first.
    std::vector<campaign> recent_campaigns(int limit);

    /// One campaign by id.
    std::optional<campaign> find_campaign(std::int64_t id);

    /// One campaign by its number in the compound (`2团`).
    std::optional<campaign> numbered_campaign(std::int64_t number);

    /// Campaigns with orders still to deliver, by number.
    std::vector<campaign> with_waiting_orders();

    /// Closes a campaign.
    void close(std::int64_t campaign_id, std::int64_t now);

    /// Adds an item, or sets every field of the item of exactly that name; returns it.
    item put_item(std::int64_t campaign_id, const std::string& name, std::int64_t price_fen,
                  std::optional<std::int64_t> stock, const std::string& unit,
                  std::optional<std::int64_t> limit_per_person);

    /// A campaign's items by number.
    std::vector<item> items(std::int64_t campaign_id);

    /// How many of an item a household has ordered (cancelled orders, and the order being
    /// replaced when given, not counted).
    std::int64_t household_quantity(std::int64_t item_id, const std::string& building,
                                    const std::string& room, std::int64_t except_order = 0);

    /// Records an order with the compound's next number and takes its quantities from stock;
    /// `proxy` when staff placed it for the household (member_id is then theirs).
    order place(std::int64_t campaign_id, std::int64_t member_id, const std::string& platform,
                const std::string& chat_id, const std::string& building, const std::string& room,
                const std::vector<order_line_row>& lines, std::optional<std::int64_t> relay_number,
                bool proxy, std::int64_t now);

    /// The orders of the compound with that number (one since migration 16; older campaigns
    /// numbered their orders each from 1).
    std::vector<order> numbered(std::int64_t number);

    /// One order by its number within a campaign.
    std::optional<order> find(std::int64_t campaign_id, std::int64_t number);

    /// A household's (room's) orders in a campaign, newest first.
    std::vector<order> of_household(std::int64_t campaign_id, const std::string& building,
                                    const std::string& room);

    /// A household's orders still to deliver, in every campaign, newest first.
    std::vector<order> waiting_of_household(const std::string& building, const std::string& room);

    /// A campaign's orders (of one building when given), by building and room.
    std::vector<order> of_campaign(std::int64_t campaign_id,
                                   const std::optional<std::string>& building = std::nullopt);

    /// Orders still to deliver in every campaign (of one building when given), by campaign,
    /// building and room.
    std::vector<order> waiting(const std::optional<std::string>& building = std::nullopt);

    /// The household's latest relay-list order in a campaign that was not cancelled, if any.
    std::optional<order> relay_order(std::int64_t campaign_id, const std::string& building,
                                     const std::string& room);

    /// Replaces an order's lines (a re-pasted 接龙 line): its quantities go back to stock and
    /// the new ones are taken; the number stays. Returns the order as it is now.
    order replace_lines(const order& placed, const std::vector<order_line_row>& lines,
                        std::int64_t now);

    /// Cancels an order and returns its quantities to stock.
    void cancel(const order& placed, std::int64_t now);

    /// Marks an order delivered.
    void mark_delivered(std::int64_t order_id, std::int64_t now);

    /// Per-item totals, by item number.
    std::vector<item_total> totals(std::int64_t campaign_id,
                                   const std::optional<std::string>& building = std::nullopt);

    /// Orders per building, by building.
    std::vector<building_count> per_building(std::int64_t campaign_id);

private:
    std::vector<order> select_orders(SQLite::Statement& query);
    std::vector<campaign> select_campaigns(SQLite::Statement& query);
    void take_lines(std::int64_t order_id, const std::vector<order_line_row>& lines);
    void give_back(const std::vector<order_line_row>& lines);

    SQLite::Database& db_;
    const compound_scope& scope_;
    statement_cache cache_;
};

}  // namespace loudong::storage
