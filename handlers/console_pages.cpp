#include "handlers/console_pages.hpp"

#include <algorithm>
#include <map>

#include "handlers/dispatcher.hpp"
#include "handlers/local_time.hpp"
#include "handlers/orders.hpp"
#include "handlers/parser/text_forms.hpp"
#include "templates/default_templates.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;

// The most rows a list shows: a compound's month, not its history.
constexpr int shown_campaigns = 20;
constexpr int shown_tasks = 30;
constexpr int shown_notices = 20;
constexpr std::int64_t hours_window = 30 * 24 * 3600;
constexpr std::size_t labels_per_sheet = 24;

console_page refused(reply_builder& words, int status, const std::string& key,
                     const json& vars = json::object()) {
    console_page page;
    page.status = status;
    page.refusal = words.text(key, vars);
    return page;
}

// "3" → "3号楼", as the chat says it.
std::string building_name(reply_builder& words, const std::string& building) {
    return words.text("building.name", {{"building", building}});
}

// Per building, what the overview counts.
struct building_row {
    std::int64_t rooms = 0;
    std::int64_t registered = 0;
    std::int64_t pending = 0;
    std::int64_t reported = 0;
    std::int64_t positive = 0;
    std::int64_t orders = 0;
    std::int64_t delivered = 0;
};

// A building's (or the total's) figures for the page; a health result only with `health`: it
// never reaches a lead's page, not even hidden.
json counts_of(const building_row& row, bool health) {
    json counts = {{"rooms", row.rooms},
                   {"registered", row.registered},
                   {"pending", row.pending},
                   {"reported", row.reported},
                   {"not_reported", row.rooms - row.reported},
                   {"orders", row.orders},
                   {"delivered", row.delivered}};
    if (health) {
        counts["positive"] = row.positive;
    }
    return counts;
}

// Buildings in their natural order (2 before 10), as the SQL sorts them.
struct by_building_number {
    bool operator()(const std::string& a, const std::string& b) const {
        const auto number = [](const std::string& s) { return std::atoll(s.c_str()); };
        return number(a) != number(b) ? number(a) < number(b) : a < b;
    }
};

// Mustache takes an empty string for true ({{#note}}…{{/note}} would show an empty line): what
// is absent is null.
json note_or_null(const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
}

json order_items(const storage::order& o) {
    json items = json::array();
    for (const auto& line : o.lines) {
        items.push_back(
            {{"name", line.item_name}, {"quantity", line.quantity}, {"unit", line.unit}});
    }
    return items;
}

}  // namespace

std::optional<console_viewer> console_viewer_of(repositories& store, const settings& config,
                                                const storage::console_user& session,
                                                const std::optional<std::string>& compound) {
    auto member = store.members.find(session.platform, session.user_id);
    if (!member) {
        return std::nullopt;
    }
    console_viewer viewer;
    viewer.street = config.street.contains(member->key());
    viewer.compound = session.compound;
    if (compound && viewer.street && config.compounds.contains(*compound)) {
        viewer.compound = *compound;
    }
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    viewer.who = standing_of(*member, viewer.compound, store, config);
    if (!viewer.who.has(role::committee) && !viewer.who.has(role::lead)) {
        return std::nullopt;
    }
    viewer.member = std::move(*member);
    return viewer;
}

console_page console_overview(repositories& store, const settings& config,
                              const console_viewer& viewer, std::int64_t now) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    const auto day = local_day(now, config.zone);
    std::map<std::string, building_row, by_building_number> rows;
    for (const auto& r : store.antigen.reporting(day)) {
        if (viewer.sees(r.building)) {
            auto& row = rows[r.building];
            row.rooms = r.rooms;
            row.registered = r.rooms - r.unregistered;
            row.reported = r.reported;
            row.positive = r.positive;
        }
    }
    for (const auto& m : store.members.waiting()) {
        if (m.building && viewer.sees(*m.building)) {
            ++rows[*m.building].pending;
        }
    }
    json campaigns = json::array();
    for (const auto& c : store.orders.open_campaigns()) {
        std::int64_t orders = 0;
        std::int64_t delivered = 0;
        for (const auto& b : store.orders.per_building(c.id)) {
            if (viewer.sees(b.building)) {
                rows[b.building].orders += b.orders;
                rows[b.building].delivered += b.delivered;
                orders += b.orders;
                delivered += b.delivered;
            }
        }
        campaigns.push_back({{"number", c.number},
                             {"title", c.title},
                             {"orders", orders},
                             {"delivered", delivered},
                             {"waiting", orders - delivered},
                             {"closes", c.closes_at ? json(format_local(*c.closes_at, config.zone))
                                                    : json(nullptr)}});
    }
    json buildings = json::array();
    building_row total;
    for (const auto& [building, row] : rows) {
        auto entry = counts_of(row, viewer.sees_health());
        entry["building"] = building;
        entry["name"] = building_name(words, building);
        buildings.push_back(std::move(entry));
        total.rooms += row.rooms;
        total.registered += row.registered;
        total.pending += row.pending;
        total.reported += row.reported;
        total.positive += row.positive;
        total.orders += row.orders;
        total.delivered += row.delivered;
    }
    json tasks = json::array();
    for (const auto& t : store.tasks.upcoming(now, shown_tasks)) {
        tasks.push_back({{"number", t.id},
                         {"title", t.title},
                         {"when", format_local(t.starts_at, config.zone)},
                         {"slots", t.slots},
                         {"taken", t.taken},
                         {"free", t.slots - t.taken},
                         {"waiting", t.waiting}});
    }
    auto totals = counts_of(total, viewer.sees_health());
    console_page page;
    page.vars = {{"day", day},
                 {"buildings", buildings},
                 {"has_buildings", !buildings.empty()},
                 {"total", std::move(totals)},
                 {"campaigns", campaigns},
                 {"has_campaigns", !campaigns.empty()},
                 {"tasks", tasks},
                 {"has_tasks", !tasks.empty()},
                 {"sees_health", viewer.sees_health()}};
    return page;
}

console_page console_households(repositories& store, const settings& config,
                                const console_viewer& viewer,
                                const std::optional<std::string>& building) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    if (building && !viewer.sees(*building)) {
        return refused(words, 403, "console.page.not_yours",
                       {{"building", building_name(words, *building)}});
    }
    // A lead without a building named sees their first one; the committee, every building.
    std::optional<std::string> shown = building;
    if (!shown && !viewer.whole_compound() && !viewer.who.lead_buildings.empty()) {
        shown = *viewer.who.lead_buildings.begin();
    }
    json rooms = json::array();
    for (const auto& h : store.households.rooms(shown)) {
        if (viewer.sees(h.building)) {
            rooms.push_back({{"building", h.building},
                             {"name", building_name(words, h.building)},
                             {"room", h.room},
                             {"listed", h.listed},
                             {"note", h.note},
                             {"members", h.members},
                             {"pending", h.pending},
                             {"empty", h.members == 0}});
        }
    }
    json waiting = json::array();
    for (const auto& m : store.members.waiting()) {
        if (m.building && m.room && viewer.sees(*m.building)) {
            waiting.push_back({{"building", *m.building},
                               {"room", *m.room},
                               {"name", m.display_name.empty() ? m.user_id : m.display_name},
                               {"who", m.user_id},
                               {"platform", m.platform}});
        }
    }
    // The buildings to choose from: the lead's, or every one with households.
    std::set<std::string, by_building_number> labels;
    if (viewer.whole_compound()) {
        for (const auto& r : store.antigen.reporting("")) {
            labels.insert(r.building);
        }
    } else {
        labels.insert(viewer.who.lead_buildings.begin(), viewer.who.lead_buildings.end());
    }
    json choices = json::array();
    for (const auto& b : labels) {
        choices.push_back({{"building", b},
                           {"name", building_name(words, b)},
                           {"current", shown && *shown == b}});
    }
    console_page page;
    page.vars = {{"rooms", rooms},
                 {"has_rooms", !rooms.empty()},
                 {"room_count", rooms.size()},
                 {"waiting", waiting},
                 {"has_waiting", !waiting.empty()},
                 {"buildings", choices},
                 {"all", !shown},
                 {"building_name", shown ? json(building_name(words, *shown)) : json(nullptr)},
                 {"may_import", viewer.whole_compound()}};
    return page;
}

console_page console_orders(repositories& store, const settings& config,
                            const console_viewer& viewer, std::optional<std::int64_t> number) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    const auto recent = store.orders.recent_campaigns(shown_campaigns);
    std::optional<storage::campaign> chosen;
    if (number) {
        chosen = store.orders.numbered_campaign(*number);
        if (!chosen) {
            return refused(words, 404, "console.page.no_campaign", {{"number", *number}});
        }
    } else if (!recent.empty()) {
        chosen = recent.front();
    }
    json campaigns = json::array();
    for (const auto& c : recent) {
        campaigns.push_back({{"number", c.number},
                             {"title", c.title},
                             {"open", c.state == storage::campaign_state::open},
                             {"current", chosen && chosen->id == c.id}});
    }
    console_page page;
    page.vars = {{"campaigns", campaigns}, {"has_campaign", chosen.has_value()}};
    if (!chosen) {
        return page;
    }
    json per_building = json::array();
    for (const auto& b : store.orders.per_building(chosen->id)) {
        if (viewer.sees(b.building)) {
            per_building.push_back({{"building", b.building},
                                    {"name", building_name(words, b.building)},
                                    {"orders", b.orders},
                                    {"delivered", b.delivered},
                                    {"waiting", b.orders - b.delivered}});
        }
    }
    // Items summed over the orders the viewer sees (a lead's buildings only).
    std::map<std::string, json> items;
    std::vector<std::string> item_order;
    json orders = json::array();
    std::int64_t amount = 0;
    for (const auto& o : store.orders.of_campaign(chosen->id)) {
        if (!viewer.sees(o.building)) {
            continue;
        }
        const bool cancelled = o.state == storage::order_state::cancelled;
        orders.push_back(
            {{"number", o.number},
             {"building", o.building},
             {"name", building_name(words, o.building)},
             {"room", o.room},
             {"items", order_items(o)},
             {"total", format_fen(o.total_fen)},
             {"state", words.text("order.state." + std::string(storage::stored_word(o.state)))},
             {"cancelled", cancelled},
             {"proxy", o.proxy}});
        if (cancelled) {
            continue;
        }
        amount += o.total_fen;
        for (const auto& line : o.lines) {
            const auto key = line.item_name + "\x1f" + line.unit;
            auto [it, added] = items.try_emplace(
                key, json{{"name", line.item_name}, {"unit", line.unit}, {"quantity", 0}});
            if (added) {
                item_order.push_back(key);
            }
            it->second["quantity"] = it->second["quantity"].get<std::int64_t>() + line.quantity;
        }
    }
    json totals = json::array();
    for (const auto& key : item_order) {
        totals.push_back(items[key]);
    }
    page.vars.update({{"campaign",
                       {{"number", chosen->number},
                        {"title", chosen->title},
                        {"open", chosen->state == storage::campaign_state::open}}},
                      {"per_building", per_building},
                      {"totals", totals},
                      {"orders", orders},
                      {"has_orders", !orders.empty()},
                      {"amount", format_fen(amount)}});
    return page;
}

console_page console_labels(repositories& store, const settings& config,
                            const console_viewer& viewer, std::int64_t number,
                            const std::optional<std::string>& building) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    if (building && !viewer.sees(*building)) {
        return refused(words, 403, "console.page.not_yours",
                       {{"building", building_name(words, *building)}});
    }
    const auto c = store.orders.numbered_campaign(number);
    if (!c) {
        return refused(words, 404, "console.page.no_campaign", {{"number", number}});
    }
    json labels = json::array();
    for (const auto& o : store.orders.of_campaign(c->id, building)) {
        if (o.state != storage::order_state::placed || !viewer.sees(o.building)) {
            continue;
        }
        labels.push_back({{"number", o.number},
                          {"building", o.building},
                          {"name", building_name(words, o.building)},
                          {"room", o.room},
                          {"items", order_items(o)},
                          {"total", format_fen(o.total_fen)},
                          {"note", note_or_null(store.households.note(o.building, o.room))}});
    }
    // A4 sheets of 3 × 8 labels (70 × 37 mm, the common 24-up label paper).
    json sheets = json::array();
    for (std::size_t i = 0; i < labels.size(); i += labels_per_sheet) {
        json sheet = json::array();
        for (std::size_t j = i; j < std::min(labels.size(), i + labels_per_sheet); ++j) {
            sheet.push_back(labels[j]);
        }
        sheets.push_back({{"labels", sheet}});
    }
    console_page page;
    page.vars = {
        {"campaign", {{"number", c->number}, {"title", c->title}}},
        {"sheets", sheets},
        {"building", building.value_or("")},
        {"building_name", building ? json(building_name(words, *building)) : json(nullptr)},
        {"labels", labels},
        {"count", labels.size()},
        {"has_labels", !labels.empty()}};
    return page;
}

console_page console_tasks(repositories& store, const settings& config,
                           const console_viewer& viewer, std::int64_t now) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    // A volunteer's room is shown only to whoever may see that building.
    const auto room_of = [&](const std::optional<std::string>& b,
                             const std::optional<std::string>& r) {
        return b && r && viewer.sees(*b) ? *b + "-" + *r : std::string();
    };
    json tasks = json::array();
    for (const auto& t : store.tasks.upcoming(now, shown_tasks)) {
        json roster = json::array();
        for (const auto& claim : store.tasks.claims(t.id)) {
            roster.push_back(
                {{"name", claim.display_name.empty() ? claim.user_id : claim.display_name},
                 {"room", room_of(claim.building, claim.room)},
                 {"waiting", claim.state == "waiting"},
                 {"checked_in", claim.checked_in_at.has_value()}});
        }
        tasks.push_back({{"number", t.id},
                         {"title", t.title},
                         {"when", format_local(t.starts_at, config.zone)},
                         {"place", note_or_null(t.place)},
                         {"slots", t.slots},
                         {"taken", t.taken},
                         {"free", t.slots - t.taken},
                         {"roster", roster},
                         {"has_roster", !roster.empty()}});
    }
    json hours = json::array();
    for (const auto& h : store.tasks.hours(now - hours_window, now + 1)) {
        hours.push_back({{"name", h.display_name.empty() ? h.user_id : h.display_name},
                         {"room", room_of(h.building, h.room)},
                         {"hours", format_fen(h.minutes * 100 / 60)}});
    }
    console_page page;
    page.vars = {{"tasks", tasks},
                 {"has_tasks", !tasks.empty()},
                 {"hours", hours},
                 {"has_hours", !hours.empty()}};
    return page;
}

console_page console_notices(repositories& store, const settings& config,
                             const console_viewer& viewer) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    if (!viewer.whole_compound()) {
        return refused(words, 403, "console.page.committee_only");
    }
    json notices = json::array();
    for (const auto& n : store.notices.recent(shown_notices)) {
        const auto counts = store.outbox.for_notice(n.id);
        json failures = json::array();
        for (const auto& f : store.outbox.failures_of_notice(n.id, 5)) {
            const auto chat = store.chats.find(f.platform, f.chat_id);
            failures.push_back(
                {{"chat",
                  chat && chat->building ? building_name(words, *chat->building) : f.chat_id},
                 {"error", f.error}});
        }
        notices.push_back({{"number", n.id},
                           {"text", n.text},
                           {"when", format_local(n.send_at, config.zone)},
                           {"scheduled", n.state == "scheduled"},
                           {"sent", counts.sent},
                           {"pending", counts.pending},
                           {"failed", counts.failed},
                           {"failures", failures}});
    }
    std::set<std::string, by_building_number> labels;
    for (const auto& r : store.antigen.reporting("")) {
        labels.insert(r.building);
    }
    json buildings = json::array();
    for (const auto& b : labels) {
        buildings.push_back({{"building", b}, {"name", building_name(words, b)}});
    }
    console_page page;
    page.vars = {{"notices", notices}, {"has_notices", !notices.empty()}, {"buildings", buildings}};
    return page;
}

console_page console_templates(repositories& store, const settings& config,
                               const console_viewer& viewer,
                               const std::optional<std::string>& key) {
    const storage::compound_scope::entered in(store.scope, viewer.compound);
    reply_builder words(store.templates, config.locale);
    if (!viewer.whole_compound()) {
        return refused(words, 403, "console.page.committee_only");
    }
    std::map<std::string, storage::template_row> rows;
    for (auto& row : store.templates.list(config.locale)) {
        rows.emplace(row.key, std::move(row));
    }
    json groups = json::array();
    json editing = nullptr;
    for (const auto& group : templates::shipped_descriptions(config.locale)) {
        json entries = json::array();
        for (const auto& [name, description] : group.templates) {
            const auto found = rows.find(name);
            if (found == rows.end()) {
                continue;
            }
            json entry = {{"key", name},
                          {"description", description},
                          {"text", found->second.text},
                          {"default_text", found->second.default_text},
                          {"edited", found->second.edited}};
            if (key && *key == name) {
                editing = entry;
            }
            entries.push_back(std::move(entry));
        }
        groups.push_back({{"name", group.name}, {"templates", entries}});
    }
    if (key && editing.is_null()) {
        return refused(words, 404, "console.page.no_template", {{"key", *key}});
    }
    console_page page;
    page.vars = {{"groups", groups}, {"editing", editing}, {"has_editing", !editing.is_null()}};
    return page;
}

std::optional<std::string> console_orders_csv(repositories& store, const settings& config,
                                              const console_viewer& viewer, std::int64_t number) {
    std::optional<std::int64_t> id;
    {
        const storage::compound_scope::entered in(store.scope, viewer.compound);
        const auto c = store.orders.numbered_campaign(number);
        if (!c) {
            return std::nullopt;
        }
        id = c->id;
    }
    return export_orders_csv(store, config, viewer.compound, id,
                             viewer.whole_compound() ? nullptr : &viewer.who.lead_buildings);
}

}  // namespace loudong::handlers
