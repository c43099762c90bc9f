-- Proposals from the periodic check of active beneficiaries against the population registry (issue 18, part 3): the
-- registry's finding (kind 'death' or 'move') on one entitlement, waiting for ward staff to confirm it (the same death
-- or move report as one made at the ward, through the entitlement engine) or dismiss it with a note. details holds
-- only what confirming needs (the date of death; the ward of residence and since when), never an identity number.
-- At most one open proposal per entitlement and kind (the partial unique index). Same number = same change as
-- SqlServer/0017_entitlement_proposal.sql.
CREATE TABLE entitlement_proposal (
    id             TEXT NOT NULL PRIMARY KEY,
    entitlement_id TEXT NOT NULL REFERENCES entitlement (id),
    kind           TEXT NOT NULL,
    details        TEXT NOT NULL,
    source         TEXT NOT NULL,
    proposed_at    TEXT NOT NULL,
    status         TEXT NOT NULL,
    decided_by     TEXT NULL,
    decided_at     TEXT NULL,
    decision_note  TEXT NULL
);
CREATE INDEX ix_entitlement_proposal_entitlement ON entitlement_proposal (entitlement_id, kind);
CREATE UNIQUE INDEX ux_entitlement_proposal_open ON entitlement_proposal (entitlement_id, kind) WHERE status = 'open';
CREATE INDEX ix_entitlement_proposal_status ON entitlement_proposal (status, id);
