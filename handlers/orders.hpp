#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `开团 华联超市 截单 18:00`: opens a group-buy campaign (one at a time).
handler_result handle_shop(const command& cmd, context& ctx);

/// `上架 鸡蛋 15.8 200 盒 限购 2`: adds (or updates) an item of the open campaign.
handler_result handle_item(const command& cmd, context& ctx);

/// `菜单`: items, prices, stock left and the cut-off.
handler_result handle_menu(const command& cmd, context& ctx);

/// `下单 鸡蛋 2 大米 1`, `下单 1 2`, or a pasted 接龙 list: one order, all or nothing.
handler_result handle_order(const command& cmd, context& ctx);

/// `我的订单`: the household's orders in the current campaign.
handler_result handle_myorders(const command& cmd, context& ctx);

/// `取消 [单号]`: cancels an order of the household before cut-off (committee: any order).
handler_result handle_cancel(const command& cmd, context& ctx);

/// `截单`: closes the campaign now and sends the totals to the committee chat.
handler_result handle_close(const command& cmd, context& ctx);

/// `汇总 [楼号]`: the shop's picking list and orders per building.
handler_result handle_summary(const command& cmd, context& ctx);

/// `配送单 3号楼`: the door-by-door list, sorted by room.
handler_result handle_delivery(const command& cmd, context& ctx);

/// `送达 12` / `送达 3号楼`: marks delivery and tells the residents through the outbox.
handler_result handle_delivered(const command& cmd, context& ctx);

/// All orders of a compound's campaign (the open or latest one when none is named) as CSV for
/// the shop: UTF-8 with a BOM so spreadsheet programs read the Chinese; nullopt when there is
/// none.
std::optional<std::string> export_orders_csv(repositories& store, const settings& config,
                                             const std::string& compound,
                                             std::optional<std::int64_t> campaign_id);

/// Closes a campaign at its cut-off time (a timed job).
handler_result run_campaign_close_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
