#include "handlers/orders.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/item_names.hpp"
#include "handlers/local_time.hpp"
#include "handlers/parser/text_forms.hpp"

// SPEC §3 and §11: several group buys open side by side, each with a number in its compound
// (`2团`); a lead's campaign serves the lead's buildings. Every order still to deliver stays
// reachable by 我的订单, 配送单, 送达 and 汇总 whichever campaign it belongs to.
namespace loudong::handlers {
namespace {

using json = nlohmann::json;
using storage::campaign;

// How long the listing of a group buy must pause before its menu goes to the buildings.
constexpr std::int64_t announce_quiet_seconds = 5 * 60;

bool past_cutoff(const campaign& c, std::int64_t now) {
    return c.state != storage::campaign_state::open || (c.closes_at && now >= *c.closes_at);
}

/// Whether households of `building` may order from the campaign.
bool serves(const campaign& c, const std::string& building) {
    return c.buildings.empty() ||
           std::find(c.buildings.begin(), c.buildings.end(), building) != c.buildings.end();
}

/// Whether the sender runs the campaign: the committee, whoever opened it, or a lead of all
/// the buildings it serves.
bool manages(const campaign& c, context& ctx) {
    if (ctx.sender_standing.has(role::committee) || c.created_by == ctx.sender.key()) {
        return true;
    }
    return ctx.sender_standing.has(role::lead) && !c.buildings.empty() &&
           std::all_of(c.buildings.begin(), c.buildings.end(),
                       [&](const std::string& b) { return ctx.sender_standing.leads(b); });
}

bool is_staff(context& ctx) {
    return ctx.sender_standing.has(role::committee) || ctx.sender_standing.has(role::lead) ||
           ctx.sender_standing.has(role::volunteer);
}

// A message handler's context or a timed job's: both have the clock, storage and replies.
template <typename Ctx>
json campaign_vars(const campaign& c, Ctx& ctx) {
    return {{"campaign", c.number},
            {"number", c.number},
            {"title", c.title},
            {"closed", past_cutoff(c, ctx.now)},
            {"has_cutoff", c.closes_at.has_value()},
            {"until", c.closes_at ? format_local(*c.closes_at, ctx.config.zone) : ""},
            {"has_serves", !c.buildings.empty()},
            {"serves", describe_buildings(c.buildings, ctx.replies)}};
}

json line_vars(const storage::order_line_row& line) {
    return {{"item", line.item_name},
            {"quantity", line.quantity},
            {"unit", line.unit},
            {"amount", format_fen(line.quantity * line.price_fen)}};
}

std::string state_word(storage::order_state state, reply_builder& replies) {
    return replies.text("order.state." + std::string(storage::stored_word(state)));
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
            {"state", state_word(o.state, replies)},
            {"delivered", o.state == storage::order_state::delivered},
            {"proxy", o.proxy}};
}

/// An item named in an order: by its name compared as item_key does, by number, or by a unique
/// prefix of that key.
struct item_lookup {
    const storage::item* found = nullptr;
    std::vector<const storage::item*> candidates;  ///< when the name was ambiguous
};

item_lookup find_item(const std::vector<storage::item>& items, const std::string& typed,
                      bool by_number) {
    item_lookup lookup;
    const auto key = item_key(typed);
    std::vector<std::string> keys;  // one normalisation per item and lookup
    keys.reserve(items.size());
    for (const auto& i : items) {
        keys.push_back(item_key(i.name));
        if (keys.back() == key) {
            lookup.found = &i;
            return lookup;
        }
    }
    if (const auto number = parse_number(typed); number && by_number) {
        for (const auto& i : items) {
            if (i.number == *number) {
                lookup.found = &i;
                return lookup;
            }
        }
    }
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (!key.empty() && keys[k].starts_with(key)) {
            lookup.candidates.push_back(&items[k]);
        }
    }
    if (lookup.candidates.size() == 1) {
        lookup.found = lookup.candidates.front();
        lookup.candidates.clear();
    }
    return lookup;
}

/// The campaigns a household may order from now, with their items.
struct shop_view {
    std::vector<campaign> live;
    std::map<std::int64_t, std::vector<storage::item>> items;  ///< by campaign id
    bool several_open = false;  ///< more than one open campaign serves the household
    bool named = false;         ///< the command named the campaign (下单 2团 …)
    /// Campaigns serving the household that no longer take orders but still have orders to
    /// deliver (or are open past their cut-off): "鸡蛋" there means "too late", not "unknown".
    std::vector<campaign> closed;
};

/// The campaigns a household of `building` may order from now (the one named, when named), or
/// the reason there is none.
std::optional<shop_view> orderable(const std::optional<std::int64_t>& number,
                                   const std::string& building, context& ctx,
                                   handler_result& refusal) {
    shop_view view;
    std::vector<campaign> open;
    for (auto& c : ctx.store.orders.open_campaigns()) {
        if (serves(c, building)) {
            open.push_back(std::move(c));
        }
    }
    view.several_open = open.size() > 1;
    if (number) {
        const auto c = ctx.store.orders.numbered_campaign(*number);
        if (!c) {
            refusal = ctx.answer_only("campaign.not_found", {{"number", *number}});
            return std::nullopt;
        }
        if (!serves(*c, building)) {
            refusal = ctx.answer_only("campaign.not_for_you", campaign_vars(*c, ctx));
            return std::nullopt;
        }
        open = {*c};
        view.named = true;
    }
    for (const auto& c : open) {
        (past_cutoff(c, ctx.now) ? view.closed : view.live).push_back(c);
    }
    if (!number) {
        for (auto& c : ctx.store.orders.with_waiting_orders()) {
            if (serves(c, building) && c.state != storage::campaign_state::open) {
                view.closed.push_back(std::move(c));
            }
        }
    }
    if (view.live.empty()) {
        auto last = open.empty() ? ctx.store.orders.latest() : std::optional(open.back());
        refusal = last && serves(*last, building)
                      ? ctx.answer_only("order.after_cutoff", {{"title", last->title}})
                      : ctx.answer_only("campaign.none_open");
        return std::nullopt;
    }
    for (const auto& c : view.live) {
        view.items.emplace(c.id, ctx.store.orders.items(c.id));
    }
    return view;
}

/// What one order of one campaign asks for: items with their quantities, lines merged.
struct basket {
    campaign c;
    std::vector<std::pair<const storage::item*, std::int64_t>> items;
};

/// Sorts the lines into one basket per campaign; a name found in several campaigns, or an item
/// number with several open, asks which (`example_prefix`: "下单", "代下单 3-502").
std::optional<std::vector<basket>> fill_baskets(const std::vector<order_line>& wanted,
                                                const shop_view& view,
                                                const std::string& example_prefix, context& ctx,
                                                handler_result& refusal) {
    std::vector<basket> baskets;
    for (const auto& line : wanted) {
        const bool plain_number = parse_number(line.item).has_value();
        if (plain_number && view.live.size() > 1) {
            refusal = ctx.answer_only(
                "order.number_needs_campaign",
                {{"count", view.live.size()},
                 {"example", example_prefix + " " + std::to_string(view.live.front().number) +
                                 "团 " + line.item + " " + std::to_string(line.quantity)}});
            return std::nullopt;
        }
        std::vector<std::pair<const campaign*, const storage::item*>> found;
        std::vector<const storage::item*> candidates;
        for (const auto& c : view.live) {
            const auto lookup = find_item(view.items.at(c.id), line.item, true);
            if (lookup.found) {
                found.emplace_back(&c, lookup.found);
            }
            candidates.insert(candidates.end(), lookup.candidates.begin(), lookup.candidates.end());
        }
        if (found.empty()) {
            for (const auto& c : view.closed) {
                if (find_item(ctx.store.orders.items(c.id), line.item, false).found) {
                    refusal = ctx.answer_only("order.after_cutoff", {{"title", c.title}});
                    return std::nullopt;
                }
            }
            json names = json::array();
            for (const auto* candidate : candidates) {
                names.push_back({{"name", candidate->name}, {"number", candidate->number}});
            }
            // With one campaign named (or open), say which menu was looked at.
            const auto& only = view.live.front();
            refusal = candidates.empty()
                          ? ctx.answer_only("order.unknown_item", {{"item", line.item},
                                                                   {"named", view.named},
                                                                   {"campaign", only.number},
                                                                   {"title", only.title}})
                          : ctx.answer_only("order.ambiguous_item",
                                            {{"item", line.item}, {"candidates", names}});
            return std::nullopt;
        }
        if (found.size() > 1) {
            json where = json::array();
            for (const auto& [c, i] : found) {
                where.push_back({{"number", c->number}, {"title", c->title}});
            }
            refusal = ctx.answer_only(
                "order.in_several",
                {{"item", line.item},
                 {"campaigns", where},
                 {"example", example_prefix + " " + std::to_string(found.front().first->number) +
                                 "团 " + line.item + " " + std::to_string(line.quantity)}});
            return std::nullopt;
        }
        const auto& [c, i] = found.front();
        auto b = std::find_if(baskets.begin(), baskets.end(),
                              [&](const basket& existing) { return existing.c.id == c->id; });
        if (b == baskets.end()) {
            baskets.push_back(basket{*c, {}});
            b = std::prev(baskets.end());
        }
        auto it = std::find_if(b->items.begin(), b->items.end(),
                               [&](const auto& entry) { return entry.first == i; });
        if (it == b->items.end()) {
            b->items.emplace_back(i, line.quantity);
        } else {
            it->second += line.quantity;
        }
    }
    return baskets;
}

/// The lines of a basket for a household, or the refusal: stock and the per-household limit,
/// counting the order being replaced (a re-pasted 接龙 line) as given back.
std::optional<std::vector<storage::order_line_row>> checked_lines(
    const basket& b, const std::string& building, const std::string& room,
    const storage::order* replacing, context& ctx, handler_result& refusal) {
    std::vector<storage::order_line_row> lines;
    for (const auto& [i, quantity] : b.items) {
        std::int64_t given_back = 0;
        if (replacing) {
            for (const auto& old : replacing->lines) {
                given_back += old.item_id == i->id ? old.quantity : 0;
            }
        }
        const json vars{{"item", i->name}, {"unit", i->unit}, {"quantity", quantity}};
        if (i->stock && i->sold - given_back + quantity > *i->stock) {
            auto v = vars;
            v["left"] = *i->stock - i->sold + given_back;
            refusal = ctx.answer_only(v["left"] == 0 ? "order.sold_out" : "order.not_enough", v);
            return std::nullopt;
        }
        if (i->limit_per_person) {
            const auto before = ctx.store.orders.household_quantity(i->id, building, room,
                                                                    replacing ? replacing->id : 0);
            if (before + quantity > *i->limit_per_person) {
                auto v = vars;
                v["limit"] = *i->limit_per_person;
                v["before"] = before;
                refusal = ctx.answer_only("order.over_limit", v);
                return std::nullopt;
            }
        }
        lines.push_back(storage::order_line_row{i->id, i->name, i->unit, quantity, i->price_fen});
    }
    return lines;
}

json placed_vars(const storage::order& o, const campaign& c, bool several, context& ctx) {
    auto vars = order_vars(o, ctx.replies);
    vars["title"] = c.title;
    vars["campaign"] = c.number;
    vars["several"] = several;
    return vars;
}

/// Places one order per campaign for the sender's household, all or none.
handler_result place_orders(const std::vector<order_line>& wanted,
                            const std::optional<std::int64_t>& number, const std::string& keyword,
                            context& ctx) {
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    handler_result refusal;
    const auto view = orderable(number, building, ctx, refusal);
    if (!view) {
        return refusal;
    }
    const auto baskets = fill_baskets(wanted, *view, keyword, ctx, refusal);
    if (!baskets) {
        return refusal;
    }
    std::vector<std::vector<storage::order_line_row>> all_lines;
    for (const auto& b : *baskets) {
        auto lines = checked_lines(b, building, room, nullptr, ctx, refusal);
        if (!lines) {
            return refusal;
        }
        all_lines.push_back(std::move(*lines));
    }
    handler_result result;
    for (std::size_t k = 0; k < baskets->size(); ++k) {
        const auto& c = (*baskets)[k].c;
        const auto placed =
            ctx.store.orders.place(c.id, ctx.sender.id, ctx.msg.platform, ctx.msg.chat_id, building,
                                   room, all_lines[k], std::nullopt, false, ctx.now);
        result.replies.push_back(
            ctx.answer("order.placed", placed_vars(placed, c, view->several_open, ctx)));
    }
    return result;
}

/// What changed between an order's lines and new ones: "鸡蛋 2→3盒，新增牛奶×1，去掉大米".
std::string describe_changes(const std::vector<storage::order_line_row>& before,
                             const std::vector<storage::order_line_row>& after,
                             reply_builder& replies) {
    std::string text;
    auto add = [&](const std::string& part) { text += (text.empty() ? "" : "，") + part; };
    for (const auto& line : after) {
        const auto old = std::find_if(before.begin(), before.end(),
                                      [&](const auto& b) { return b.item_id == line.item_id; });
        if (old == before.end()) {
            add(replies.text("order.change.added", line_vars(line)));
        } else if (old->quantity != line.quantity) {
            auto vars = line_vars(line);
            vars["from"] = old->quantity;
            add(replies.text("order.change.quantity", vars));
        }
    }
    for (const auto& line : before) {
        if (std::none_of(after.begin(), after.end(),
                         [&](const auto& a) { return a.item_id == line.item_id; })) {
            add(replies.text("order.change.removed", line_vars(line)));
        }
    }
    return text;
}

/// A pasted 接龙 list: the household's lines make its relay order in each campaign; a re-paste
/// replaces that order (whatever line numbers the list has now) and says what changed.
handler_result order_from_relay(const order_args& args, const std::string& keyword, context& ctx) {
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    std::vector<order_line> wanted;
    std::int64_t relay_number = 0;
    for (const auto& entry : args.relay) {
        if (entry.building && entry.building->label == building && entry.room == room) {
            wanted.insert(wanted.end(), entry.lines.begin(), entry.lines.end());
            relay_number = entry.number;
        }
    }
    if (wanted.empty()) {
        const json vars{{"building", building}, {"room", room}, {"max", max_relay_lines}};
        return ctx.answer_only(args.relay_cut ? "order.relay_too_long" : "order.relay_no_line",
                               vars);
    }
    // A relay list's first line usually names the shop ("#接龙 华联超市 周一"): that campaign.
    auto number = args.campaign;
    if (!number) {
        const auto header =
            item_key(std::string_view(ctx.msg.text).substr(0, ctx.msg.text.find('\n')));
        std::vector<std::int64_t> named;
        for (const auto& c : ctx.store.orders.open_campaigns()) {
            if (serves(c, building) && header.find(item_key(c.title)) != std::string::npos) {
                named.push_back(c.number);
            }
        }
        if (named.size() == 1) {
            number = named.front();
        }
    }
    handler_result refusal;
    const auto view = orderable(number, building, ctx, refusal);
    if (!view) {
        return refusal;
    }
    const auto baskets = fill_baskets(wanted, *view, keyword, ctx, refusal);
    if (!baskets) {
        return refusal;
    }
    struct step {
        std::vector<storage::order_line_row> lines;
        std::optional<storage::order> earlier;
    };
    std::vector<step> steps;
    for (const auto& b : *baskets) {
        auto earlier = ctx.store.orders.relay_order(b.c.id, building, room);
        const auto* replacing =
            earlier && earlier->state == storage::order_state::placed ? &*earlier : nullptr;
        auto lines = checked_lines(b, building, room, replacing, ctx, refusal);
        if (!lines) {
            return refusal;
        }
        steps.push_back(step{std::move(*lines), std::move(earlier)});
    }
    handler_result result;
    for (std::size_t k = 0; k < baskets->size(); ++k) {
        const auto& c = (*baskets)[k].c;
        auto& [lines, earlier] = steps[k];
        if (!earlier) {
            const auto placed =
                ctx.store.orders.place(c.id, ctx.sender.id, ctx.msg.platform, ctx.msg.chat_id,
                                       building, room, lines, relay_number, false, ctx.now);
            result.replies.push_back(
                ctx.answer("order.placed", placed_vars(placed, c, view->several_open, ctx)));
            continue;
        }
        const auto changes = describe_changes(earlier->lines, lines, ctx.replies);
        auto vars = placed_vars(*earlier, c, view->several_open, ctx);
        if (changes.empty()) {
            result.replies.push_back(ctx.answer("order.relay_unchanged", vars));
        } else if (earlier->state != storage::order_state::placed) {
            result.replies.push_back(ctx.answer("order.relay_delivered", vars));
        } else {
            const auto now_placed = ctx.store.orders.replace_lines(*earlier, lines, ctx.now);
            vars = placed_vars(now_placed, c, view->several_open, ctx);
            vars["changes"] = changes;
            result.replies.push_back(ctx.answer("order.relay_updated", vars));
        }
    }
    return result;
}

/// The campaign a staff command runs (上架, 截单): the one named, or the only open one the
/// sender runs; several ask which, with `example` showing how.
std::optional<campaign> managed_campaign(const std::optional<std::int64_t>& number,
                                         bool before_cutoff, const std::string& example,
                                         context& ctx, handler_result& refusal) {
    if (number) {
        const auto c = ctx.store.orders.numbered_campaign(*number);
        if (!c) {
            refusal = ctx.answer_only("campaign.not_found", {{"number", *number}});
            return std::nullopt;
        }
        if (!manages(*c, ctx)) {
            refusal = ctx.answer_only("campaign.not_yours", campaign_vars(*c, ctx));
            return std::nullopt;
        }
        if (c->state != storage::campaign_state::open ||
            (before_cutoff && past_cutoff(*c, ctx.now))) {
            refusal = ctx.answer_only("campaign.already_closed", campaign_vars(*c, ctx));
            return std::nullopt;
        }
        return c;
    }
    std::vector<campaign> mine;
    for (auto& c : ctx.store.orders.open_campaigns()) {
        if (manages(c, ctx) && !(before_cutoff && past_cutoff(c, ctx.now))) {
            mine.push_back(std::move(c));
        }
    }
    if (mine.empty()) {
        // Open campaigns run by others (a lead and the committee's): say so, not "none".
        json others = json::array();
        for (const auto& c : ctx.store.orders.open_campaigns()) {
            if (!(before_cutoff && past_cutoff(c, ctx.now))) {
                others.push_back({{"number", c.number}, {"title", c.title}});
            }
        }
        refusal = others.empty() ? ctx.answer_only("campaign.none_open")
                                 : ctx.answer_only("campaign.none_yours", {{"campaigns", others}});
        return std::nullopt;
    }
    if (mine.size() > 1) {
        json list = json::array();
        for (const auto& c : mine) {
            list.push_back({{"number", c.number}, {"title", c.title}});
        }
        refusal = ctx.answer_only(
            "campaign.which", {{"count", mine.size()}, {"campaigns", list}, {"example", example}});
        return std::nullopt;
    }
    return mine.front();
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
            {"has_buildings", !buildings.empty()},
            {"buildings", buildings},
            {"orders", orders},
            {"total", format_fen(grand)}};
}

/// Closes a campaign: the committee chat gets the totals.
// The building chats a campaign serves: its buildings, or every building of the compound.
std::vector<storage::chat> serving_chats(const campaign& c, repositories& store) {
    buildings_args targets;
    targets.all = c.buildings.empty();
    for (const auto& b : c.buildings) {
        targets.buildings.push_back(building_ref{b});
    }
    return reach_buildings(store, targets).chats;
}

// Closes the campaign: the totals to the committee, and to the buildings it serves (once its
// menu went out there) that orders are no longer taken.
std::vector<outbound> close_campaign(const campaign& c, std::int64_t now, repositories& store,
                                     reply_builder& replies) {
    store.orders.close(c.id, now);
    auto vars = totals_vars(store, c.id);
    vars["title"] = c.title;
    vars["number"] = c.number;
    auto out =
        to_committee(store, replies.text("campaign.closed_totals", vars), outbox_lane::direct);
    if (store.jobs.ran("campaign_announce:" + std::to_string(c.id))) {
        auto told = to_chats(serving_chats(c, store), replies.text("campaign.closed_notice", vars),
                             outbox_lane::broadcast);
        out.insert(out.end(), told.begin(), told.end());
    }
    return out;
}

template <typename Ctx>
json menu_vars(const campaign& c, bool several, Ctx& ctx) {
    json items = json::array();
    for (const auto& i : ctx.store.orders.items(c.id)) {
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
    auto vars = campaign_vars(c, ctx);
    vars["items"] = items;
    vars["empty"] = items.empty();
    vars["several"] = several;
    return vars;
}

json item_state_vars(const storage::item& i) {
    return {{"number", i.number},
            {"item", i.name},
            {"price", format_fen(i.price_fen)},
            {"unit", i.unit},
            {"has_stock", i.stock.has_value()},
            {"stock", i.stock.value_or(0)},
            {"sold", i.sold},
            {"left", i.stock ? *i.stock - i.sold : 0},
            {"has_limit", i.limit_per_person.has_value()},
            {"limit", i.limit_per_person.value_or(0)}};
}

}  // namespace

handler_result handle_shop(const command& cmd, context& ctx) {
    const auto& args = std::get<shop_args>(cmd.args);
    for (const auto& open : ctx.store.orders.open_campaigns()) {
        if (!past_cutoff(open, ctx.now) && item_key(open.title) == item_key(args.title)) {
            return ctx.answer_only("campaign.same_title", campaign_vars(open, ctx));
        }
    }
    // A lead's campaign serves the lead's buildings; the committee's the whole compound.
    std::vector<std::string> buildings;
    if (!ctx.sender_standing.has(role::committee)) {
        buildings.assign(ctx.sender_standing.lead_buildings.begin(),
                         ctx.sender_standing.lead_buildings.end());
    }
    std::optional<std::int64_t> closes_at;
    if (args.until) {
        closes_at =
            resolve_when(when_spec{{}, *args.until, {}, {}}, ctx.now, ctx.config.zone).start;
    }
    const auto opened =
        ctx.store.orders.open_campaign(args.title, closes_at, ctx.sender.key(), buildings, ctx.now);
    if (closes_at) {
        ctx.store.jobs.schedule(storage::job_kind::campaign_close,
                                json{{"campaign_id", opened.id}}.dump(), *closes_at,
                                "campaign_close:" + std::to_string(opened.id), ctx.now);
    }
    auto vars = campaign_vars(opened, ctx);
    std::size_t open_now = 0;
    for (const auto& c : ctx.store.orders.open_campaigns()) {
        open_now += past_cutoff(c, ctx.now) ? 0 : 1;
    }
    vars["several"] = open_now > 1;
    return ctx.answer_only("campaign.opened", vars);
}

handler_result handle_item(const command& cmd, context& ctx) {
    const auto& args = std::get<item_args>(cmd.args);
    // With several open, an item already listed in exactly one of the sender's campaigns
    // names that campaign: `上架 大米5kg 35` re-prices the rice wherever it is.
    auto number = args.campaign;
    if (!number) {
        std::vector<std::int64_t> listing;
        for (const auto& open : ctx.store.orders.open_campaigns()) {
            if (!manages(open, ctx) || past_cutoff(open, ctx.now)) {
                continue;
            }
            for (const auto& i : ctx.store.orders.items(open.id)) {
                if (item_key(i.name) == item_key(args.name)) {
                    listing.push_back(open.number);
                    break;
                }
            }
        }
        if (listing.size() == 1) {
            number = listing.front();
        }
    }
    handler_result refusal;
    const auto c = managed_campaign(
        number, true, "上架 1团 " + args.name + " " + format_fen(args.price_fen), ctx, refusal);
    if (!c) {
        return refusal;
    }
    // Re-listing changes only what the command names (SPEC §11); names compare as item_key does,
    // so "鸡蛋\u00A0" or "鸡蛋（大）" written in full width is the item already listed.
    const auto items = ctx.store.orders.items(c->id);
    std::vector<const storage::item*> same;
    for (const auto& existing : items) {
        if (item_key(existing.name) == item_key(args.name)) {
            same.push_back(&existing);
        }
    }
    if (same.size() > 1) {
        json names = json::array();
        for (const auto* i : same) {
            names.push_back({{"name", i->name}, {"number", i->number}});
        }
        return ctx.answer_only("item.ambiguous", {{"item", args.name}, {"candidates", names}});
    }
    const storage::item* existing = same.empty() ? nullptr : same.front();
    auto stock = args.stock;
    auto limit = args.limit_per_person;
    auto unit = args.unit;
    if (existing) {
        stock = args.unlimited_stock ? std::nullopt : (args.stock ? args.stock : existing->stock);
        limit = args.no_limit
                    ? std::nullopt
                    : (args.limit_per_person ? args.limit_per_person : existing->limit_per_person);
        unit = args.unit ? args.unit : existing->unit;
        if (stock && *stock < existing->sold) {
            return ctx.answer_only(
                "item.stock_below_sold",
                {{"item", existing->name}, {"sold", existing->sold}, {"unit", existing->unit}});
        }
    }
    const auto saved = ctx.store.orders.put_item(c->id, existing ? existing->name : args.name,
                                                 args.price_fen, stock, unit.value_or(""), limit);
    auto vars = item_state_vars(saved);
    vars["campaign"] = c->number;
    vars["title"] = c->title;
    // The menu goes to the buildings once the listing pauses: each 上架 restarts the wait, so
    // a committee listing ten items sends one menu, not ten; once sent, later changes are not
    // announced again (the reply says nothing of it then).
    const auto announce_at = ctx.now + announce_quiet_seconds;
    vars["announcing"] =
        !past_cutoff(*c, announce_at) &&
        ctx.store.jobs.schedule_or_postpone(storage::job_kind::campaign_announce,
                                            json{{"campaign_id", c->id}}.dump(), announce_at,
                                            "campaign_announce:" + std::to_string(c->id), ctx.now);
    vars["announce_minutes"] = announce_quiet_seconds / 60;
    vars["serves"] =
        c->buildings.empty()
            ? ctx.replies.text("notice.all")
            : ctx.replies.text("campaign.building_chats",
                               {{"buildings", describe_buildings(c->buildings, ctx.replies)}});
    return ctx.answer_only(existing ? "item.updated" : "item.added", vars);
}

handler_result handle_menu(const command& cmd, context& ctx) {
    const auto& args = std::get<campaign_args>(cmd.args);
    // Residents see the campaigns serving their building; staff and strangers every one.
    const bool filtered = ctx.sender.building && !is_staff(ctx);
    const auto visible = [&](const campaign& c) {
        return !filtered || serves(c, *ctx.sender.building);
    };
    std::vector<campaign> open;
    for (auto& c : ctx.store.orders.open_campaigns()) {
        if (visible(c)) {
            open.push_back(std::move(c));
        }
    }
    if (args.campaign) {
        const auto c = ctx.store.orders.numbered_campaign(*args.campaign);
        if (!c) {
            return ctx.answer_only("campaign.not_found", {{"number", *args.campaign}});
        }
        if (!visible(*c)) {
            return ctx.answer_only("campaign.not_for_you", campaign_vars(*c, ctx));
        }
        return ctx.answer_only("campaign.menu", menu_vars(*c, open.size() > 1, ctx));
    }
    if (open.size() == 1) {
        return ctx.answer_only("campaign.menu", menu_vars(open.front(), false, ctx));
    }
    if (open.empty()) {
        const auto last = ctx.store.orders.latest();
        if (!last || !visible(*last)) {
            return ctx.answer_only("campaign.none");
        }
        return ctx.answer_only("campaign.menu", menu_vars(*last, false, ctx));
    }
    json list = json::array();
    for (const auto& c : open) {
        auto vars = campaign_vars(c, ctx);
        vars["count"] = ctx.store.orders.items(c.id).size();
        list.push_back(std::move(vars));
    }
    return ctx.answer_only("campaign.list", {{"campaigns", list}, {"first", open.front().number}});
}

handler_result handle_order(const command& cmd, context& ctx) {
    const auto& args = std::get<order_args>(cmd.args);
    if (!args.relay.empty()) {
        return order_from_relay(args, "下单", ctx);
    }
    return place_orders(args.lines, args.campaign, cmd.keyword, ctx);
}

namespace {

/// Orders grouped by campaign, campaigns by number, for 我的订单 and 配送单.
json by_campaign(const std::vector<storage::order>& orders,
                 const std::map<std::string, std::string>& notes, context& ctx) {
    std::map<std::int64_t, std::vector<const storage::order*>> grouped;
    for (const auto& o : orders) {
        grouped[o.campaign_id].push_back(&o);
    }
    std::vector<std::pair<campaign, std::vector<const storage::order*>>> sorted;
    for (const auto& [id, list] : grouped) {
        if (auto c = ctx.store.orders.find_campaign(id)) {
            sorted.emplace_back(std::move(*c), list);
        }
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first.number < b.first.number; });
    json campaigns = json::array();
    for (const auto& [c, list] : sorted) {
        json rows = json::array();
        for (const auto* o : list) {
            auto row = order_vars(*o, ctx.replies);
            const auto note = notes.find(o->room);
            row["has_note"] = note != notes.end();
            row["note"] = note != notes.end() ? note->second : "";
            rows.push_back(std::move(row));
        }
        auto vars = campaign_vars(c, ctx);
        vars["orders"] = rows;
        campaigns.push_back(std::move(vars));
    }
    return campaigns;
}

/// Household notes (独居老人) are for those who serve the household: shown privately, in the
/// committee's and volunteers' chats, and where a committee member asks for the list.
std::map<std::string, std::string> notes_for(const std::string& building, context& ctx) {
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const bool staff_chat =
        ctx.msg.is_private || (chat && (chat->kind == "committee" || chat->kind == "volunteers"));
    std::map<std::string, std::string> notes;
    if (staff_chat || ctx.sender_standing.has(role::committee)) {
        for (const auto& h : ctx.store.households.notes(building)) {
            notes.emplace(h.room, h.note);
        }
    }
    return notes;
}

/// The one order a number names (送达 12, 取消 12): databases from before migration 16 may
/// hold one per campaign, so `campaign` or the orders still placed decide, else ask.
std::optional<storage::order> order_numbered(std::int64_t number,
                                             const std::optional<std::int64_t>& campaign_number,
                                             const std::string& keyword, context& ctx,
                                             handler_result& refusal) {
    auto found = ctx.store.orders.numbered(number);
    if (campaign_number) {
        const auto c = ctx.store.orders.numbered_campaign(*campaign_number);
        std::erase_if(found, [&](const storage::order& o) { return !c || o.campaign_id != c->id; });
    }
    if (found.size() > 1) {
        std::vector<storage::order> placed;
        for (const auto& o : found) {
            if (o.state == storage::order_state::placed) {
                placed.push_back(o);
            }
        }
        if (placed.size() == 1) {
            return placed.front();
        }
        json list = json::array();
        for (const auto& o : found) {
            if (auto c = ctx.store.orders.find_campaign(o.campaign_id)) {
                list.push_back({{"number", c->number},
                                {"title", c->title},
                                {"building", o.building},
                                {"room", o.room}});
            }
        }
        refusal = ctx.answer_only("order.which", {{"order", number},
                                                  {"orders", list},
                                                  {"keyword", keyword},
                                                  {"first", list.front()["number"]}});
        return std::nullopt;
    }
    if (found.empty()) {
        refusal = ctx.answer_only("order.not_found", {{"order", number}, {"numbered", true}});
        return std::nullopt;
    }
    return found.front();
}

}  // namespace

handler_result handle_myorders(const command& /*cmd*/, context& ctx) {
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    // Every order still to deliver, and everything of the latest campaign serving the household.
    auto orders = ctx.store.orders.waiting_of_household(building, room);
    std::vector<campaign> serving;
    for (auto& c : ctx.store.orders.open_campaigns()) {
        if (serves(c, building)) {
            serving.push_back(std::move(c));
        }
    }
    if (serving.empty()) {
        if (auto last = ctx.store.orders.latest(); last && serves(*last, building)) {
            serving.push_back(std::move(*last));
        }
    }
    for (const auto& c : serving) {
        for (auto& o : ctx.store.orders.of_household(c.id, building, room)) {
            if (o.state != storage::order_state::placed) {
                orders.push_back(std::move(o));
            }
        }
    }
    if (serving.empty() && orders.empty()) {
        return ctx.answer_only("campaign.none");
    }
    std::sort(orders.begin(), orders.end(),
              [](const auto& a, const auto& b) { return a.number > b.number; });
    const auto campaigns = by_campaign(orders, {}, ctx);
    return ctx.answer_only("order.mine", {{"building", building},
                                          {"room", room},
                                          {"campaigns", campaigns},
                                          {"none", orders.empty()}});
}

handler_result handle_cancel(const command& cmd, context& ctx) {
    const auto& args = std::get<order_number_args>(cmd.args);
    handler_result refusal;
    std::optional<storage::order> target;
    if (args.order) {
        target = order_numbered(*args.order, std::nullopt, cmd.keyword, ctx, refusal);
        if (!target) {
            return refusal;
        }
    } else if (ctx.sender.room) {
        // The household's newest order it may still cancel; else its newest still to deliver.
        std::optional<storage::order> fallback;
        for (auto& o :
             ctx.store.orders.waiting_of_household(*ctx.sender.building, *ctx.sender.room)) {
            const auto c = ctx.store.orders.find_campaign(o.campaign_id);
            if (c && !past_cutoff(*c, ctx.now)) {
                target = std::move(o);
                break;
            }
            if (!fallback) {
                fallback = std::move(o);
            }
        }
        if (!target) {
            target = std::move(fallback);
        }
    }
    if (!target) {
        return ctx.answer_only("order.not_found", {{"order", 0}, {"numbered", false}});
    }
    // The household owns its orders: any member registered at that room may cancel, and so may
    // whoever placed it for them (代下单) and the committee.
    const bool own = target->building == ctx.sender.building && target->room == ctx.sender.room;
    const bool placed_it = target->proxy && target->member_id == ctx.sender.id;
    if (!own && !placed_it && !ctx.sender_standing.has(role::committee)) {
        return ctx.answer_only("order.not_yours", {{"order", target->number}});
    }
    if (target->state != storage::order_state::placed) {
        return ctx.answer_only(
            "order.not_cancellable",
            {{"order", target->number}, {"state", state_word(target->state, ctx.replies)}});
    }
    const auto c = ctx.store.orders.find_campaign(target->campaign_id);
    if (!c || past_cutoff(*c, ctx.now)) {
        return ctx.answer_only("order.after_cutoff", {{"title", c ? c->title : ""}});
    }
    ctx.store.orders.cancel(*target, ctx.now);
    return ctx.answer_only("order.cancelled", order_vars(*target, ctx.replies));
}

handler_result handle_close(const command& cmd, context& ctx) {
    const auto& args = std::get<campaign_args>(cmd.args);
    handler_result refusal;
    const auto open = managed_campaign(args.campaign, false, "截单 1团", ctx, refusal);
    if (!open) {
        return refusal;
    }
    handler_result result;
    result.outbox = close_campaign(*open, ctx.now, ctx.store, ctx.replies);
    auto vars = totals_vars(ctx.store, open->id);
    vars["title"] = open->title;
    vars["number"] = open->number;
    result.replies.push_back(ctx.answer("campaign.closed", vars));
    return result;
}

handler_result handle_summary(const command& cmd, context& ctx) {
    const auto& args = std::get<campaign_args>(cmd.args);
    std::optional<std::string> building;
    if (args.building) {
        building = args.building->label;
    }
    // The named campaign; else every open one and every one with orders still to deliver.
    std::vector<campaign> shown;
    if (args.campaign) {
        auto c = ctx.store.orders.numbered_campaign(*args.campaign);
        if (!c) {
            return ctx.answer_only("campaign.not_found", {{"number", *args.campaign}});
        }
        shown.push_back(std::move(*c));
    } else {
        shown = ctx.store.orders.open_campaigns();
        for (auto& c : ctx.store.orders.with_waiting_orders()) {
            if (std::none_of(shown.begin(), shown.end(),
                             [&](const campaign& s) { return s.id == c.id; })) {
                shown.push_back(std::move(c));
            }
        }
        std::sort(shown.begin(), shown.end(),
                  [](const campaign& a, const campaign& b) { return a.number < b.number; });
        if (shown.empty()) {
            if (auto last = ctx.store.orders.latest()) {
                shown.push_back(std::move(*last));
            }
        }
    }
    if (shown.empty()) {
        return ctx.answer_only("campaign.none");
    }
    std::string text;
    for (const auto& c : shown) {
        auto vars = totals_vars(ctx.store, c.id, building);
        vars.update(campaign_vars(c, ctx));
        vars["several"] = shown.size() > 1;
        vars["has_building"] = building.has_value();
        vars["building"] = building.value_or("");
        text += (text.empty() ? "" : "\n") + ctx.replies.text("campaign.summary", vars);
    }
    handler_result result;
    result.replies.push_back(reply{ctx.msg.chat_id, text, ctx.msg.message_id});
    return result;
}

handler_result handle_delivery(const command& cmd, context& ctx) {
    const auto& args = std::get<campaign_args>(cmd.args);
    const auto& building = args.building->label;
    // A lead's list is of their buildings; volunteers serve the whole compound.
    if (!ctx.acts_on(building, true)) {
        return ctx.not_yours(building);
    }
    const auto notes = notes_for(building, ctx);
    if (!args.campaign) {
        // Every order still to deliver, whichever campaign: nothing waits for the next one.
        const auto waiting = ctx.store.orders.waiting(building);
        if (waiting.empty()) {
            return ctx.answer_only("delivery.nothing_left", {{"building", building}});
        }
        return ctx.answer_only("delivery.waiting_list",
                               {{"building", building},
                                {"count", waiting.size()},
                                {"campaigns", by_campaign(waiting, notes, ctx)}});
    }
    const auto c = ctx.store.orders.numbered_campaign(*args.campaign);
    if (!c) {
        return ctx.answer_only("campaign.not_found", {{"number", *args.campaign}});
    }
    json doors = json::array();
    std::int64_t waiting = 0;
    for (const auto& o : ctx.store.orders.of_campaign(c->id, building)) {
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
    auto vars = campaign_vars(*c, ctx);
    vars["building"] = building;
    vars["orders"] = doors;
    vars["count"] = doors.size();
    vars["waiting"] = waiting;
    vars["none"] = doors.empty();
    return ctx.answer_only("delivery.list", vars);
}

handler_result handle_delivered(const command& cmd, context& ctx) {
    const auto& args = std::get<delivered_args>(cmd.args);
    handler_result refusal;
    std::vector<storage::order> to_mark;
    if (args.order) {
        const auto found = order_numbered(*args.order, args.campaign, cmd.keyword, ctx, refusal);
        if (!found) {
            return refusal;
        }
        if (found->state != storage::order_state::placed) {
            return ctx.answer_only(
                "order.not_deliverable",
                {{"order", found->number}, {"state", state_word(found->state, ctx.replies)}});
        }
        if (!ctx.acts_on(found->building, true)) {
            return ctx.not_yours(found->building);
        }
        to_mark.push_back(*found);
    } else if (args.building) {
        if (!ctx.acts_on(args.building->label, true)) {
            return ctx.not_yours(args.building->label);
        }
        std::optional<campaign> only;
        if (args.campaign) {
            only = ctx.store.orders.numbered_campaign(*args.campaign);
            if (!only) {
                return ctx.answer_only("campaign.not_found", {{"number", *args.campaign}});
            }
        }
        for (auto& o : ctx.store.orders.waiting(args.building->label)) {
            if (!only || o.campaign_id == only->id) {
                to_mark.push_back(std::move(o));
            }
        }
        if (to_mark.empty()) {
            return ctx.answer_only("delivery.nothing_left", {{"building", args.building->label}});
        }
    }
    // One notice per chat, naming the rooms, so a building group is not flooded. An order placed
    // for a household (代下单) is told to its members privately, not in the chat it came from.
    std::map<std::pair<std::string, std::string>, std::vector<const storage::order*>> by_chat;
    handler_result result;
    for (const auto& o : to_mark) {
        ctx.store.orders.mark_delivered(o.id, ctx.now);
        if (!o.proxy) {
            by_chat[{o.platform, o.chat_id}].push_back(&o);
            continue;
        }
        const json doors =
            json::array({{{"building", o.building}, {"room", o.room}, {"order", o.number}}});
        for (const auto& m : ctx.store.members.at_room(o.building, o.room)) {
            if (m.confirmed) {
                result.outbox.push_back(to_member_privately(
                    m, ctx.replies.text("delivery.arrived", {{"doors", doors}})));
            }
        }
    }
    for (const auto& [chat, orders] : by_chat) {
        json doors = json::array();
        for (const auto* o : orders) {
            doors.push_back({{"building", o->building}, {"room", o->room}, {"order", o->number}});
        }
        result.outbox.push_back(outbound{chat.first, chat.second, false,
                                         ctx.replies.text("delivery.arrived", {{"doors", doors}}),
                                         std::nullopt, outbox_lane::direct});
    }
    result.replies.push_back(ctx.answer("delivery.marked", {{"count", to_mark.size()}}));
    return result;
}

handler_result handle_orderfor(const command& cmd, context& ctx) {
    const auto& args = std::get<orderfor_args>(cmd.args);
    const auto& building = args.building.label;
    // Volunteers serve the whole compound; a lead their buildings; the committee all.
    if (!ctx.acts_on(building, true)) {
        return ctx.not_yours(building);
    }
    if (ctx.store.households.has_registry() && !ctx.store.households.listed(building, args.room)) {
        return ctx.answer_only("orderfor.not_listed",
                               {{"building", building}, {"room", args.room}});
    }
    handler_result refusal;
    const auto view = orderable(args.campaign, building, ctx, refusal);
    if (!view) {
        return refusal;
    }
    const auto prefix = cmd.keyword + " " + building + "-" + args.room;
    const auto baskets = fill_baskets(args.lines, *view, prefix, ctx, refusal);
    if (!baskets) {
        return refusal;
    }
    std::vector<std::vector<storage::order_line_row>> all_lines;
    for (const auto& b : *baskets) {
        auto lines = checked_lines(b, building, args.room, nullptr, ctx, refusal);
        if (!lines) {
            return refusal;
        }
        all_lines.push_back(std::move(*lines));
    }
    std::vector<storage::member> household;
    for (auto& m : ctx.store.members.at_room(building, args.room)) {
        if (m.confirmed) {
            household.push_back(std::move(m));
        }
    }
    handler_result result;
    for (std::size_t k = 0; k < baskets->size(); ++k) {
        const auto& c = (*baskets)[k].c;
        const auto placed =
            ctx.store.orders.place(c.id, ctx.sender.id, ctx.msg.platform, ctx.msg.chat_id, building,
                                   args.room, all_lines[k], std::nullopt, true, ctx.now);
        auto vars = placed_vars(placed, c, view->several_open, ctx);
        vars["placer"] = ctx.sender.display_name;
        vars["told"] = !household.empty();
        for (const auto& m : household) {
            result.outbox.push_back(
                to_member_privately(m, ctx.replies.text("orderfor.household", vars)));
        }
        result.replies.push_back(ctx.answer("orderfor.placed", vars));
    }
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
                                             std::optional<std::int64_t> campaign_id,
                                             const std::set<std::string>* only) {
    const storage::compound_scope::entered in(store.scope, compound);
    const auto c = campaign_id ? store.orders.find_campaign(*campaign_id) : store.orders.latest();
    if (!c) {
        return std::nullopt;
    }
    reply_builder words(store.templates, config.locale);
    std::string csv = "\xEF\xBB\xBF";
    csv += "单号,楼号,房号,商品,数量,单位,单价,金额,状态,下单时间\r\n";
    for (const auto& o : store.orders.of_campaign(c->id)) {
        if (only != nullptr && !only->contains(o.building)) {
            continue;
        }
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

handler_result run_campaign_announce_job(const storage::job& due, job_context& ctx,
                                         bool /*stale*/) {
    handler_result result;
    const auto id = json::parse(due.payload).at("campaign_id").get<std::int64_t>();
    const auto c = ctx.store.orders.find_campaign(id);
    // Late (the server was down) is still worth telling while orders are taken.
    if (!c || c->state != storage::campaign_state::open || past_cutoff(*c, ctx.now) ||
        ctx.store.orders.items(c->id).empty()) {
        return result;
    }
    std::size_t open_now = 0;
    for (const auto& other : ctx.store.orders.open_campaigns()) {
        open_now += past_cutoff(other, ctx.now) ? 0 : 1;
    }
    auto vars = menu_vars(*c, open_now > 1, ctx);
    vars["menu"] = ctx.replies.text("campaign.menu", vars);
    result.outbox = to_chats(serving_chats(*c, ctx.store),
                             ctx.replies.text("campaign.announce", vars), outbox_lane::broadcast);
    return result;
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
