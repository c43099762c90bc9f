-- The benefit register (issue 18): every granted monthly benefit and every imported legacy record is an entitlement of
-- one person, for one benefit, paid by one ward from start_month to end_month (inclusive; NULL = open), with its own
-- lifecycle (status + version, changed only through the entitlement engine) and history. The amount is never stored
-- for a rule-based period: entitlement_basis holds what the rules are applied to (sealed, it names the groups) or, for
-- an imported record, the imported amount. One-off benefits are single payables. Same number = same change as
-- SqlServer/0016_entitlement.sql.
CREATE TABLE entitlement (
    id                TEXT NOT NULL PRIMARY KEY,
    person_id_hash    TEXT NULL,
    full_name         TEXT NOT NULL,
    benefit_code      TEXT NOT NULL,
    ward_code         TEXT NULL,
    start_month       TEXT NOT NULL,
    end_month         TEXT NULL,
    status            TEXT NOT NULL,
    amount_source     TEXT NOT NULL,
    suspension_reason TEXT NULL,
    beneficiary_id    TEXT NULL REFERENCES beneficiary (id),
    dossier_id        TEXT NULL REFERENCES dossier (id),
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX ix_entitlement_ward ON entitlement (ward_code, id);
CREATE INDEX ix_entitlement_person ON entitlement (person_id_hash, benefit_code);
CREATE INDEX ix_entitlement_beneficiary ON entitlement (beneficiary_id);

CREATE TABLE entitlement_basis (
    entitlement_id      TEXT NOT NULL REFERENCES entitlement (id),
    from_month          TEXT NOT NULL,
    source              TEXT NOT NULL,
    imported_amount_vnd INTEGER NULL,
    claim               TEXT NULL,
    dossier_id          TEXT NULL REFERENCES dossier (id),
    decision_number     TEXT NULL,
    recorded_at         TEXT NOT NULL,
    PRIMARY KEY (entitlement_id, from_month)
);

CREATE TABLE entitlement_event (
    id              TEXT NOT NULL PRIMARY KEY,
    entitlement_id  TEXT NOT NULL REFERENCES entitlement (id),
    kind            TEXT NOT NULL,
    status_after    TEXT NOT NULL,
    month           TEXT NULL,
    reason          TEXT NULL,
    owed            INTEGER NULL,
    note            TEXT NULL,
    dossier_id      TEXT NULL,
    decision_number TEXT NULL,
    actor           TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    occurred_at     TEXT NOT NULL
);
CREATE INDEX ix_entitlement_event ON entitlement_event (entitlement_id, occurred_at);

CREATE TABLE payable (
    id              TEXT NOT NULL PRIMARY KEY,
    dossier_id      TEXT NOT NULL UNIQUE REFERENCES dossier (id),
    benefit_code    TEXT NOT NULL,
    person_id_hash  TEXT NULL,
    payee_id_hash   TEXT NULL,
    ward_code       TEXT NOT NULL,
    month           TEXT NOT NULL,
    amount_vnd      INTEGER NOT NULL,
    decision_number TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_payable_ward ON payable (ward_code, month);
CREATE INDEX ix_payable_payee ON payable (payee_id_hash);

-- The outbox carries entitlement events too: dossier_id and dossier_code become optional and entitlement_id names
-- the entitlement. SQLite cannot relax NOT NULL in place, so the table is rebuilt with its positions (and its
-- AUTOINCREMENT counter) kept: every reader's cursor stays valid.
CREATE TABLE integration_event_new (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    dossier_id     TEXT NULL REFERENCES dossier (id),
    dossier_code   TEXT NULL,
    procedure_code TEXT NOT NULL,
    ward_code      TEXT NULL,
    client_id      TEXT NULL,
    event_type     TEXT NOT NULL,
    status_after   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    occurred_at    TEXT NOT NULL,
    entitlement_id TEXT NULL
);
INSERT INTO integration_event_new (position, id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at)
SELECT position, id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at FROM integration_event;
INSERT INTO sqlite_sequence (name, seq)
SELECT 'integration_event_keep', seq FROM sqlite_sequence WHERE name = 'integration_event';
DROP TABLE integration_event;
ALTER TABLE integration_event_new RENAME TO integration_event;
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT k.seq FROM sqlite_sequence k WHERE k.name = 'integration_event_keep'))
WHERE name = 'integration_event' AND EXISTS (SELECT 1 FROM sqlite_sequence k WHERE k.name = 'integration_event_keep');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'integration_event', seq FROM sqlite_sequence WHERE name = 'integration_event_keep'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'integration_event');
DELETE FROM sqlite_sequence WHERE name = 'integration_event_keep';
