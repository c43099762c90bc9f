-- The beneficiary as a person (issue 16): the keyed hash of the identity number of the person a dossier is for, when
-- the applicant files for someone else, so the duplicate check and the person's own list follow the beneficiary;
-- beneficiary_adult: 18 or over at filing (an adult beneficiary also sees the dossier). Same number = same change as
-- SqlServer/0012_beneficiary.sql.
ALTER TABLE dossier ADD COLUMN beneficiary_id_hash TEXT NULL;
ALTER TABLE dossier ADD COLUMN beneficiary_adult INTEGER NOT NULL DEFAULT 0;
-- The dossier is for someone other than the applicant (with or without an identity number): the applicant's
-- identity then stands for no one in the duplicate and other-benefit checks.
ALTER TABLE dossier ADD COLUMN beneficiary_is_other INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_dossier_beneficiary_hash ON dossier (beneficiary_id_hash, procedure_code, received_at);
