-- The working calendar as administered data (issue 17). Labour Code 2019 Art. 112(3): the Prime Minister decides each
-- year's schedule, so a year computed by the default rule is provisional until its notice is recorded.
-- calendar_head: the one row whose version every change of calendar_entry increments (and whose update serialises
-- calendar writers on SQL Server); calendar_year: per year, the notice recorded (NULL = provisional) and who recorded it
-- ('seed' or an administrator); calendar_revision: the audit trail, one row per change (who, when, which notice, the
-- changed days as JSON). dossier.calendar_version: the calendar version its appointment date was computed on;
-- dossier.delay_notice_needed_for: the appointment date a notice turned into a day off, once the officer was asked for
-- a delay notice (Form 04). Same number = same change as SqlServer/0015_calendar_administered.sql.
CREATE TABLE calendar_head (
    id      INTEGER NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO calendar_head (id, version) VALUES (1, 0);

CREATE TABLE calendar_year (
    year_number   INTEGER NOT NULL PRIMARY KEY,
    notice_number TEXT NULL,
    notice_date   TEXT NULL,
    notice_title  TEXT NULL,
    recorded_by   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE calendar_revision (
    version       INTEGER NOT NULL PRIMARY KEY,
    year_number   INTEGER NOT NULL,
    change_kind   TEXT NOT NULL,
    notice_number TEXT NULL,
    notice_date   TEXT NULL,
    notice_title  TEXT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    changes       TEXT NOT NULL
);
CREATE INDEX ix_calendar_revision_year ON calendar_revision (year_number, version);

ALTER TABLE dossier ADD COLUMN calendar_version INTEGER NULL;
ALTER TABLE dossier ADD COLUMN delay_notice_needed_for TEXT NULL;
