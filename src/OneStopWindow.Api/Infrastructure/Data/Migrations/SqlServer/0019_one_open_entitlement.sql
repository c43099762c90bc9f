-- One person, one benefit, one open entitlement from decisions (issue 18): a second Active or Suspended entitlement of
-- the same person for the same benefit would pay a month twice; this filtered unique index refuses it when two writers
-- race. Not covered, as in Sqlite/0019_one_open_entitlement.sql (same number = same change): a beneficiary without an
-- identity number, and imported records (the import deduplicates them itself).
CREATE UNIQUE NONCLUSTERED INDEX ux_entitlement_open_per_person ON entitlement (person_id_hash, benefit_code)
WHERE status IN (N'Active', N'Suspended') AND person_id_hash IS NOT NULL AND beneficiary_id IS NULL;
