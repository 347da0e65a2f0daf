#include "storage/savepoint.hpp"

#include <SQLiteCpp/Exception.h>

namespace loudong::storage {
namespace {

void run(SQLite::Statement& statement) {
    // tryReset first: a statement that failed last time repeats its error on reset.
    statement.tryReset();
    statement.exec();
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
