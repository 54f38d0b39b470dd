-- Notices to the end and the parts of supporting departments. Keep in step with
-- ../postgres/0009_notices_to_the_end.sql.

-- A notice returned for rework is answered again: answers become history, several a notice
-- (the UNIQUE on notice_id goes; SQLite drops a constraint by rebuilding the table).
CREATE TABLE notice_answers_new (
    id           INTEGER PRIMARY KEY,
    notice_id    INTEGER NOT NULL REFERENCES notices(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    answered_on  TEXT NOT NULL,
    answered_at  TEXT NOT NULL,
    text         TEXT NOT NULL
);
INSERT INTO notice_answers_new (id, notice_id, user_id, answered_on, answered_at, text)
    SELECT id, notice_id, user_id, answered_on, answered_at, text FROM notice_answers;
DROP TABLE notice_answers;
ALTER TABLE notice_answers_new RENAME TO notice_answers;
CREATE INDEX notice_answers_notice ON notice_answers(notice_id, id);
CREATE TRIGGER notice_answers_no_update BEFORE UPDATE ON notice_answers
BEGIN SELECT RAISE(ABORT, 'notice_answers is append-only'); END;
CREATE TRIGGER notice_answers_no_delete BEFORE DELETE ON notice_answers
BEGIN SELECT RAISE(ABORT, 'notice_answers is append-only'); END;

-- The office returning an answer for rework (退回), with its reason.
CREATE TABLE notice_returns (
    id           INTEGER PRIMARY KEY,
    notice_id    INTEGER NOT NULL REFERENCES notices(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    returned_on  TEXT NOT NULL,
    returned_at  TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX notice_returns_notice ON notice_returns(notice_id, id);
CREATE TRIGGER notice_returns_no_update BEFORE UPDATE ON notice_returns
BEGIN SELECT RAISE(ABORT, 'notice_returns is append-only'); END;
CREATE TRIGGER notice_returns_no_delete BEFORE DELETE ON notice_returns
BEGIN SELECT RAISE(ABORT, 'notice_returns is append-only'); END;

-- Files uploaded for a notice by the department addressed; an answer may cite only these, and
-- those who may read the notice may read them.
CREATE TABLE notice_uploads (
    id           INTEGER PRIMARY KEY,
    notice_id    INTEGER NOT NULL REFERENCES notices(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX notice_uploads_notice ON notice_uploads(notice_id, user_id, sha256);
CREATE INDEX notice_uploads_file ON notice_uploads(sha256);
CREATE TRIGGER notice_uploads_no_update BEFORE UPDATE ON notice_uploads
BEGIN SELECT RAISE(ABORT, 'notice_uploads is append-only'); END;
CREATE TRIGGER notice_uploads_no_delete BEFORE DELETE ON notice_uploads
BEGIN SELECT RAISE(ABORT, 'notice_uploads is append-only'); END;

-- The files an answer carries.
CREATE TABLE notice_answer_evidence (
    id         INTEGER PRIMARY KEY,
    answer_id  INTEGER NOT NULL REFERENCES notice_answers(id),
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL
);
CREATE INDEX notice_answer_evidence_answer ON notice_answer_evidence(answer_id);
CREATE TRIGGER notice_answer_evidence_no_update BEFORE UPDATE ON notice_answer_evidence
BEGIN SELECT RAISE(ABORT, 'notice_answer_evidence is append-only'); END;
CREATE TRIGGER notice_answer_evidence_no_delete BEFORE DELETE ON notice_answer_evidence
BEGIN SELECT RAISE(ABORT, 'notice_answer_evidence is append-only'); END;

-- 配合单位: a supporting department's own part of a task, appended, never changed. `figure_e4`
-- is a quantity times 10 000, as progress values are kept.
CREATE TABLE support_parts (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    reported_on    TEXT NOT NULL,
    reported_at    TEXT NOT NULL,
    note           TEXT NOT NULL,
    figure_e4      INTEGER,
    unit           TEXT NOT NULL
);
CREATE INDEX support_parts_task ON support_parts(commitment_id, id);
CREATE TRIGGER support_parts_no_update BEFORE UPDATE ON support_parts
BEGIN SELECT RAISE(ABORT, 'support_parts is append-only'); END;
CREATE TRIGGER support_parts_no_delete BEFORE DELETE ON support_parts
BEGIN SELECT RAISE(ABORT, 'support_parts is append-only'); END;
