-- One person, one benefit, one open entitlement from decisions (issue 18): a second Active or Suspended entitlement of
-- the same person for the same benefit would pay a month twice. The register never writes one (a change of residence
-- ends the old ward's before the new one starts; a legacy record of someone already paid under a decision is held as a
-- duplicate); this index makes the database refuse it too, so two writers racing (SQL Server) cannot.
-- Not covered: a beneficiary without an identity number (no key), and imported records (beneficiary_id set): the
-- import holds a second record of the same person and benefit as a duplicate, but keeps paying a record whose identity
-- number conflicts (another name or birth date: possibly a mistyped number of another person) until re-verified.
-- Same number = same change as SqlServer/0019_one_open_entitlement.sql.
CREATE UNIQUE INDEX ux_entitlement_open_per_person ON entitlement (person_id_hash, benefit_code)
WHERE status IN ('Active', 'Suspended') AND person_id_hash IS NOT NULL AND beneficiary_id IS NULL;
