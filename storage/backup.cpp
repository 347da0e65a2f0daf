#include "storage/backup.hpp"

#include <filesystem>
#include <system_error>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>

namespace loudong::storage {
namespace {

namespace fs = std::filesystem;

// How long the copy waits for a writer's lock before giving up (a server commits in
// milliseconds; a checkpoint can take longer on a large file).
constexpr int busy_timeout_ms = 10000;

int loudong_schema_version(SQLite::Database& db) {
    if (!db.tableExists("schema_version")) {
        throw backup_error(db.getFilename() + " is not a loudong database (no schema_version)");
    }
    return db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt();
}

}  // namespace

backup_report backup(const std::string& source, const std::string& target) {
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
        throw backup_error("no database at " + source);
    }
    if (fs::exists(target, ec)) {
        throw backup_error(target + " already exists; a backup never overwrites a file");
    }
    const fs::path partial = target + ".partial";
    fs::remove(partial, ec);
    backup_report report;
    try {
        // Read-write without create: a read-only connection to a WAL database needs its
        // shared-memory file writable anyway, and this one writes nothing to `source`.
        SQLite::Database from(source, SQLite::OPEN_READWRITE);
        from.setBusyTimeout(busy_timeout_ms);
        report.schema_version = loudong_schema_version(from);
        {
            SQLite::Database to(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup copy(to, from);
            // All pages in one step: one read transaction, one consistent snapshot.
            copy.executeStep(-1);
            const auto check = to.execAndGet("PRAGMA integrity_check").getString();
            if (check != "ok") {
                throw backup_error("the copy failed its integrity check: " + check);
            }
            if (loudong_schema_version(to) != report.schema_version) {
                throw backup_error("the copy's schema version differs from the database's");
            }
        }
    } catch (const SQLite::Exception& e) {
        fs::remove(partial, ec);
        throw backup_error(std::string("SQLite: ") + e.what() + " (copying " + source + " to " +
                           partial.string() + ")");
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    fs::rename(partial, target, ec);
    if (ec) {
        fs::remove(partial, ec);
        throw backup_error("cannot move the copy to " + target + ": " + ec.message());
    }
    report.bytes = fs::file_size(target, ec);
    return report;
}

}  // namespace loudong::storage
