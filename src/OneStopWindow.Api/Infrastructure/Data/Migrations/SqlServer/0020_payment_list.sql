-- Monthly payment lists (issue 19): one list per ward and month, Draft until the ward chair approves it, then locked for
-- ever. payment_line_month holds each month a line pays; released = 1 once the payer's result gives it back. The filtered
-- unique indexes make the database refuse a month of an entitlement, or a payable, on two live lines. No identity or
-- account number is copied here (see Sqlite/0020_payment_list.sql; same number = same change). GUID keys are NONCLUSTERED
-- (see 0001): lines cluster on their list, months on their line.
CREATE TABLE payment_list (
    id           UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_payment_list PRIMARY KEY NONCLUSTERED,
    ward_code    NVARCHAR(5) NOT NULL,
    month        CHAR(7) NOT NULL,
    status       NVARCHAR(16) NOT NULL,
    generated_at DATETIMEOFFSET(3) NOT NULL,
    approved_by  NVARCHAR(200) NULL,
    approved_at  DATETIMEOFFSET(3) NULL,
    version      INT NOT NULL,
    line_count   INT NOT NULL,
    total_vnd    BIGINT NOT NULL,
    CONSTRAINT ux_payment_list_ward_month UNIQUE CLUSTERED (ward_code, month)
);

CREATE TABLE payment_line (
    id                UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_payment_line PRIMARY KEY NONCLUSTERED,
    list_id           UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_payment_line_list REFERENCES payment_list (id),
    kind              NVARCHAR(16) NOT NULL,
    entitlement_id    UNIQUEIDENTIFIER NULL CONSTRAINT fk_payment_line_entitlement REFERENCES entitlement (id),
    payable_id        UNIQUEIDENTIFIER NULL CONSTRAINT fk_payment_line_payable REFERENCES payable (id),
    beneficiary_id    UNIQUEIDENTIFIER NULL CONSTRAINT fk_payment_line_beneficiary REFERENCES beneficiary (id),
    person_dossier_id UNIQUEIDENTIFIER NULL,
    full_name         NVARCHAR(200) NOT NULL,
    method            NVARCHAR(32) NOT NULL,
    payment_method_id UNIQUEIDENTIFIER NULL,
    account_last4     NVARCHAR(4) NULL,
    amount_vnd        BIGINT NOT NULL,
    period_from       CHAR(7) NOT NULL,
    period_to         CHAR(7) NOT NULL,
    result            NVARCHAR(16) NULL,
    result_at         DATETIMEOFFSET(3) NULL
);
CREATE CLUSTERED INDEX cx_payment_line_list ON payment_line (list_id, id);
CREATE INDEX ix_payment_line_entitlement ON payment_line (entitlement_id);
CREATE INDEX ix_payment_line_payable ON payment_line (payable_id);

CREATE TABLE payment_line_month (
    line_id        UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_payment_line_month_line REFERENCES payment_line (id),
    entitlement_id UNIQUEIDENTIFIER NULL,
    payable_id     UNIQUEIDENTIFIER NULL,
    month          CHAR(7) NOT NULL,
    amount_vnd     BIGINT NOT NULL,
    released       BIT NOT NULL,
    CONSTRAINT pk_payment_line_month PRIMARY KEY CLUSTERED (line_id, month)
);
CREATE UNIQUE NONCLUSTERED INDEX ux_payment_line_month_live ON payment_line_month (entitlement_id, month) WHERE released = 0 AND entitlement_id IS NOT NULL;
CREATE UNIQUE NONCLUSTERED INDEX ux_payment_line_payable_live ON payment_line_month (payable_id) WHERE released = 0 AND payable_id IS NOT NULL;

-- The outbox names a payment list too (event PaymentListApproved: ids and status only).
ALTER TABLE integration_event ADD payment_list_id UNIQUEIDENTIFIER NULL;
ALTER TABLE integration_event ADD payment_line_id UNIQUEIDENTIFIER NULL;
