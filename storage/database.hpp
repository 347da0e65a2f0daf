#pragma once

#include <string>

#include <SQLiteCpp/Database.h>

namespace loudong::storage {

/// One SQLite connection with the project's settings, migrated to the current schema.
///
/// Threads: a connection is used by one thread at a time. The server gives the write
/// connection to the writer thread alone (bot/writer.hpp); anything else opens its own.
class database {
public:
    /// Opens (creating if needed) the file, or ":memory:", and applies pending migrations.
    explicit database(const std::string& path);

    /// The underlying connection, for repositories.
    SQLite::Database& connection() { return db_; }

    /// The schema version after migration.
    int schema_version();

    /// The schema version this build writes.
    static int current_version();

    /// True when a write transaction can be started and committed now.
    bool writable();

private:
    void migrate();

    SQLite::Database db_;
};

}  // namespace loudong::storage
