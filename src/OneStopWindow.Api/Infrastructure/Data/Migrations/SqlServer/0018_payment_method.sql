-- How each beneficiary is paid (issue 18, part 4): one row per person, for all their monthly benefits — keyed by the
-- keyed hash of their identity number, or, for a beneficiary registered without one, by the entitlement itself. Account
-- and wallet numbers are sealed (PersonalData); number_last4 is all a read shows, so a masked read never opens them.
-- payment_method_change is the audit of every change: who, through which channel, the method before and after — never a
-- number. Same number = same change as Sqlite/0018_payment_method.sql. GUID keys are NONCLUSTERED (see 0001).
CREATE TABLE payment_method (
    id                UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_payment_method PRIMARY KEY NONCLUSTERED,
    person_id_hash    CHAR(64) NULL,
    entitlement_id    UNIQUEIDENTIFIER NULL CONSTRAINT fk_payment_method_entitlement REFERENCES entitlement (id),
    method            NVARCHAR(32) NOT NULL,
    bank_code         NVARCHAR(6) NULL,
    bank_name         NVARCHAR(100) NULL,
    account_holder    NVARCHAR(100) NULL,
    account_number    NVARCHAR(200) NULL,
    wallet_provider   NVARCHAR(100) NULL,
    wallet_number     NVARCHAR(200) NULL,
    number_last4      NVARCHAR(4) NULL,
    post_office_point NVARCHAR(200) NULL,
    delivery_address  NVARCHAR(300) NULL,
    delivery_ground   NVARCHAR(32) NULL,
    version           INT NOT NULL,
    created_at        DATETIMEOFFSET(3) NOT NULL,
    updated_at        DATETIMEOFFSET(3) NOT NULL
);
-- A payment list (issue 19) joins every entitlement of a ward to its person's row: clustered on the person.
CREATE CLUSTERED INDEX cx_payment_method_person ON payment_method (person_id_hash);
CREATE UNIQUE INDEX ux_payment_method_person ON payment_method (person_id_hash) WHERE person_id_hash IS NOT NULL;
CREATE UNIQUE INDEX ux_payment_method_entitlement ON payment_method (entitlement_id) WHERE entitlement_id IS NOT NULL;

CREATE TABLE payment_method_change (
    id                UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_payment_method_change PRIMARY KEY NONCLUSTERED,
    payment_method_id UNIQUEIDENTIFIER NOT NULL CONSTRAINT fk_payment_method_change REFERENCES payment_method (id),
    version           INT NOT NULL,
    old_method        NVARCHAR(32) NULL,
    new_method        NVARCHAR(32) NOT NULL,
    channel           NVARCHAR(16) NOT NULL,
    actor             NVARCHAR(200) NOT NULL,
    actor_role        NVARCHAR(64) NOT NULL,
    actor_unit        NVARCHAR(200) NULL,
    entitlement_id    UNIQUEIDENTIFIER NULL,
    notified          BIT NOT NULL,
    changed_at        DATETIMEOFFSET(3) NOT NULL
);
CREATE CLUSTERED INDEX cx_payment_method_change ON payment_method_change (payment_method_id, changed_at);
