-- Personal data at rest: identity numbers and forms are stored sealed (AES-256-GCM, see PersonalData); equality
-- lookups use keyed hashes (HMAC-SHA256) in new columns. owner_id_number is no longer written (owner_id_hash is).
-- Rows written before this change stay readable (unsealed values are read as they are); the operator command
-- `rekey` seals them and fills their hashes. Same number = same change as Sqlite/0006_personal_data.sql.
DROP INDEX ix_dossier_applicant ON dossier;
DROP INDEX ix_dossier_owner ON dossier;
ALTER TABLE dossier ALTER COLUMN applicant_id_number NVARCHAR(200) NOT NULL;
ALTER TABLE dossier ALTER COLUMN owner_id_number NVARCHAR(200) NULL;
ALTER TABLE dossier ADD applicant_id_hash CHAR(64) NULL, owner_id_hash CHAR(64) NULL;
GO
CREATE INDEX ix_dossier_applicant_hash ON dossier (applicant_id_hash, procedure_code, received_at);   -- the duplicate check stops at the oldest open one
CREATE INDEX ix_dossier_owner_hash ON dossier (owner_id_hash, received_at);

DROP INDEX ix_beneficiary_person ON beneficiary;
ALTER TABLE beneficiary ALTER COLUMN id_number NVARCHAR(200) NOT NULL;
ALTER TABLE beneficiary ADD id_hash CHAR(64) NULL;
GO
CREATE INDEX ix_beneficiary_person_hash ON beneficiary (id_hash, benefit_code);
