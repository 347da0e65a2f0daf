#include "handlers/notices.hpp"

#include <nlohmann/json.hpp>

#include "handlers/chat_targets.hpp"
#include "handlers/local_time.hpp"

namespace loudong::handlers {
namespace {

std::string describe_targets(const buildings_args& targets, reply_builder& replies) {
    if (targets.volunteers) {
        return replies.text("notice.volunteers");
    }
    if (targets.all) {
        return replies.text("notice.all");
    }
    std::vector<std::string> labels;
    for (const auto& b : targets.buildings) {
        labels.push_back(b.label);
    }
    return describe_buildings(labels, replies);
}

handler_result status_of(const notice_args& args, context& ctx) {
    handler_result result;
    const auto found =
        args.number ? ctx.store.notices.find(*args.number) : ctx.store.notices.latest();
    if (!found) {
        result.replies.push_back(args.number
                                     ? ctx.answer("notice.not_found", {{"number", *args.number}})
                                     : ctx.answer("notice.none_yet"));
        return result;
    }
    nlohmann::json vars{{"number", found->id},
                        {"when", format_local(found->send_at, ctx.config.zone)}};
    if (found->state == "scheduled") {
        result.replies.push_back(ctx.answer("notice.status_scheduled", vars));
        return result;
    }
    if (found->state == "dropped") {
        result.replies.push_back(ctx.answer("notice.status_dropped", vars));
        return result;
    }
    const auto counts = ctx.store.outbox.for_notice(found->id);
    vars["sent"] = counts.sent;
    vars["failed"] = counts.failed;
    vars["pending"] = counts.pending;
    auto text = ctx.replies.text("notice.status", vars);
    // Which chats it did not reach and what their platform said (QQ's refusal of an active
    // message when the group's owner has not allowed them), so the committee can act.
    constexpr int shown = 10;
    for (const auto& failed : ctx.store.outbox.failures_of_notice(found->id, shown)) {
        const auto chat = ctx.store.chats.find(failed.platform, failed.chat_id);
        const auto name = chat && chat->building
                              ? ctx.replies.text("building.name", {{"building", *chat->building}})
                          : chat && !chat->title.empty() ? chat->title
                                                         : failed.chat_id;
        text += "\n" + ctx.replies.text("notice.failed_chat",
                                        {{"chat", name}, {"reason", failed.error.substr(0, 120)}});
    }
    if (counts.failed > shown) {
        text += "\n" + ctx.replies.text("notice.failed_more", {{"count", counts.failed - shown}});
    }
    result.replies.push_back(reply{ctx.msg.chat_id, text, ctx.msg.message_id});
    return result;
}

}  // namespace

handler_result handle_notice(const command& cmd, context& ctx) {
    const auto& args = std::get<notice_args>(cmd.args);
    if (args.status) {
        return status_of(args, ctx);
    }
    handler_result result;
    const auto targets_text = describe_targets(args.targets, ctx.replies);
    const auto by = ctx.sender.key();

    if (args.at) {
        const auto when = resolve_when(*args.at, ctx.now, ctx.config.zone);
        nlohmann::json vars{{"when", format_local(when.start, ctx.config.zone)},
                            {"targets", targets_text}};
        if (when.start <= ctx.now) {
            result.replies.push_back(ctx.answer("notice.past_time", vars));
            return result;
        }
        const auto number = ctx.store.notices.create(args.text, targets_to_json(args.targets), by,
                                                     ctx.now, when.start, "scheduled");
        ctx.store.jobs.schedule(storage::job_kind::notice,
                                nlohmann::json{{"notice_id", number}}.dump(), when.start,
                                "notice:" + std::to_string(number), ctx.now);
        vars["number"] = number;
        result.replies.push_back(ctx.answer("notice.scheduled", vars));
        return result;
    }

    const auto reach = reach_buildings(ctx.store, args.targets);
    nlohmann::json vars{{"targets", targets_text},
                        {"volunteers", args.targets.volunteers},
                        {"unbound", describe_buildings(reach.unbound, ctx.replies)},
                        {"has_unbound", !reach.unbound.empty()}};
    if (reach.chats.empty()) {
        result.replies.push_back(ctx.answer("notice.no_chats", vars));
        return result;
    }
    const auto number = ctx.store.notices.create(args.text, targets_to_json(args.targets), by,
                                                 ctx.now, ctx.now, "sent");
    const auto text = ctx.replies.text("notice.broadcast", {{"text", args.text}});
    result.outbox = to_chats(reach.chats, text, outbox_lane::broadcast, number);
    vars["number"] = number;
    vars["count"] = reach.chats.size();
    result.replies.push_back(ctx.answer("notice.sent", vars));
    return result;
}

handler_result run_notice_job(const storage::job& due, job_context& ctx, bool stale) {
    handler_result result;
    const auto number = nlohmann::json::parse(due.payload).at("notice_id").get<std::int64_t>();
    const auto found = ctx.store.notices.find(number);
    if (!found || found->state != "scheduled") {
        return result;
    }
    nlohmann::json vars{{"number", number},
                        {"when", format_local(found->send_at, ctx.config.zone)}};
    if (stale) {
        ctx.store.notices.set_state(number, "dropped");
        result.outbox =
            to_committee(ctx.store, ctx.replies.text("notice.dropped", vars), outbox_lane::direct);
        return result;
    }
    const auto targets = targets_from_json(found->targets);
    const auto reach = reach_buildings(ctx.store, targets);
    ctx.store.notices.set_state(number, "sent");
    const auto text = ctx.replies.text("notice.broadcast", {{"text", found->text}});
    result.outbox = to_chats(reach.chats, text, outbox_lane::broadcast, number);
    vars["count"] = reach.chats.size();
    vars["volunteers"] = targets.volunteers;
    vars["unbound"] = describe_buildings(reach.unbound, ctx.replies);
    vars["has_unbound"] = !reach.unbound.empty();
    auto receipt =
        to_committee(ctx.store, ctx.replies.text("notice.fired", vars), outbox_lane::direct);
    result.outbox.insert(result.outbox.end(), receipt.begin(), receipt.end());
    return result;
}

}  // namespace loudong::handlers
