#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "storage/kinds.hpp"

namespace loudong::storage {

/// A timed job: a scheduled notice, a reminder.
struct job {
    std::int64_t id = 0;
    /// What it does; nullopt for a kind this release does not know (a newer one's).
    std::optional<job_kind> kind;
    std::string payload;  ///< JSON
    std::int64_t due_at = 0;
    std::string compound;  ///< the compound it acts in
};

/// Timed jobs live in the database, so a restart keeps them.
class job_repository {
public:
    job_repository(SQLite::Database& db, const compound_scope& scope);

    /// Schedules a job in the compound in scope; with a unique key, a second job of the same key is
    /// not added and nullopt is returned (a reminder fires once).
    std::optional<std::int64_t> schedule(job_kind kind, const std::string& payload,
                                         std::int64_t due_at,
                                         const std::optional<std::string>& unique_key,
                                         std::int64_t now);

    /// Schedules the job of `unique_key`, or moves a pending one to `due_at`: a quiet period
    /// that each new event restarts. False when the key's job has already run (or was ended).
    bool schedule_or_postpone(job_kind kind, const std::string& payload, std::int64_t due_at,
                              const std::string& unique_key, std::int64_t now);

    /// Whether the job of `unique_key` has run to its end (not pending, not cancelled).
    bool ran(const std::string& unique_key);

    /// Pending jobs of every compound due at or before `now`, oldest first: the one query
    /// outside a compound, since the clock serves them all (each runs in its own compound).
    std::vector<job> due(std::int64_t now, int limit);

    /// Records how a job ended.
    void finish(std::int64_t id, job_outcome outcome, std::int64_t now);

    /// The due time of the earliest pending job.
    std::optional<std::int64_t> next_due();

private:
    SQLite::Database& db_;
    const compound_scope& scope_;
    SQLite::Statement schedule_;
    SQLite::Statement ran_;
    SQLite::Statement postpone_;
    SQLite::Statement due_;
    SQLite::Statement finish_;
    SQLite::Statement next_;
};

}  // namespace loudong::storage
