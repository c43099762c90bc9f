-- Refusal at reception (issue 17; Form 03 of Circular 01/2018/TT-VPCP, national status 3): the reason from the closed
-- list (outside-competence, not-covered-by-procedure) and the officer's written explanation the applicant reads; the
-- day is completed_at. Same number = same change as SqlServer/0014_reception_refusal.sql.
ALTER TABLE dossier ADD COLUMN refusal_reason TEXT NULL;
ALTER TABLE dossier ADD COLUMN refusal_explanation TEXT NULL;
-- The reports count refusals at reception in the received cohort (like withdrawals); none existed before this change.
ALTER TABLE report_summary ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
