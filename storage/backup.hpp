#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace loudong::storage {

/// Why a backup was not made, in words for the operator.
struct backup_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What `backup` wrote.
struct backup_report {
    std::uintmax_t bytes = 0;
    int schema_version = 0;
};

/// Copies the database at `source` to the new file `target` with SQLite's online backup API,
/// safe while a server writes to `source`: the copy is read in one transaction, so it is the
/// database as it stood at one instant (a write-ahead-log database goes on taking writes
/// meanwhile). The copy is written beside `target` and renamed onto it only once
/// `PRAGMA integrity_check` passed on it, so `target` is either a whole, checked backup or
/// absent. Refuses an existing `target` (a backup never overwrites anything, least of all the
/// live database) and a `source` that is not a loudong database.
backup_report backup(const std::string& source, const std::string& target);

}  // namespace loudong::storage
