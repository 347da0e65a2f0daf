#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "handlers/context.hpp"
#include "handlers/flood_guard.hpp"
#include "handlers/message.hpp"

namespace loudong::handlers {

/// What handling one message came to.
struct processing_outcome {
    std::vector<reply> replies;
    bool repeated = false;  ///< a platform's retry: the first reply, nothing changed
    std::string command;    ///< English name of the command, empty for ordinary chat
    int queued = 0;         ///< messages it put in the outbox
};

/// Runs messages through parser, permissions and handlers against one connection.
/// The caller owns the transaction; everything one message changes, including the record
/// that it was handled, is written through this connection inside it.
class dispatcher {
public:
    dispatcher(SQLite::Database& db, settings config);

    /// Handles one message (or returns the stored reply of a repeat delivery).
    processing_outcome process(const message& msg, std::int64_t now);

    /// The same, with the message's text already parsed (parse_command(msg.text)) by the
    /// caller: the router parses on its own thread, off the single writer's.
    processing_outcome process(const message& msg, const parse_result& parsed, std::int64_t now);

    /// Schedules the recurring daily jobs if they are not (idempotent; call at start).
    void schedule_daily_jobs(std::int64_t now);

    /// Pending timed jobs that are due.
    std::vector<storage::job> due_jobs(std::int64_t now);

    /// Runs one due job, or drops it when it is staler than the configured window; marks it
    /// finished either way so it fires once. Returns how many messages it queued.
    int run_job(const storage::job& due, std::int64_t now);

    /// Drops what the repositories keep in memory; the writer calls it after a rollback,
    /// which may have undone a change they saw (a template edit).
    void forget_cached() {
        store_.templates.forget();
        store_.members.forget();
        store_.chats.forget();
    }

    /// What a message whose handling failed (and was rolled back) is answered: an apology in
    /// its chat. Where the platform's webhook answer carries no message (QQ, OneBot with
    /// "reply": "api") it is queued in the outbox like any reply, in the batch's transaction.
    processing_outcome failed(const message& msg, std::int64_t now);

    /// The compound's settings.
    const settings& config() const { return settings_; }

    /// The repositories this dispatcher writes through.
    repositories& store() { return store_; }

private:
    // Handles one command (a message, or one line of several) and tells nothing to the
    // processed-message record.
    processing_outcome handle(const message& msg, const parse_result& parsed, std::int64_t now);

    // Handles a message of several command lines, each in turn, in one reply.
    processing_outcome handle_lines(const message& msg, const std::vector<std::string>& lines,
                                    std::int64_t now);

    // Handles a parsed message in its compound (the storage scope is entered).
    processing_outcome answer(const message& msg, const parse_result& parsed,
                              const storage::member& sender, const std::string& compound,
                              std::int64_t now);

    // Answers a message no compound can be found for.
    processing_outcome unplaced(const message& msg, const parse_result& parsed);

    int queue(const std::vector<outbound>& messages, std::int64_t now);

    // The replies to `msg`, before they are remembered and sent: all of them when its platform
    // answers through its API, else those too long for the webhook's one answer.
    processing_outcome answer(const message& msg, const parse_result& parsed, std::int64_t now);

    // Moves replies to the outbox: every one when the platform answers through its API; when a
    // reply to `msg` is longer than its platform takes, the replies in its chat (in numbered
    // parts). Returns the rows queued.
    int send_replies_later(const message& msg, std::vector<reply>& replies, std::int64_t now);

    // Whether the sender of `msg` is a committee member, street staff or a lead anywhere: they
    // may send more commands a minute.
    bool is_staff(const message& msg);

    settings settings_;
    repositories store_;
    reply_builder replies_;
    flood_guard floods_;
};

/// What the member may do in the compound (its scope entered by the caller): registered there,
/// their roles, the buildings they lead, committee by the config.
standing standing_of(const storage::member& sender, const std::string& compound,
                     repositories& store, const settings& config);

/// A compound named right after the command word (统计 紫荆小区, 绑定 紫荆小区 3号楼), by id or
/// name, when there are several: its id and the text without the name; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> named_compound(
    std::string_view text, const std::map<std::string, compound_settings>& compounds);

/// In an instance of several compounds, a command word that takes no argument followed by one
/// word that names no compound (统计 某某小区): that word; nullopt otherwise.
std::optional<std::string> unknown_compound_word(
    std::string_view text, const std::map<std::string, compound_settings>& compounds);

/// How much of one reply's text the processed-message record keeps (SPEC §8 item 13): a retry of
/// a message whose reply was longer gets its first 4,000 bytes and "…", and a huge reply is not
/// stored a second time.
inline constexpr std::size_t stored_reply_bytes = 4000;

/// Serialises replies for the processed-message record, each cut to stored_reply_bytes.
std::string replies_to_json(const std::vector<reply>& replies);

/// Reads replies back from the processed-message record.
std::vector<reply> replies_from_json(const std::string& text);

}  // namespace loudong::handlers
