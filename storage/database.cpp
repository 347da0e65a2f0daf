#include "storage/database.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Transaction.h>

namespace loudong::storage {
namespace {

// Each entry moves the schema one version up; entries are never edited once released,
// only appended.
constexpr std::array migrations{
    R"sql(
CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    building      TEXT,
    room          TEXT,
    registered_at INTEGER,
    first_seen    INTEGER NOT NULL,
    UNIQUE (platform, user_id)
);
CREATE INDEX members_by_room ON members (building, room);
CREATE TABLE member_roles (
    member_id  INTEGER NOT NULL REFERENCES members (id),
    role       TEXT NOT NULL CHECK (role IN ('volunteer', 'lead', 'committee')),
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, role)
);
CREATE TABLE chats (
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    title     TEXT NOT NULL DEFAULT '',
    kind      TEXT CHECK (kind IN ('building', 'committee', 'volunteers')),
    building  TEXT,
    bound_by  TEXT,
    bound_at  INTEGER,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX chats_by_kind ON chats (kind, building);
CREATE TABLE templates (
    locale       TEXT NOT NULL,
    key          TEXT NOT NULL,
    text         TEXT NOT NULL,
    default_text TEXT NOT NULL,
    edited       INTEGER NOT NULL DEFAULT 0,
    updated_by   TEXT,
    updated_at   INTEGER,
    PRIMARY KEY (locale, key)
);
CREATE TABLE processed_messages (
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    reply        TEXT NOT NULL,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
);
CREATE INDEX processed_messages_by_time ON processed_messages (processed_at);
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
)sql",
    R"sql(
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    targets    TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    send_at    INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('scheduled', 'sent', 'dropped'))
);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    is_private      INTEGER NOT NULL DEFAULT 0,
    text            TEXT NOT NULL,
    notice_id       INTEGER REFERENCES notices (id),
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,  -- Unix milliseconds: retry-after is often 1 s
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_pending_by_chat ON outbox (platform, chat_id, id) WHERE state = 'pending';
CREATE INDEX outbox_by_notice ON outbox (notice_id, state);
CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    due_at     INTEGER NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'done', 'stale', 'failed', 'cancelled')),
    unique_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    ran_at     INTEGER
);
CREATE INDEX jobs_pending_by_due ON jobs (due_at) WHERE state = 'pending';
)sql",
    R"sql(
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closes_at  INTEGER,
    state      TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    closed_at  INTEGER
);
CREATE TABLE items (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    number           INTEGER NOT NULL,
    name             TEXT NOT NULL,
    price_fen        INTEGER NOT NULL CHECK (price_fen >= 0),
    stock            INTEGER CHECK (stock IS NULL OR stock >= 0),
    sold             INTEGER NOT NULL DEFAULT 0,
    unit             TEXT NOT NULL DEFAULT '',
    limit_per_person INTEGER,
    UNIQUE (campaign_id, number),
    UNIQUE (campaign_id, name),
    -- The last guard against overselling: the handler checks first, this refuses regardless.
    CHECK (sold >= 0 AND (stock IS NULL OR sold <= stock))
);
CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    number       INTEGER NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members (id),
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    building     TEXT NOT NULL,
    room         TEXT NOT NULL,
    total_fen    INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('placed', 'cancelled', 'delivered')),
    relay_number INTEGER,
    created_at   INTEGER NOT NULL,
    changed_at   INTEGER,
    UNIQUE (campaign_id, number)
);
CREATE INDEX orders_by_room ON orders (campaign_id, building, room);
CREATE INDEX orders_by_member ON orders (member_id, campaign_id);
CREATE TABLE order_lines (
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    item_id   INTEGER NOT NULL REFERENCES items (id),
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    price_fen INTEGER NOT NULL,
    PRIMARY KEY (order_id, item_id)
);
)sql",
    R"sql(
CREATE TABLE test_rounds (
    id         INTEGER PRIMARY KEY,
    place      TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    interval_minutes INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('scheduled', 'cancelled')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE test_slots (
    round_id  INTEGER NOT NULL REFERENCES test_rounds (id),
    position  INTEGER NOT NULL,
    building  TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    called_at INTEGER,
    PRIMARY KEY (round_id, position)
);
-- One report per room per day: a household reports once, a later report replaces it.
CREATE TABLE antigen_reports (
    day         TEXT NOT NULL,
    building    TEXT NOT NULL,
    room        TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (day, building, room)
);
)sql",
    R"sql(
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,  -- the task number volunteers type
    title        TEXT NOT NULL,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    slots        INTEGER NOT NULL CHECK (slots > 0),
    place        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    platform     TEXT NOT NULL,  -- the chat it was posted in: reminders go there
    chat_id      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'cancelled')),
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    cancelled_at INTEGER,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX tasks_by_start ON tasks (state, starts_at);
-- A claim holds a slot (holding, then done), waits for one (waiting, in id order), or was
-- given up (left). A slot is a number 1..slots held by one claim at a time.
CREATE TABLE task_claims (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    state      TEXT NOT NULL CHECK (state IN ('holding', 'waiting', 'left', 'done')),
    slot       INTEGER,
    minutes    INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    claimed_at INTEGER NOT NULL,
    changed_at INTEGER,
    UNIQUE (task_id, slot),
    CHECK ((state IN ('holding', 'done') AND slot >= 1) OR
           (state IN ('waiting', 'left') AND slot IS NULL))
);
CREATE UNIQUE INDEX task_claims_one_per_member ON task_claims (task_id, member_id)
    WHERE state <> 'left';
CREATE INDEX task_claims_by_member ON task_claims (member_id, state);
-- The last guard against overbooking: the handler checks first, these refuse regardless.
CREATE TRIGGER task_claims_slot_in_range_on_insert BEFORE INSERT ON task_claims
WHEN NEW.slot > (SELECT slots FROM tasks WHERE id = NEW.task_id)
BEGIN
    SELECT RAISE(ABORT, 'task slot beyond the task''s slots');
END;
CREATE TRIGGER task_claims_slot_in_range_on_update BEFORE UPDATE OF slot ON task_claims
WHEN NEW.slot > (SELECT slots FROM tasks WHERE id = NEW.task_id)
BEGIN
    SELECT RAISE(ABORT, 'task slot beyond the task''s slots');
END;
)sql",
    // 6: a task's counts without scanning its claims (with 500 holders that scan was 70% of a
    // claim's time): the waiting list from an index, the slots held kept in tasks.held by
    // triggers that follow every claim's slot.
    R"sql(
CREATE INDEX task_claims_by_task_state ON task_claims (task_id, state);
ALTER TABLE tasks ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
UPDATE tasks SET held =
    (SELECT COUNT(*) FROM task_claims c WHERE c.task_id = tasks.id AND c.slot IS NOT NULL);
CREATE TRIGGER task_claims_held_on_insert AFTER INSERT ON task_claims
WHEN NEW.slot IS NOT NULL
BEGIN
    UPDATE tasks SET held = held + 1 WHERE id = NEW.task_id;
END;
CREATE TRIGGER task_claims_held_on_update AFTER UPDATE OF slot ON task_claims
WHEN (OLD.slot IS NULL) <> (NEW.slot IS NULL)
BEGIN
    UPDATE tasks SET held = held + (CASE WHEN NEW.slot IS NULL THEN -1 ELSE 1 END)
    WHERE id = NEW.task_id;
END;
CREATE TRIGGER task_claims_held_on_delete AFTER DELETE ON task_claims
WHEN OLD.slot IS NOT NULL
BEGIN
    UPDATE tasks SET held = held - 1 WHERE id = OLD.task_id;
END;
)sql",
    // 7: many compounds on one instance (SPEC §7). Every row of compound state names its
    // compound, and a release 1 database's rows move into 'default'. ALTER TABLE cannot add a
    // NOT NULL column without a default, so the 'default' below is for the migration's sake:
    // every INSERT names the compound (tests/storage/compounds_test.cpp checks that rows made
    // in another compound land there). Chats and members have none until bound or registered.
    // Keys that must not meet across compounds (a room's report of the day, a member's role,
    // a daily job) are rebuilt with the compound in them.
    R"sql(
ALTER TABLE chats ADD COLUMN compound TEXT;
UPDATE chats SET compound = 'default' WHERE kind IS NOT NULL;
DROP INDEX chats_by_kind;
CREATE INDEX chats_by_kind ON chats (compound, kind, building);

ALTER TABLE members ADD COLUMN compound TEXT;
UPDATE members SET compound = 'default' WHERE room IS NOT NULL;
DROP INDEX members_by_room;
CREATE INDEX members_by_room ON members (compound, building, room);

CREATE TABLE member_roles_7 (
    member_id  INTEGER NOT NULL REFERENCES members (id),
    compound   TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('volunteer', 'lead', 'committee')),
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, compound, role)
);
INSERT INTO member_roles_7 (member_id, compound, role, granted_by, granted_at)
    SELECT member_id, 'default', role, granted_by, granted_at FROM member_roles;
DROP TABLE member_roles;
ALTER TABLE member_roles_7 RENAME TO member_roles;

-- The shipped texts stay shared; a committee's edit belongs to its compound.
CREATE TABLE compound_templates (
    compound   TEXT NOT NULL,
    locale     TEXT NOT NULL,
    key        TEXT NOT NULL,
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (compound, locale, key)
);
INSERT INTO compound_templates (compound, locale, key, text, updated_by, updated_at)
    SELECT 'default', locale, key, text, COALESCE(updated_by, ''), COALESCE(updated_at, 0)
    FROM templates WHERE edited = 1;
UPDATE templates SET text = default_text, edited = 0, updated_by = NULL, updated_at = NULL
    WHERE edited = 1;

ALTER TABLE notices ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
CREATE INDEX notices_by_compound ON notices (compound, id);

CREATE TABLE jobs_7 (
    id         INTEGER PRIMARY KEY,
    compound   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    due_at     INTEGER NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'done', 'stale', 'failed', 'cancelled')),
    unique_key TEXT,
    created_at INTEGER NOT NULL,
    ran_at     INTEGER,
    UNIQUE (compound, unique_key)
);
INSERT INTO jobs_7 (id, compound, kind, payload, due_at, state, unique_key, created_at, ran_at)
    SELECT id, 'default', kind, payload, due_at, state, unique_key, created_at, ran_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_7 RENAME TO jobs;
CREATE INDEX jobs_pending_by_due ON jobs (due_at) WHERE state = 'pending';

ALTER TABLE campaigns ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
CREATE INDEX campaigns_by_compound ON campaigns (compound, state, id);
ALTER TABLE items ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
ALTER TABLE orders ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
DROP INDEX orders_by_room;
CREATE INDEX orders_by_room ON orders (compound, campaign_id, building, room);

ALTER TABLE test_rounds ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
CREATE INDEX test_rounds_by_compound ON test_rounds (compound, state, id);

CREATE TABLE antigen_reports_7 (
    compound    TEXT NOT NULL,
    day         TEXT NOT NULL,
    building    TEXT NOT NULL,
    room        TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (compound, day, building, room)
);
INSERT INTO antigen_reports_7 (compound, day, building, room, result, member_id, reported_at)
    SELECT 'default', day, building, room, result, member_id, reported_at FROM antigen_reports;
DROP TABLE antigen_reports;
ALTER TABLE antigen_reports_7 RENAME TO antigen_reports;

ALTER TABLE tasks ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
DROP INDEX tasks_by_start;
CREATE INDEX tasks_by_start ON tasks (compound, state, starts_at);
ALTER TABLE task_claims ADD COLUMN compound TEXT NOT NULL DEFAULT 'default';
)sql",
    // 8: the household registry (SPEC §7): a compound's real rooms, listed whether or not
    // anyone registered there, and the notes staff keep on a household. A note may sit on a
    // room of a compound without a registry (listed = 0).
    R"sql(
CREATE TABLE households (
    compound  TEXT NOT NULL,
    building  TEXT NOT NULL,
    room      TEXT NOT NULL,
    listed    INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    note      TEXT NOT NULL DEFAULT '',
    note_by   TEXT,
    note_at   INTEGER,
    listed_at INTEGER,
    PRIMARY KEY (compound, building, room)
);
CREATE INDEX households_listed ON households (compound, listed, building, room);
)sql",
    // Version 9 (release 2, SPEC §8 item 6): the chat a member registered in (on their own
    // platform), so that binding a chat where residents registered as the committee's asks
    // first. NULL for registrations before it.
    R"sql(
ALTER TABLE members ADD COLUMN registered_chat TEXT;
)sql",
    // Version 10 (SPEC §8 item 8): the day a member was last asked to report antigen results
    // privately, so that a morning of group reports asks each member once.
    R"sql(
ALTER TABLE members ADD COLUMN private_hint_day TEXT;
)sql",
    // Version 11 (SPEC §8 item 13): a message is known by its platform, chat, id and sender, so
    // that a bridge numbering messages per sender cannot make one resident's command another's
    // retry. Rows kept from before have no sender ('').
    R"sql(
CREATE TABLE processed_messages_v11 (
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    sender_id    TEXT NOT NULL,
    reply        TEXT NOT NULL,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id, sender_id)
);
INSERT INTO processed_messages_v11 (platform, chat_id, message_id, sender_id, reply, processed_at)
    SELECT platform, chat_id, message_id, '', reply, processed_at FROM processed_messages;
DROP TABLE processed_messages;
ALTER TABLE processed_messages_v11 RENAME TO processed_messages;
CREATE INDEX processed_messages_by_time ON processed_messages (processed_at);
)sql",
    // Version 12 (SPEC §8 items 1-3): a registration is pending until a confirmed member of the
    // household, the building's lead or the committee confirms it. Registrations made before
    // stay confirmed.
    R"sql(
ALTER TABLE members ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1));
)sql",
    // Version 13 (SPEC §8 item 4): a lead acts on the buildings granted, each compound apart.
    // Leads granted before lead the building they live in.
    R"sql(
CREATE TABLE lead_buildings (
    member_id INTEGER NOT NULL REFERENCES members (id),
    compound TEXT NOT NULL,
    building TEXT NOT NULL,
    PRIMARY KEY (member_id, compound, building)
) WITHOUT ROWID;
CREATE INDEX lead_buildings_by_building ON lead_buildings (compound, building);
INSERT INTO lead_buildings (member_id, compound, building)
    SELECT r.member_id, r.compound, m.building FROM member_roles r
    JOIN members m ON m.id = r.member_id
    WHERE r.role = 'lead' AND m.building IS NOT NULL AND m.compound = r.compound;
)sql",
    // Version 14 (SPEC §8 item 8): every antigen report is kept; antigen_reports stays the
    // day's status of each household (its latest counted report). `counted` is 0 for a report
    // of a member waiting to be confirmed. The reports kept so far start the history.
    R"sql(
CREATE TABLE antigen_history (
    id          INTEGER PRIMARY KEY,
    compound    TEXT NOT NULL,
    day         TEXT NOT NULL,
    building    TEXT NOT NULL,
    room        TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    reported_at INTEGER NOT NULL,
    counted     INTEGER NOT NULL CHECK (counted IN (0, 1))
);
CREATE INDEX antigen_history_by_day ON antigen_history (compound, day, building, room);
INSERT INTO antigen_history (compound, day, building, room, result, member_id, reported_at,
                             counted)
    SELECT compound, day, building, room, result, member_id, reported_at, 1
    FROM antigen_reports ORDER BY reported_at;
)sql",
    // Version 15 (SPEC §8 item 5): a member's platform username (Telegram's @name), lower
    // case, so that `授权 @wang_ayi 志愿者` finds someone the bot has seen.
    R"sql(
ALTER TABLE members ADD COLUMN username TEXT;
CREATE INDEX members_by_username ON members (platform, username) WHERE username IS NOT NULL;
)sql",
    // Version 16 (SPEC §11): several group buys at once. A campaign has a number within its
    // compound (`2团`) and, when a lead opened it, the buildings it serves (comma separated;
    // NULL: the whole compound). Order numbers are now unique within a compound, so `送达 37`
    // names one order whichever campaign it belongs to; an order placed by a volunteer, lead
    // or the committee for a household (代下单) records who placed it.
    R"sql(
ALTER TABLE campaigns ADD COLUMN number INTEGER;
UPDATE campaigns SET number = (SELECT COUNT(*) FROM campaigns c
                               WHERE c.compound = campaigns.compound AND c.id <= campaigns.id);
CREATE UNIQUE INDEX campaigns_by_number ON campaigns (compound, number);
ALTER TABLE campaigns ADD COLUMN buildings TEXT;
ALTER TABLE orders ADD COLUMN placed_by INTEGER REFERENCES members (id);
CREATE INDEX orders_by_number ON orders (compound, number);
CREATE INDEX orders_waiting ON orders (compound, building, room) WHERE state = 'placed';
)sql",
    // 17: a shift offered to another volunteer (换班), taken when they accept (接班); the
    // claim moves then, so a shift is never held by two or by nobody in between.
    R"sql(
CREATE TABLE task_swaps (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    claim_id    INTEGER NOT NULL REFERENCES task_claims (id),
    from_member INTEGER NOT NULL REFERENCES members (id),
    to_member   INTEGER NOT NULL REFERENCES members (id),
    state       TEXT NOT NULL CHECK (state IN ('offered', 'taken', 'withdrawn')),
    created_at  INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX task_swaps_offered ON task_swaps (task_id, to_member) WHERE state = 'offered';
)sql",
    // 18: a holder's arrival (签到): check-out credits the minutes from it, bounded by the shift.
    R"sql(
ALTER TABLE task_claims ADD COLUMN checked_in_at INTEGER;
CREATE INDEX tasks_by_end ON tasks (compound, ends_at);
)sql",
    // 19: the outbox's lanes (SPEC §10): 0 alert, 1 direct, 2 broadcast; each chat's lanes are
    // queues of their own. Rows queued before lanes existed go as direct messages.
    R"sql(
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 1 CHECK (lane IN (0, 1, 2));
DROP INDEX outbox_pending_by_chat;
CREATE INDEX outbox_pending_by_lane ON outbox (platform, chat_id, is_private, lane, id)
    WHERE state = 'pending';
)sql",
    // 20: a private message the platform refuses goes once more to a group chat, as a mention
    // (SPEC §10); who cannot be reached privately is remembered for the committee to see.
    R"sql(
ALTER TABLE outbox ADD COLUMN member_id INTEGER REFERENCES members (id);
ALTER TABLE outbox ADD COLUMN fallback_chat TEXT;
ALTER TABLE outbox ADD COLUMN fallback_text TEXT;
CREATE TABLE private_refusals (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id),
    refused_at INTEGER NOT NULL,
    error      TEXT NOT NULL
);
)sql",
    // 21: a reply sent through the platform's API rather than in the webhook's answer (QQ's
    // official bot, OneBot's "reply": "api") names the message it answers and its place among
    // that message's replies (QQ's msg_id and msg_seq).
    R"sql(
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
ALTER TABLE outbox ADD COLUMN reply_seq INTEGER NOT NULL DEFAULT 0;
)sql",
    // 22: a WeCom chat's group robot webhook key (绑定 … webhook <key>): the outbox posts there.
    R"sql(
ALTER TABLE chats ADD COLUMN webhook_key TEXT;
)sql",
    // 23: the campaigns with orders still waiting are looked up on every order: by this index,
    // one probe per campaign, not a pass over every placed order (issue 15's bench found the
    // orders rate falling as orders piled up).
    R"sql(
CREATE INDEX orders_placed_by_campaign ON orders (compound, campaign_id) WHERE state = 'placed';
)sql",
    // 24: the committee console (SPEC §12): one-time login links and the sessions they open,
    // both kept only as SHA-256 hashes of their tokens (a copy of the database opens nothing).
    R"sql(
CREATE TABLE console_logins (
    token_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    compound TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE console_sessions (
    token_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    compound TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX console_sessions_by_member ON console_sessions (platform, user_id);
)sql",
};

}  // namespace

// NOMUTEX: a connection is only ever used by one thread at a time (see database.hpp), so
// SQLite's per-call locking of the connection is pure cost (5% of the writer's instructions).
database::database(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {
    db_.setBusyTimeout(5000);
    db_.exec("PRAGMA foreign_keys = ON");
    if (path != ":memory:") {
        // WAL lets readers run beside the writer; synchronous=FULL makes every commit durable,
        // which group commit (bot/writer.hpp) pays for once per batch, not once per message.
        db_.exec("PRAGMA journal_mode = WAL");
        db_.exec("PRAGMA synchronous = FULL");
        // A street office's database (20 compounds, 50,000 residents) is about 70 MB; SQLite's
        // default 2 MB page cache would send most index reads to the file. 32 MB at most,
        // allocated as pages are read.
        db_.exec("PRAGMA cache_size = -32768");
        db_.exec("PRAGMA wal_autocheckpoint = 8192");
    }
    migrate();
}

int database::current_version() {
    return static_cast<int>(migrations.size());
}

int database::schema_version() {
    return db_.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_version").getInt();
}

void database::migrate() {
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    // A file a newer loudong migrated has tables and rules this one does not know: refuse it
    // rather than run on it (a downgrade restores the backup taken before the upgrade).
    if (const auto found = schema_version(); found > current_version()) {
        throw std::runtime_error("the database is at schema version " + std::to_string(found) +
                                 ", written by a newer loudong; this one knows up to version " +
                                 std::to_string(current_version()) +
                                 ". Run the newer loudong, or restore the backup taken before "
                                 "the upgrade.");
    }
    for (int version = schema_version(); version < current_version(); ++version) {
        SQLite::Transaction transaction(db_);
        db_.exec(migrations[static_cast<std::size_t>(version)]);
        SQLite::Statement insert(db_, "INSERT INTO schema_version (version) VALUES (?)");
        insert.bind(1, version + 1);
        insert.exec();
        transaction.commit();
    }
}

bool database::writable() {
    // A real committed write: BEGIN alone succeeds on a read-only file or a full disk.
    try {
        db_.exec("INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, strftime('%s', 'now'))");
        return true;
    } catch (const SQLite::Exception&) {
        return false;
    }
}

}  // namespace loudong::storage
