#include "handlers/dispatcher.hpp"

#include <nlohmann/json.hpp>

#include "handlers/antigen.hpp"
#include "handlers/command_table.hpp"
#include "handlers/notices.hpp"
#include "handlers/orders.hpp"
#include "handlers/parser/command_parser.hpp"
#include "handlers/tasks.hpp"
#include "handlers/test_rounds.hpp"

namespace loudong::handlers {
namespace {

using job_runner = handler_result (*)(const storage::job&, job_context&, bool stale);

// The handler of each kind of timed job.
job_runner runner_of(storage::job_kind kind) {
    switch (kind) {
        case storage::job_kind::notice:
            return run_notice_job;
        case storage::job_kind::campaign_close:
            return run_campaign_close_job;
        case storage::job_kind::task_reminder:
            return run_task_reminder_job;
        case storage::job_kind::test_eve:
        case storage::job_kind::test_soon:
            return run_test_job;
        case storage::job_kind::antigen_daily:
        case storage::job_kind::antigen_pending:
            return run_antigen_job;
    }
    return run_notice_job;  // unreachable: the switch names every kind (-Wswitch)
}

standing standing_of(const storage::member& sender, repositories& store, const settings& config) {
    standing who;
    who.registered = sender.room.has_value();
    who.roles = store.members.roles(sender.id);
    if (config.committee.contains(sender.key())) {
        who.roles.insert(role::committee);
    }
    return who;
}

handler_result answer_command(const command& cmd, context& ctx) {
    const auto& row = handler_of(cmd.name);
    handler_result result;
    if (!may_use(cmd.name, ctx.sender_standing)) {
        result.replies.push_back(ctx.answer(
            "permission.denied", {{"command", cmd.keyword},
                                  {"who", ctx.replies.text(std::string(who_template(row.who)))}}));
        return result;
    }
    // Residents act on their own room; the committee may cancel any order without one.
    const bool committee_cancel =
        cmd.name == command_name::cancel && ctx.sender_standing.has(role::committee);
    if (row.who == audience::residents && !ctx.sender_standing.registered && !committee_cancel) {
        result.replies.push_back(ctx.answer("register.needed", {{"command", cmd.keyword}}));
        return result;
    }
    return row.handle(cmd, ctx);
}

}  // namespace

dispatcher::dispatcher(SQLite::Database& db, settings config)
    : settings_(std::move(config)), store_(db), replies_(store_.templates, settings_.locale) {}

processing_outcome dispatcher::process(const message& msg, std::int64_t now) {
    return process(msg, parse_command(msg.text), now);
}

processing_outcome dispatcher::process(const message& msg, const parse_result& parsed,
                                       std::int64_t now) {
    processing_outcome outcome;
    if (auto stored = store_.processed.find(msg.platform, msg.chat_id, msg.message_id)) {
        outcome.replies = replies_from_json(*stored);
        outcome.repeated = true;
        return outcome;
    }
    if (std::holds_alternative<not_a_command>(parsed)) {
        return outcome;
    }
    auto sender = store_.members.touch(msg.platform, msg.sender_id, msg.sender_name, now);
    store_.chats.touch(msg.platform, msg.chat_id, msg.chat_title, now);
    context ctx{
        msg, now, settings_, store_, replies_, sender, standing_of(sender, store_, settings_)};

    if (const auto* unknown = std::get_if<unknown_command>(&parsed)) {
        outcome.command = "unknown";
        outcome.replies.push_back(ctx.answer("command.unknown", {{"word", unknown->word}}));
    } else if (const auto* error = std::get_if<usage_error>(&parsed)) {
        outcome.command = std::string(english_name(error->name));
        const auto problem = replies_.text("parse." + error->reason, {{"token", error->token}});
        const auto usage = replies_.text("usage." + std::string(handler_of(error->name).help));
        outcome.replies.push_back(
            ctx.answer("command.usage_error",
                       {{"command", error->keyword}, {"problem", problem}, {"usage", usage}}));
    } else {
        const auto& cmd = std::get<command>(parsed);
        outcome.command = std::string(english_name(cmd.name));
        auto result = answer_command(cmd, ctx);
        outcome.replies = std::move(result.replies);
        outcome.queued = queue(result.outbox, now);
    }
    store_.processed.record(msg.platform, msg.chat_id, msg.message_id,
                            replies_to_json(outcome.replies), now);
    return outcome;
}

int dispatcher::queue(const std::vector<outbound>& messages, std::int64_t now) {
    for (const auto& m : messages) {
        store_.outbox.enqueue(m.platform, m.chat_id, m.is_private, m.text, m.notice_id, now);
    }
    return static_cast<int>(messages.size());
}

void dispatcher::schedule_daily_jobs(std::int64_t now) {
    schedule_daily_antigen(store_, settings_, now);
}

std::vector<storage::job> dispatcher::due_jobs(std::int64_t now) {
    return store_.jobs.due(now, 64);
}

int dispatcher::run_job(const storage::job& due, std::int64_t now) {
    const bool stale = now - due.due_at > settings_.stale_after_seconds;
    job_context ctx{now, settings_, store_, replies_};
    if (!due.kind) {
        // A kind a newer release scheduled: this one cannot run it, and it must not fire again.
        store_.jobs.finish(due.id, storage::job_outcome::failed, now);
        return 0;
    }
    const auto result = runner_of(*due.kind)(due, ctx, stale);
    store_.jobs.finish(due.id, stale ? storage::job_outcome::stale : storage::job_outcome::done,
                       now);
    return queue(result.outbox, now);
}

reply dispatcher::failure_reply(const message& msg) {
    return reply{msg.chat_id, replies_.text("error.internal"), msg.message_id};
}

std::string replies_to_json(const std::vector<reply>& replies) {
    auto list = nlohmann::json::array();
    for (const auto& r : replies) {
        list.push_back({{"chat_id", r.chat_id}, {"text", r.text}, {"reply_to", r.reply_to}});
    }
    return list.dump();
}

std::vector<reply> replies_from_json(const std::string& text) {
    std::vector<reply> replies;
    for (const auto& item : nlohmann::json::parse(text)) {
        replies.push_back(reply{item.at("chat_id").get<std::string>(),
                                item.at("text").get<std::string>(),
                                item.at("reply_to").get<std::string>()});
    }
    return replies;
}

}  // namespace loudong::handlers
