#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "storage/job_repository.hpp"

namespace loudong::handlers {

/// `开团 华联超市 截单 18:00`: opens a numbered group-buy campaign beside any others open; a
/// lead's serves the lead's buildings.
handler_result handle_shop(const command& cmd, context& ctx);

/// `上架 [2团] 鸡蛋 15.8 200 盒 限购 2`: adds an item, or changes what the command names of
/// the item already listed under that name.
handler_result handle_item(const command& cmd, context& ctx);

/// `菜单 [2]`: the open campaigns, or one campaign's items, prices, stock left and cut-off.
handler_result handle_menu(const command& cmd, context& ctx);

/// `下单 [2团] 鸡蛋 2 大米 1`, `下单 1 2`, or a pasted 接龙 list (a re-paste replaces the
/// household's relay order): one order per campaign, all or nothing.
handler_result handle_order(const command& cmd, context& ctx);

/// `我的订单`: the household's orders still to deliver, and the latest campaign's.
handler_result handle_myorders(const command& cmd, context& ctx);

/// `取消 [单号]`: cancels an order of the household before cut-off (committee: any order).
handler_result handle_cancel(const command& cmd, context& ctx);

/// `截单 [2团]`: closes a campaign now and sends the totals to the committee chat.
handler_result handle_close(const command& cmd, context& ctx);

/// `汇总 [楼号] [2团]`: the shops' picking lists and orders per building.
handler_result handle_summary(const command& cmd, context& ctx);

/// `配送单 3号楼 [2团]`: the door-by-door list, sorted by room: every order still to deliver,
/// by campaign, or one campaign's.
handler_result handle_delivery(const command& cmd, context& ctx);

/// `送达 12` / `送达 3号楼 [2团]`: marks delivery and tells the residents through the outbox.
handler_result handle_delivered(const command& cmd, context& ctx);

/// `代下单 3-502 鸡蛋 2`: staff order for a household (one without a phone); the household's
/// members are told privately.
handler_result handle_orderfor(const command& cmd, context& ctx);

/// All orders of a compound's campaign (the open or latest one when none is named) as CSV for
/// the shop: UTF-8 with a BOM so spreadsheet programs read the Chinese; nullopt when there is
/// none. With `only`, the orders of those buildings alone (a lead's, in the console).
std::optional<std::string> export_orders_csv(repositories& store, const settings& config,
                                             const std::string& compound,
                                             std::optional<std::int64_t> campaign_id,
                                             const std::set<std::string>* only = nullptr);

/// Closes a campaign at its cut-off time (a timed job).
handler_result run_campaign_close_job(const storage::job& due, job_context& ctx, bool stale);

/// A group buy's menu to the building chats it serves, once its listing has paused for
/// `announce_quiet_seconds` (each 上架 restarts the wait).
handler_result run_campaign_announce_job(const storage::job& due, job_context& ctx, bool stale);

}  // namespace loudong::handlers
