-- Evidence files as uploaded: who uploaded which file for which task. Keep in step with
-- ../postgres/0005_evidence_uploads.sql. A progress report may cite only files its author
-- uploaded for that task; the files themselves live in the evidence directory, by SHA-256.
CREATE TABLE evidence_uploads (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    name           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    uploaded_at    TEXT NOT NULL
);
CREATE INDEX evidence_uploads_task ON evidence_uploads(commitment_id, user_id, sha256);
CREATE INDEX evidence_uploads_file ON evidence_uploads(sha256);
CREATE INDEX evidence_file ON evidence(sha256);

CREATE TRIGGER evidence_uploads_no_update BEFORE UPDATE ON evidence_uploads
BEGIN SELECT RAISE(ABORT, 'evidence_uploads is append-only'); END;
CREATE TRIGGER evidence_uploads_no_delete BEFORE DELETE ON evidence_uploads
BEGIN SELECT RAISE(ABORT, 'evidence_uploads is append-only'); END;
