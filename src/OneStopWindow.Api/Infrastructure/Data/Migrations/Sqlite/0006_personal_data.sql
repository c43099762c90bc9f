-- Personal data at rest: identity numbers and forms are stored sealed (AES-256-GCM, see PersonalData); equality
-- lookups use keyed hashes (HMAC-SHA256) in new columns. owner_id_number is no longer written (owner_id_hash is).
-- Rows written before this change stay readable (unsealed values are read as they are); the operator command
-- `rekey` seals them and fills their hashes. Same number = same change as SqlServer/0006_personal_data.sql.
DROP INDEX ix_dossier_applicant;
DROP INDEX ix_dossier_owner;
ALTER TABLE dossier ADD COLUMN applicant_id_hash TEXT NULL;
ALTER TABLE dossier ADD COLUMN owner_id_hash TEXT NULL;
CREATE INDEX ix_dossier_applicant_hash ON dossier (applicant_id_hash, procedure_code, received_at);   -- the duplicate check stops at the oldest open one
CREATE INDEX ix_dossier_owner_hash ON dossier (owner_id_hash, received_at);

DROP INDEX ix_beneficiary_person;
ALTER TABLE beneficiary ADD COLUMN id_hash TEXT NULL;
CREATE INDEX ix_beneficiary_person_hash ON beneficiary (id_hash, benefit_code);
