-- Server-side sessions, the login throttle, and the lineage of API tokens.
-- Keep in step with ../postgres/0004_sessions.sql.
-- Sessions and throttle counters are security state, not records: they are left out of backups
-- (a restore signs everyone out) and are not audited row by row.

-- One row per sign-in. The cookie carries a random secret; only its SHA-256 is kept here.
-- A session ends when `ended_at` is set (logout, password change, account disabled) or when
-- `expires_at` (unix seconds, fixed by the server at sign-in) has passed.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    ended_at    TEXT,
    end_reason  TEXT
);
CREATE INDEX sessions_user ON sessions(user_id, ended_at);

-- Failed sign-ins per (login name, client address): the count, and until when (unix seconds)
-- the pair must wait before it may try again.
CREATE TABLE login_throttle (
    login          TEXT NOT NULL,
    address        TEXT NOT NULL,
    failures       INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL,
    blocked_until  INTEGER NOT NULL,
    PRIMARY KEY (login, address)
);

-- A token made with another token dies with it (revoking a parent revokes its children).
ALTER TABLE api_tokens ADD COLUMN parent_id INTEGER REFERENCES api_tokens(id);
