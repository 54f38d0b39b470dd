-- The office's rhythm: status counters by report and department, reporting rounds (填报周期),
-- the 催办 reminder queue with every delivery attempt, e-mail addresses of users.
-- Keep in step with ../postgres/0008_office.sql.

-- Lead-department counters per report (the dashboards of one report must not count another's).
-- Derived data: not in backups; a restore rebuilds them as it inserts commitments.
CREATE TABLE department_report_status_counts (
    report_id      INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    status         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (report_id, department_id, status)
);
INSERT INTO department_report_status_counts (report_id, department_id, status, n)
    SELECT report_id, lead_department_id, status, COUNT(*) FROM commitments
    WHERE lead_department_id IS NOT NULL GROUP BY report_id, lead_department_id, status;

CREATE TRIGGER commitments_report_department_insert AFTER INSERT ON commitments
    WHEN NEW.lead_department_id IS NOT NULL
BEGIN
    INSERT INTO department_report_status_counts (report_id, department_id, status, n)
        VALUES (NEW.report_id, NEW.lead_department_id, NEW.status, 1)
        ON CONFLICT (report_id, department_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER commitments_report_department_update
    AFTER UPDATE OF report_id, status, lead_department_id ON commitments
BEGIN
    UPDATE department_report_status_counts SET n = n - 1
        WHERE report_id = OLD.report_id AND department_id = OLD.lead_department_id
          AND status = OLD.status;
    INSERT INTO department_report_status_counts (report_id, department_id, status, n)
        SELECT NEW.report_id, NEW.lead_department_id, NEW.status, 1
        WHERE NEW.lead_department_id IS NOT NULL
        ON CONFLICT (report_id, department_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER commitments_report_department_delete AFTER DELETE ON commitments
BEGIN
    UPDATE department_report_status_counts SET n = n - 1
        WHERE report_id = OLD.report_id AND department_id = OLD.lead_department_id
          AND status = OLD.status;
END;

-- Where a user's reminders go by e-mail.
ALTER TABLE users ADD COLUMN email TEXT;

-- A reporting round of a report's plan: departments report figures as of `as_of` by `due`.
CREATE TABLE reporting_rounds (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    period      TEXT NOT NULL,   -- monthly | quarterly
    label       TEXT NOT NULL,   -- 2020年9月, 2020年第三季度
    as_of       TEXT NOT NULL,
    due         TEXT NOT NULL,
    opened_by   TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    UNIQUE (report_id, as_of)
);
CREATE INDEX reporting_rounds_due ON reporting_rounds(due);

-- 催办: one row a message to one recipient through one channel. `dedup_key` makes queueing the
-- same reminder twice a no-op; `state` moves queued -> sending -> sent, or back to queued with
-- a later `next_attempt_at`, or to failed after the last attempt, each move in a transaction.
CREATE TABLE reminders (
    id               INTEGER PRIMARY KEY,
    dedup_key        TEXT NOT NULL UNIQUE,
    round_id         INTEGER REFERENCES reporting_rounds(id),
    notice_id        INTEGER REFERENCES notices(id),
    commitment_id    INTEGER NOT NULL REFERENCES commitments(id),
    department_id    INTEGER NOT NULL REFERENCES departments(id),
    user_id          INTEGER REFERENCES users(id),
    channel          TEXT NOT NULL,   -- email | webhook | inbox
    recipient        TEXT NOT NULL,   -- address, URL or login
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    state            TEXT NOT NULL,   -- queued | sending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    read_at          TEXT
);
CREATE INDEX reminders_due ON reminders(state, next_attempt_at);
CREATE INDEX reminders_commitment ON reminders(commitment_id, id);
CREATE INDEX reminders_inbox ON reminders(user_id, channel, id);

-- Every delivery attempt of a reminder, sent or failed (append-only).
CREATE TABLE reminder_attempts (
    id           INTEGER PRIMARY KEY,
    reminder_id  INTEGER NOT NULL REFERENCES reminders(id),
    at           TEXT NOT NULL,
    outcome      TEXT NOT NULL,   -- sent | failed
    detail       TEXT NOT NULL
);
CREATE INDEX reminder_attempts_reminder ON reminder_attempts(reminder_id, id);
CREATE TRIGGER reminder_attempts_no_update BEFORE UPDATE ON reminder_attempts
BEGIN SELECT RAISE(ABORT, 'reminder_attempts is append-only'); END;
CREATE TRIGGER reminder_attempts_no_delete BEFORE DELETE ON reminder_attempts
BEGIN SELECT RAISE(ABORT, 'reminder_attempts is append-only'); END;
