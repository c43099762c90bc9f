-- Catalogue, administrative units, working calendar, dossiers, timeline, workflow steps, idempotency.
-- Same number = same change as Sqlite/0001_initial.sql.
-- GUID v7 ids are not sequential in SQL Server's uniqueidentifier order, so GUID keys are NONCLUSTERED
-- and tables are clustered on a time-ordered column instead (no page splits on insert).

CREATE TABLE catalogue_procedure (
    code            NVARCHAR(32) NOT NULL CONSTRAINT pk_catalogue_procedure PRIMARY KEY,
    category        NVARCHAR(64) NOT NULL,
    processing_days INT NOT NULL,
    search_text     NVARCHAR(2000) NOT NULL,
    definition      NVARCHAR(MAX) NOT NULL,
    updated_at      DATETIMEOFFSET(3) NOT NULL
);

CREATE TABLE admin_unit (
    era           NVARCHAR(16) NOT NULL,
    code          NVARCHAR(8) NOT NULL,
    name          NVARCHAR(200) NOT NULL,
    full_name     NVARCHAR(200) NOT NULL,
    unit_type     NVARCHAR(32) NOT NULL,
    parent_code   NVARCHAR(8) NULL,
    province_code NVARCHAR(8) NOT NULL,
    search_text   NVARCHAR(400) NOT NULL,
    CONSTRAINT pk_admin_unit PRIMARY KEY (era, code)
);
CREATE INDEX ix_admin_unit_parent ON admin_unit (era, parent_code, code);

CREATE TABLE unit_succession (
    old_code          NVARCHAR(8) NOT NULL,
    new_code          NVARCHAR(8) NOT NULL,
    transfer          NVARCHAR(16) NOT NULL,
    resolution_clause NVARCHAR(16) NULL,
    CONSTRAINT pk_unit_succession PRIMARY KEY (old_code, new_code)
);
CREATE INDEX ix_unit_succession_new ON unit_succession (new_code);

CREATE TABLE calendar_entry (
    work_date   DATE NOT NULL CONSTRAINT pk_calendar_entry PRIMARY KEY,
    kind        NVARCHAR(32) NOT NULL,
    name        NVARCHAR(200) NOT NULL,
    source_note NVARCHAR(500) NOT NULL
);

CREATE TABLE dossier_sequence (
    unit_code   NVARCHAR(16) NOT NULL,
    receipt_day DATE NOT NULL,
    last_value  BIGINT NOT NULL,
    CONSTRAINT pk_dossier_sequence PRIMARY KEY (unit_code, receipt_day)
);

CREATE TABLE dossier (
    id                    UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_dossier PRIMARY KEY NONCLUSTERED,
    code                  NVARCHAR(32) NOT NULL CONSTRAINT ux_dossier_code UNIQUE,
    procedure_code        NVARCHAR(32) NOT NULL CONSTRAINT fk_dossier_procedure REFERENCES catalogue_procedure (code),
    status                NVARCHAR(32) NOT NULL,
    channel               NVARCHAR(16) NOT NULL,
    received_unit_code    NVARCHAR(16) NOT NULL,
    applicant_name        NVARCHAR(200) NOT NULL,
    applicant_birth_date  DATE NOT NULL,
    applicant_id_number   NVARCHAR(12) NOT NULL,
    applicant_phone       NVARCHAR(16) NOT NULL,
    applicant_email       NVARCHAR(254) NULL,
    residence_era         NVARCHAR(16) NOT NULL,
    residence_code        NVARCHAR(8) NOT NULL,
    residence_detail      NVARCHAR(500) NULL,
    handling_ward_code    NVARCHAR(8) NULL,
    queue_name            NVARCHAR(32) NULL,
    possible_duplicate_of NVARCHAR(32) NULL,
    form_data             NVARCHAR(MAX) NOT NULL,
    tracking_secret_hash  NVARCHAR(64) NOT NULL,
    received_at           DATETIMEOFFSET(3) NOT NULL,
    appointment_date      DATE NOT NULL,
    processing_days       INT NOT NULL,
    version               INT NOT NULL,
    updated_at            DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_dossier_received ON dossier (received_at);
CREATE INDEX ix_dossier_applicant ON dossier (applicant_id_number, procedure_code);
CREATE INDEX ix_dossier_queue ON dossier (queue_name, appointment_date);

CREATE TABLE dossier_event (
    id           UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_dossier_event PRIMARY KEY NONCLUSTERED,
    dossier_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_dossier_event_dossier REFERENCES dossier (id),
    kind         NVARCHAR(32) NOT NULL,
    status_after NVARCHAR(32) NOT NULL,
    actor        NVARCHAR(200) NOT NULL,
    actor_role   NVARCHAR(32) NOT NULL,
    occurred_at  DATETIMEOFFSET(3) NOT NULL,
    note         NVARCHAR(1000) NULL,
    step_id      UNIQUEIDENTIFIER NULL
);
CREATE CLUSTERED INDEX cx_dossier_event_dossier ON dossier_event (dossier_id, occurred_at);
CREATE UNIQUE INDEX ux_dossier_event_step ON dossier_event (dossier_id, step_id) WHERE step_id IS NOT NULL;

CREATE TABLE workflow_step (
    id           UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_workflow_step PRIMARY KEY NONCLUSTERED,
    dossier_id   UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_workflow_step_dossier REFERENCES dossier (id),
    kind         NVARCHAR(32) NOT NULL,
    status       NVARCHAR(16) NOT NULL,
    attempts     INT NOT NULL,
    created_at   DATETIMEOFFSET(3) NOT NULL,
    enqueued_at  DATETIMEOFFSET(3) NULL,
    completed_at DATETIMEOFFSET(3) NULL,
    CONSTRAINT ux_workflow_step_kind UNIQUE (dossier_id, kind)
);
CREATE CLUSTERED INDEX cx_workflow_step_created ON workflow_step (created_at);
CREATE INDEX ix_workflow_step_pending ON workflow_step (status, enqueued_at);

CREATE TABLE idempotency_record (
    scope         NVARCHAR(100) NOT NULL,
    idem_key      NVARCHAR(64) NOT NULL,
    fingerprint   NVARCHAR(64) NOT NULL,
    dossier_id    UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_idempotency_record_dossier REFERENCES dossier (id),
    response_body NVARCHAR(MAX) NOT NULL,
    created_at    DATETIMEOFFSET(3) NOT NULL,
    CONSTRAINT pk_idempotency_record PRIMARY KEY (scope, idem_key)
);
CREATE INDEX ix_idempotency_record_created ON idempotency_record (created_at);
