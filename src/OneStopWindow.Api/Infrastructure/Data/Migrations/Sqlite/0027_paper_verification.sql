-- The public verification of a paper (issue 20, second step): the QR code printed on each paper opens
-- /api/v1/verify/{code}. The code is 128 random bits; the table keeps its SHA-256 (verify_key, the look-up) and the
-- code itself sealed with the personal-data key (verify_code: a rendering after a crash must print the same QR). Papers
-- issued before this migration have neither and print no QR. Same number = same change as SqlServer/0027_paper_verification.sql.
ALTER TABLE dossier_paper ADD COLUMN verify_key TEXT NULL;
ALTER TABLE dossier_paper ADD COLUMN verify_code TEXT NULL;
CREATE UNIQUE INDEX ux_dossier_paper_verify ON dossier_paper (verify_key) WHERE verify_key IS NOT NULL;
