#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

/// Messages already handled, with the reply they got, so a platform's retry changes nothing. A
/// message is known by its platform, chat, id and sender (SPEC §8 item 13).
class processed_message_repository {
public:
    explicit processed_message_repository(SQLite::Database& db);

    /// The stored reply (JSON text) of a message handled before.
    std::optional<std::string> find(const std::string& platform, const std::string& chat_id,
                                    const std::string& message_id, const std::string& sender_id);

    /// Records a handled message and its reply.
    void record(const std::string& platform, const std::string& chat_id,
                const std::string& message_id, const std::string& sender_id,
                const std::string& reply, std::int64_t now);

    /// Forgets messages handled before `cutoff` (Unix seconds); returns how many.
    int prune(std::int64_t cutoff);

private:
    SQLite::Statement find_;
    SQLite::Statement record_;
    SQLite::Statement prune_;
};

}  // namespace loudong::storage
