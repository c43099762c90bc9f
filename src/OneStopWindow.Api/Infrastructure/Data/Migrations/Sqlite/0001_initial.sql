-- Catalogue, administrative units, working calendar, dossiers, timeline, workflow steps, idempotency.
-- Same number = same change as SqlServer/0001_initial.sql.

CREATE TABLE catalogue_procedure (
    code            TEXT NOT NULL PRIMARY KEY,
    category        TEXT NOT NULL,
    processing_days INTEGER NOT NULL,
    search_text     TEXT NOT NULL,
    definition      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE admin_unit (
    era           TEXT NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    unit_type     TEXT NOT NULL,
    parent_code   TEXT NULL,
    province_code TEXT NOT NULL,
    search_text   TEXT NOT NULL,
    PRIMARY KEY (era, code)
);
CREATE INDEX ix_admin_unit_parent ON admin_unit (era, parent_code, code);

CREATE TABLE unit_succession (
    old_code          TEXT NOT NULL,
    new_code          TEXT NOT NULL,
    transfer          TEXT NOT NULL,
    resolution_clause TEXT NULL,
    PRIMARY KEY (old_code, new_code)
);
CREATE INDEX ix_unit_succession_new ON unit_succession (new_code);

CREATE TABLE calendar_entry (
    work_date   TEXT NOT NULL PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    source_note TEXT NOT NULL
);

CREATE TABLE dossier_sequence (
    unit_code   TEXT NOT NULL,
    receipt_day TEXT NOT NULL,
    last_value  INTEGER NOT NULL,
    PRIMARY KEY (unit_code, receipt_day)
);

CREATE TABLE dossier (
    id                    TEXT NOT NULL PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    procedure_code        TEXT NOT NULL REFERENCES catalogue_procedure (code),
    status                TEXT NOT NULL,
    channel               TEXT NOT NULL,
    received_unit_code    TEXT NOT NULL,
    applicant_name        TEXT NOT NULL,
    applicant_birth_date  TEXT NOT NULL,
    applicant_id_number   TEXT NOT NULL,
    applicant_phone       TEXT NOT NULL,
    applicant_email       TEXT NULL,
    residence_era         TEXT NOT NULL,
    residence_code        TEXT NOT NULL,
    residence_detail      TEXT NULL,
    handling_ward_code    TEXT NULL,
    queue_name            TEXT NULL,
    possible_duplicate_of TEXT NULL,
    form_data             TEXT NOT NULL,
    tracking_secret_hash  TEXT NOT NULL,
    received_at           TEXT NOT NULL,
    appointment_date      TEXT NOT NULL,
    processing_days       INTEGER NOT NULL,
    version               INTEGER NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX ix_dossier_applicant ON dossier (applicant_id_number, procedure_code);
CREATE INDEX ix_dossier_queue ON dossier (queue_name, appointment_date);

CREATE TABLE dossier_event (
    id           TEXT NOT NULL PRIMARY KEY,
    dossier_id   TEXT NOT NULL REFERENCES dossier (id),
    kind         TEXT NOT NULL,
    status_after TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    note         TEXT NULL,
    step_id      TEXT NULL
);
CREATE INDEX ix_dossier_event_dossier ON dossier_event (dossier_id, occurred_at);
CREATE UNIQUE INDEX ux_dossier_event_step ON dossier_event (dossier_id, step_id) WHERE step_id IS NOT NULL;

CREATE TABLE workflow_step (
    id           TEXT NOT NULL PRIMARY KEY,
    dossier_id   TEXT NOT NULL REFERENCES dossier (id),
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    enqueued_at  TEXT NULL,
    completed_at TEXT NULL,
    UNIQUE (dossier_id, kind)
);
CREATE INDEX ix_workflow_step_pending ON workflow_step (status, enqueued_at);

CREATE TABLE idempotency_record (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    dossier_id    TEXT NOT NULL REFERENCES dossier (id),
    response_body TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX ix_idempotency_record_created ON idempotency_record (created_at);
