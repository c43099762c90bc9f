-- How each beneficiary is paid (issue 18, part 4): one row per person, for all their monthly benefits — keyed by the
-- keyed hash of their identity number, or, for a beneficiary registered without one, by the entitlement itself. Account
-- and wallet numbers are sealed (PersonalData); number_last4 is all a read shows, so a masked read never opens them.
-- payment_method_change is the audit of every change: who, through which channel, the method before and after — never a
-- number. Same number = same change as SqlServer/0018_payment_method.sql.
CREATE TABLE payment_method (
    id                TEXT NOT NULL PRIMARY KEY,
    person_id_hash    TEXT NULL,
    entitlement_id    TEXT NULL REFERENCES entitlement (id),
    method            TEXT NOT NULL,
    bank_code         TEXT NULL,
    bank_name         TEXT NULL,
    account_holder    TEXT NULL,
    account_number    TEXT NULL,
    wallet_provider   TEXT NULL,
    wallet_number     TEXT NULL,
    number_last4      TEXT NULL,
    post_office_point TEXT NULL,
    delivery_address  TEXT NULL,
    delivery_ground   TEXT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_payment_method_person ON payment_method (person_id_hash) WHERE person_id_hash IS NOT NULL;
CREATE UNIQUE INDEX ux_payment_method_entitlement ON payment_method (entitlement_id) WHERE entitlement_id IS NOT NULL;

CREATE TABLE payment_method_change (
    id                TEXT NOT NULL PRIMARY KEY,
    payment_method_id TEXT NOT NULL REFERENCES payment_method (id),
    version           INTEGER NOT NULL,
    old_method        TEXT NULL,
    new_method        TEXT NOT NULL,
    channel           TEXT NOT NULL,
    actor             TEXT NOT NULL,
    actor_role        TEXT NOT NULL,
    actor_unit        TEXT NULL,
    entitlement_id    TEXT NULL,
    notified          INTEGER NOT NULL,
    changed_at        TEXT NOT NULL
);
CREATE INDEX ix_payment_method_change ON payment_method_change (payment_method_id, changed_at);
