#include "storage/processed_message_repository.hpp"

#include "storage/statement_use.hpp"

namespace loudong::storage {

processed_message_repository::processed_message_repository(SQLite::Database& db)
    : find_(db,
            "SELECT reply FROM processed_messages "
            "WHERE platform = ?1 AND chat_id = ?2 AND message_id = ?3 AND sender_id = ?4"),
      record_(db,
              "INSERT INTO processed_messages (platform, chat_id, message_id, sender_id, reply, "
              "processed_at) VALUES (?1, ?2, ?3, ?6, ?4, ?5)"),
      prune_(db, "DELETE FROM processed_messages WHERE processed_at < ?1") {}

std::optional<std::string> processed_message_repository::find(const std::string& platform,
                                                              const std::string& chat_id,
                                                              const std::string& message_id,
                                                              const std::string& sender_id) {
    statement_use query(find_);
    query->bind(1, platform);
    query->bind(2, chat_id);
    query->bind(3, message_id);
    query->bind(4, sender_id);
    if (!query->executeStep()) {
        return std::nullopt;
    }
    return query->getColumn(0).getString();
}

void processed_message_repository::record(const std::string& platform, const std::string& chat_id,
                                          const std::string& message_id,
                                          const std::string& sender_id, const std::string& reply,
                                          std::int64_t now) {
    statement_use insert(record_);
    insert->bind(6, sender_id);
    insert->bind(1, platform);
    insert->bind(2, chat_id);
    insert->bind(3, message_id);
    insert->bind(4, reply);
    insert->bind(5, now);
    insert->exec();
}

int processed_message_repository::prune(std::int64_t cutoff) {
    statement_use remove(prune_);
    remove->bind(1, cutoff);
    return remove->exec();
}

}  // namespace loudong::storage
