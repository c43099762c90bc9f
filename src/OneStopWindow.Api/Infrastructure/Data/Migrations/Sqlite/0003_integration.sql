-- Integration: API clients and keys, the integration-event outbox, webhook subscriptions and deliveries,
-- registry checks. Same number = same change as SqlServer/0003_integration.sql.
ALTER TABLE dossier ADD COLUMN client_id TEXT NULL;
ALTER TABLE dossier ADD COLUMN external_reference TEXT NULL;
CREATE UNIQUE INDEX ux_dossier_client_reference ON dossier (client_id, external_reference) WHERE client_id IS NOT NULL;

CREATE TABLE api_client (
    id         TEXT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    procedures TEXT NULL,
    wards      TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);

CREATE TABLE api_key (
    id         TEXT NOT NULL PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES api_client (id),
    key_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL
);
CREATE INDEX ix_api_key_client ON api_key (client_id);

-- The outbox. SQLite has one writer at a time, so AUTOINCREMENT positions become visible in commit order:
-- a reader never sees position n+1 before n.
CREATE TABLE integration_event (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    dossier_id     TEXT NOT NULL REFERENCES dossier (id),
    dossier_code   TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    ward_code      TEXT NULL,
    client_id      TEXT NULL,
    event_type     TEXT NOT NULL,
    status_after   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    occurred_at    TEXT NOT NULL
);

CREATE TABLE outbox_cursor (
    name     TEXT NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL
);

CREATE TABLE webhook_subscription (
    id             TEXT NOT NULL PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES api_client (id),
    url            TEXT NOT NULL,
    event_types    TEXT NOT NULL,
    secret         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    deleted_at     TEXT NULL,
    pump_claimed_at TEXT NULL,
    paused_until   TEXT NULL
);
CREATE INDEX ix_webhook_subscription_client ON webhook_subscription (client_id);

CREATE TABLE webhook_delivery (
    id              TEXT NOT NULL PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscription (id),
    event_id        TEXT NOT NULL,
    event_position  INTEGER NOT NULL,
    dossier_id      TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_status     INTEGER NULL,
    last_error      TEXT NULL,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (subscription_id, status, event_position);
CREATE INDEX ix_webhook_delivery_dossier ON webhook_delivery (subscription_id, dossier_id, status, event_position);

CREATE TABLE registry_check (
    dossier_id TEXT NOT NULL REFERENCES dossier (id),
    registry   TEXT NOT NULL,
    result     TEXT NOT NULL,
    details    TEXT NULL,
    source     TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, registry)
);
