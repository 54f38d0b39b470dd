-- Status counters for the dashboards, kept by triggers so that counting a report's or a
-- department's statuses reads a few hundred counter rows instead of scanning its commitments.
-- Derived data: not in backups; a restore rebuilds them as it inserts commitments.
-- Keep in step with ../sqlite/0002_status_counts.sql.

CREATE TABLE section_status_counts (
    report_id   BIGINT NOT NULL,
    section_id  BIGINT NOT NULL,  -- 0 for commitments under no heading
    status      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (report_id, section_id, status)
);

CREATE TABLE department_status_counts (
    department_id  BIGINT NOT NULL,
    status         TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (department_id, status)
);

INSERT INTO section_status_counts (report_id, section_id, status, n)
    SELECT report_id, COALESCE(section_id, 0), status, COUNT(*) FROM commitments
    GROUP BY report_id, COALESCE(section_id, 0), status;
INSERT INTO department_status_counts (department_id, status, n)
    SELECT lead_department_id, status, COUNT(*) FROM commitments
    WHERE lead_department_id IS NOT NULL GROUP BY lead_department_id, status;

CREATE FUNCTION duban_count_commitment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.report_id = NEW.report_id AND OLD.section_id IS NOT DISTINCT FROM NEW.section_id
           AND OLD.status = NEW.status
           AND OLD.lead_department_id IS NOT DISTINCT FROM NEW.lead_department_id THEN
            RETURN NEW;
        END IF;
        UPDATE section_status_counts SET n = n - 1
            WHERE report_id = OLD.report_id AND section_id = COALESCE(OLD.section_id, 0) AND status = OLD.status;
        UPDATE department_status_counts SET n = n - 1
            WHERE department_id = OLD.lead_department_id AND status = OLD.status;
    END IF;
    INSERT INTO section_status_counts (report_id, section_id, status, n)
        VALUES (NEW.report_id, COALESCE(NEW.section_id, 0), NEW.status, 1)
        ON CONFLICT (report_id, section_id, status) DO UPDATE SET n = section_status_counts.n + 1;
    IF NEW.lead_department_id IS NOT NULL THEN
        INSERT INTO department_status_counts (department_id, status, n)
            VALUES (NEW.lead_department_id, NEW.status, 1)
            ON CONFLICT (department_id, status) DO UPDATE SET n = department_status_counts.n + 1;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER commitments_count AFTER INSERT OR UPDATE OF report_id, section_id, status, lead_department_id
    ON commitments FOR EACH ROW EXECUTE FUNCTION duban_count_commitment();
