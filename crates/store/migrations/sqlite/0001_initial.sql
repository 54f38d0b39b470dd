-- duban store schema, SQLite flavour. Keep in step with ../postgres/0001_initial.sql:
-- the same tables, columns and indexes; integers are INTEGER here and BIGINT there, text is TEXT.
-- Timestamps are RFC 3339 UTC text (2020-01-31T08:00:00.000000Z), dates are YYYY-MM-DD text,
-- exact quantities are decimal text (never floating point).

CREATE TABLE governments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    level       TEXT NOT NULL,
    code        TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE departments (
    id             INTEGER PRIMARY KEY,
    government_id  INTEGER NOT NULL REFERENCES governments(id),
    name           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (government_id, name)
);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    government_id INTEGER NOT NULL REFERENCES governments(id),
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    checksum      TEXT NOT NULL UNIQUE,
    clean_text    TEXT NOT NULL,
    sources       TEXT NOT NULL,
    imported_at   TEXT NOT NULL
);
CREATE INDEX reports_government ON reports(government_id, year);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    parent_id   INTEGER REFERENCES sections(id),
    ordinal     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    number      INTEGER NOT NULL,
    label       TEXT NOT NULL,
    heading     TEXT NOT NULL,
    role        TEXT NOT NULL,
    path        TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL
);
CREATE INDEX sections_report ON sections(report_id, ordinal);

CREATE TABLE commitments (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    section_id    INTEGER REFERENCES sections(id),
    ordinal       INTEGER NOT NULL,
    path          TEXT NOT NULL,
    path_ordinal  INTEGER NOT NULL,
    text          TEXT NOT NULL,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    modality      TEXT,
    deadline      TEXT,
    status        TEXT NOT NULL DEFAULT 'not_started',
    status_reason TEXT NOT NULL DEFAULT '',
    status_as_of  TEXT,
    -- The lead department of its assignment, kept in step by the store for the dashboards.
    lead_department_id INTEGER REFERENCES departments(id)
);
CREATE INDEX commitments_report ON commitments(report_id, ordinal);
CREATE INDEX commitments_section_status ON commitments(report_id, section_id, status);
CREATE INDEX commitments_department_status ON commitments(lead_department_id, status);

CREATE TABLE targets (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    ordinal        INTEGER NOT NULL,
    indicator      TEXT NOT NULL,
    verb           TEXT NOT NULL,
    value_e4       INTEGER NOT NULL,
    value_max_e4   INTEGER,
    unit           TEXT NOT NULL,
    cmp            TEXT NOT NULL,
    modality       TEXT,
    source         TEXT NOT NULL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL
);
CREATE INDEX targets_commitment ON targets(commitment_id, ordinal);

CREATE TABLE outcomes (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    ordinal     INTEGER NOT NULL,
    indicator   TEXT NOT NULL,
    verb        TEXT NOT NULL,
    value_e4      INTEGER NOT NULL,
    value_max_e4  INTEGER,
    unit        TEXT NOT NULL,
    cmp         TEXT NOT NULL,
    source      TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL
);
CREATE INDEX outcomes_report ON outcomes(report_id, ordinal);

CREATE TABLE assignments (
    id                  INTEGER PRIMARY KEY,
    commitment_id       INTEGER NOT NULL UNIQUE REFERENCES commitments(id),
    lead_department_id  INTEGER NOT NULL REFERENCES departments(id),
    deadline            TEXT,
    assigned_at         TEXT NOT NULL,
    assigned_by         TEXT NOT NULL
);
CREATE INDEX assignments_lead ON assignments(lead_department_id, deadline);

CREATE TABLE assignment_supports (
    assignment_id  INTEGER NOT NULL REFERENCES assignments(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (assignment_id, department_id)
);
CREATE INDEX assignment_supports_department ON assignment_supports(department_id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    department_id  INTEGER REFERENCES departments(id),
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sign_offs (
    id             INTEGER PRIMARY KEY,
    assignment_id  INTEGER NOT NULL REFERENCES assignments(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    signed_at      TEXT NOT NULL,
    UNIQUE (assignment_id, department_id)
);

CREATE TABLE progress_reports (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    author_id      INTEGER NOT NULL REFERENCES users(id),
    reported_at    TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    stage          TEXT,
    percent        INTEGER,
    narrative      TEXT NOT NULL,
    reason_code    TEXT,
    reason_text    TEXT,
    corrects_id    INTEGER REFERENCES progress_reports(id)
);
CREATE INDEX progress_commitment ON progress_reports(commitment_id, id);

CREATE TABLE progress_values (
    progress_id   INTEGER NOT NULL REFERENCES progress_reports(id),
    target_index  INTEGER NOT NULL,
    target_id     INTEGER NOT NULL REFERENCES targets(id),
    value_e4      INTEGER NOT NULL,
    PRIMARY KEY (progress_id, target_index)
);
CREATE INDEX progress_values_target ON progress_values(target_id);

CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    progress_id  INTEGER NOT NULL REFERENCES progress_reports(id),
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL
);
CREATE INDEX evidence_progress ON evidence(progress_id);

CREATE TABLE notices (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    issued_by      INTEGER NOT NULL REFERENCES users(id),
    issued_on      TEXT NOT NULL,
    due            TEXT NOT NULL,
    message        TEXT NOT NULL,
    state          TEXT NOT NULL,
    closed_on      TEXT
);
CREATE INDEX notices_department ON notices(department_id, state);
CREATE INDEX notices_commitment ON notices(commitment_id);

CREATE TABLE notice_answers (
    id           INTEGER PRIMARY KEY,
    notice_id    INTEGER NOT NULL UNIQUE REFERENCES notices(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    answered_on  TEXT NOT NULL,
    answered_at  TEXT NOT NULL,
    text         TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Append-only tables: a correction is a new row; nothing rewrites history.
CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
BEGIN SELECT RAISE(ABORT, 'progress_reports is append-only'); END;
CREATE TRIGGER progress_reports_no_delete BEFORE DELETE ON progress_reports
BEGIN SELECT RAISE(ABORT, 'progress_reports is append-only'); END;
CREATE TRIGGER progress_values_no_update BEFORE UPDATE ON progress_values
BEGIN SELECT RAISE(ABORT, 'progress_values is append-only'); END;
CREATE TRIGGER progress_values_no_delete BEFORE DELETE ON progress_values
BEGIN SELECT RAISE(ABORT, 'progress_values is append-only'); END;
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
