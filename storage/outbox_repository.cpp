#include "storage/outbox_repository.hpp"

#include <algorithm>
#include <tuple>

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

// A lane's head as lane_heads() reads it, from outbox_pending_by_lane.
constexpr const char* head_columns =
    "SELECT platform, chat_id, is_private, lane, id, next_attempt_ms FROM outbox "
    "WHERE state = 'pending' ";

}  // namespace

outbox_repository::outbox_repository(SQLite::Database& db)
    : db_(db),
      enqueue_(db,
               "INSERT INTO outbox (platform, chat_id, is_private, text, notice_id, lane, "
               "member_id, fallback_chat, fallback_text, reply_to, reply_seq, next_attempt_ms, "
               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?8, ?9, ?10, ?11, ?12, ?6 * 1000, ?6)"),
      // The skip scan of lane_heads(): the first head, and the first head after a lane in
      // the index's order, found by the first of four seeks that finds one: a later lane of the
      // chat, its other privacy, a later chat, a later platform. (One row value compared with
      // `>` would be one statement, but SQLite 3.40 seeks to where the lane begins and steps
      // through its whole queue: 0.6 ms a lane at 5,000 pending.)
      first_head_(db, std::string(head_columns) +
                          "ORDER BY platform, chat_id, is_private, lane, id LIMIT 1"),
      next_heads_{
          SQLite::Statement(db, std::string(head_columns) +
                                    "AND platform = ?1 AND chat_id = ?2 AND is_private = ?3 "
                                    "AND lane > ?4 ORDER BY lane, id LIMIT 1"),
          SQLite::Statement(db, std::string(head_columns) +
                                    "AND platform = ?1 AND chat_id = ?2 AND is_private > ?3 "
                                    "ORDER BY is_private, lane, id LIMIT 1"),
          SQLite::Statement(db, std::string(head_columns) +
                                    "AND platform = ?1 AND chat_id > ?2 "
                                    "ORDER BY chat_id, is_private, lane, id LIMIT 1"),
          SQLite::Statement(db, std::string(head_columns) +
                                    "AND platform > ?1 "
                                    "ORDER BY platform, chat_id, is_private, lane, id LIMIT 1")},
      message_(
          db,
          "SELECT o.id, o.platform, o.chat_id, o.is_private, o.text, o.attempts, o.lane, "
          "o.member_id, o.fallback_chat, o.fallback_text, o.reply_to, o.reply_seq, o.created_at, "
          "(SELECT c.webhook_key FROM chats c WHERE c.platform = o.platform "
          "AND c.chat_id = o.chat_id), "
          // A private message's group: where its member registered, else their building's chat
          // (QQ's temporary sessions start from a group both are in).
          "CASE WHEN o.is_private THEN (SELECT COALESCE(m.registered_chat, "
          "  (SELECT b.chat_id FROM chats b WHERE b.platform = m.platform AND b.kind = 'building' "
          "   AND b.building = m.building AND b.compound = m.compound ORDER BY b.chat_id LIMIT 1)) "
          "  FROM members m WHERE m.platform = o.platform AND m.user_id = o.chat_id) END "
          "FROM outbox o WHERE o.id = ?1"),
      sent_(db,
            "UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1 "
            "WHERE id = ?1"),
      retry_(db,
             "UPDATE outbox SET next_attempt_ms = ?2, last_error = ?3, "
             "attempts = attempts + 1 WHERE id = ?1"),
      retry_now_(db,
                 "UPDATE outbox SET next_attempt_ms = ?2 WHERE state = 'pending' "
                 "AND platform = ?1 AND attempts > 0 AND next_attempt_ms > ?2 "
                 "AND (last_error IS NULL OR last_error NOT LIKE '429%')"),
      failed_(db,
              "UPDATE outbox SET state = 'failed', last_error = ?2, sent_at = ?3, "
              "attempts = attempts + 1 WHERE id = ?1"),
      depth_(db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
      counts_(db, "SELECT state, COUNT(*) FROM outbox WHERE notice_id = ?1 GROUP BY state"),
      refused_(db,
               "INSERT INTO private_refusals (member_id, refused_at, error) VALUES (?1, ?2, ?3) "
               "ON CONFLICT (member_id) DO UPDATE SET refused_at = ?2, error = ?3"),
      reached_(db, "DELETE FROM private_refusals WHERE member_id = ?1"),
      chat_pending_(db,
                    "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending' AND platform = ?1 "
                    "AND chat_id = ?2 AND is_private = ?3)"),
      failures_(db,
                "SELECT platform, chat_id, COALESCE(last_error, '') FROM outbox "
                "WHERE notice_id = ?1 AND state = 'failed' ORDER BY id LIMIT ?2") {}

std::int64_t outbox_repository::enqueue(const std::string& platform, const std::string& chat_id,
                                        bool is_private, const std::string& text,
                                        std::optional<std::int64_t> notice_id, int lane,
                                        std::int64_t now) {
    return enqueue(platform, chat_id, is_private, text,
                   outbox_extras{notice_id, lane, {}, {}, {}, {}, 0}, now);
}

std::int64_t outbox_repository::enqueue(const std::string& platform, const std::string& chat_id,
                                        bool is_private, const std::string& text,
                                        const outbox_extras& extras, std::int64_t now) {
    statement_use insert(enqueue_);
    insert->bind(1, platform);
    insert->bind(2, chat_id);
    insert->bind(3, is_private ? 1 : 0);
    insert->bind(4, text);
    if (extras.notice_id) {
        insert->bind(5, *extras.notice_id);
    } else {
        insert->bind(5);
    }
    insert->bind(6, now);
    insert->bind(7, extras.lane);
    if (extras.member_id) {
        insert->bind(8, *extras.member_id);
    } else {
        insert->bind(8);
    }
    if (extras.fallback_chat) {
        insert->bind(9, *extras.fallback_chat);
        insert->bind(10, extras.fallback_text);
    } else {
        insert->bind(9);
        insert->bind(10);
    }
    if (extras.reply_to.empty()) {
        insert->bind(11);
    } else {
        insert->bind(11, extras.reply_to);
    }
    insert->bind(12, extras.reply_seq);
    insert->exec();
    return db_.getLastInsertRowid();
}

std::optional<std::int64_t> outbox_repository::refused_privately(const outbox_message& message,
                                                                 const std::string& error,
                                                                 std::int64_t now) {
    if (message.member_id) {
        statement_use note(refused_);
        note->bind(1, *message.member_id);
        note->bind(2, now);
        note->bind(3, error);
        note->exec();
    }
    if (!message.fallback_chat) {
        return std::nullopt;
    }
    return enqueue(message.platform, *message.fallback_chat, false, message.fallback_text,
                   outbox_extras{std::nullopt, message.lane, std::nullopt, std::nullopt, {}, {}, 0},
                   now);
}

void outbox_repository::reached_privately(std::int64_t member_id) {
    statement_use forget(reached_);
    forget->bind(1, member_id);
    forget->exec();
}

std::vector<outbox_repository::lane_head> outbox_repository::lane_heads() {
    std::vector<lane_head> heads;
    std::string platform;
    std::string chat_id;
    int is_private = 0;
    int lane = 0;
    auto found = [&](SQLite::Statement& step) {
        platform = step.getColumn(0).getString();
        chat_id = step.getColumn(1).getString();
        is_private = step.getColumn(2).getInt();
        lane = step.getColumn(3).getInt();
        heads.push_back({step.getColumn(4).getInt64(), lane, step.getColumn(5).getInt64()});
    };
    {
        statement_use first(first_head_);
        if (!first->executeStep()) {
            return heads;
        }
        found(*first);
    }
    for (;;) {
        bool more = false;
        // Statement k binds the lane's first 4 - k columns (see the constructor).
        for (std::size_t k = 0; k < next_heads_.size() && !more; ++k) {
            statement_use step(next_heads_[k]);
            step->bind(1, platform);
            if (k < 3) {
                step->bind(2, chat_id);
            }
            if (k < 2) {
                step->bind(3, is_private);
            }
            if (k < 1) {
                step->bind(4, lane);
            }
            if (step->executeStep()) {
                found(*step);
                more = true;
            }
        }
        if (!more) {
            return heads;
        }
    }
}

std::vector<outbox_message> outbox_repository::due(std::int64_t now_ms, int limit) {
    auto heads = lane_heads();
    std::erase_if(heads, [&](const lane_head& h) { return h.next_attempt_ms > now_ms; });
    std::sort(heads.begin(), heads.end(), [](const lane_head& a, const lane_head& b) {
        return std::tie(a.lane, a.id) < std::tie(b.lane, b.id);
    });
    if (heads.size() > static_cast<std::size_t>(std::max(limit, 0))) {
        heads.resize(static_cast<std::size_t>(std::max(limit, 0)));
    }
    std::vector<outbox_message> found;
    found.reserve(heads.size());
    for (const auto& head : heads) {
        statement_use query(message_);
        query->bind(1, head.id);
        if (!query->executeStep()) {
            continue;
        }
        found.push_back(
            outbox_message{query->getColumn(0).getInt64(), query->getColumn(1).getString(),
                           query->getColumn(2).getString(), query->getColumn(3).getInt() != 0,
                           query->getColumn(4).getString(), query->getColumn(5).getInt(),
                           query->getColumn(6).getInt(),
                           query->getColumn(7).isNull()
                               ? std::nullopt
                               : std::optional<std::int64_t>(query->getColumn(7).getInt64()),
                           query->getColumn(8).isNull()
                               ? std::nullopt
                               : std::optional<std::string>(query->getColumn(8).getString()),
                           query->getColumn(9).isNull() ? "" : query->getColumn(9).getString(),
                           query->getColumn(10).isNull() ? "" : query->getColumn(10).getString(),
                           query->getColumn(11).getInt(), query->getColumn(12).getInt64(),
                           query->getColumn(13).isNull() ? "" : query->getColumn(13).getString(),
                           query->getColumn(14).isNull() ? "" : query->getColumn(14).getString()});
    }
    return found;
}

void outbox_repository::mark_sent(std::int64_t id, std::int64_t now) {
    statement_use update(sent_);
    update->bind(1, id);
    update->bind(2, now);
    update->exec();
}

void outbox_repository::retry_at(std::int64_t id, std::int64_t when_ms, const std::string& error) {
    statement_use update(retry_);
    update->bind(1, id);
    update->bind(2, when_ms);
    update->bind(3, error);
    update->exec();
}

int outbox_repository::retry_now(const std::string& platform, std::int64_t now_ms) {
    statement_use update(retry_now_);
    update->bind(1, platform);
    update->bind(2, now_ms);
    return update->exec();
}

void outbox_repository::mark_failed(std::int64_t id, const std::string& error, std::int64_t now) {
    statement_use update(failed_);
    update->bind(1, id);
    update->bind(2, error);
    update->bind(3, now);
    update->exec();
}

bool outbox_repository::has_pending(const std::string& platform, const std::string& chat_id,
                                    bool is_private) {
    statement_use query(chat_pending_);
    query->bind(1, platform);
    query->bind(2, chat_id);
    query->bind(3, is_private ? 1 : 0);
    query->executeStep();
    return query->getColumn(0).getInt() != 0;
}

int outbox_repository::depth() {
    statement_use query(depth_);
    query->executeStep();
    return query->getColumn(0).getInt();
}

std::optional<std::int64_t> outbox_repository::next_attempt() {
    std::optional<std::int64_t> next;
    for (const auto& head : lane_heads()) {
        next = std::min(next.value_or(head.next_attempt_ms), head.next_attempt_ms);
    }
    return next;
}

delivery_counts outbox_repository::for_notice(std::int64_t notice_id) {
    statement_use query(counts_);
    query->bind(1, notice_id);
    delivery_counts counts;
    while (query->executeStep()) {
        const auto state = query->getColumn(0).getString();
        const int n = query->getColumn(1).getInt();
        if (state == "pending") {
            counts.pending = n;
        } else if (state == "sent") {
            counts.sent = n;
        } else {
            counts.failed = n;
        }
    }
    return counts;
}

std::vector<failed_delivery> outbox_repository::failures_of_notice(std::int64_t notice_id,
                                                                   int limit) {
    statement_use query(failures_);
    query->bind(1, notice_id);
    query->bind(2, limit);
    std::vector<failed_delivery> found;
    while (query->executeStep()) {
        found.push_back({query->getColumn(0).getString(), query->getColumn(1).getString(),
                         query->getColumn(2).getString()});
    }
    return found;
}

}  // namespace loudong::storage
