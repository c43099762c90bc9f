-- Refusal at reception (issue 17; Form 03 of Circular 01/2018/TT-VPCP, national status 3): the reason from the closed
-- list (outside-competence, not-covered-by-procedure) and the officer's written explanation the applicant reads; the
-- day is completed_at. Same number = same change as Sqlite/0014_reception_refusal.sql.
ALTER TABLE dossier ADD refusal_reason NVARCHAR(40) NULL, refusal_explanation NVARCHAR(2000) NULL;
-- The reports count refusals at reception in the received cohort (like withdrawals); none existed before this change.
ALTER TABLE report_summary ADD refusals INT NOT NULL CONSTRAINT df_report_summary_refusals DEFAULT 0;
