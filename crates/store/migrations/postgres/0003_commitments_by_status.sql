-- Lists of commitments by status across all reports (the API's ?status= filter): counted and
-- ordered by report and ordinal without a scan of every commitment.
CREATE INDEX commitments_status_report ON commitments(status, report_id, ordinal);
