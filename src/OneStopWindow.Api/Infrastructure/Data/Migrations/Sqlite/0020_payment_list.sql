-- Monthly payment lists (issue 19): one list per ward and month ("danh sách chi trả"), Draft until the ward chair approves
-- it, then locked for ever (corrections go on the next list). A line pays one entitlement (the months it covers, regular
-- or arrears), one one-off payable, or shows a legacy record held as a possible duplicate (amount 0, not payable). Each
-- month a line pays is a payment_line_month row; released = 1 once the payer's result gives it back (failed, unclaimed)
-- so the next list can take it again. The partial unique indexes are the ledger's promise, kept by the database itself:
-- no month of an entitlement, and no payable, is on two live lines. The line keeps no identity or account number: the
-- payer's file opens them from their sealed homes (person_dossier_id → dossier.applicant_id_number, beneficiary_id →
-- beneficiary.id_number; payment_method_id → the account), so a rekey of personal data never misses a copy here.
-- Same number = same change as SqlServer/0020_payment_list.sql.
CREATE TABLE payment_list (
    id           TEXT NOT NULL PRIMARY KEY,
    ward_code    TEXT NOT NULL,
    month        TEXT NOT NULL,
    status       TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    approved_by  TEXT NULL,
    approved_at  TEXT NULL,
    version      INTEGER NOT NULL,
    line_count   INTEGER NOT NULL,
    total_vnd    INTEGER NOT NULL,
    UNIQUE (ward_code, month)
);

CREATE TABLE payment_line (
    id                TEXT NOT NULL PRIMARY KEY,
    list_id           TEXT NOT NULL REFERENCES payment_list (id),
    kind              TEXT NOT NULL,
    entitlement_id    TEXT NULL REFERENCES entitlement (id),
    payable_id        TEXT NULL REFERENCES payable (id),
    beneficiary_id    TEXT NULL REFERENCES beneficiary (id),
    person_dossier_id TEXT NULL,
    full_name         TEXT NOT NULL,
    method            TEXT NOT NULL,
    payment_method_id TEXT NULL,
    account_last4     TEXT NULL,
    amount_vnd        INTEGER NOT NULL,
    period_from       TEXT NOT NULL,
    period_to         TEXT NOT NULL,
    result            TEXT NULL,
    result_at         TEXT NULL
);
CREATE INDEX ix_payment_line_list ON payment_line (list_id, id);
CREATE INDEX ix_payment_line_entitlement ON payment_line (entitlement_id);
CREATE INDEX ix_payment_line_payable ON payment_line (payable_id);

CREATE TABLE payment_line_month (
    line_id        TEXT NOT NULL REFERENCES payment_line (id),
    entitlement_id TEXT NULL,
    payable_id     TEXT NULL,
    month          TEXT NOT NULL,
    amount_vnd     INTEGER NOT NULL,
    released       INTEGER NOT NULL,
    PRIMARY KEY (line_id, month)
);
CREATE UNIQUE INDEX ux_payment_line_month_live ON payment_line_month (entitlement_id, month) WHERE released = 0 AND entitlement_id IS NOT NULL;
CREATE UNIQUE INDEX ux_payment_line_payable_live ON payment_line_month (payable_id) WHERE released = 0 AND payable_id IS NOT NULL;

-- The outbox names a payment list too (event PaymentListApproved: ids and status only), and a line of one (PaymentLinePaid,
-- PaymentLineFailed: the payer's result, ids and status only).
ALTER TABLE integration_event ADD COLUMN payment_list_id TEXT NULL;
ALTER TABLE integration_event ADD COLUMN payment_line_id TEXT NULL;
