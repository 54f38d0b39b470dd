-- Status counters for the dashboards, kept by triggers so that counting a report's or a
-- department's statuses reads a few hundred counter rows instead of scanning its commitments.
-- Derived data: not in backups; a restore rebuilds them as it inserts commitments.
-- Keep in step with ../postgres/0002_status_counts.sql.

CREATE TABLE section_status_counts (
    report_id   INTEGER NOT NULL,
    section_id  INTEGER NOT NULL,  -- 0 for commitments under no heading
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (report_id, section_id, status)
);

CREATE TABLE department_status_counts (
    department_id  INTEGER NOT NULL,
    status         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (department_id, status)
);

INSERT INTO section_status_counts (report_id, section_id, status, n)
    SELECT report_id, COALESCE(section_id, 0), status, COUNT(*) FROM commitments
    GROUP BY report_id, COALESCE(section_id, 0), status;
INSERT INTO department_status_counts (department_id, status, n)
    SELECT lead_department_id, status, COUNT(*) FROM commitments
    WHERE lead_department_id IS NOT NULL GROUP BY lead_department_id, status;

CREATE TRIGGER commitments_count_insert AFTER INSERT ON commitments
BEGIN
    INSERT INTO section_status_counts (report_id, section_id, status, n)
        VALUES (NEW.report_id, COALESCE(NEW.section_id, 0), NEW.status, 1)
        ON CONFLICT (report_id, section_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO department_status_counts (department_id, status, n)
        SELECT NEW.lead_department_id, NEW.status, 1 WHERE NEW.lead_department_id IS NOT NULL
        ON CONFLICT (department_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER commitments_count_update AFTER UPDATE OF report_id, section_id, status, lead_department_id ON commitments
BEGIN
    UPDATE section_status_counts SET n = n - 1
        WHERE report_id = OLD.report_id AND section_id = COALESCE(OLD.section_id, 0) AND status = OLD.status;
    INSERT INTO section_status_counts (report_id, section_id, status, n)
        VALUES (NEW.report_id, COALESCE(NEW.section_id, 0), NEW.status, 1)
        ON CONFLICT (report_id, section_id, status) DO UPDATE SET n = n + 1;
    UPDATE department_status_counts SET n = n - 1
        WHERE department_id = OLD.lead_department_id AND status = OLD.status;
    INSERT INTO department_status_counts (department_id, status, n)
        SELECT NEW.lead_department_id, NEW.status, 1 WHERE NEW.lead_department_id IS NOT NULL
        ON CONFLICT (department_id, status) DO UPDATE SET n = n + 1;
END;
