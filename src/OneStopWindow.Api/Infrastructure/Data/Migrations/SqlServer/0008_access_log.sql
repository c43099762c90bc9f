-- Who read a person's unmasked data (Law 91/2025/QH15, Decree 356/2025): one row per subject read, without the data.
-- Rows of one read (a queue page lists many dossiers) share entry_id. Same number = same change as Sqlite/0008_access_log.sql.
CREATE TABLE access_log (
    id            UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_access_log PRIMARY KEY NONCLUSTERED,
    entry_id      UNIQUEIDENTIFIER NOT NULL,
    subject_kind  NVARCHAR(20) NOT NULL,
    subject_id    UNIQUEIDENTIFIER NOT NULL,
    kind          NVARCHAR(40) NOT NULL,
    reader_role   NVARCHAR(40) NOT NULL,
    reader_unit   NVARCHAR(200) NULL,
    reader_id     NVARCHAR(200) NOT NULL,
    read_at       DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_access_log_read ON access_log (read_at);
CREATE INDEX ix_access_log_subject ON access_log (subject_id, read_at);
