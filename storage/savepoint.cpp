#include "storage/savepoint.hpp"

#include <SQLiteCpp/Exception.h>

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

// Reset after each run (statement_use), so no finished statement is left pending.
void run(SQLite::Statement& statement) {
    statement_use use(statement);
    use->exec();
}

}  // namespace

savepoint_statements::savepoint_statements(SQLite::Database& db, const std::string& name)
    : begin_(db, "SAVEPOINT " + name),
      release_(db, "RELEASE " + name),
      rollback_to_(db, "ROLLBACK TO " + name) {}

savepoint::savepoint(savepoint_statements& statements) : statements_(statements) {
    run(statements_.begin_);
}

savepoint::~savepoint() {
    if (!open_) {
        return;
    }
    try {
        roll_back();
    } catch (const SQLite::Exception&) {
        // The transaction itself failed (a full disk, say) and SQLite may have ended it; the
        // writer rolls the whole transaction back.
    }
}

void savepoint::release() {
    open_ = false;
    run(statements_.release_);
}

void savepoint::roll_back() {
    open_ = false;
    run(statements_.rollback_to_);
    run(statements_.release_);
}

}  // namespace loudong::storage
