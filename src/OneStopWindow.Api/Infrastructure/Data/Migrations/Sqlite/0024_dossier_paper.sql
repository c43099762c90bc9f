-- The papers a dossier's events issue (issue 20): Forms 01-04, the processing-control sheet, the chair's decision. The
-- row is written in the event's own transaction (pending: no content yet) with the facts of that moment; the PDF is
-- rendered after the commit by the paper's workflow step, stored here once and served as stored. Its SHA-256 goes on
-- the timeline. The signing step (a later part of issue 20) replaces content with the signed file before it is ready.
-- Same number = same change as SqlServer/0024_dossier_paper.sql.
CREATE TABLE dossier_paper (
    id          TEXT NOT NULL PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossier (id),
    kind        TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    facts       TEXT NOT NULL,
    content     BLOB NULL,
    size_bytes  INTEGER NULL,
    sha256      TEXT NULL,
    rendered_at TEXT NULL,
    UNIQUE (event_id, kind)
);
CREATE INDEX ix_dossier_paper_dossier ON dossier_paper (dossier_id, issued_at);
