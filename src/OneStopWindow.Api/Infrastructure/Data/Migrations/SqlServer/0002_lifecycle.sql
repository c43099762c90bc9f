-- Ward-level lifecycle: ownership, assignment, clock, posting, decision, rating, documents, notifications,
-- delayed workflow steps. Same number = same change as Sqlite/0002_lifecycle.sql.
ALTER TABLE dossier ADD
    owner_id_number        NVARCHAR(12) NULL,
    applicant_search       NVARCHAR(200) NOT NULL CONSTRAINT df_dossier_applicant_search DEFAULT N'',
    language               NVARCHAR(2) NOT NULL CONSTRAINT df_dossier_language DEFAULT N'vi',
    assigned_officer       NVARCHAR(200) NULL,
    outcome                NVARCHAR(16) NULL,
    supplement_count       INT NOT NULL CONSTRAINT df_dossier_supplement_count DEFAULT 0,
    clock_paused_at        DATETIMEOFFSET(3) NULL,
    remaining_working_days INT NULL,
    posting_ends_at        DATETIMEOFFSET(3) NULL,
    posting_done           BIT NOT NULL CONSTRAINT df_dossier_posting_done DEFAULT 0,
    at_risk_at             DATETIMEOFFSET(3) NULL,
    overdue_since          DATETIMEOFFSET(3) NULL,
    rescheduled            BIT NOT NULL CONSTRAINT df_dossier_rescheduled DEFAULT 0,
    escalated_at           DATETIMEOFFSET(3) NULL,
    decision_number        NVARCHAR(64) NULL,
    decision_date          DATE NULL,
    decision_json          NVARCHAR(MAX) NULL,
    rating                 INT NULL,
    completed_at           DATETIMEOFFSET(3) NULL;
GO
CREATE INDEX ix_dossier_ward_queue ON dossier (handling_ward_code, appointment_date, code);
CREATE INDEX ix_dossier_owner ON dossier (owner_id_number, received_at);
CREATE INDEX ix_dossier_open_clock ON dossier (status, appointment_date);

ALTER TABLE workflow_step ADD due_at DATETIMEOFFSET(3) NULL;

CREATE TABLE dossier_document (
    id            UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_dossier_document PRIMARY KEY NONCLUSTERED,
    dossier_id    UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_dossier_document_dossier REFERENCES dossier (id),
    document_code NVARCHAR(64) NOT NULL,
    file_name     NVARCHAR(255) NOT NULL,
    content_type  NVARCHAR(100) NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        NVARCHAR(64) NOT NULL,
    storage_key   NVARCHAR(300) NOT NULL,
    uploaded_by   NVARCHAR(200) NOT NULL,
    uploaded_role NVARCHAR(32) NOT NULL,
    uploaded_at   DATETIMEOFFSET(3) NOT NULL,
    CONSTRAINT ux_dossier_document_hash UNIQUE (dossier_id, sha256)
);
CREATE CLUSTERED INDEX cx_dossier_document ON dossier_document (dossier_id, uploaded_at);

CREATE TABLE notification (
    id          UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_notification PRIMARY KEY NONCLUSTERED,
    dossier_id  UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_notification_dossier REFERENCES dossier (id),
    channel     NVARCHAR(16) NOT NULL,
    audience    NVARCHAR(16) NOT NULL,
    kind        NVARCHAR(32) NOT NULL,
    language    NVARCHAR(2) NOT NULL,
    subject     NVARCHAR(300) NOT NULL,
    body        NVARCHAR(2000) NOT NULL,
    status      NVARCHAR(16) NOT NULL,
    attempts    INT NOT NULL,
    created_at  DATETIMEOFFSET(3) NOT NULL,
    sent_at     DATETIMEOFFSET(3) NULL,
    last_error  NVARCHAR(500) NULL
);
CREATE CLUSTERED INDEX cx_notification_dossier ON notification (dossier_id, created_at);

CREATE TABLE objection (
    id          UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_objection PRIMARY KEY NONCLUSTERED,
    dossier_id  UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_objection_dossier REFERENCES dossier (id),
    author_name NVARCHAR(200) NOT NULL,
    content     NVARCHAR(2000) NOT NULL,
    filed_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_objection_dossier ON objection (dossier_id, filed_at);
