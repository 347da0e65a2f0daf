// Volunteer tasks (SPEC §3, issue 5). Choices made here:
// - A rota (`每天 08:00-12:00 2 至 5-10`) posts one task per day: each day has its own number,
//   roster, waiting list and reminder, and is claimed day by day. Days already begun are skipped.
// - Claiming and checking out need a registered address but no role (audience residents): anyone
//   registered may volunteer, and claiming grants no role. 完成 checks out only a slot one holds.
// - A freed slot goes to the first on the waiting list who holds nothing overlapping; a waiting
//   member busy at that time keeps their place. Once a task has begun a freed slot stays free.
// - Each holder gets their own reminder in the task's chat at start − lead time; a task posted
//   inside the lead time gets none (the claim reply states the start).
// - Hours are the task's own length, counted in the month (compound zone) the task starts in; a
//   task posted without an end counts from its start to check-out, at most 12 hours.
#include "handlers/tasks.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/local_time.hpp"
#include "handlers/registration.hpp"

namespace loudong::handlers {
namespace {

using json = nlohmann::json;
using std::chrono::days;
using std::chrono::minutes;

/// The most slots one task may have, and the most days one rota may post at once.
constexpr std::int64_t max_slots = 500;
constexpr std::int64_t max_rota_days = 62;
/// A task posted without an end time records the time from its start to check-out, up to this.
constexpr std::int64_t max_open_ended_minutes = 12 * 60;
/// How many tasks `任务` and volunteers `时长` list before saying how many more there are.
constexpr int listed_tasks = 10;
constexpr std::size_t listed_volunteers = 30;
/// The most shifts one 揭榜 may claim, and one 排班 may post; the shortest and longest shift.
constexpr std::size_t max_claims = 48;
/// 签到 opens this long before a shift starts.
constexpr std::int64_t checkin_early_seconds = 30 * 60;
/// 完成 that would credit less than this is taken for a mistake on arrival, not a check-out.
constexpr std::int64_t shortest_served_minutes = 5;
/// Ended shifts listed by 确认时长 alone.
constexpr int listed_unconfirmed = 10;
constexpr std::int64_t max_rota_shifts = 300;
constexpr std::int64_t shortest_shift_minutes = 30;
constexpr std::int64_t longest_shift_minutes = 24 * 60;
/// How many shifts 我的班次 lists.
constexpr int listed_shifts = 20;

date::local_seconds local_of(std::int64_t moment, const date::time_zone* zone) {
    return zone->to_local(date::sys_seconds{std::chrono::seconds{moment}});
}

std::int64_t unix_of(date::local_seconds local, const date::time_zone* zone) {
    return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

/// "16:00" in the compound's zone.
std::string clock_text(std::int64_t moment, const date::time_zone* zone) {
    const auto local = local_of(moment, zone);
    const date::hh_mm_ss time{local - date::floor<days>(local)};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    return buffer;
}

/// "4月28日": the local calendar day of a moment.
std::string day_text(std::int64_t moment, const date::time_zone* zone, reply_builder& replies) {
    const date::year_month_day ymd{date::floor<days>(local_of(moment, zone))};
    return replies.text("task.day", {{"month", static_cast<unsigned>(ymd.month())},
                                     {"day", static_cast<unsigned>(ymd.day())}});
}

/// When a task ends for the rules: a task without an end time is over once it starts.
std::int64_t ends_of(const storage::task& t) {
    return std::max(t.starts_at, t.ends_at);
}

/// "4月28日 14:00-16:00"; an end on the next day reads "24:00" at midnight, else "次日06:00".
std::string span_text(std::int64_t starts_at, std::int64_t ends_at, const date::time_zone* zone,
                      reply_builder& replies) {
    auto text = format_local(starts_at, zone);
    if (ends_at <= starts_at) {
        return text;
    }
    const auto start_day = date::floor<days>(local_of(starts_at, zone));
    const auto end_local = local_of(ends_at, zone);
    const auto end_day = date::floor<days>(end_local);
    if (end_day == start_day) {
        return text + "-" + clock_text(ends_at, zone);
    }
    if (end_day == start_day + days{1} && end_local == end_day) {
        return text + "-24:00";
    }
    return text + "-" + replies.text("task.next_day") + clock_text(ends_at, zone);
}

/// How a member is named to others: display name, else address, else platform id.
std::string name_of(const std::string& display_name, const std::optional<std::string>& building,
                    const std::optional<std::string>& room, const std::string& user_id) {
    if (!display_name.empty()) {
        return display_name;
    }
    if (building && room) {
        return *building + "-" + *room;
    }
    return user_id;
}

std::string name_of(const storage::task_claim& c) {
    return name_of(c.display_name, c.building, c.room, c.user_id);
}

std::string room_of(const std::optional<std::string>& building,
                    const std::optional<std::string>& room) {
    return building && room ? *building + "-" + *room : "";
}

/// "2", "2.5": hours with at most one decimal.
std::string hours_text(std::int64_t total_minutes) {
    if (total_minutes % 60 == 0) {
        return std::to_string(total_minutes / 60);
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(total_minutes) / 60.0);
    return buffer;
}

json task_vars(const storage::task& t, const date::time_zone* zone, reply_builder& replies) {
    return {{"number", t.id},
            {"title", t.title},
            {"when", span_text(t.starts_at, t.ends_at, zone, replies)},
            {"start", format_local(t.starts_at, zone)},
            {"slots", t.slots},
            {"taken", t.taken},
            {"free", std::max<std::int64_t>(0, t.slots - t.taken)},
            {"waiting", t.waiting},
            {"place", t.place},
            {"has_place", !t.place.empty()},
            {"note", t.note},
            {"has_note", !t.note.empty()}};
}

/// True when the sender already holds a task at t's hours; vars then name that task.
bool overlaps_another(const storage::task& t, context& ctx, json& vars) {
    const auto other = ctx.store.tasks.overlapping(ctx.sender.id, t.starts_at, t.ends_at, t.id);
    if (!other) {
        return false;
    }
    vars["other"] = other->id;
    vars["other_title"] = other->title;
    vars["other_when"] = span_text(other->starts_at, other->ends_at, ctx.config.zone, ctx.replies);
    return true;
}

/// A message for volunteers about a task: to the volunteers' chats where they are bound (a rota
/// is often posted in the committee's chat, which volunteers do not read), else the task's.
std::vector<outbound> to_volunteers(const storage::task& t, context& ctx, const std::string& text) {
    auto found = to_chats(ctx.store.chats.bound_to("volunteers"), text, outbox_lane::broadcast);
    if (found.empty()) {
        found.push_back(
            outbound{t.platform, t.chat_id, false, text, std::nullopt, outbox_lane::broadcast});
    }
    return found;
}

/// The task a number names, or the reply saying there is none.
std::optional<storage::task> find_task(std::int64_t number, context& ctx, handler_result& refusal) {
    auto found = ctx.store.tasks.find(number);
    if (!found) {
        refusal = ctx.answer_only("task.not_found", {{"number", number}});
    } else if (found->state == "cancelled") {
        refusal =
            ctx.answer_only("task.is_cancelled", {{"number", number}, {"title", found->title}});
        found.reset();
    }
    return found;
}

// The reply to posting a task or a rota; it is also told in the volunteers' chats, where those
// who claim are, unless it was posted in one of them. The reply says whether it went there.
handler_result posted_and_announced(const std::string& reply_key, const std::string& announce_key,
                                    json vars, context& ctx) {
    const auto chats = ctx.store.chats.bound_to("volunteers");
    const bool posted_there = std::any_of(chats.begin(), chats.end(), [&](const auto& c) {
        return c.platform == ctx.msg.platform && c.chat_id == ctx.msg.chat_id;
    });
    std::vector<outbound> told;
    if (!posted_there) {
        told = to_chats(chats, ctx.replies.text(announce_key, vars), outbox_lane::broadcast);
    }
    vars["announced"] = !told.empty();
    auto result = ctx.answer_only(reply_key, vars);
    result.outbox = std::move(told);
    return result;
}

void schedule_reminder(const storage::task& t, context& ctx) {
    const auto due = t.starts_at - ctx.config.task_lead_seconds;
    // Posted within the lead time: the claim reply gives the start, a reminder would only
    // repeat it moments later.
    if (due > ctx.now) {
        ctx.store.jobs.schedule(storage::job_kind::task_reminder, json{{"task_id", t.id}}.dump(),
                                due, "task_reminder:" + std::to_string(t.id), ctx.now);
    }
}

/// The days and times of a post: one for a single task, one per day for a rota.
struct shift {
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
};

std::vector<shift> rota_shifts(const when_spec& when, date::local_days first, date::local_days last,
                               const date::time_zone* zone) {
    std::vector<shift> shifts;
    for (auto day = first; day <= last; day += days{1}) {
        shift s;
        s.starts_at = unix_of(day + minutes{when.start.minutes}, zone);
        s.ends_at = s.starts_at;
        if (when.end) {
            auto end = day + minutes{when.end->minutes};
            if (when.end->minutes <= when.start.minutes) {
                end += days{1};  // a night shift, 22:00-06:00
            }
            s.ends_at = unix_of(end, zone);
        }
        shifts.push_back(s);
    }
    return shifts;
}

handler_result post_rota(const task_args& args, context& ctx) {
    const auto* zone = ctx.config.zone;
    if (!args.when.until) {
        return ctx.answer_only("task.rota_needs_last_day");
    }
    // `每天` starts today; `4-28 … 至 5-10` starts on its own day.
    auto first_spec = args.when;
    first_spec.until.reset();
    if (first_spec.day.which == day_ref::kind::every_day) {
        first_spec.day.which = day_ref::kind::today;
    }
    auto last_spec = first_spec;
    last_spec.day = *args.when.until;
    const auto first =
        date::floor<days>(local_of(resolve_when(first_spec, ctx.now, zone).start, zone));
    const auto last =
        date::floor<days>(local_of(resolve_when(last_spec, ctx.now, zone).start, zone));
    if (last < first) {
        return ctx.answer_only("task.rota_backwards");
    }
    if ((last - first).count() + 1 > max_rota_days) {
        return ctx.answer_only("task.rota_too_long", {{"max", max_rota_days}});
    }
    std::vector<storage::task> posted;
    for (const auto& s : rota_shifts(args.when, first, last, zone)) {
        if (s.starts_at <= ctx.now) {
            continue;  // today's shift has already begun
        }
        const auto id = ctx.store.tasks.create(
            storage::new_task{args.title, s.starts_at, s.ends_at, args.slots,
                              args.place.value_or(""), args.note.value_or(""), ctx.msg.platform,
                              ctx.msg.chat_id},
            ctx.sender.key(), ctx.now);
        posted.push_back(*ctx.store.tasks.find(id));
        schedule_reminder(posted.back(), ctx);
    }
    if (posted.empty()) {
        return ctx.answer_only(
            "task.past_time",
            {{"when", format_local(unix_of(last + minutes{args.when.start.minutes}, zone), zone)}});
    }
    const auto& head = posted.front();
    const auto& tail = posted.back();
    const auto clock = head.ends_at > head.starts_at
                           ? clock_text(head.starts_at, zone) + "-" + clock_text(head.ends_at, zone)
                           : clock_text(head.starts_at, zone);
    return posted_and_announced("task.posted_rota", "task.announce_rota",
                                {{"title", args.title},
                                 {"days", posted.size()},
                                 {"first", head.id},
                                 {"last", tail.id},
                                 {"from", day_text(head.starts_at, zone, ctx.replies)},
                                 {"until", day_text(tail.starts_at, zone, ctx.replies)},
                                 {"clock", clock},
                                 {"slots", args.slots},
                                 {"place", args.place.value_or("")},
                                 {"has_place", args.place.has_value()}},
                                ctx);
}

/// A message to a volunteer about a task (a reminder, a promotion): privately (SPEC §10), and if
/// their platform refuses it (not a QQ friend, never pressed Start on Telegram), once more in
/// the task's chat as a mention.
outbound to_volunteer_privately(const storage::task_claim& c, const storage::task& t,
                                const std::string& key, json vars, reply_builder& replies) {
    vars["has_mention"] = false;
    vars["mention"] = "";
    outbound m{
        c.platform,  c.user_id, true, replies.text(key, vars), std::nullopt, outbox_lane::direct,
        c.member_id, {},        {}};
    if (c.platform == t.platform) {
        vars["has_mention"] = true;
        vars["mention"] = "@" + name_of(c);
        m.fallback_chat = t.chat_id;
        m.fallback_text = replies.text(key, vars);
    }
    return m;
}

/// The first on the waiting list who is free at the task's time takes the freed slot, and is
/// told privately.
std::optional<std::string> fill_from_waiting_list(const storage::task& t, context& ctx,
                                                  std::vector<outbound>& outbox) {
    for (const auto& waiting : ctx.store.tasks.claims(t.id)) {
        if (waiting.state != "waiting" ||
            ctx.store.tasks.overlapping(waiting.member_id, t.starts_at, t.ends_at, t.id)) {
            continue;
        }
        if (!ctx.store.tasks.promote(waiting.id, ctx.now)) {
            return std::nullopt;
        }
        outbox.push_back(to_volunteer_privately(
            waiting, t, "claim.promoted", task_vars(t, ctx.config.zone, ctx.replies), ctx.replies));
        return name_of(waiting);
    }
    return std::nullopt;
}

}  // namespace

handler_result handle_task(const command& cmd, context& ctx) {
    const auto& args = std::get<task_args>(cmd.args);
    if (args.slots > max_slots) {
        return ctx.answer_only("task.too_many_slots", {{"max", max_slots}});
    }
    if (args.when.until || args.when.day.which == day_ref::kind::every_day) {
        return post_rota(args, ctx);
    }
    const auto when = resolve_when(args.when, ctx.now, ctx.config.zone);
    if (when.start <= ctx.now) {
        return ctx.answer_only("task.past_time",
                               {{"when", format_local(when.start, ctx.config.zone)}});
    }
    const auto id = ctx.store.tasks.create(
        storage::new_task{args.title, when.start, when.end, args.slots, args.place.value_or(""),
                          args.note.value_or(""), ctx.msg.platform, ctx.msg.chat_id},
        ctx.sender.key(), ctx.now);
    const auto posted = *ctx.store.tasks.find(id);
    schedule_reminder(posted, ctx);
    return posted_and_announced("task.posted", "task.announce",
                                task_vars(posted, ctx.config.zone, ctx.replies), ctx);
}

namespace {

/// "2小时", "1.5小时", "45分钟": a shift's length.
std::string length_text(std::int64_t minutes_long, reply_builder& replies) {
    if (minutes_long % 30 == 0) {
        return replies.text("rota.hours", {{"hours", hours_text(minutes_long)}});
    }
    return replies.text("rota.minutes", {{"minutes", minutes_long}});
}

/// The shifts of a rota from `start` to `end`, stepped on the local clock (a gate's shifts
/// change at 08:00, 10:00 … whatever a DST change does); the last may be shorter.
std::vector<shift> rota_window(std::int64_t start, std::int64_t end, std::int64_t length,
                               const date::time_zone* zone) {
    std::vector<shift> shifts;
    const auto last = local_of(end, zone);
    for (auto at = local_of(start, zone); at < last; at += minutes{length}) {
        const auto to = std::min(at + minutes{length}, last);
        shift s{unix_of(at, zone), unix_of(to, zone)};
        if (s.ends_at > s.starts_at) {
            shifts.push_back(s);
        }
    }
    return shifts;
}

}  // namespace

handler_result handle_rota(const command& cmd, context& ctx) {
    const auto& args = std::get<rota_args>(cmd.args);
    const auto* zone = ctx.config.zone;
    if (args.slots > max_slots) {
        return ctx.answer_only("task.too_many_slots", {{"max", max_slots}});
    }
    if (args.shift_minutes < shortest_shift_minutes || args.shift_minutes > longest_shift_minutes) {
        return ctx.answer_only("rota.bad_length", {{"shortest", shortest_shift_minutes},
                                                   {"longest", longest_shift_minutes / 60}});
    }
    const auto from = resolve_when(args.from, ctx.now, zone);
    auto end = from.end;
    if (args.to && args.to->day.which == day_ref::kind::unspecified) {
        // "08:00 至 20:00": the first 20:00 after the start, on the local clock.
        const auto start_local = local_of(from.start, zone);
        auto end_local = date::floor<days>(start_local) + minutes{args.to->start.minutes};
        if (end_local <= start_local) {
            end_local += days{1};
        }
        end = unix_of(end_local, zone);
    } else if (args.to) {
        end = resolve_when(*args.to, ctx.now, zone).start;
    }
    if (from.start <= ctx.now) {
        return ctx.answer_only("task.past_time", {{"when", format_local(from.start, zone)}});
    }
    if (end <= from.start) {
        return ctx.answer_only("rota.backwards", {{"from", format_local(from.start, zone)},
                                                  {"until", format_local(end, zone)}});
    }
    const auto shifts = rota_window(from.start, end, args.shift_minutes, zone);
    const auto total = static_cast<std::int64_t>(shifts.size() * args.gates.size());
    if (total > max_rota_shifts) {
        return ctx.answer_only("rota.too_many", {{"max", max_rota_shifts}, {"count", total}});
    }
    // A gate already on a rota at these hours: posting it again would double its shifts.
    for (const auto& gate : args.gates) {
        const auto already =
            ctx.store.tasks.titled_between(gate, from.start - longest_shift_minutes * 60, end);
        for (const auto& t : already) {
            if (ends_of(t) > from.start) {
                return ctx.answer_only(
                    "rota.already",
                    {{"gate", gate},
                     {"number", t.id},
                     {"when", span_text(t.starts_at, t.ends_at, zone, ctx.replies)}});
            }
        }
    }
    json gates = json::array();
    std::int64_t first_number = 0;
    for (const auto& gate : args.gates) {
        std::int64_t first = 0;
        std::int64_t last = 0;
        for (const auto& s : shifts) {
            last = ctx.store.tasks.create(
                storage::new_task{gate, s.starts_at, s.ends_at, args.slots, args.place.value_or(""),
                                  args.note.value_or(""), ctx.msg.platform, ctx.msg.chat_id},
                ctx.sender.key(), ctx.now);
            first = first == 0 ? last : first;
            schedule_reminder(*ctx.store.tasks.find(last), ctx);
        }
        first_number = first_number == 0 ? first : first_number;
        gates.push_back({{"gate", gate}, {"first", first}, {"last", last}});
    }
    const auto& tail = shifts.back();
    const bool short_tail = tail.ends_at - tail.starts_at < args.shift_minutes * 60;
    return posted_and_announced(
        "rota.posted", "rota.announce",
        {{"gate_names",
          [&] {
              std::string names;
              for (const auto& g : args.gates) {
                  names += (names.empty() ? "" : "、") + g;
              }
              return names;
          }()},
         {"from", format_local(from.start, zone)},
         {"until", local_day(end, zone) == local_day(from.start, zone) ? clock_text(end, zone)
                                                                       : format_local(end, zone)},
         {"length", length_text(args.shift_minutes, ctx.replies)},
         {"slots", args.slots},
         {"shifts", total},
         {"per_gate", shifts.size()},
         {"gates", gates},
         {"several_gates", args.gates.size() > 1},
         {"short_tail", short_tail},
         {"tail_length", length_text((tail.ends_at - tail.starts_at) / 60, ctx.replies)},
         {"has_place", args.place.has_value()},
         {"place", args.place.value_or("")},
         {"example_gate", args.gates.front()},
         {"example_day", day_text(from.start, zone, ctx.replies)},
         {"example_first", first_number},
         {"example_last",
          first_number + std::min<std::int64_t>(2, static_cast<std::int64_t>(shifts.size()) - 1)}},
        ctx);
}

handler_result handle_tasks(const command& cmd, context& ctx) {
    const auto page = std::get<page_args>(cmd.args).page;
    const auto all = ctx.store.tasks.count_open_with_free_slots(ctx.now);
    if (all == 0) {
        return ctx.answer_only("task.none_open");
    }
    const auto pages = (all + listed_tasks - 1) / listed_tasks;
    if (page > pages) {
        return ctx.answer_only("task.no_page", {{"page", page}, {"pages", pages}});
    }
    const auto skip = (page - 1) * listed_tasks;
    json tasks = json::array();
    for (const auto& t : ctx.store.tasks.open_with_free_slots(ctx.now, listed_tasks, skip)) {
        tasks.push_back(task_vars(t, ctx.config.zone, ctx.replies));
    }
    const auto more = all - skip - static_cast<std::int64_t>(tasks.size());
    return ctx.answer_only("task.list", {{"tasks", tasks},
                                         {"more", more},
                                         {"has_more", more > 0},
                                         {"next", page + 1},
                                         {"page", page},
                                         {"pages", pages},
                                         {"paged", pages > 1}});
}

namespace {

/// What one claim came to, with the variables of its reply.
struct claim_outcome {
    std::string key;  ///< claim.taken, claim.waiting, claim.already_holding, …
    json vars;
};

claim_outcome claim_one(const storage::task& t, context& ctx) {
    auto vars = task_vars(t, ctx.config.zone, ctx.replies);
    if (ctx.now >= t.starts_at) {
        return {"claim.started", vars};
    }
    if (const auto mine = ctx.store.tasks.claim_of(t.id, ctx.sender.id)) {
        if (mine->state == "waiting") {
            vars["position"] = ctx.store.tasks.waiting_place(t.id, mine->id);
            return {"claim.already_waiting", vars};
        }
        return {"claim.already_holding", vars};
    }
    if (overlaps_another(t, ctx, vars)) {
        return {"claim.overlap", vars};
    }
    if (ctx.store.tasks.take_slot(t.id, ctx.sender.id, ctx.now)) {
        vars["taken"] = t.taken + 1;
        vars["lead"] = ctx.config.task_lead_seconds / 60;
        return {"claim.taken", vars};
    }
    vars["position"] = ctx.store.tasks.join_waiting_list(t.id, ctx.sender.id, ctx.now);
    return {"claim.waiting", vars};
}

/// The local day a typed day names, as [start, end) in Unix seconds.
std::pair<std::int64_t, std::int64_t> day_bounds(const day_ref& day, context& ctx) {
    when_spec midnight;
    midnight.day = day;
    const auto* zone = ctx.config.zone;
    const auto first =
        date::floor<days>(local_of(resolve_when(midnight, ctx.now, zone).start, zone));
    return {unix_of(first, zone), unix_of(first + days{1}, zone)};
}

/// The shifts a list names (`3 5-8`, or a title and its day), each number with its task if
/// there is one; empty with the refusal set when a title has no shifts that day.
using named_shifts = std::vector<std::pair<std::int64_t, std::optional<storage::task>>>;

named_shifts shifts_named(const claim_args& args, context& ctx, handler_result& refusal) {
    named_shifts shifts;
    if (args.day) {
        const auto [from, to] = day_bounds(*args.day, ctx);
        for (auto& t : ctx.store.tasks.titled_between(args.title, from, to)) {
            shifts.emplace_back(t.id, std::move(t));
        }
        if (shifts.empty()) {
            refusal = ctx.answer_only(
                "claim.no_shifts",
                {{"title", args.title}, {"day", day_text(from, ctx.config.zone, ctx.replies)}});
        }
        return shifts;
    }
    for (const auto n : args.tasks) {
        shifts.emplace_back(n, ctx.store.tasks.find(n));
    }
    return shifts;
}

/// The line for a shift that is not there to act on (no such number, or cancelled).
std::optional<std::string> missing_shift_line(std::int64_t number,
                                              const std::optional<storage::task>& found,
                                              context& ctx) {
    if (!found) {
        return ctx.replies.text("claim.line_not_found", {{"number", number}});
    }
    if (found->state == "cancelled") {
        return ctx.replies.text("claim.line_cancelled", {{"number", number}});
    }
    return std::nullopt;
}

/// `揭榜` of several shifts: each claimed on its own, one line each.
handler_result claim_several(const claim_args& args, context& ctx) {
    handler_result refusal;
    const auto shifts = shifts_named(args, ctx, refusal);
    if (shifts.empty()) {
        return refusal;
    }
    if (shifts.size() > max_claims) {
        return ctx.answer_only("claim.too_many", {{"max", max_claims}, {"count", shifts.size()}});
    }
    json lines = json::array();
    int taken = 0;
    int waiting = 0;
    for (const auto& [number, found] : shifts) {
        std::string line;
        if (auto missing = missing_shift_line(number, found, ctx)) {
            line = std::move(*missing);
        } else {
            const auto outcome = claim_one(*found, ctx);
            taken += outcome.key == "claim.taken" || outcome.key == "claim.already_holding";
            waiting += outcome.key == "claim.waiting" || outcome.key == "claim.already_waiting";
            line = ctx.replies.text("claim.line_" + outcome.key.substr(6), outcome.vars);
        }
        lines.push_back({{"line", line}});
    }
    return ctx.answer_only("claim.several", {{"count", shifts.size()},
                                             {"taken", taken},
                                             {"has_taken", taken > 0},
                                             {"waiting", waiting},
                                             {"has_waiting", waiting > 0},
                                             {"lines", lines},
                                             {"lead", ctx.config.task_lead_seconds / 60}});
}

}  // namespace

handler_result handle_claim(const command& cmd, context& ctx) {
    const auto& args = std::get<claim_args>(cmd.args);
    if (args.day || args.tasks.size() != 1) {
        return claim_several(args, ctx);
    }
    handler_result refusal;
    const auto t = find_task(args.tasks.front(), ctx, refusal);
    if (!t) {
        return refusal;
    }
    const auto outcome = claim_one(*t, ctx);
    return ctx.answer_only(outcome.key, outcome.vars);
}

handler_result handle_swap(const command& cmd, context& ctx) {
    const auto& args = std::get<swap_args>(cmd.args);
    handler_result result;
    const auto t = find_task(args.task, ctx, result);
    if (!t) {
        return result;
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    const auto mine = ctx.store.tasks.claim_of(t->id, ctx.sender.id);
    if (!mine || mine->state != "holding") {
        return ctx.answer_only("swap.not_holding", vars);
    }
    if (ctx.now >= t->starts_at) {
        return ctx.answer_only("swap.started", vars);
    }
    const auto lookup = find_member(args.member, ctx);
    if (!lookup.found) {
        return ctx.answer_only(lookup.problem_key, lookup.problem_vars);
    }
    const auto& other = *lookup.found;
    vars["other"] = name_of(other.display_name, other.building, other.room, other.user_id);
    if (other.id == ctx.sender.id) {
        return ctx.answer_only("swap.self", vars);
    }
    // Only a registered volunteer of this compound may hold a shift (the roster shows rooms).
    if (!other.room || !other.confirmed || other.compound != ctx.compound) {
        return ctx.answer_only("swap.not_registered", vars);
    }
    if (const auto theirs = ctx.store.tasks.claim_of(t->id, other.id);
        theirs && theirs->state != "waiting") {
        return ctx.answer_only("swap.already_theirs", vars);
    }
    ctx.store.tasks.offer_swap(*mine, other.id, ctx.now);
    vars["mention"] = "@" + vars["other"].get<std::string>();
    vars["from"] = name_of(*mine);
    for (auto& m : to_volunteers(*t, ctx, ctx.replies.text("swap.offer_notice", vars))) {
        result.outbox.push_back(std::move(m));
    }
    result.replies.push_back(ctx.answer("swap.offered", vars));
    return result;
}

handler_result handle_takeover(const command& cmd, context& ctx) {
    const auto number = std::get<task_number_args>(cmd.args).task;
    handler_result result;
    const auto t = find_task(number, ctx, result);
    if (!t) {
        return result;
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    const auto offer = ctx.store.tasks.offered_to(t->id, ctx.sender.id);
    if (!offer) {
        return ctx.answer_only("swap.no_offer", vars);
    }
    if (ctx.now >= t->starts_at) {
        return ctx.answer_only("swap.started", vars);
    }
    if (overlaps_another(*t, ctx, vars)) {
        return ctx.answer_only("swap.overlap", vars);
    }
    // Who offered it, named as the roster names them: the offer is open only while its claim
    // is that member's live claim on the task.
    const auto from = ctx.store.tasks.claim_of(t->id, offer->from_member);
    ctx.store.tasks.take_swap(*offer, ctx.now);
    vars["from"] = from ? name_of(*from) : "";
    vars["to"] =
        name_of(ctx.sender.display_name, ctx.sender.building, ctx.sender.room, ctx.sender.user_id);
    vars["mention"] = "@" + vars["from"].get<std::string>();
    for (auto& m : to_volunteers(*t, ctx, ctx.replies.text("swap.taken_notice", vars))) {
        result.outbox.push_back(std::move(m));
    }
    const auto change = ctx.replies.text("swap.change", vars);
    for (auto& m : to_committee(ctx.store, change, outbox_lane::direct)) {
        result.outbox.push_back(std::move(m));
    }
    if (from && from->building) {
        for (const auto& lead : ctx.store.members.leads_of(*from->building)) {
            if (lead.id != ctx.sender.id && lead.id != from->member_id) {
                result.outbox.push_back(to_member_privately(lead, change));
            }
        }
    }
    result.replies.push_back(ctx.answer("swap.taken", vars));
    return result;
}

handler_result handle_myshifts(const command& /*cmd*/, context& ctx) {
    const auto found = ctx.store.tasks.claimed_by(ctx.sender.id, ctx.now, listed_shifts);
    if (found.empty()) {
        return ctx.answer_only("myshifts.none");
    }
    json shifts = json::array();
    std::int64_t minutes_held = 0;
    for (const auto& t : found) {
        auto vars = task_vars(t, ctx.config.zone, ctx.replies);
        const auto mine = ctx.store.tasks.claim_of(t.id, ctx.sender.id);
        const bool waits = mine && mine->state == "waiting";
        vars["waiting"] = waits;
        if (waits) {
            vars["position"] = ctx.store.tasks.waiting_place(t.id, mine->id);
        } else {
            minutes_held += std::max<std::int64_t>(0, t.ends_at - t.starts_at) / 60;
        }
        shifts.push_back(vars);
    }
    const auto all = ctx.store.tasks.count_claimed_by(ctx.sender.id, ctx.now);
    const auto more = all - static_cast<std::int64_t>(found.size());
    return ctx.answer_only("myshifts.list", {{"shifts", shifts},
                                             {"count", all},
                                             {"more", more},
                                             {"has_more", more > 0},
                                             {"hours", hours_text(minutes_held)}});
}

handler_result handle_unclaim(const command& cmd, context& ctx) {
    const auto number = std::get<task_number_args>(cmd.args).task;
    handler_result result;
    const auto t = find_task(number, ctx, result);
    if (!t) {
        return result;
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    const auto mine = ctx.store.tasks.claim_of(t->id, ctx.sender.id);
    if (!mine) {
        return ctx.answer_only("unclaim.not_claimed", vars);
    }
    if (mine->state == "done") {
        return ctx.answer_only("unclaim.done", vars);
    }
    if (ctx.now >= ends_of(*t)) {
        return ctx.answer_only("unclaim.ended", vars);
    }
    ctx.store.tasks.leave(mine->id, ctx.now);
    if (mine->state == "waiting") {
        return ctx.answer_only("unclaim.left_waiting", vars);
    }
    // Once the task has begun, a freed slot stays free: claiming a started task is refused,
    // and so is being moved into one.
    std::optional<std::string> promoted;
    if (ctx.now < t->starts_at) {
        promoted = fill_from_waiting_list(*t, ctx, result.outbox);
    }
    vars["promoted"] = promoted.value_or("");
    vars["has_promoted"] = promoted.has_value();
    result.replies.push_back(ctx.answer("unclaim.left", vars));
    return result;
}

handler_result handle_roster(const command& cmd, context& ctx) {
    const auto number = std::get<task_number_args>(cmd.args).task;
    const auto t = ctx.store.tasks.find(number);
    if (!t) {
        return ctx.answer_only("task.not_found", {{"number", number}});
    }
    json holders = json::array();
    json waiting = json::array();
    bool unreachable = false;
    for (const auto& c : ctx.store.tasks.claims(t->id)) {
        json entry{{"name", name_of(c)},
                   {"room", room_of(c.building, c.room)},
                   {"unreachable", c.refused_privately}};
        unreachable = unreachable || c.refused_privately;
        if (c.slot) {
            entry["slot"] = *c.slot;
            entry["done"] = c.state == "done";
            holders.push_back(entry);
        } else {
            entry["position"] = waiting.size() + 1;
            waiting.push_back(entry);
        }
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    vars["cancelled"] = t->state == "cancelled";
    vars["holders"] = holders;
    vars["no_holders"] = holders.empty();
    vars["waiting_list"] = waiting;
    vars["has_waiting"] = !waiting.empty();
    vars["has_unreachable"] = unreachable;
    return ctx.answer_only("task.roster", vars);
}

namespace {

/// The task a command's number names and the slot the sender holds on it, not yet checked out
/// of; otherwise no claim and the refusal (no such task, `not_holding_key`, done.already).
struct held_shift {
    std::optional<storage::task> task;
    std::optional<storage::task_claim> claim;
    json vars;
    handler_result refusal;
};

held_shift shift_held(const command& cmd, context& ctx, const char* not_holding_key) {
    held_shift h;
    h.task = find_task(std::get<task_number_args>(cmd.args).task, ctx, h.refusal);
    if (!h.task) {
        return h;
    }
    h.vars = task_vars(*h.task, ctx.config.zone, ctx.replies);
    h.claim = ctx.store.tasks.claim_of(h.task->id, ctx.sender.id);
    if (!h.claim || h.claim->state == "waiting") {
        h.refusal = ctx.answer_only(not_holding_key, h.vars);
        h.claim.reset();
    } else if (h.claim->state == "done") {
        h.vars["hours"] = hours_text(h.claim->minutes);
        h.refusal = ctx.answer_only("done.already", h.vars);
        h.claim.reset();
    }
    return h;
}

}  // namespace

handler_result handle_done(const command& cmd, context& ctx) {
    auto held = shift_held(cmd, ctx, "done.not_holding");
    if (!held.claim) {
        return held.refusal;
    }
    const auto& t = held.task;
    const auto& mine = held.claim;
    auto& vars = held.vars;
    if (ctx.now < t->starts_at) {
        return ctx.answer_only("done.not_started", vars);
    }
    // The time actually served: from check-in (or the start) to now, bounded by the shift; a
    // task posted without an end counts until check-out, up to a limit.
    const auto from = std::max(t->starts_at, mine->checked_in_at.value_or(t->starts_at));
    const auto to = t->ends_at > t->starts_at
                        ? std::min(ctx.now, t->ends_at)
                        : std::min(ctx.now, from + max_open_ended_minutes * 60);
    const auto worked = std::max<std::int64_t>(0, to - from) / 60;
    vars["from"] = clock_text(from, ctx.config.zone);
    vars["to"] = clock_text(to, ctx.config.zone);
    if (worked < shortest_served_minutes) {
        // 完成 sent on arrival would credit nothing, for good: not taken as a check-out.
        return ctx.answer_only("done.too_soon", vars);
    }
    ctx.store.tasks.check_out(mine->id, worked, ctx.now);
    vars["hours"] = hours_text(worked);
    return ctx.answer_only("done.checked_out", vars);
}

handler_result handle_checkin(const command& cmd, context& ctx) {
    auto held = shift_held(cmd, ctx, "checkin.not_holding");
    if (!held.claim) {
        return held.refusal;
    }
    const auto& t = held.task;
    const auto& mine = held.claim;
    auto& vars = held.vars;
    if (t->ends_at > t->starts_at && ctx.now >= t->ends_at) {
        return ctx.answer_only("checkin.ended", vars);
    }
    if (mine->checked_in_at) {
        vars["at"] = clock_text(*mine->checked_in_at, ctx.config.zone);
        return ctx.answer_only("checkin.already", vars);
    }
    if (ctx.now < t->starts_at - checkin_early_seconds) {
        vars["early"] = checkin_early_seconds / 60;
        return ctx.answer_only("checkin.too_early", vars);
    }
    ctx.store.tasks.check_in(mine->id, ctx.now);
    vars["at"] = clock_text(ctx.now, ctx.config.zone);
    vars["early_arrival"] = ctx.now < t->starts_at;
    return ctx.answer_only("checkin.done", vars);
}

namespace {

/// `确认时长` alone: the ended shifts somebody still holds, with who and when they checked in.
handler_result list_unconfirmed(context& ctx) {
    const auto found = ctx.store.tasks.unconfirmed(ctx.now, listed_unconfirmed);
    if (found.empty()) {
        return ctx.answer_only("confirm.none", json::object());
    }
    json shifts = json::array();
    for (const auto& t : found) {
        std::string people;
        for (const auto& c : ctx.store.tasks.claims(t.id)) {
            if (c.state != "holding") {
                continue;
            }
            json person{{"name", name_of(c)}, {"checked_in", c.checked_in_at.has_value()}};
            if (c.checked_in_at) {
                person["at"] = clock_text(*c.checked_in_at, ctx.config.zone);
            }
            people += (people.empty() ? "" : "、") + ctx.replies.text("confirm.person", person);
        }
        auto vars = task_vars(t, ctx.config.zone, ctx.replies);
        vars["people"] = people;
        shifts.push_back(vars);
    }
    const auto total = ctx.store.tasks.count_unconfirmed(ctx.now);
    return ctx.answer_only("confirm.list",
                           {{"shifts", shifts},
                            {"count", total},
                            {"more", total - static_cast<std::int64_t>(found.size())},
                            {"has_more", total > static_cast<std::int64_t>(found.size())},
                            {"example", found.size() == 1 ? std::to_string(found.front().id)
                                                          : std::to_string(found.front().id) + "-" +
                                                                std::to_string(found.back().id)}});
}

}  // namespace

handler_result handle_confirm_hours(const command& cmd, context& ctx) {
    const auto& args = std::get<confirm_args>(cmd.args);
    if (!args.shifts) {
        return list_unconfirmed(ctx);
    }
    handler_result refusal;
    const auto shifts = shifts_named(*args.shifts, ctx, refusal);
    if (shifts.empty()) {
        return refusal;
    }
    if (shifts.size() > static_cast<std::size_t>(max_rota_shifts)) {
        return ctx.answer_only("confirm.too_many",
                               {{"max", max_rota_shifts}, {"count", shifts.size()}});
    }
    json lines = json::array();
    std::int64_t confirmed = 0;
    std::int64_t people = 0;
    std::int64_t minutes = 0;
    for (const auto& [number, found] : shifts) {
        if (auto missing = missing_shift_line(number, found, ctx)) {
            lines.push_back({{"line", std::move(*missing)}});
            continue;
        }
        auto vars = task_vars(*found, ctx.config.zone, ctx.replies);
        if (found->ends_at <= found->starts_at) {
            lines.push_back({{"line", ctx.replies.text("confirm.line_open_ended", vars)}});
            continue;
        }
        if (ctx.now < found->ends_at) {
            lines.push_back({{"line", ctx.replies.text("confirm.line_not_over", vars)}});
            continue;
        }
        // Who held it and never checked out is credited from check-in (or the start) to its end.
        std::string credited;
        for (const auto& c : ctx.store.tasks.claims(found->id)) {
            if (c.state != "holding") {
                continue;
            }
            const auto from =
                std::max(found->starts_at, c.checked_in_at.value_or(found->starts_at));
            const auto worked = std::max<std::int64_t>(0, found->ends_at - from) / 60;
            ctx.store.tasks.check_out(c.id, worked, ctx.now);
            ++people;
            minutes += worked;
            credited += (credited.empty() ? "" : "、") +
                        ctx.replies.text("confirm.credit",
                                         {{"name", name_of(c)}, {"hours", hours_text(worked)}});
        }
        if (credited.empty()) {
            lines.push_back({{"line", ctx.replies.text("confirm.line_nothing", vars)}});
            continue;
        }
        ++confirmed;
        vars["credited"] = credited;
        lines.push_back({{"line", ctx.replies.text("confirm.line_done", vars)}});
    }
    return ctx.answer_only("confirm.done", {{"count", confirmed},
                                            {"has_confirmed", confirmed > 0},
                                            {"people", people},
                                            {"hours", hours_text(minutes)},
                                            {"lines", lines}});
}

handler_result handle_hours(const command& /*cmd*/, context& ctx) {
    const auto* zone = ctx.config.zone;
    const date::year_month_day today{date::floor<days>(local_of(ctx.now, zone))};
    const auto month = today.year() / today.month();
    const auto from = unix_of(date::local_days{month / 1}, zone);
    const auto to = unix_of(date::local_days{(month + date::months{1}) / 1}, zone);
    const auto found = ctx.store.tasks.hours(from, to);
    const json month_vars{{"month", static_cast<unsigned>(today.month())}};
    if (found.empty()) {
        return ctx.answer_only("hours.none", month_vars);
    }
    json volunteers = json::array();
    std::int64_t total = 0;
    for (const auto& v : found) {
        total += v.minutes;
        if (volunteers.size() < listed_volunteers) {
            volunteers.push_back({{"rank", volunteers.size() + 1},
                                  {"name", name_of(v.display_name, v.building, v.room, v.user_id)},
                                  {"room", room_of(v.building, v.room)},
                                  {"hours", hours_text(v.minutes)},
                                  {"tasks", v.tasks}});
        }
    }
    auto vars = month_vars;
    vars["volunteers"] = volunteers;
    vars["count"] = found.size();
    vars["more"] = found.size() > listed_volunteers;
    vars["total"] = hours_text(total);
    return ctx.answer_only("hours.list", vars);
}

handler_result handle_cancel_task(const command& cmd, context& ctx) {
    const auto number = std::get<task_number_args>(cmd.args).task;
    handler_result result;
    const auto t = find_task(number, ctx, result);
    if (!t) {
        return result;
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    if (ctx.now >= ends_of(*t)) {
        return ctx.answer_only("task.cancel_ended", vars);
    }
    ctx.store.tasks.cancel(t->id, ctx.now);
    std::string mentions;
    std::size_t told = 0;
    for (const auto& c : ctx.store.tasks.claims(t->id)) {
        mentions += (mentions.empty() ? "@" : " @") + name_of(c);
        ++told;
    }
    if (told > 0) {
        vars["mentions"] = mentions;
        result.outbox.push_back(outbound{t->platform, t->chat_id, false,
                                         ctx.replies.text("task.cancelled_notice", vars),
                                         std::nullopt, outbox_lane::direct});
    }
    vars["told"] = told;
    vars["has_told"] = told > 0;
    result.replies.push_back(ctx.answer("task.cancelled", vars));
    return result;
}

handler_result run_task_reminder_job(const storage::job& due, job_context& ctx, bool /*stale*/) {
    handler_result result;
    const auto id = json::parse(due.payload).at("task_id").get<std::int64_t>();
    const auto t = ctx.store.tasks.find(id);
    // Cancelled, or the server was down until after the start: a reminder now is only noise.
    if (!t || t->state != "open" || ctx.now >= t->starts_at) {
        return result;
    }
    auto vars = task_vars(*t, ctx.config.zone, ctx.replies);
    for (const auto& c : ctx.store.tasks.claims(t->id)) {
        if (c.state != "holding") {
            continue;
        }
        result.outbox.push_back(to_volunteer_privately(c, *t, "task.reminder", vars, ctx.replies));
    }
    if (t->taken < t->slots) {
        auto committee = to_committee(ctx.store, ctx.replies.text("task.short_of_hands", vars),
                                      outbox_lane::direct);
        result.outbox.insert(result.outbox.end(), committee.begin(), committee.end());
    }
    return result;
}

}  // namespace loudong::handlers
