#pragma once

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

namespace loudong::storage {

/// Borrows a cached prepared statement and resets it when leaving scope, so an exception
/// never leaves it mid-step or with stale bindings.
class statement_use {
public:
    explicit statement_use(SQLite::Statement& statement) : statement_(statement) {}
    ~statement_use() {
        // tryReset: after a failed step sqlite3_reset repeats the error, and a destructor
        // must not throw it again.
        statement_.tryReset();
        try {
            statement_.clearBindings();
        } catch (const SQLite::Exception&) {
            // sqlite3_clear_bindings cannot fail on a valid statement; nothing to do.
        }
    }
    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;

    SQLite::Statement* operator->() { return &statement_; }
    SQLite::Statement& operator*() { return statement_; }

private:
    SQLite::Statement& statement_;
};

}  // namespace loudong::storage
