-- Integration: API clients and keys, the integration-event outbox, webhook subscriptions and deliveries,
-- registry checks. Same number = same change as Sqlite/0003_integration.sql.
ALTER TABLE dossier ADD
    client_id          UNIQUEIDENTIFIER NULL,
    external_reference NVARCHAR(100) NULL;
GO
CREATE UNIQUE INDEX ux_dossier_client_reference ON dossier (client_id, external_reference) WHERE client_id IS NOT NULL;

CREATE TABLE api_client (
    id         UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    name       NVARCHAR(200) NOT NULL,
    scopes     NVARCHAR(400) NOT NULL,
    procedures NVARCHAR(2000) NULL,
    wards      NVARCHAR(2000) NULL,
    created_by NVARCHAR(200) NOT NULL,
    created_at DATETIMEOFFSET(3) NOT NULL,
    revoked_at DATETIMEOFFSET(3) NULL
);

CREATE TABLE api_key (
    id         NVARCHAR(32) NOT NULL PRIMARY KEY,
    client_id  UNIQUEIDENTIFIER NOT NULL REFERENCES api_client (id),
    key_hash   NVARCHAR(64) NOT NULL,
    created_at DATETIMEOFFSET(3) NOT NULL,
    expires_at DATETIMEOFFSET(3) NULL,
    revoked_at DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_api_key_client ON api_key (client_id);

-- The outbox. Identity values can commit out of order on SQL Server, so readers page by the rowversion and
-- only up to MIN_ACTIVE_ROWVERSION(): a row still being written can never appear behind a client's cursor.
CREATE TABLE integration_event (
    seq            BIGINT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    row_version    ROWVERSION NOT NULL,
    id             UNIQUEIDENTIFIER NOT NULL UNIQUE,
    dossier_id     UNIQUEIDENTIFIER NOT NULL REFERENCES dossier (id),
    dossier_code   NVARCHAR(32) NOT NULL,
    procedure_code NVARCHAR(32) NOT NULL,
    ward_code      NVARCHAR(5) NULL,
    client_id      UNIQUEIDENTIFIER NULL,
    event_type     NVARCHAR(64) NOT NULL,
    status_after   NVARCHAR(32) NOT NULL,
    version        INT NOT NULL,
    occurred_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_integration_event_row_version ON integration_event (row_version);

CREATE TABLE outbox_cursor (
    name     NVARCHAR(64) NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL
);

CREATE TABLE webhook_subscription (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    client_id       UNIQUEIDENTIFIER NOT NULL REFERENCES api_client (id),
    url             NVARCHAR(2000) NOT NULL,
    event_types     NVARCHAR(2000) NOT NULL,
    secret          NVARCHAR(100) NOT NULL,
    created_at      DATETIMEOFFSET(3) NOT NULL,
    deleted_at      DATETIMEOFFSET(3) NULL,
    pump_claimed_at DATETIMEOFFSET(3) NULL,
    paused_until    DATETIMEOFFSET(3) NULL
);
CREATE INDEX ix_webhook_subscription_client ON webhook_subscription (client_id);

CREATE TABLE webhook_delivery (
    id              UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    subscription_id UNIQUEIDENTIFIER NOT NULL REFERENCES webhook_subscription (id),
    event_id        UNIQUEIDENTIFIER NOT NULL,
    event_position  BIGINT NOT NULL,
    dossier_id      UNIQUEIDENTIFIER NOT NULL,
    status          NVARCHAR(16) NOT NULL,
    attempts        INT NOT NULL,
    next_attempt_at DATETIMEOFFSET(3) NOT NULL,
    last_status     INT NULL,
    last_error      NVARCHAR(400) NULL,
    created_at      DATETIMEOFFSET(3) NOT NULL,
    delivered_at    DATETIMEOFFSET(3) NULL,
    CONSTRAINT ux_webhook_delivery_event UNIQUE (subscription_id, event_id)
);
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (subscription_id, status, event_position);
CREATE INDEX ix_webhook_delivery_dossier ON webhook_delivery (subscription_id, dossier_id, status, event_position);

CREATE TABLE registry_check (
    dossier_id UNIQUEIDENTIFIER NOT NULL REFERENCES dossier (id),
    registry   NVARCHAR(32) NOT NULL,
    result     NVARCHAR(16) NOT NULL,
    details    NVARCHAR(2000) NULL,
    source     NVARCHAR(400) NOT NULL,
    checked_at DATETIMEOFFSET(3) NOT NULL,
    attempts   INT NOT NULL,
    PRIMARY KEY (dossier_id, registry)
);
