-- The delay notice (issue 17): the officer's apology and new appointment date (Form 04), no later than one working day
-- before the deadline (Decree 61/2018, carried into Decree 118/2025): when it was recorded, its reason, the date it
-- replaced and the date it set (a later supplement may move the appointment again). The existing `rescheduled` says the
-- one new date is set; rows from before keep their values (the deadline watch used to set `rescheduled` itself).
-- Same number = same change as SqlServer/0013_delay_notice.sql.
ALTER TABLE dossier ADD COLUMN delay_noticed_at TEXT NULL;
ALTER TABLE dossier ADD COLUMN delay_reason TEXT NULL;
ALTER TABLE dossier ADD COLUMN original_appointment_date TEXT NULL;
ALTER TABLE dossier ADD COLUMN delay_new_date TEXT NULL;
