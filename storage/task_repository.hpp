#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "storage/statement_cache.hpp"

namespace loudong::storage {

/// A volunteer task (one shift): what, when, how many slots, and the chat it was posted in.
struct task {
    std::int64_t id = 0;  ///< the task number volunteers type (揭榜 12)
    std::string title;
    std::int64_t starts_at = 0;  ///< Unix seconds
    std::int64_t ends_at = 0;    ///< equals starts_at when no end time was given
    std::int64_t slots = 0;
    std::string place;  ///< empty when none was given
    std::string note;   ///< empty when none was given
    std::string platform;
    std::string chat_id;
    std::string state;         ///< "open" or "cancelled"
    std::int64_t taken = 0;    ///< slots held (holding or done)
    std::int64_t waiting = 0;  ///< members on the waiting list
};

/// What the committee posts; one per day of a rota.
struct new_task {
    std::string title;
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    std::int64_t slots = 0;
    std::string place;
    std::string note;
    std::string platform;
    std::string chat_id;
};

/// One member's claim on a task: a slot held, a place on the waiting list, or a check-out.
struct task_claim {
    std::int64_t id = 0;  ///< arrival order across the whole table
    std::int64_t task_id = 0;
    std::int64_t member_id = 0;
    std::string user_id;
    std::string display_name;
    std::optional<std::string> building;
    std::optional<std::string> room;
    std::optional<std::int64_t> slot;  ///< 1..slots while holding or done
    std::string state;                 ///< "holding", "waiting", "done" ("left" is never read)
    std::int64_t minutes = 0;          ///< recorded at check-out
    std::optional<std::int64_t> checked_in_at;  ///< 签到, if the holder checked in
    std::string platform;                       ///< the member's
    bool refused_privately = false;  ///< the platform refused them a private message lately
};

/// A shift offered by its holder to another volunteer (换班), waiting for 接班.
struct task_swap {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::int64_t claim_id = 0;
    std::int64_t from_member = 0;
    std::int64_t to_member = 0;
};

/// One volunteer's checked-out time over a period.
struct volunteer_hours {
    std::int64_t member_id = 0;
    std::string user_id;
    std::string display_name;
    std::optional<std::string> building;
    std::optional<std::string> room;
    std::int64_t minutes = 0;
    std::int64_t tasks = 0;
};

/// Tasks and their claims. A slot is taken by a single INSERT … SELECT of the lowest free slot
/// number, and UNIQUE (task_id, slot) plus a trigger on slot <= slots refuse any double booking
/// regardless of what the caller checked first.
///
/// Tasks are found only in the compound in scope; claims are reached through a task found so.
class task_repository {
public:
    task_repository(SQLite::Database& db, const compound_scope& scope);

    /// Records an open task; returns its number.
    std::int64_t create(const new_task& posted, const std::string& by, std::int64_t now);

    /// One task by number, with its counts.
    std::optional<task> find(std::int64_t id);

    /// Open tasks not started by `now` with a free slot, soonest first, from the `skip`th on.
    std::vector<task> open_with_free_slots(std::int64_t now, int limit, std::int64_t skip = 0);

    /// Open tasks titled exactly `title` starting in [from, to), soonest first: one gate's
    /// shifts on one day of a rota.
    std::vector<task> titled_between(const std::string& title, std::int64_t from, std::int64_t to);

    /// Open tasks not yet over at `now` on which the member holds a slot or waits, soonest
    /// first (their shifts: 我的班次).
    std::vector<task> claimed_by(std::int64_t member_id, std::int64_t now, int limit);

    /// How many tasks claimed_by would list without a limit.
    std::int64_t count_claimed_by(std::int64_t member_id, std::int64_t now);

    /// How many tasks open_with_free_slots would list without a limit.
    std::int64_t count_open_with_free_slots(std::int64_t now);

    /// Open tasks that have not ended, soonest first, full ones too (the console's rosters).
    std::vector<task> upcoming(std::int64_t now, int limit);

    /// The member's live claim on a task (holding, waiting or done), if any.
    std::optional<task_claim> claim_of(std::int64_t task_id, std::int64_t member_id);

    /// Slot holders by slot number (holding and done), then the waiting list in arrival order.
    std::vector<task_claim> claims(std::int64_t task_id);

    /// An open task other than `except` that the member holds (or did) and that overlaps
    /// [starts_at, ends_at); a task without an end counts as its first second.
    std::optional<task> overlapping(std::int64_t member_id, std::int64_t starts_at,
                                    std::int64_t ends_at, std::int64_t except);

    /// Takes the lowest free slot for the member; nullopt when the task is full.
    std::optional<std::int64_t> take_slot(std::int64_t task_id, std::int64_t member_id,
                                          std::int64_t now);

    /// Puts the member at the end of the waiting list; returns their place in it (1-based).
    std::int64_t join_waiting_list(std::int64_t task_id, std::int64_t member_id, std::int64_t now);

    /// A waiting claim's place in its task's waiting list (1-based).
    std::int64_t waiting_place(std::int64_t task_id, std::int64_t claim_id);

    /// Gives up a claim: its slot (if any) becomes free.
    void leave(std::int64_t claim_id, std::int64_t now);

    /// Moves a waiting claim onto the lowest free slot; returns it, nullopt when none is free.
    std::optional<std::int64_t> promote(std::int64_t claim_id, std::int64_t now);

    /// Records a holder's arrival (签到); a second check-in keeps the first time.
    void check_in(std::int64_t claim_id, std::int64_t now);

    /// Ended shifts someone still holds (nobody checked out), the earliest end first.
    std::vector<task> unconfirmed(std::int64_t now, int limit);
    std::int64_t count_unconfirmed(std::int64_t now);

    /// Checks a holder out, recording the minutes worked.
    void check_out(std::int64_t claim_id, std::int64_t minutes, std::int64_t now);

    /// Offers a held claim to another member; an earlier offer of the same claim is withdrawn.
    void offer_swap(const task_claim& claim, std::int64_t to_member, std::int64_t now);

    /// The offer of a task to a member still open (its claim still held by whoever offered).
    std::optional<task_swap> offered_to(std::int64_t task_id, std::int64_t member_id);

    /// Moves the offered slot to the member the offer names: the offerer's claim is left, and
    /// the taker holds the same slot (a waiting claim of theirs on the task moves onto it).
    void take_swap(const task_swap& swap, std::int64_t now);

    /// Cancels a task; its claims stay for the record.
    void cancel(std::int64_t task_id, std::int64_t now);

    /// Checked-out minutes per member for tasks starting in [from, to), most first.
    std::vector<volunteer_hours> hours(std::int64_t from, std::int64_t to);

private:
    std::vector<task> select_tasks(SQLite::Statement& query);
    std::vector<task_claim> select_claims(SQLite::Statement& query);

    SQLite::Database& db_;
    const compound_scope& scope_;
    statement_cache cache_;
};

}  // namespace loudong::storage
