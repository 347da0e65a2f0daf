#include "handlers/orders.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/local_time.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;

bool past_cutoff(const storage::campaign& c, std::int64_t now) {
    return c.state != storage::campaign_state::open || (c.closes_at && now >= *c.closes_at);
}

json line_vars(const storage::order_line_row& line) {
    return {{"item", line.item_name},
            {"quantity", line.quantity},
            {"unit", line.unit},
            {"amount", format_fen(line.quantity * line.price_fen)}};
}

json order_vars(const storage::order& o, reply_builder& replies) {
    json lines = json::array();
    for (const auto& line : o.lines) {
        lines.push_back(line_vars(line));
    }
    return {{"order", o.number},
            {"building", o.building},
            {"room", o.room},
            {"lines", lines},
            {"total", format_fen(o.total_fen)},
            {"state", replies.text("order.state." + std::string(storage::stored_word(o.state)))},
            {"delivered", o.state == storage::order_state::delivered}};
}

/// An item named in an order: exactly, by number, or by a unique prefix.
struct item_lookup {
    const storage::item* found = nullptr;
    std::vector<const storage::item*> candidates;  ///< when the name was ambiguous
};

item_lookup find_item(const std::vector<storage::item>& items, const std::string& typed) {
    item_lookup lookup;
    for (const auto& i : items) {
        if (i.name == typed) {
            lookup.found = &i;
            return lookup;
        }
    }
    if (const auto number = parse_number(typed)) {
        for (const auto& i : items) {
            if (i.number == *number) {
                lookup.found = &i;
                return lookup;
            }
        }
    }
    for (const auto& i : items) {
        if (i.name.starts_with(typed)) {
            lookup.candidates.push_back(&i);
        }
    }
    if (lookup.candidates.size() == 1) {
        lookup.found = lookup.candidates.front();
        lookup.candidates.clear();
    }
    return lookup;
}

/// The open campaign, or the reason there is none to order from.
std::optional<storage::campaign> orderable(context& ctx, handler_result& refusal) {
    auto open = ctx.store.orders.open();
    if (!open) {
        const auto last = ctx.store.orders.latest();
        refusal = last ? ctx.answer_only("order.after_cutoff", {{"title", last->title}})
                       : ctx.answer_only("campaign.none_open");
        return std::nullopt;
    }
    if (past_cutoff(*open, ctx.now)) {
        refusal = ctx.answer_only("order.after_cutoff", {{"title", open->title}});
        return std::nullopt;
    }
    return open;
}

/// Places one order for the sender's household, all lines or none.
handler_result place_order(const std::vector<order_line>& wanted, const storage::campaign& c,
                           std::optional<std::int64_t> relay_number, context& ctx) {
    const auto items = ctx.store.orders.items(c.id);
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    std::map<std::int64_t, std::int64_t> quantities;  // item id → quantity, lines merged
    std::vector<const storage::item*> order_of_items;
    for (const auto& line : wanted) {
        const auto lookup = find_item(items, line.item);
        if (!lookup.found) {
            json names = json::array();
            for (const auto* candidate : lookup.candidates) {
                names.push_back({{"name", candidate->name}, {"number", candidate->number}});
            }
            return lookup.candidates.empty()
                       ? ctx.answer_only("order.unknown_item", {{"item", line.item}})
                       : ctx.answer_only("order.ambiguous_item",
                                         {{"item", line.item}, {"candidates", names}});
        }
        if (!quantities.contains(lookup.found->id)) {
            order_of_items.push_back(lookup.found);
        }
        quantities[lookup.found->id] += line.quantity;
    }
    std::vector<storage::order_line_row> lines;
    for (const auto* i : order_of_items) {
        const auto quantity = quantities[i->id];
        const json vars{{"item", i->name}, {"unit", i->unit}, {"quantity", quantity}};
        if (i->stock && i->sold + quantity > *i->stock) {
            auto v = vars;
            v["left"] = *i->stock - i->sold;
            return ctx.answer_only(*i->stock == i->sold ? "order.sold_out" : "order.not_enough", v);
        }
        if (i->limit_per_person) {
            const auto before = ctx.store.orders.household_quantity(i->id, building, room);
            if (before + quantity > *i->limit_per_person) {
                auto v = vars;
                v["limit"] = *i->limit_per_person;
                v["before"] = before;
                return ctx.answer_only("order.over_limit", v);
            }
        }
        lines.push_back(storage::order_line_row{i->id, i->name, i->unit, quantity, i->price_fen});
    }
    const auto placed =
        ctx.store.orders.place(c.id, ctx.sender.id, ctx.msg.platform, ctx.msg.chat_id, building,
                               room, lines, relay_number, ctx.now);
    return ctx.answer_only("order.placed", order_vars(placed, ctx.replies));
}

handler_result order_from_relay(const order_args& args, const storage::campaign& c, context& ctx) {
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    handler_result result;
    for (const auto& entry : args.relay) {
        if (!entry.building || entry.building->label != building || entry.room != room ||
            entry.lines.empty() ||
            ctx.store.orders.relay_taken(c.id, building, room, entry.number)) {
            continue;
        }
        auto placed = place_order(entry.lines, c, entry.number, ctx);
        result.replies.insert(result.replies.end(), placed.replies.begin(), placed.replies.end());
    }
    if (result.replies.empty()) {
        return ctx.answer_only("order.relay_no_line", {{"building", building}, {"room", room}});
    }
    return result;
}

/// The campaign the staff commands look at: the open one, else the latest.
std::optional<storage::campaign> current_campaign(context& ctx, handler_result& refusal) {
    auto c = ctx.store.orders.latest();
    if (!c) {
        refusal = ctx.answer_only("campaign.none");
    }
    return c;
}

json totals_vars(repositories& store, std::int64_t campaign_id,
                 const std::optional<std::string>& building = std::nullopt) {
    json items = json::array();
    std::int64_t grand = 0;
    for (const auto& t : store.orders.totals(campaign_id, building)) {
        if (t.quantity == 0) {
            continue;
        }
        items.push_back({{"item", t.name},
                         {"quantity", t.quantity},
                         {"unit", t.unit},
                         {"amount", format_fen(t.amount_fen)}});
        grand += t.amount_fen;
    }
    json buildings = json::array();
    std::int64_t orders = 0;
    for (const auto& b : store.orders.per_building(campaign_id)) {
        if (building && b.building != *building) {
            continue;
        }
        buildings.push_back(
            {{"building", b.building}, {"orders", b.orders}, {"delivered", b.delivered}});
        orders += b.orders;
    }
    return {{"items", items},
            {"buildings", buildings},
            {"orders", orders},
            {"total", format_fen(grand)}};
}

/// Closes a campaign: the committee chat gets the totals.
std::vector<outbound> close_campaign(const storage::campaign& c, std::int64_t now,
                                     repositories& store, reply_builder& replies) {
    store.orders.close(c.id, now);
    auto vars = totals_vars(store, c.id);
    vars["title"] = c.title;
    return to_committee(store, replies.text("campaign.closed_totals", vars));
}

}  // namespace

handler_result handle_shop(const command& cmd, context& ctx) {
    const auto& args = std::get<shop_args>(cmd.args);
    if (const auto open = ctx.store.orders.open(); open && !past_cutoff(*open, ctx.now)) {
        return ctx.answer_only("campaign.already_open", {{"title", open->title}});
    } else if (open) {
        // Its cut-off passed but the close job has not run yet: close it now, quietly.
        ctx.store.orders.close(open->id, ctx.now);
    }
    std::optional<std::int64_t> closes_at;
    json vars{{"title", args.title}, {"has_cutoff", args.until.has_value()}};
    if (args.until) {
        closes_at =
            resolve_when(when_spec{{}, *args.until, {}, {}}, ctx.now, ctx.config.zone).start;
        vars["until"] = format_local(*closes_at, ctx.config.zone);
    }
    const auto id =
        ctx.store.orders.open_campaign(args.title, closes_at, ctx.sender.key(), ctx.now);
    if (closes_at) {
        ctx.store.jobs.schedule(storage::job_kind::campaign_close, json{{"campaign_id", id}}.dump(),
                                *closes_at, "campaign_close:" + std::to_string(id), ctx.now);
    }
    return ctx.answer_only("campaign.opened", vars);
}

handler_result handle_item(const command& cmd, context& ctx) {
    const auto& args = std::get<item_args>(cmd.args);
    const auto open = ctx.store.orders.open();
    if (!open || past_cutoff(*open, ctx.now)) {
        return ctx.answer_only("campaign.none_open");
    }
    for (const auto& existing : ctx.store.orders.items(open->id)) {
        if (existing.name == args.name && args.stock && *args.stock < existing.sold) {
            return ctx.answer_only(
                "item.stock_below_sold",
                {{"item", existing.name}, {"sold", existing.sold}, {"unit", existing.unit}});
        }
    }
    const auto saved = ctx.store.orders.put_item(open->id, args.name, args.price_fen, args.stock,
                                                 args.unit.value_or(""), args.limit_per_person);
    return ctx.answer_only("item.added", {{"number", saved.number},
                                          {"item", saved.name},
                                          {"price", format_fen(saved.price_fen)},
                                          {"unit", saved.unit},
                                          {"has_stock", saved.stock.has_value()},
                                          {"stock", saved.stock.value_or(0)},
                                          {"has_limit", saved.limit_per_person.has_value()},
                                          {"limit", saved.limit_per_person.value_or(0)}});
}

handler_result handle_menu(const command& /*cmd*/, context& ctx) {
    const auto c = ctx.store.orders.latest();
    if (!c) {
        return ctx.answer_only("campaign.none");
    }
    json items = json::array();
    for (const auto& i : ctx.store.orders.items(c->id)) {
        const auto left = i.stock ? *i.stock - i.sold : 0;
        items.push_back({{"number", i.number},
                         {"item", i.name},
                         {"price", format_fen(i.price_fen)},
                         {"unit", i.unit},
                         {"has_stock", i.stock.has_value()},
                         {"left", left},
                         {"sold_out", i.stock && left <= 0},
                         {"has_limit", i.limit_per_person.has_value()},
                         {"limit", i.limit_per_person.value_or(0)}});
    }
    return ctx.answer_only(
        "campaign.menu",
        {{"title", c->title},
         {"items", items},
         {"empty", items.empty()},
         {"closed", past_cutoff(*c, ctx.now)},
         {"has_cutoff", c->closes_at.has_value()},
         {"until", c->closes_at ? format_local(*c->closes_at, ctx.config.zone) : ""}});
}

handler_result handle_order(const command& cmd, context& ctx) {
    const auto& args = std::get<order_args>(cmd.args);
    handler_result refusal;
    const auto c = orderable(ctx, refusal);
    if (!c) {
        return refusal;
    }
    if (!args.relay.empty()) {
        return order_from_relay(args, *c, ctx);
    }
    return place_order(args.lines, *c, std::nullopt, ctx);
}

handler_result handle_myorders(const command& /*cmd*/, context& ctx) {
    handler_result refusal;
    const auto c = current_campaign(ctx, refusal);
    if (!c) {
        return refusal;
    }
    json orders = json::array();
    for (const auto& o :
         ctx.store.orders.of_household(c->id, *ctx.sender.building, *ctx.sender.room)) {
        orders.push_back(order_vars(o, ctx.replies));
    }
    return ctx.answer_only("order.mine",
                           {{"title", c->title}, {"orders", orders}, {"none", orders.empty()}});
}

handler_result handle_cancel(const command& cmd, context& ctx) {
    const auto& args = std::get<order_number_args>(cmd.args);
    handler_result refusal;
    const auto c = orderable(ctx, refusal);
    if (!c) {
        return refusal;
    }
    std::optional<storage::order> target;
    if (args.order) {
        target = ctx.store.orders.find(c->id, *args.order);
    } else if (ctx.sender.room) {
        for (const auto& o :
             ctx.store.orders.of_household(c->id, *ctx.sender.building, *ctx.sender.room)) {
            if (o.state == storage::order_state::placed) {
                target = o;
                break;
            }
        }
    }
    if (!target) {
        return ctx.answer_only("order.not_found", {{"order", args.order.value_or(0)},
                                                   {"numbered", args.order.has_value()}});
    }
    // The household owns its orders: any member registered at that room may cancel.
    const bool own = target->building == ctx.sender.building && target->room == ctx.sender.room;
    if (!own && !ctx.sender_standing.has(role::committee)) {
        return ctx.answer_only("order.not_yours", {{"order", target->number}});
    }
    if (target->state != storage::order_state::placed) {
        return ctx.answer_only(
            "order.not_cancellable",
            {{"order", target->number},
             {"state", ctx.replies.text("order.state." +
                                        std::string(storage::stored_word(target->state)))}});
    }
    ctx.store.orders.cancel(*target, ctx.now);
    return ctx.answer_only("order.cancelled", order_vars(*target, ctx.replies));
}

handler_result handle_close(const command& /*cmd*/, context& ctx) {
    const auto open = ctx.store.orders.open();
    if (!open) {
        return ctx.answer_only("campaign.none_open");
    }
    handler_result result;
    result.outbox = close_campaign(*open, ctx.now, ctx.store, ctx.replies);
    auto vars = totals_vars(ctx.store, open->id);
    vars["title"] = open->title;
    result.replies.push_back(ctx.answer("campaign.closed", vars));
    return result;
}

handler_result handle_summary(const command& cmd, context& ctx) {
    const auto& args = std::get<building_opt_args>(cmd.args);
    handler_result refusal;
    const auto c = current_campaign(ctx, refusal);
    if (!c) {
        return refusal;
    }
    std::optional<std::string> building;
    if (args.building) {
        building = args.building->label;
    }
    auto vars = totals_vars(ctx.store, c->id, building);
    vars["title"] = c->title;
    vars["closed"] = past_cutoff(*c, ctx.now);
    vars["has_building"] = building.has_value();
    vars["building"] = building.value_or("");
    return ctx.answer_only("campaign.summary", vars);
}

handler_result handle_delivery(const command& cmd, context& ctx) {
    const auto& args = std::get<building_args>(cmd.args);
    // A lead's list is of their buildings; volunteers serve the whole compound.
    if (!ctx.acts_on(args.building.label, true)) {
        return ctx.not_yours(args.building.label);
    }
    handler_result refusal;
    const auto c = current_campaign(ctx, refusal);
    if (!c) {
        return refusal;
    }
    // Household notes (独居老人) are for those who serve the household: shown privately, in the
    // committee's and volunteers' chats, and where a committee member asks for the list.
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const bool staff_chat =
        ctx.msg.is_private || (chat && (chat->kind == "committee" || chat->kind == "volunteers"));
    std::map<std::string, std::string> notes;
    if (staff_chat || ctx.sender_standing.has(role::committee)) {
        for (const auto& h : ctx.store.households.notes(args.building.label)) {
            notes.emplace(h.room, h.note);
        }
    }
    json doors = json::array();
    std::int64_t waiting = 0;
    for (const auto& o : ctx.store.orders.of_campaign(c->id, args.building.label)) {
        if (o.state == storage::order_state::cancelled) {
            continue;
        }
        auto door = order_vars(o, ctx.replies);
        const auto note = notes.find(o.room);
        door["has_note"] = note != notes.end();
        door["note"] = note != notes.end() ? note->second : "";
        doors.push_back(std::move(door));
        waiting += o.state == storage::order_state::placed ? 1 : 0;
    }
    return ctx.answer_only("delivery.list", {{"title", c->title},
                                             {"building", args.building.label},
                                             {"orders", doors},
                                             {"count", doors.size()},
                                             {"waiting", waiting},
                                             {"none", doors.empty()}});
}

handler_result handle_delivered(const command& cmd, context& ctx) {
    const auto& args = std::get<delivered_args>(cmd.args);
    handler_result refusal;
    const auto c = current_campaign(ctx, refusal);
    if (!c) {
        return refusal;
    }
    std::vector<storage::order> to_mark;
    if (args.order) {
        const auto found = ctx.store.orders.find(c->id, *args.order);
        if (!found) {
            return ctx.answer_only("order.not_found", {{"order", *args.order}, {"numbered", true}});
        }
        if (found->state != storage::order_state::placed) {
            return ctx.answer_only(
                "order.not_deliverable",
                {{"order", found->number},
                 {"state", ctx.replies.text("order.state." +
                                            std::string(storage::stored_word(found->state)))}});
        }
        if (!ctx.acts_on(found->building, true)) {
            return ctx.not_yours(found->building);
        }
        to_mark.push_back(*found);
    } else if (args.building) {
        if (!ctx.acts_on(args.building->label, true)) {
            return ctx.not_yours(args.building->label);
        }
        for (const auto& o : ctx.store.orders.of_campaign(c->id, args.building->label)) {
            if (o.state == storage::order_state::placed) {
                to_mark.push_back(o);
            }
        }
        if (to_mark.empty()) {
            return ctx.answer_only("delivery.nothing_left", {{"building", args.building->label}});
        }
    }
    // One notice per chat, naming the rooms, so a building group is not flooded.
    std::map<std::pair<std::string, std::string>, std::vector<const storage::order*>> by_chat;
    for (const auto& o : to_mark) {
        ctx.store.orders.mark_delivered(o.id, ctx.now);
        by_chat[{o.platform, o.chat_id}].push_back(&o);
    }
    handler_result result;
    for (const auto& [chat, orders] : by_chat) {
        json doors = json::array();
        for (const auto* o : orders) {
            doors.push_back({{"building", o->building}, {"room", o->room}, {"order", o->number}});
        }
        result.outbox.push_back(outbound{chat.first, chat.second, false,
                                         ctx.replies.text("delivery.arrived", {{"doors", doors}}),
                                         std::nullopt});
    }
    result.replies.push_back(ctx.answer("delivery.marked", {{"count", to_mark.size()}}));
    return result;
}

namespace {

/// One CSV field: quoted when needed, and never read as a formula by a spreadsheet.
std::string csv_field(const std::string& value) {
    std::string text = value;
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
        text.insert(0, "'");
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

}  // namespace

std::optional<std::string> export_orders_csv(repositories& store, const settings& config,
                                             const std::string& compound,
                                             std::optional<std::int64_t> campaign_id) {
    const storage::compound_scope::entered in(store.scope, compound);
    const auto c = campaign_id ? store.orders.find_campaign(*campaign_id) : store.orders.latest();
    if (!c) {
        return std::nullopt;
    }
    reply_builder words(store.templates, config.locale);
    std::string csv = "\xEF\xBB\xBF";
    csv += "单号,楼号,房号,商品,数量,单位,单价,金额,状态,下单时间\r\n";
    for (const auto& o : store.orders.of_campaign(c->id)) {
        for (const auto& line : o.lines) {
            const std::vector<std::string> fields{
                std::to_string(o.number),
                o.building,
                o.room,
                line.item_name,
                std::to_string(line.quantity),
                line.unit,
                format_fen(line.price_fen),
                format_fen(line.price_fen * line.quantity),
                words.text("order.state." + std::string(storage::stored_word(o.state))),
                format_local(o.created_at, config.zone)};
            for (std::size_t i = 0; i < fields.size(); ++i) {
                csv += (i ? "," : "") + csv_field(fields[i]);
            }
            csv += "\r\n";
        }
    }
    return csv;
}

handler_result run_campaign_close_job(const storage::job& due, job_context& ctx, bool /*stale*/) {
    handler_result result;
    const auto id = json::parse(due.payload).at("campaign_id").get<std::int64_t>();
    const auto c = ctx.store.orders.find_campaign(id);
    // A late close is still right: orders after the cut-off were refused meanwhile anyway.
    if (c && c->state == storage::campaign_state::open) {
        result.outbox = close_campaign(*c, ctx.now, ctx.store, ctx.replies);
    }
    return result;
}

}  // namespace loudong::handlers
