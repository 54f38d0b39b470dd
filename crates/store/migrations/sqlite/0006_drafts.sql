-- Draft reports and the office's corrections. Keep in step with ../postgres/0006_drafts.sql.
-- A report is a draft (seen by the supervision office only) while published_at is NULL; reports
-- imported before this migration were public at once, so they count as published then.
ALTER TABLE reports ADD COLUMN published_at TEXT;
-- The published report of the same government for the year before, linked when this is published.
ALTER TABLE reports ADD COLUMN previous_report_id INTEGER REFERENCES reports(id);
-- The engine's extraction (JSON) that the corrections are replayed over; NULL for old imports.
ALTER TABLE reports ADD COLUMN extraction_json TEXT;
-- The engine's diagnostics at import (JSON array of {severity, message, span}).
ALTER TABLE reports ADD COLUMN diagnostics_json TEXT NOT NULL DEFAULT '[]';
UPDATE reports SET published_at = imported_at;
CREATE INDEX reports_published ON reports(published_at, government_id, year);

-- The corrections of a report, in order: an append-only log replayed over the extraction.
CREATE TABLE report_corrections (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    correction  TEXT NOT NULL
);
CREATE INDEX report_corrections_report ON report_corrections(report_id, id);

CREATE TRIGGER report_corrections_no_update BEFORE UPDATE ON report_corrections
BEGIN SELECT RAISE(ABORT, 'report_corrections is append-only'); END;
CREATE TRIGGER report_corrections_no_delete BEFORE DELETE ON report_corrections
BEGIN SELECT RAISE(ABORT, 'report_corrections is append-only'); END;

-- A correction can remove a draft's commitment: keep the status counters of 0002 in step.
CREATE TRIGGER commitments_count_delete AFTER DELETE ON commitments
BEGIN
    UPDATE section_status_counts SET n = n - 1
        WHERE report_id = OLD.report_id AND section_id = COALESCE(OLD.section_id, 0) AND status = OLD.status;
    UPDATE department_status_counts SET n = n - 1
        WHERE department_id = OLD.lead_department_id AND status = OLD.status;
END;
