#include "handlers/dispatcher.hpp"

#include <algorithm>

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

/// The most command lines one message may carry.
constexpr std::size_t max_command_lines = 20;

using job_runner = handler_result (*)(const storage::job&, job_context&, bool stale);

// The handler of each kind of timed job.
job_runner runner_of(storage::job_kind kind) {
    switch (kind) {
        case storage::job_kind::notice:
            return run_notice_job;
        case storage::job_kind::campaign_close:
            return run_campaign_close_job;
        case storage::job_kind::campaign_announce:
            return run_campaign_announce_job;
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

}  // namespace

standing standing_of(const storage::member& sender, const std::string& compound,
                     repositories& store, const settings& config) {
    standing who;
    // A household belongs to the compound it registered in: elsewhere its member is nobody's
    // resident.
    const bool here = sender.room.has_value() && sender.compound == compound;
    who.registered = here && sender.confirmed;
    who.pending = here && !sender.confirmed;
    who.roles = store.members.roles(sender.id);
    // A lead acts on the buildings granted (SPEC §8 item 4).
    if (who.has(role::lead)) {
        who.lead_buildings = store.members.lead_buildings(sender.id);
    }
    if (config.committee_by_config(sender.key(), compound)) {
        who.roles.insert(role::committee);
    }
    return who;
}

namespace {

// The compound a message acts in: its chat's once bound; else the only one configured; else
// the sender's own (where they registered, or whose committee they sit on).
std::optional<std::string> compound_of(const std::optional<storage::chat>& chat,
                                       const storage::member& sender, const settings& config) {
    if (chat && chat->compound) {
        return chat->compound;
    }
    if (config.compounds.size() == 1) {
        return config.compounds.begin()->first;
    }
    if (sender.compound && config.compounds.contains(*sender.compound)) {
        return sender.compound;
    }
    return config.committee_compound(sender.key());
}

bool is_space_at(std::string_view text, std::size_t at) {
    return text[at] == ' ' || text[at] == '\t' || text.substr(at).starts_with("\u3000");
}

std::size_t space_length(std::string_view text, std::size_t at) {
    return text[at] == ' ' || text[at] == '\t' ? 1 : 3;
}

std::string compound_names(const settings& config) {
    std::string names;
    for (const auto& [id, compound] : config.compounds) {
        names += (names.empty() ? "" : "、") + (compound.name.empty() ? id : compound.name);
    }
    return names;
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
    // A pending member may report antigen (a positive is never dropped), nothing else of a
    // household's until confirmed.
    const bool pending_report = cmd.name == command_name::antigen && ctx.sender_standing.pending;
    if (row.who == audience::residents && !ctx.sender_standing.registered && !committee_cancel &&
        !pending_report) {
        if (ctx.sender_standing.pending) {
            result.replies.push_back(
                ctx.answer("register.pending_only", {{"command", cmd.keyword},
                                                     {"building", ctx.sender.building.value_or("")},
                                                     {"room", ctx.sender.room.value_or("")}}));
            return result;
        }
        result.replies.push_back(ctx.answer("register.needed", {{"command", cmd.keyword}}));
        return result;
    }
    return row.handle(cmd, ctx);
}

}  // namespace

dispatcher::dispatcher(SQLite::Database& db, settings config)
    : settings_(std::move(config)),
      store_(db),
      replies_(store_.templates, settings_.locale),
      floods_(settings_.floods) {}

processing_outcome dispatcher::process(const message& msg, std::int64_t now) {
    return process(msg, parse_command(msg.text), now);
}

processing_outcome dispatcher::process(const message& msg, const parse_result& parsed,
                                       std::int64_t now) {
    auto outcome = answer(msg, parsed, now);
    if (outcome.repeated) {
        return outcome;
    }
    // A console form's answer is shown on the page, not sent to the member's chat.
    if (!msg.console_compound) {
        outcome.queued += send_replies_later(msg, outcome.replies, now);
    }
    // A flood's messages are not remembered: storing each would let one member fill the disk.
    if (!outcome.command.empty() && outcome.command != "flood") {
        // A console login link is kept only as a hash: a platform's retry is told to ask again.
        const auto kept = outcome.command == "console"
                              ? std::vector<reply>{reply{
                                    msg.chat_id, replies_.text("console.repeat"), msg.message_id}}
                              : outcome.replies;
        store_.processed.record(msg.platform, msg.chat_id, msg.message_id, msg.sender_id,
                                replies_to_json(kept), now);
    }
    return outcome;
}

processing_outcome dispatcher::answer(const message& msg, const parse_result& parsed,
                                      std::int64_t now) {
    processing_outcome outcome;
    if (auto stored =
            store_.processed.find(msg.platform, msg.chat_id, msg.message_id, msg.sender_id)) {
        outcome.replies = replies_from_json(*stored);
        outcome.repeated = true;
        return outcome;
    }
    // The platform moved the chat (a Telegram group became a supergroup): everything bound
    // to or queued for it follows, in this transaction.
    if (!msg.moved_to.empty()) {
        storage::move_chat(store_.connection, msg.platform, msg.chat_id, msg.moved_to);
        store_.chats.forget();
        store_.members.forget();
        outcome.command = "chat_moved";
        return outcome;
    }
    // Someone anonymous is nobody the bot may act for: a command gets one hint, and nothing
    // about them is stored.
    if (msg.anonymous) {
        if (!std::holds_alternative<not_a_command>(parsed)) {
            outcome.command = "anonymous";
            outcome.replies.push_back(
                reply{msg.chat_id, replies_.text("command.anonymous"), msg.message_id});
        }
        return outcome;
    }
    auto lines = command_lines(msg.text);
    if (lines || !std::holds_alternative<not_a_command>(parsed)) {
        switch (
            floods_.check(msg.platform + ":" + msg.sender_id, now, [&] { return is_staff(msg); })) {
            case flood_guard::verdict::pass:
                break;
            case flood_guard::verdict::warn:
                outcome.command = "flood";
                outcome.replies.push_back(
                    reply{msg.chat_id, replies_.text("command.too_fast"), msg.message_id});
                return outcome;
            case flood_guard::verdict::ignore:
                outcome.command = "flood";
                return outcome;
        }
    }
    if (lines) {
        return handle_lines(msg, *lines, now);
    }
    return handle(msg, parsed, now);
}

processing_outcome dispatcher::handle_lines(const message& msg,
                                            const std::vector<std::string>& lines,
                                            std::int64_t now) {
    processing_outcome all;
    all.command = "lines";
    if (lines.size() > max_command_lines) {
        all.replies.push_back(
            reply{msg.chat_id,
                  replies_.text("command.too_many_lines",
                                {{"max", max_command_lines}, {"count", lines.size()}}),
                  msg.message_id});
        return all;
    }
    // Each line's answer on a line of its own in one reply; what goes elsewhere (a private
    // answer) stays apart.
    std::string joined;
    std::vector<reply> elsewhere;
    for (const auto& line : lines) {
        message one = msg;
        one.text = line;
        auto outcome = handle(one, parse_command(line), now);
        all.queued += outcome.queued;
        for (auto& r : outcome.replies) {
            if (r.chat_id == msg.chat_id) {
                joined += (joined.empty() ? "" : "\n") + r.text;
            } else {
                elsewhere.push_back(std::move(r));
            }
        }
    }
    if (!joined.empty()) {
        all.replies.push_back(reply{msg.chat_id, joined, msg.message_id});
    }
    all.replies.insert(all.replies.end(), std::make_move_iterator(elsewhere.begin()),
                       std::make_move_iterator(elsewhere.end()));
    return all;
}

processing_outcome dispatcher::handle(const message& msg, const parse_result& parsed,
                                      std::int64_t now) {
    processing_outcome outcome;
    // A compound named after the command word is read before the command: 统计 紫荆小区 is
    // 统计 in 紫荆小区 (and, as a chat line, no command at all until the name is taken out).
    std::optional<std::string> compound = msg.console_compound;
    const parse_result* command_parsed = &parsed;
    parse_result reparsed;
    if (compound) {
        // The console's page names the compound.
    } else if (auto named = named_compound(msg.text, settings_.compounds)) {
        compound = std::move(named->first);
        reparsed = parse_command(named->second);
        command_parsed = &reparsed;
    }
    if (std::holds_alternative<not_a_command>(*command_parsed)) {
        // A street member asking privately about a compound that is not one of the street's.
        if (const auto word = msg.is_private ? unknown_compound_word(msg.text, settings_.compounds)
                                             : std::nullopt) {
            outcome.command = "unknown_compound";
            outcome.replies.push_back(
                reply{msg.chat_id,
                      replies_.text("compound.unknown",
                                    {{"word", *word}, {"names", compound_names(settings_)}}),
                      msg.message_id});
        }
        return outcome;
    }
    auto sender = store_.members.touch(msg.platform, msg.sender_id, msg.sender_name, now);
    if (!msg.sender_username.empty() && store_.members.note_username(sender, msg.sender_username)) {
        sender = *store_.members.find(msg.platform, msg.sender_id);
    }
    // The console is no chat: nothing to remember of it.
    if (!msg.console_compound) {
        store_.chats.touch(msg.platform, msg.chat_id, msg.chat_title, now);
    }
    if (!compound) {
        compound = compound_of(store_.chats.find(msg.platform, msg.chat_id), sender, settings_);
    }
    if (!compound) {
        outcome = unplaced(msg, *command_parsed);
    } else {
        const storage::compound_scope::entered in(store_.scope, *compound);
        outcome = answer(msg, *command_parsed, sender, *compound, now);
    }
    return outcome;
}

processing_outcome dispatcher::answer(const message& msg, const parse_result& parsed,
                                      const storage::member& sender, const std::string& compound,
                                      std::int64_t now) {
    processing_outcome outcome;
    context ctx{msg,    now,      compound, settings_,
                store_, replies_, sender,   standing_of(sender, compound, store_, settings_)};
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
    return outcome;
}

processing_outcome dispatcher::unplaced(const message& msg, const parse_result& parsed) {
    // Nothing tells which compound this is: help needs none; anything else asks.
    processing_outcome outcome;
    std::string keyword;
    if (const auto* cmd = std::get_if<command>(&parsed)) {
        outcome.command = std::string(english_name(cmd->name));
        if (cmd->name == command_name::help) {
            const storage::member nobody;
            const std::string none;
            context ctx{msg, 0, none, settings_, store_, replies_, nobody, standing{}};
            outcome.replies = handler_of(cmd->name).handle(*cmd, ctx).replies;
            return outcome;
        }
        keyword = cmd->keyword;
    } else if (const auto* error = std::get_if<usage_error>(&parsed)) {
        outcome.command = std::string(english_name(error->name));
        keyword = error->keyword;
    } else {
        outcome.command = "unknown";
        keyword = std::get<unknown_command>(parsed).word;
    }
    const auto& example = settings_.compounds.begin()->second;
    const auto text =
        msg.is_private
            ? replies_.text("compound.choose",
                            {{"command", keyword},
                             {"example", example.name.empty() ? settings_.compounds.begin()->first
                                                              : example.name},
                             {"names", compound_names(settings_)}})
            : replies_.text("compound.unbound_chat", {{"command", keyword}});
    outcome.replies.push_back(reply{msg.chat_id, text, msg.message_id});
    return outcome;
}

bool dispatcher::is_staff(const message& msg) {
    const auto key = msg.platform + ":" + msg.sender_id;
    const auto member = store_.members.find(msg.platform, msg.sender_id);
    for (const auto& [compound, ignored] : settings_.compounds) {
        if (settings_.committee_by_config(key, compound)) {
            return true;
        }
        if (member) {
            const storage::compound_scope::entered in(store_.scope, compound);
            const auto roles = store_.members.roles(member->id);
            if (roles.contains(role::committee) || roles.contains(role::lead)) {
                return true;
            }
        }
    }
    return false;
}

int dispatcher::queue(const std::vector<outbound>& messages, std::int64_t now) {
    int queued = 0;
    for (const auto& m : messages) {
        // Longer than the platform takes: numbered parts, one row each, sent in order (rows of
        // one chat go out one after the other). A notice counts once, by its first part.
        // A private message's fallback, like a notice, goes with the first part.
        // A reply's parts each answer its message, numbered on (QQ's msg_seq).
        storage::outbox_extras extras{m.notice_id,     static_cast<int>(m.lane), m.member_id,
                                      m.fallback_chat, m.fallback_text,          m.reply_to,
                                      m.reply_seq};
        for (const auto& part : split_text(m.text, settings_.limit_of(m.platform))) {
            if (!extras.reply_to.empty()) {
                ++extras.reply_seq;
            }
            store_.outbox.enqueue(m.platform, m.chat_id, m.is_private, part, extras, now);
            extras.notice_id.reset();
            extras.fallback_chat.reset();
            ++queued;
        }
    }
    return queued;
}

int dispatcher::send_replies_later(const message& msg, std::vector<reply>& replies,
                                   std::int64_t now) {
    if (replies.empty()) {
        return 0;
    }
    if (settings_.replies_by_api.contains(msg.platform)) {
        // The webhook's answer carries no message (QQ's official bot, OneBot's "reply": "api"):
        // each chat's replies go out through the outbox as one message, in the direct lane; the
        // one in the message's chat answers it (QQ's passive reply, msg_id and msg_seq).
        std::vector<outbound> later;
        for (const auto& r : replies) {
            auto same = std::find_if(later.begin(), later.end(),
                                     [&](const outbound& o) { return o.chat_id == r.chat_id; });
            if (same != later.end()) {
                same->text += "\n" + r.text;
                continue;
            }
            outbound out{msg.platform, r.chat_id,    msg.is_private && r.chat_id == msg.chat_id,
                         r.text,       std::nullopt, outbox_lane::direct};
            if (r.chat_id == msg.chat_id) {
                out.reply_to = msg.message_id;
            }
            later.push_back(std::move(out));
        }
        replies.clear();
        return queue(later, now);
    }
    const auto limit = settings_.limit_of(msg.platform);
    const bool too_long = std::any_of(replies.begin(), replies.end(), [&](const reply& r) {
        return limit.max > 0 && r.chat_id == msg.chat_id &&
               text_length(r.text, limit.unit) > limit.max;
    });
    if (!too_long) {
        return 0;
    }
    // The webhook's answer carries one message: a reply in parts goes out through the outbox
    // instead, with the rest of what this chat is answered, so that all arrive in order.
    std::vector<outbound> later;
    std::vector<reply> kept;
    for (auto& r : replies) {
        if (r.chat_id == msg.chat_id) {
            later.push_back(outbound{msg.platform, r.chat_id, msg.is_private, r.text, std::nullopt,
                                     outbox_lane::direct});
        } else {
            kept.push_back(std::move(r));
        }
    }
    replies = std::move(kept);
    return queue(later, now);
}

void dispatcher::schedule_daily_jobs(std::int64_t now) {
    for (const auto& [id, compound] : settings_.compounds) {
        const storage::compound_scope::entered in(store_.scope, id);
        schedule_daily_antigen(store_, settings_, now);
    }
}

std::vector<storage::job> dispatcher::due_jobs(std::int64_t now) {
    return store_.jobs.due(now, 64);
}

int dispatcher::run_job(const storage::job& due, std::int64_t now) {
    const bool stale = now - due.due_at > settings_.stale_after_seconds;
    const storage::compound_scope::entered in(store_.scope, due.compound);
    job_context ctx{now, due.compound, settings_, store_, replies_};
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

processing_outcome dispatcher::failed(const message& msg, std::int64_t now) {
    processing_outcome outcome;
    outcome.command = "error";
    outcome.replies.push_back(reply{msg.chat_id, replies_.text("error.internal"), msg.message_id});
    // A console form's answer is shown on the page, as in process().
    if (!msg.console_compound) {
        outcome.queued = send_replies_later(msg, outcome.replies, now);
    }
    return outcome;
}

namespace {

// The command word and the word after it, as typed (统计 紫荆小区), and where the text goes on
// after the second.
struct leading_words {
    std::string_view command_word;
    std::string_view second;
    std::size_t rest = 0;
};

std::size_t skip_spaces(std::string_view text, std::size_t at) {
    while (at < text.size() && is_space_at(text, at)) {
        at += space_length(text, at);
    }
    return at;
}

std::size_t word_end(std::string_view text, std::size_t at) {
    while (at < text.size() && !is_space_at(text, at)) {
        ++at;
    }
    return at;
}

leading_words first_two_words(std::string_view text) {
    const auto command_end = word_end(text, 0);
    const auto second_begin = skip_spaces(text, command_end);
    const auto second_end = word_end(text, second_begin);
    return {text.substr(0, command_end), text.substr(second_begin, second_end - second_begin),
            second_end};
}

}  // namespace

// Street staff act so in any compound; anyone else who names one is held to their standing
// there.
std::optional<std::pair<std::string, std::string>> named_compound(
    std::string_view text, const std::map<std::string, compound_settings>& compounds) {
    if (compounds.size() < 2) {
        return std::nullopt;
    }
    const auto words = first_two_words(text);
    for (const auto& [id, compound] : compounds) {
        if (!words.second.empty() && (words.second == id || words.second == compound.name)) {
            return std::pair{
                id, std::string(words.command_word) + std::string(text.substr(words.rest))};
        }
    }
    return std::nullopt;
}

std::optional<std::string> unknown_compound_word(
    std::string_view text, const std::map<std::string, compound_settings>& compounds) {
    if (compounds.size() < 2 || named_compound(text, compounds)) {
        return std::nullopt;
    }
    const auto words = first_two_words(text);
    // Exactly a command word that takes nothing, and one more word: 统计 某某小区.
    if (words.second.empty() || skip_spaces(text, words.rest) != text.size() ||
        !std::holds_alternative<command>(parse_command(words.command_word)) ||
        !std::holds_alternative<not_a_command>(parse_command(text))) {
        return std::nullopt;
    }
    return std::string(words.second);
}

std::string replies_to_json(const std::vector<reply>& replies) {
    auto list = nlohmann::json::array();
    for (const auto& r : replies) {
        std::string_view text = r.text;
        std::string kept;
        if (text.size() > stored_reply_bytes) {
            // Cut before a UTF-8 continuation byte, never inside a character.
            auto end = stored_reply_bytes;
            while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
                --end;
            }
            kept = std::string(text.substr(0, end)) + "…";
            text = kept;
        }
        list.push_back({{"chat_id", r.chat_id}, {"text", text}, {"reply_to", r.reply_to}});
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
