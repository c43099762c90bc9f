-- Ward-level lifecycle: ownership, assignment, clock, posting, decision, rating, documents, notifications,
-- delayed workflow steps. Same number = same change as SqlServer/0002_lifecycle.sql.
ALTER TABLE dossier ADD COLUMN owner_id_number TEXT NULL;
ALTER TABLE dossier ADD COLUMN applicant_search TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier ADD COLUMN language TEXT NOT NULL DEFAULT 'vi';
ALTER TABLE dossier ADD COLUMN assigned_officer TEXT NULL;
ALTER TABLE dossier ADD COLUMN outcome TEXT NULL;
ALTER TABLE dossier ADD COLUMN supplement_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN clock_paused_at TEXT NULL;
ALTER TABLE dossier ADD COLUMN remaining_working_days INTEGER NULL;
ALTER TABLE dossier ADD COLUMN posting_ends_at TEXT NULL;
ALTER TABLE dossier ADD COLUMN posting_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN at_risk_at TEXT NULL;
ALTER TABLE dossier ADD COLUMN overdue_since TEXT NULL;
ALTER TABLE dossier ADD COLUMN rescheduled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN escalated_at TEXT NULL;
ALTER TABLE dossier ADD COLUMN decision_number TEXT NULL;
ALTER TABLE dossier ADD COLUMN decision_date TEXT NULL;
ALTER TABLE dossier ADD COLUMN decision_json TEXT NULL;
ALTER TABLE dossier ADD COLUMN rating INTEGER NULL;
ALTER TABLE dossier ADD COLUMN completed_at TEXT NULL;
CREATE INDEX ix_dossier_ward_queue ON dossier (handling_ward_code, appointment_date, code);
CREATE INDEX ix_dossier_owner ON dossier (owner_id_number, received_at);
CREATE INDEX ix_dossier_open_clock ON dossier (status, appointment_date);

ALTER TABLE workflow_step ADD COLUMN due_at TEXT NULL;

CREATE TABLE dossier_document (
    id            TEXT NOT NULL PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossier (id),
    document_code TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_role TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    UNIQUE (dossier_id, sha256)
);

CREATE TABLE notification (
    id          TEXT NOT NULL PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossier (id),
    channel     TEXT NOT NULL,
    audience    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    language    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT NULL,
    last_error  TEXT NULL
);
CREATE INDEX ix_notification_dossier ON notification (dossier_id, created_at);

CREATE TABLE objection (
    id          TEXT NOT NULL PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossier (id),
    author_name TEXT NOT NULL,
    content     TEXT NOT NULL,
    filed_at    TEXT NOT NULL
);
