-- Who read a person's unmasked data (Law 91/2025/QH15, Decree 356/2025): one row per subject read, without the data.
-- Rows of one read (a queue page lists many dossiers) share entry_id. Same number = same change as SqlServer/0008_access_log.sql.
CREATE TABLE access_log (
    id            TEXT NOT NULL PRIMARY KEY,
    entry_id      TEXT NOT NULL,
    subject_kind  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    reader_role   TEXT NOT NULL,
    reader_unit   TEXT NULL,
    reader_id     TEXT NOT NULL,
    read_at       TEXT NOT NULL
);
CREATE INDEX ix_access_log_subject ON access_log (subject_id, read_at);
CREATE INDEX ix_access_log_read ON access_log (read_at);
