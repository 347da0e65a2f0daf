#include "handlers/antigen.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/local_time.hpp"
#include "handlers/room_lists.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;

std::string_view result_name(antigen_args::result r) {
    switch (r) {
        case antigen_args::result::negative:
            return "negative";
        case antigen_args::result::positive:
            return "positive";
        case antigen_args::result::invalid:
            return "invalid";
    }
    return "invalid";
}

// Rooms per building, "101-104、301、502（未登记）" (SPEC §8 item 12: rooms one after the other
// as a range): a registry room nobody registered at is marked, as a volunteer must knock there;
// with `reasons` (the committee's chat or a private one, never a group of residents) a room
// whose result was invalid is marked too.
json rooms_by_building(const std::vector<storage::pending_room>& rooms, reply_builder& words,
                       bool reasons) {
    std::map<std::string, std::vector<listed_room>> listed;
    std::vector<std::string> order;
    const auto unregistered = words.text("antigen.unregistered_mark");
    const auto invalid = reasons ? words.text("antigen.invalid_mark") : "";
    for (const auto& r : rooms) {
        if (!listed.contains(r.building)) {
            order.push_back(r.building);
        }
        listed[r.building].push_back(
            {r.room, (r.registered ? "" : unregistered) + (r.invalid ? invalid : "")});
    }
    json list = json::array();
    for (const auto& building : order) {
        const auto& in_building = listed[building];
        list.push_back({{"building", building},
                        {"rooms", room_ranges(in_building)},
                        {"count", in_building.size()}});
    }
    return list;
}

}  // namespace

handler_result handle_antigen(const command& cmd, context& ctx) {
    const auto& args = std::get<antigen_args>(cmd.args);
    const auto result_key = std::string(result_name(args.value));
    const auto& building = *ctx.sender.building;
    const auto& room = *ctx.sender.room;
    const auto day = local_day(ctx.now, ctx.config.zone);
    // A member waiting to be confirmed does not report for the household; a positive is still
    // told to the committee, marked unconfirmed (SPEC §8 item 2).
    const bool unconfirmed = !ctx.sender_standing.registered;
    std::optional<std::string> replaced;
    if (!unconfirmed) {
        replaced =
            ctx.store.antigen.report(day, building, room, result_key, ctx.sender.id, ctx.now);
    } else {
        ctx.store.antigen.record_unconfirmed(day, building, room, result_key, ctx.sender.id,
                                             ctx.now);
    }
    // A household's result that changes during the day is shown to the committee, never
    // silently overwritten (SPEC §8 item 8).
    const bool changed = replaced && *replaced != result_key;
    handler_result result;
    // Neutral on purpose: whatever the result, the group sees only that the room reported.
    result.replies.push_back(
        unconfirmed ? ctx.answer("antigen.unconfirmed", {{"building", building}, {"room", room}})
                    : ctx.answer("antigen.received", {{"building", building},
                                                      {"room", room},
                                                      {"updated", replaced.has_value()}}));
    const json vars{{"building", building},
                    {"room", room},
                    {"result", ctx.replies.text("antigen.result." + result_key)},
                    {"reporter", ctx.sender.display_name.empty() ? ctx.sender.user_id
                                                                 : ctx.sender.display_name},
                    {"id", ctx.sender.key()},
                    {"unconfirmed", unconfirmed},
                    {"changed", changed},
                    {"from", changed ? ctx.replies.text("antigen.result." + *replaced) : ""},
                    {"time", format_clock(ctx.now, ctx.config.zone)}};
    if (args.value == antigen_args::result::negative && changed) {
        result.outbox =
            to_committee_only(ctx.store, ctx.config, ctx.compound,
                              ctx.replies.text("antigen.changed", vars), outbox_lane::alert);
    }
    if (args.value != antigen_args::result::negative) {
        result.outbox =
            to_committee_only(ctx.store, ctx.config, ctx.compound,
                              ctx.replies.text("antigen.alert", vars), outbox_lane::alert);
        // The reporter is told only what really happened: with nobody to alert, that too.
        auto advice_vars = vars;
        advice_vars["forwarded"] = !result.outbox.empty();
        result.outbox.push_back(to_member_privately(
            ctx.sender, ctx.replies.text("antigen.advice." + result_key, advice_vars)));
    }
    // A report in a group is taken, and its sender asked once a day to report privately next
    // time (SPEC §8 item 8): with the advice when there is one, else on its own.
    if (!ctx.msg.is_private && ctx.store.members.hint_once(ctx.sender.id, day)) {
        const auto hint = ctx.replies.text("antigen.report_privately");
        if (args.value == antigen_args::result::negative) {
            result.outbox.push_back(to_member_privately(ctx.sender, hint));
        } else {
            result.outbox.back().text += "\n" + hint;
        }
    }
    return result;
}

handler_result handle_pending(const command& cmd, context& ctx) {
    const auto& args = std::get<building_opt_args>(cmd.args);
    const auto day = local_day(ctx.now, ctx.config.zone);
    std::optional<std::string> building;
    std::vector<storage::pending_room> rooms;
    if (args.building) {
        building = args.building->label;
        if (!ctx.acts_on(*building)) {
            return ctx.not_yours(*building);
        }
        rooms = ctx.store.antigen.pending(day, building);
    } else if (ctx.sender_standing.has(role::committee)) {
        rooms = ctx.store.antigen.pending(day);
    } else {
        // A lead asking without a building means theirs (SPEC §8 item 4).
        for (const auto& b : ctx.sender_standing.lead_buildings) {
            auto theirs = ctx.store.antigen.pending(day, b);
            rooms.insert(rooms.end(), theirs.begin(), theirs.end());
        }
        if (ctx.sender_standing.lead_buildings.size() == 1) {
            building = *ctx.sender_standing.lead_buildings.begin();
        }
    }
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const bool reasons = ctx.msg.is_private || (chat && chat->kind == "committee");
    handler_result result;
    result.replies.push_back(ctx.answer(
        "antigen.pending", {{"buildings", rooms_by_building(rooms, ctx.replies, reasons)},
                            {"count", rooms.size()},
                            {"none", rooms.empty()},
                            {"has_building", building.has_value()},
                            {"building", building.value_or("")}}));
    return result;
}

handler_result handle_stats(const command& /*cmd*/, context& ctx) {
    handler_result result;
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    // Health figures: in the committee's chat, or privately to the committee member who asks.
    if (!ctx.msg.is_private && (!chat || chat->kind != "committee")) {
        result.replies.push_back(ctx.answer("antigen.stats_committee_only"));
        return result;
    }
    json buildings = json::array();
    std::int64_t rooms = 0;
    std::int64_t reported = 0;
    std::int64_t positive = 0;
    std::int64_t unregistered = 0;
    // Households whose result changed today: "3-502 阳性→阴性".
    std::string changes;
    for (const auto& change : ctx.store.antigen.changes(local_day(ctx.now, ctx.config.zone))) {
        std::string results;
        for (const auto& r : change.results) {
            results += (results.empty() ? "" : "→") + ctx.replies.text("antigen.result." + r);
        }
        changes +=
            (changes.empty() ? "" : "、") + change.building + "-" + change.room + " " + results;
    }
    for (const auto& row : ctx.store.antigen.reporting(local_day(ctx.now, ctx.config.zone))) {
        buildings.push_back({{"building", row.building},
                             {"rooms", row.rooms},
                             {"reported", row.reported},
                             {"positive", row.positive},
                             {"unregistered", row.unregistered},
                             {"has_unregistered", row.unregistered > 0}});
        unregistered += row.unregistered;
        rooms += row.rooms;
        reported += row.reported;
        positive += row.positive;
    }
    result.replies.push_back(
        ctx.answer("antigen.stats", {{"buildings", buildings},
                                     {"rooms", rooms},
                                     {"reported", reported},
                                     {"positive", positive},
                                     {"unregistered", unregistered},
                                     {"has_unregistered", unregistered > 0},
                                     {"changes", changes},
                                     {"has_changes", !changes.empty()},
                                     {"day", local_day(ctx.now, ctx.config.zone)}}));
    return result;
}

void schedule_daily_antigen(repositories& store, const settings& config, std::int64_t now) {
    for (const auto& [kind, minutes] :
         {std::pair{storage::job_kind::antigen_daily, config.antigen_daily_minutes},
          std::pair{storage::job_kind::antigen_pending, config.antigen_pending_minutes}}) {
        const auto at = next_daily(minutes, now, config.zone);
        const auto day = local_day(at, config.zone);
        store.jobs.schedule(kind, json{{"day", day}}.dump(), at,
                            std::string(storage::stored_word(kind)) + ":" + day, now);
    }
}

handler_result run_antigen_job(const storage::job& due, job_context& ctx, bool stale) {
    // Tomorrow's is scheduled whatever happens to today's, so the chain never breaks.
    schedule_daily_antigen(ctx.store, ctx.config, std::max(ctx.now, due.due_at));
    handler_result result;
    if (stale) {
        return result;
    }
    const auto day = json::parse(due.payload).at("day").get<std::string>();
    if (due.kind == storage::job_kind::antigen_daily) {
        result.outbox =
            to_chats(ctx.store.chats.bound_to("building"),
                     ctx.replies.text(
                         "antigen.daily_reminder",
                         {{"deadline", format_clock(next_daily(ctx.config.antigen_pending_minutes,
                                                               ctx.now, ctx.config.zone),
                                                    ctx.config.zone)}}),
                     outbox_lane::broadcast);
        return result;
    }
    for (const auto& chat : ctx.store.chats.bound_to("building")) {
        const auto rooms = ctx.store.antigen.pending(day, chat.building);
        const auto grouped = rooms_by_building(rooms, ctx.replies, false);
        const json vars{{"building", chat.building.value_or("")},
                        {"rooms", grouped.empty() ? "" : grouped[0]["rooms"].get<std::string>()},
                        {"count", rooms.size()},
                        {"none", rooms.empty()}};
        result.outbox.push_back(outbound{chat.platform, chat.chat_id, false,
                                         ctx.replies.text("antigen.pending_reminder", vars),
                                         std::nullopt, outbox_lane::broadcast});
    }
    return result;
}

}  // namespace loudong::handlers
