-- The benefit register (issue 18): every granted monthly benefit and every imported legacy record is an entitlement of
-- one person, for one benefit, paid by one ward from start_month to end_month (inclusive; NULL = open), with its own
-- lifecycle (status + version, changed only through the entitlement engine) and history. The amount is never stored
-- for a rule-based period: entitlement_basis holds what the rules are applied to (sealed, it names the groups) or, for
-- an imported record, the imported amount. One-off benefits are single payables. Same number = same change as
-- Sqlite/0016_entitlement.sql. GUID keys are NONCLUSTERED (see 0001); each table clusters on how it is read.
CREATE TABLE entitlement (
    id                UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_entitlement PRIMARY KEY NONCLUSTERED,
    person_id_hash    CHAR(64) NULL,
    full_name         NVARCHAR(200) NOT NULL,
    benefit_code      NVARCHAR(32) NOT NULL,
    ward_code         NVARCHAR(5) NULL,
    start_month       CHAR(7) NOT NULL,
    end_month         CHAR(7) NULL,
    status            NVARCHAR(32) NOT NULL,
    amount_source     NVARCHAR(32) NOT NULL,
    suspension_reason NVARCHAR(64) NULL,
    beneficiary_id    UNIQUEIDENTIFIER NULL CONSTRAINT fk_entitlement_beneficiary REFERENCES beneficiary (id),
    dossier_id        UNIQUEIDENTIFIER NULL CONSTRAINT fk_entitlement_dossier REFERENCES dossier (id),
    version           INT NOT NULL,
    created_at        DATETIMEOFFSET(3) NOT NULL,
    updated_at        DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_entitlement_ward ON entitlement (ward_code, id);
CREATE INDEX ix_entitlement_person ON entitlement (person_id_hash, benefit_code);
CREATE INDEX ix_entitlement_beneficiary ON entitlement (beneficiary_id);

CREATE TABLE entitlement_basis (
    entitlement_id      UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_entitlement_basis REFERENCES entitlement (id),
    from_month          CHAR(7) NOT NULL,
    source              NVARCHAR(32) NOT NULL,
    imported_amount_vnd BIGINT NULL,
    claim               NVARCHAR(MAX) NULL,
    dossier_id          UNIQUEIDENTIFIER NULL CONSTRAINT fk_entitlement_basis_dossier REFERENCES dossier (id),
    decision_number     NVARCHAR(100) NULL,
    recorded_at         DATETIMEOFFSET(3) NOT NULL,
    CONSTRAINT pk_entitlement_basis PRIMARY KEY (entitlement_id, from_month)
);

CREATE TABLE entitlement_event (
    id              UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_entitlement_event PRIMARY KEY NONCLUSTERED,
    entitlement_id  UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_entitlement_event REFERENCES entitlement (id),
    kind            NVARCHAR(64) NOT NULL,
    status_after    NVARCHAR(32) NOT NULL,
    month           CHAR(7) NULL,
    reason          NVARCHAR(64) NULL,
    owed            BIT NULL,
    note            NVARCHAR(2000) NULL,
    dossier_id      UNIQUEIDENTIFIER NULL,
    decision_number NVARCHAR(100) NULL,
    actor           NVARCHAR(200) NOT NULL,
    actor_role      NVARCHAR(64) NOT NULL,
    occurred_at     DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_entitlement_event ON entitlement_event (entitlement_id, occurred_at);

CREATE TABLE payable (
    id              UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_payable PRIMARY KEY NONCLUSTERED,
    dossier_id      UNIQUEIDENTIFIER NOT NULL CONSTRAINT ux_payable_dossier UNIQUE CONSTRAINT fk_payable_dossier REFERENCES dossier (id),
    benefit_code    NVARCHAR(32) NOT NULL,
    person_id_hash  CHAR(64) NULL,
    payee_id_hash   CHAR(64) NULL,
    ward_code       NVARCHAR(5) NOT NULL,
    month           CHAR(7) NOT NULL,
    amount_vnd      BIGINT NOT NULL,
    decision_number NVARCHAR(100) NOT NULL,
    status          NVARCHAR(32) NOT NULL,
    created_at      DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_payable_ward ON payable (ward_code, month);
CREATE INDEX ix_payable_payee ON payable (payee_id_hash);

-- The outbox carries entitlement events too: dossier_id and dossier_code become optional and entitlement_id names the entitlement.
ALTER TABLE integration_event ALTER COLUMN dossier_id UNIQUEIDENTIFIER NULL;
ALTER TABLE integration_event ALTER COLUMN dossier_code NVARCHAR(32) NULL;
ALTER TABLE integration_event ADD entitlement_id UNIQUEIDENTIFIER NULL;
