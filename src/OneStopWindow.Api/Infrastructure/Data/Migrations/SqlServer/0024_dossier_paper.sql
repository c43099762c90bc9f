-- The papers a dossier's events issue (issue 20): Forms 01-04, the processing-control sheet, the chair's decision. The
-- row is written in the event's own transaction (pending: no content yet) with the facts of that moment; the PDF is
-- rendered after the commit by the paper's workflow step, stored here once and served as stored. Its SHA-256 goes on
-- the timeline. Same number = same change as Sqlite/0024_dossier_paper.sql.
CREATE TABLE dossier_paper (
    id          UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_dossier_paper PRIMARY KEY NONCLUSTERED,
    dossier_id  UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_dossier_paper_dossier REFERENCES dossier (id),
    kind        NVARCHAR(32) NOT NULL,
    event_id    UNIQUEIDENTIFIER NOT NULL,
    issued_at   DATETIMEOFFSET(3) NOT NULL,
    facts       NVARCHAR(MAX) NOT NULL,
    content     VARBINARY(MAX) NULL,
    size_bytes  BIGINT NULL,
    sha256      NVARCHAR(64) NULL,
    rendered_at DATETIMEOFFSET(3) NULL,
    CONSTRAINT ux_dossier_paper_event UNIQUE (event_id, kind)
);
CREATE CLUSTERED INDEX cx_dossier_paper ON dossier_paper (dossier_id, issued_at);
