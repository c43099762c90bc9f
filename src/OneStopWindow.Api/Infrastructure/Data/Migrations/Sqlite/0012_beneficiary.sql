-- The beneficiary as a person (issue 16): the keyed hash of the identity number of the person a dossier is for, when
-- the applicant files for someone else, so the duplicate check and the person's own list follow the beneficiary;
-- beneficiary_adult: 18 or over at filing (an adult beneficiary also sees the dossier). Same number = same change as
-- SqlServer/0012_beneficiary.sql.
ALTER TABLE dossier ADD COLUMN beneficiary_id_hash TEXT NULL;
ALTER TABLE dossier ADD COLUMN beneficiary_adult INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_dossier_beneficiary_hash ON dossier (beneficiary_id_hash, procedure_code, received_at);
