-- Department administration: a short name, and merging one department into another. Keep in
-- step with ../sqlite/0010_department_admin.sql. A merged department keeps its row (history
-- and the audit log name it) with `merged_into` pointing at the department that took over its
-- work; lists of live departments leave it out. The reference is deferred so that a restore,
-- which inserts departments by id, may insert a merged department before the one it joined.
ALTER TABLE departments ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
ALTER TABLE departments ADD COLUMN merged_into BIGINT
    REFERENCES departments(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE departments ADD COLUMN merged_at TEXT;
CREATE INDEX departments_merged_into ON departments(merged_into);
