-- Fulfilment (兑现): the verdicts on a plan (year N) read from the review of the next report of
-- the same government (year N+1), and the office's overrides of them.
-- Keep in step with ../postgres/0007_fulfilment.sql.

-- One computed verdict a target of the plan report. Derived from both reports' texts and
-- corrections (duban_core::fulfilment::verify): replaced whole on publication and on recompute.
CREATE TABLE verdicts (
    id                INTEGER PRIMARY KEY,
    report_id         INTEGER NOT NULL REFERENCES reports(id),
    review_report_id  INTEGER NOT NULL REFERENCES reports(id),
    ordinal           INTEGER NOT NULL,
    commitment_uid    TEXT NOT NULL,
    commitment_key    TEXT NOT NULL,
    target_index      INTEGER NOT NULL,
    section           TEXT NOT NULL,
    target_json       TEXT NOT NULL,
    indicator         TEXT,
    verdict           TEXT NOT NULL,
    outcome_json      TEXT,
    period            TEXT,
    evidence_kind     TEXT NOT NULL,
    evidence_text     TEXT NOT NULL,
    span_start        INTEGER,
    span_end          INTEGER,
    reason            TEXT NOT NULL,
    confidence        INTEGER NOT NULL,
    computed_at       TEXT NOT NULL,
    UNIQUE (report_id, commitment_uid, target_index)
);
CREATE INDEX verdicts_review ON verdicts(review_report_id);
CREATE INDEX verdicts_commitment ON verdicts(commitment_uid);

-- The office's overrides, append-only: the latest one for a target stands. Keyed by the
-- commitment's stable id and the target's index, so they survive recomputation.
CREATE TABLE verdict_overrides (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER NOT NULL REFERENCES reports(id),
    commitment_uid  TEXT NOT NULL,
    target_index    INTEGER NOT NULL,
    verdict         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX verdict_overrides_target ON verdict_overrides(report_id, commitment_uid, target_index, id);

CREATE TRIGGER verdict_overrides_no_update BEFORE UPDATE ON verdict_overrides
BEGIN SELECT RAISE(ABORT, 'verdict_overrides is append-only'); END;
CREATE TRIGGER verdict_overrides_no_delete BEFORE DELETE ON verdict_overrides
BEGIN SELECT RAISE(ABORT, 'verdict_overrides is append-only'); END;
