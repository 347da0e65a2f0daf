#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

/// Prepared statements of one connection, prepared once on first use and reused (preparing
/// was half the writer's time when every call prepared its SQL afresh). Use with
/// statement_use, which resets a statement after each use.
class statement_cache {
public:
    explicit statement_cache(SQLite::Database& db) : db_(db) {}

    /// The prepared statement for this SQL text.
    SQLite::Statement& operator()(const std::string& sql) {
        auto& slot = statements_[sql];
        if (!slot) {
            slot = std::make_unique<SQLite::Statement>(db_, sql);
        }
        return *slot;
    }

private:
    SQLite::Database& db_;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace loudong::storage
