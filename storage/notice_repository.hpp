#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"

namespace loudong::storage {

/// A committee notice to building chats.
struct notice {
    std::int64_t id = 0;
    std::string text;
    std::string targets;  ///< JSON: {"all": true} or {"buildings": ["3", "5"]}
    std::string created_by;
    std::int64_t send_at = 0;
    std::string state;  ///< "scheduled", "sent", "dropped"
};

/// Committee notices and their state, in the compound in scope.
class notice_repository {
public:
    notice_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records a notice; returns its number.
    std::int64_t create(const std::string& text, const std::string& targets,
                        const std::string& created_by, std::int64_t now, std::int64_t send_at,
                        const std::string& state);

    /// One notice by number.
    std::optional<notice> find(std::int64_t id);

    /// The newest notice.
    std::optional<notice> latest();

    /// The newest notices, newest first (the console's list).
    std::vector<notice> recent(int limit);

    /// Moves a notice to "sent" or "dropped".
    void set_state(std::int64_t id, const std::string& state);

private:
    SQLite::Database& db_;
    const compound_scope& scope_;
    SQLite::Statement create_;
    SQLite::Statement find_;
    SQLite::Statement latest_;
    SQLite::Statement set_state_;
};

}  // namespace loudong::storage
