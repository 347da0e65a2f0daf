#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

/// A message waiting to be sent (or sent) through a platform's API.
struct outbox_message {
    std::int64_t id = 0;
    std::string platform;
    std::string chat_id;
    bool is_private = false;
    std::string text;
    int attempts = 0;
    int lane = 1;  ///< handlers::outbox_lane: 0 alert, 1 direct, 2 broadcast
    std::optional<std::int64_t> member_id;  ///< the member a private message is for
    /// Where a private message goes instead, once, if the platform refuses it: a group chat of
    /// the same platform, and the text for it (with a mention).
    std::optional<std::string> fallback_chat;
    std::string fallback_text;
    /// A reply through the platform's API: the message it answers, and which of its replies
    /// this is (1, 2, …); empty and 0 otherwise.
    std::string reply_to{};
    int reply_seq = 0;
    std::int64_t created_at = 0;  ///< Unix seconds when it was queued
    /// The chat's group robot webhook key, where its platform sends through one (WeCom).
    std::string webhook_key{};
    /// For a private message: a group chat its member is in (where they registered, else their
    /// building's), for platforms that open a private chat from a group (OneBot's temporary
    /// sessions).
    std::string via_group{};
};

/// What a queued message carries besides its chat and text.
struct outbox_extras {
    std::optional<std::int64_t> notice_id;  ///< the notice it delivers, for delivery counts
    int lane = 1;
    std::optional<std::int64_t> member_id;
    std::optional<std::string> fallback_chat;
    std::string fallback_text;
    std::string reply_to{};  ///< the message it answers, for a reply through the API
    int reply_seq = 0;
};

/// How the messages of one notice fared.
struct delivery_counts {
    int pending = 0;
    int sent = 0;
    int failed = 0;
};

/// A message the platform refused for good, and why.
struct failed_delivery {
    std::string platform;
    std::string chat_id;
    std::string error;
};

/// The durable outbox (SPEC §5): rows are written in the transaction of the change that caused
/// them and leave 'pending' only once sent or given up.
class outbox_repository {
public:
    explicit outbox_repository(SQLite::Database& db);

    /// Queues a message in `lane` (at Unix seconds `now`, to be tried at once); returns its id.
    std::int64_t enqueue(const std::string& platform, const std::string& chat_id, bool is_private,
                         const std::string& text, std::optional<std::int64_t> notice_id, int lane,
                         std::int64_t now);

    /// The same with a private message's member and fallback.
    std::int64_t enqueue(const std::string& platform, const std::string& chat_id, bool is_private,
                         const std::string& text, const outbox_extras& extras, std::int64_t now);

    /// The platform refused a private message for good: its member is remembered as not
    /// reachable privately, and its fallback, if any, is queued in the same lane. Returns the
    /// fallback's id.
    std::optional<std::int64_t> refused_privately(const outbox_message& message,
                                                  const std::string& error, std::int64_t now);

    /// A private message reached its member: they are reachable again.
    void reached_privately(std::int64_t member_id);

    /// Messages that may be sent now: the oldest pending message of each chat's lane, when its
    /// time has come, so a lane's messages to a chat go out in order; earlier lanes first, then
    /// oldest first. A chat's alert is among them while its broadcast waits out a back-off.
    std::vector<outbox_message> due(std::int64_t now_ms, int limit);

    /// Marks a message delivered.
    void mark_sent(std::int64_t id, std::int64_t now);

    /// Schedules another attempt (Unix milliseconds) after a temporary failure.
    void retry_at(std::int64_t id, std::int64_t when_ms, const std::string& error);

    /// The platform answers again: messages of `platform` backing off after connection errors
    /// or 5xx are due at `now_ms` instead of at the end of their back-off (a 429's wait is
    /// kept). Returns how many were brought forward.
    int retry_now(const std::string& platform, std::int64_t now_ms);

    /// Gives a message up after a permanent failure.
    void mark_failed(std::int64_t id, const std::string& error, std::int64_t now);

    /// Whether a chat has a message pending (in any lane).
    bool has_pending(const std::string& platform, const std::string& chat_id, bool is_private);

    /// How many messages are pending.
    int depth();

    /// The earliest time (Unix milliseconds) a message that is next in its chat's lane may be
    /// tried, if any (those behind it wait for it anyway).
    std::optional<std::int64_t> next_attempt();

    /// Delivery counts of one notice's messages.
    delivery_counts for_notice(std::int64_t notice_id);

    /// The chats one notice could not reach and the platform's reasons, at most `limit`.
    std::vector<failed_delivery> failures_of_notice(std::int64_t notice_id, int limit);

private:
    /// The oldest pending message of a chat's lane.
    struct lane_head {
        std::int64_t id = 0;
        int lane = 1;
        std::int64_t next_attempt_ms = 0;
    };

    /// The head of every chat's lane with messages pending: one index seek per lane.
    std::vector<lane_head> lane_heads();

    SQLite::Database& db_;
    SQLite::Statement enqueue_;
    SQLite::Statement first_head_;
    std::array<SQLite::Statement, 4> next_heads_;
    SQLite::Statement message_;
    SQLite::Statement sent_;
    SQLite::Statement retry_;
    SQLite::Statement retry_now_;
    SQLite::Statement failed_;
    SQLite::Statement depth_;
    SQLite::Statement counts_;
    SQLite::Statement refused_;
    SQLite::Statement reached_;
    SQLite::Statement chat_pending_;
    SQLite::Statement failures_;
};

}  // namespace loudong::storage
