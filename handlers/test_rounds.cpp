#include "handlers/test_rounds.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/local_time.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;

// The evening before a round, each building hears its time at this hour (local).
constexpr int evening_notice_minutes = 20 * 60;
// A round is in progress until every building is called, or until this long after the time of
// a building never called (the committee forgot to call it down).
constexpr std::int64_t round_stale_seconds = 12 * 3600;

/// Buildings that have a bound chat, in numeric order: what `all` means for a round.
std::vector<std::string> bound_buildings(repositories& store) {
    std::vector<std::string> labels;
    for (const auto& c : store.chats.bound_to("building")) {
        if (c.building && std::find(labels.begin(), labels.end(), *c.building) == labels.end()) {
            labels.push_back(*c.building);
        }
    }
    std::sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return labels;
}

/// Messages to one building's chats.
std::vector<outbound> to_building(repositories& store, const std::string& building,
                                  const std::string& text) {
    return to_chats(store.chats.bound_to("building", building), text, outbox_lane::broadcast);
}

void append(std::vector<outbound>& to, std::vector<outbound> more) {
    to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

json schedule_vars(const storage::test_round& round, const settings& config) {
    json slots = json::array();
    for (const auto& s : round.slots) {
        slots.push_back({{"position", s.position},
                         {"building", s.building},
                         {"time", format_clock(s.starts_at, config.zone)},
                         {"called", s.called_at.has_value()}});
    }
    return {{"round", round.id},
            {"place", round.place},
            {"when", format_local(round.starts_at, config.zone)},
            {"slots", slots}};
}

/// The shortly-before reminder of each slot not yet called, keyed by its start so a
/// postponed slot's old reminder does nothing.
void schedule_reminders(const storage::test_round& round, repositories& store,
                        const settings& config, std::int64_t now) {
    const auto lead = std::min<std::int64_t>(10, config.test_call_interval_minutes) * 60;
    for (const auto& s : round.slots) {
        if (s.called_at || s.starts_at - lead <= now) {
            continue;
        }
        const json payload{
            {"round", round.id}, {"position", s.position}, {"starts_at", s.starts_at}};
        store.jobs.schedule(storage::job_kind::test_soon, payload.dump(), s.starts_at - lead,
                            "test_soon:" + std::to_string(round.id) + ":" +
                                std::to_string(s.position) + ":" + std::to_string(s.starts_at),
                            now);
    }
}

/// Each building's time and place, as sent the evening before.
std::vector<outbound> evening_notices(const storage::test_round& round, repositories& store,
                                      reply_builder& replies, const settings& config) {
    std::vector<outbound> out;
    for (const auto& s : round.slots) {
        append(out, to_building(store, s.building,
                                replies.text("test.building_notice",
                                             {{"building", s.building},
                                              {"when", format_local(s.starts_at, config.zone)},
                                              {"place", round.place}})));
    }
    return out;
}

handler_result schedule_round(const test_args& args, context& ctx) {
    std::vector<std::string> buildings;
    if (args.targets.all) {
        buildings = bound_buildings(ctx.store);
    } else {
        for (const auto& b : args.targets.buildings) {
            buildings.push_back(b.label);
        }
    }
    if (buildings.empty()) {
        return ctx.answer_only("test.no_buildings");
    }
    const auto start = resolve_when(args.when, ctx.now, ctx.config.zone).start;
    if (start <= ctx.now) {
        return ctx.answer_only("notice.past_time",
                               {{"when", format_local(start, ctx.config.zone)}});
    }
    // A building already due in another round that day would get two times (issue 19).
    if (!args.confirmed) {
        const auto interval = ctx.config.test_call_interval_minutes * 60;
        for (const auto& other : ctx.store.test_rounds.in_progress(ctx.now, round_stale_seconds)) {
            for (std::size_t i = 0; i < buildings.size(); ++i) {
                const auto at = start + static_cast<std::int64_t>(i) * interval;
                for (const auto& s : other.slots) {
                    if (!s.called_at && s.building == buildings[i] &&
                        local_day(s.starts_at, ctx.config.zone) == local_day(at, ctx.config.zone)) {
                        return ctx.answer_only(
                            "test.conflict",
                            {{"building", s.building},
                             {"round", other.id},
                             {"when", format_local(s.starts_at, ctx.config.zone)}});
                    }
                }
            }
        }
    }
    const auto round =
        ctx.store.test_rounds.create(args.place, start, ctx.config.test_call_interval_minutes,
                                     buildings, ctx.sender.key(), ctx.now);
    schedule_reminders(round, ctx.store, ctx.config, ctx.now);

    handler_result result;
    // The evening before at 20:00; when that has passed already, tell the buildings now.
    const auto local_start =
        ctx.config.zone->to_local(date::sys_seconds{std::chrono::seconds{start}});
    const auto eve_local = date::floor<date::days>(local_start) - date::days{1} +
                           std::chrono::minutes{evening_notice_minutes};
    const auto eve =
        ctx.config.zone->to_sys(eve_local, date::choose::earliest).time_since_epoch().count();
    auto vars = schedule_vars(round, ctx.config);
    vars["has_told"] = true;
    if (eve > ctx.now) {
        ctx.store.jobs.schedule(storage::job_kind::test_eve, json{{"round", round.id}}.dump(), eve,
                                "test_eve:" + std::to_string(round.id), ctx.now);
        vars["told"] =
            ctx.replies.text("test.told_at", {{"when", format_local(eve, ctx.config.zone)}});
    } else {
        result.outbox = evening_notices(round, ctx.store, ctx.replies, ctx.config);
        vars["told"] = ctx.replies.text("test.told_now");
    }
    const auto schedule = ctx.replies.text("test.schedule", vars);
    for (auto& message : to_committee(ctx.store, schedule, outbox_lane::direct)) {
        if (message.chat_id != ctx.msg.chat_id) {
            result.outbox.push_back(std::move(message));
        }
    }
    result.replies.push_back(reply{ctx.msg.chat_id, schedule, ctx.msg.message_id});
    return result;
}

/// The round a cancel or postpone names; without a number, the only round in progress (or,
/// with none in progress, the latest, to say it is over). Else the reply saying why not.
std::optional<storage::test_round> named_round(const test_args& args, context& ctx,
                                               handler_result& refusal) {
    if (args.round) {
        auto round = ctx.store.test_rounds.find(*args.round);
        if (!round || round->state != "scheduled") {
            refusal = ctx.answer_only("test.not_found", {{"round", *args.round}});
            return std::nullopt;
        }
        return round;
    }
    auto rounds = ctx.store.test_rounds.in_progress(ctx.now, round_stale_seconds);
    if (rounds.size() > 1) {
        json listed = json::array();
        for (const auto& r : rounds) {
            listed.push_back(
                {{"round", r.id}, {"when", format_local(r.starts_at, ctx.config.zone)}});
        }
        refusal =
            ctx.answer_only("test.which", {{"rounds", listed}, {"example", rounds.back().id}});
        return std::nullopt;
    }
    if (rounds.empty()) {
        auto latest = ctx.store.test_rounds.latest_scheduled();
        if (!latest) {
            refusal = ctx.answer_only("test.none");
        }
        return latest;
    }
    return rounds.front();
}

handler_result list_rounds(context& ctx) {
    const auto rounds = ctx.store.test_rounds.in_progress(ctx.now, round_stale_seconds);
    if (rounds.empty()) {
        return ctx.answer_only("test.none");
    }
    json listed = json::array();
    for (const auto& r : rounds) {
        const auto called = std::count_if(r.slots.begin(), r.slots.end(),
                                          [](const auto& s) { return s.called_at.has_value(); });
        json entry{{"round", r.id},           {"when", format_local(r.starts_at, ctx.config.zone)},
                   {"place", r.place},        {"called", called},
                   {"count", r.slots.size()}, {"has_next", false}};
        for (const auto& s : r.slots) {
            if (!s.called_at) {
                entry["has_next"] = true;
                entry["next"] = s.building;
                entry["next_time"] = format_local(s.starts_at, ctx.config.zone);
                break;
            }
        }
        listed.push_back(entry);
    }
    return ctx.answer_only("test.list", {{"rounds", listed}});
}

handler_result change_round(const test_args& args, context& ctx) {
    handler_result result;
    const auto round = named_round(args, ctx, result);
    if (!round) {
        return result;
    }
    if (args.what == test_args::action::cancel) {
        ctx.store.test_rounds.cancel(round->id);
        for (const auto& s : round->slots) {
            if (!s.called_at) {
                append(result.outbox,
                       to_building(ctx.store, s.building,
                                   ctx.replies.text(
                                       "test.cancelled_notice",
                                       {{"building", s.building},
                                        {"when", format_local(s.starts_at, ctx.config.zone)}})));
            }
        }
        result.replies.push_back(ctx.answer("test.cancelled", {{"round", round->id}}));
        return result;
    }
    // Every building already called down: there is nothing left to move (issue 19).
    if (std::all_of(round->slots.begin(), round->slots.end(),
                    [](const auto& s) { return s.called_at.has_value(); })) {
        return ctx.answer_only("test.postpone_all_called", {{"round", round->id}});
    }
    ctx.store.test_rounds.postpone(round->id, args.postpone_minutes * 60);
    const auto moved = *ctx.store.test_rounds.find(round->id);
    schedule_reminders(moved, ctx.store, ctx.config, ctx.now);
    for (const auto& s : moved.slots) {
        if (!s.called_at) {
            append(
                result.outbox,
                to_building(ctx.store, s.building,
                            ctx.replies.text("test.postponed_notice",
                                             {{"building", s.building},
                                              {"minutes", args.postpone_minutes},
                                              {"when", format_local(s.starts_at, ctx.config.zone)},
                                              {"place", moved.place}})));
        }
    }
    result.replies.push_back(ctx.answer("test.postponed", schedule_vars(moved, ctx.config)));
    return result;
}

}  // namespace

handler_result handle_test(const command& cmd, context& ctx) {
    const auto& args = std::get<test_args>(cmd.args);
    switch (args.what) {
        case test_args::action::schedule:
            return schedule_round(args, ctx);
        case test_args::action::list:
            return list_rounds(ctx);
        case test_args::action::cancel:
        case test_args::action::postpone:
            break;
    }
    return change_round(args, ctx);
}

handler_result handle_call(const command& cmd, context& ctx) {
    const auto& args = std::get<call_args>(cmd.args);
    // The round whose next building is due soonest; for a named building, the round in which
    // it is due soonest (else the latest round it is in, to call it again).
    const auto rounds = ctx.store.test_rounds.in_progress(ctx.now, round_stale_seconds);
    std::optional<storage::test_round> round;
    std::optional<storage::test_slot> slot;
    if (args.next) {
        if (rounds.empty()) {
            return ctx.store.test_rounds.latest_scheduled() ? ctx.answer_only("test.all_called")
                                                            : ctx.answer_only("test.none");
        }
        round = rounds.front();
        for (const auto& s : round->slots) {
            if (!s.called_at) {
                slot = s;
                break;
            }
        }
    } else {
        for (const auto& r : rounds) {
            for (const auto& s : r.slots) {
                if (!s.called_at && s.building == args.building->label &&
                    (!slot || s.starts_at < slot->starts_at)) {
                    round = r;
                    slot = s;
                }
            }
        }
        if (!slot) {
            round = ctx.store.test_rounds.latest_scheduled();
            for (const auto& s : round ? round->slots : std::vector<storage::test_slot>{}) {
                if (s.building == args.building->label) {
                    slot = s;
                }
            }
        }
    }
    const auto building = slot ? slot->building : args.building->label;
    // A lead calls their own buildings down (SPEC §8 item 4).
    if (!ctx.acts_on(building)) {
        return ctx.not_yours(building);
    }
    handler_result result;
    const json call_vars{{"building", building},
                         {"has_place", round.has_value()},
                         {"place", round ? round->place : ""}};
    result.outbox = to_building(ctx.store, building, ctx.replies.text("test.call", call_vars));
    if (result.outbox.empty()) {
        return ctx.answer_only("test.no_chat", {{"building", building}});
    }
    json vars{{"building", building}, {"has_next", false}};
    if (round && slot) {
        vars["round"] = round->id;
        ctx.store.test_rounds.mark_called(round->id, slot->position, ctx.now);
        vars["position"] = slot->position;
        vars["count"] = round->slots.size();
        vars["in_round"] = true;
        for (const auto& s : round->slots) {
            if (!s.called_at && s.position != slot->position) {
                vars["has_next"] = true;
                vars["next"] = s.building;
                break;
            }
        }
    }
    result.replies.push_back(ctx.answer("test.called", vars));
    return result;
}

handler_result handle_retest(const command& cmd, context& ctx) {
    const auto& args = std::get<retest_args>(cmd.args);
    // A lead calls back rooms of their own buildings only.
    for (const auto& r : args.rooms) {
        if (!ctx.acts_on(r.building.label)) {
            return ctx.not_yours(r.building.label);
        }
    }
    // The round the first room's building is in: one in progress, else the latest scheduled.
    const auto& building = args.rooms.front().building.label;
    const auto has_building = [&](const storage::test_round& r) {
        return std::any_of(r.slots.begin(), r.slots.end(),
                           [&](const auto& s) { return s.building == building; });
    };
    std::optional<storage::test_round> round;
    for (const auto& r : ctx.store.test_rounds.in_progress(ctx.now, round_stale_seconds)) {
        if (!round && has_building(r)) {
            round = r;
        }
    }
    if (const auto latest = ctx.store.test_rounds.latest_scheduled();
        !round && latest && has_building(*latest)) {
        round = latest;
    }
    const auto place = !args.place.empty() ? args.place : round ? round->place : "";
    if (place.empty()) {
        return ctx.answer_only("retest.no_place");
    }
    const auto at = args.when ? resolve_when(*args.when, ctx.now, ctx.config.zone).start : ctx.now;
    if (at < ctx.now - 60) {
        return ctx.answer_only("notice.past_time", {{"when", format_local(at, ctx.config.zone)}});
    }
    json vars{{"place", place},
              {"has_round", round.has_value()},
              {"round", round ? round->id : 0},
              {"now", at <= ctx.now + 60},
              {"when", format_local(at, ctx.config.zone)}};
    handler_result result;
    json lines = json::array();
    for (const auto& r : args.rooms) {
        vars["building"] = r.building.label;
        vars["room"] = r.room;
        // Told privately: why a room must test again is nobody else's business.
        std::int64_t told = 0;
        for (const auto& m : ctx.store.members.at_room(r.building.label, r.room)) {
            if (m.confirmed) {
                result.outbox.push_back(
                    to_member_privately(m, ctx.replies.text("retest.notice", vars)));
                ++told;
            }
        }
        vars["count"] = told;
        lines.push_back(
            {{"line", ctx.replies.text(told ? "retest.line_told" : "retest.line_nobody", vars)}});
    }
    vars["lines"] = lines;
    vars["rooms"] = args.rooms.size();
    result.replies.push_back(ctx.answer("retest.done", vars));
    return result;
}

handler_result run_test_job(const storage::job& due, job_context& ctx, bool stale) {
    handler_result result;
    const auto payload = json::parse(due.payload);
    const auto round = ctx.store.test_rounds.find(payload.at("round").get<std::int64_t>());
    // A late reminder would send people down after their turn: drop it.
    if (stale || !round || round->state != "scheduled") {
        return result;
    }
    if (due.kind == storage::job_kind::test_eve) {
        result.outbox = evening_notices(*round, ctx.store, ctx.replies, ctx.config);
        return result;
    }
    const auto position = payload.at("position").get<std::int64_t>();
    for (const auto& s : round->slots) {
        if (s.position == position && !s.called_at &&
            s.starts_at == payload.at("starts_at").get<std::int64_t>()) {
            result.outbox = to_building(
                ctx.store, s.building,
                ctx.replies.text("test.soon", {{"building", s.building},
                                               {"when", format_local(s.starts_at, ctx.config.zone)},
                                               {"place", round->place}}));
        }
    }
    return result;
}

}  // namespace loudong::handlers
