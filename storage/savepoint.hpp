#pragma once

#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

/// The statements of one named savepoint, prepared once and reused: parsing "SAVEPOINT message"
/// afresh twice per message was 7% of the writer's work.
class savepoint_statements {
public:
    savepoint_statements(SQLite::Database& db, const std::string& name);

private:
    friend class savepoint;
    SQLite::Statement begin_;
    SQLite::Statement release_;
    SQLite::Statement rollback_to_;
};

/// One message's or job's part of the writer's transaction (model: SQLiteCpp's Transaction).
/// Begun on construction; kept by release(); undone by roll_back(), or by the destructor when
/// neither was called (an exception left the scope). The destructor never throws: when the
/// whole transaction has failed, rolling that back is the caller's.
class savepoint {
public:
    explicit savepoint(savepoint_statements& statements);
    ~savepoint();

    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;

    /// Keeps what was done since the savepoint began, as part of the transaction.
    void release();

    /// Undoes what was done since the savepoint began; the transaction goes on.
    void roll_back();

private:
    savepoint_statements& statements_;
    bool open_ = true;
};

}  // namespace loudong::storage
