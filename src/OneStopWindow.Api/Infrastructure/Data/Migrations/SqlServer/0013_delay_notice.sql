-- The delay notice (issue 17): the officer's apology and new appointment date (Form 04), no later than one working day
-- before the deadline (Decree 61/2018, carried into Decree 118/2025): when it was recorded, its reason, the date it
-- replaced and the date it set (a later supplement may move the appointment again). The existing `rescheduled` says the
-- one new date is set; rows from before keep their values (the deadline watch used to set `rescheduled` itself).
-- Same number = same change as Sqlite/0013_delay_notice.sql.
ALTER TABLE dossier ADD
    delay_noticed_at          DATETIMEOFFSET(3) NULL,
    delay_reason              NVARCHAR(1000) NULL,
    original_appointment_date DATE NULL,
    delay_new_date            DATE NULL;
