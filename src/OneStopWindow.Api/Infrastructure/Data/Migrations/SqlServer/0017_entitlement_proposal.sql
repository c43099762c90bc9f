-- Proposals from the periodic check of active beneficiaries against the population registry (issue 18, part 3): the
-- registry's finding (kind 'death' or 'move') on one entitlement, waiting for ward staff to confirm it (the same death
-- or move report as one made at the ward, through the entitlement engine) or dismiss it with a note. details holds
-- only what confirming needs (the date of death; the ward of residence and since when), never an identity number.
-- At most one open proposal per entitlement and kind (the filtered unique index). Same number = same change as
-- Sqlite/0017_entitlement_proposal.sql. The GUID key is NONCLUSTERED (see 0001): rows cluster by entitlement, as the
-- check and the decisions read them.
CREATE TABLE entitlement_proposal (
    id             UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_entitlement_proposal PRIMARY KEY NONCLUSTERED,
    entitlement_id UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_entitlement_proposal REFERENCES entitlement (id),
    kind           NVARCHAR(16) NOT NULL,
    details        NVARCHAR(400) NOT NULL,
    source         NVARCHAR(200) NOT NULL,
    proposed_at    DATETIMEOFFSET(3) NOT NULL,
    status         NVARCHAR(16) NOT NULL,
    decided_by     NVARCHAR(200) NULL,
    decided_at     DATETIMEOFFSET(3) NULL,
    decision_note  NVARCHAR(1000) NULL
);
CREATE CLUSTERED INDEX cx_entitlement_proposal ON entitlement_proposal (entitlement_id, kind);
CREATE UNIQUE INDEX ux_entitlement_proposal_open ON entitlement_proposal (entitlement_id, kind) WHERE status = 'open';
CREATE INDEX ix_entitlement_proposal_status ON entitlement_proposal (status, id);
