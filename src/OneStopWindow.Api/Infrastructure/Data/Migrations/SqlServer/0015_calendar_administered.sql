-- The working calendar as administered data (issue 17). Labour Code 2019 Art. 112(3): the Prime Minister decides each
-- year's schedule, so a year computed by the default rule is provisional until its notice is recorded.
-- calendar_head: the one row whose version every change of calendar_entry increments (and whose update serialises
-- calendar writers on SQL Server); calendar_year: per year, the notice recorded (NULL = provisional) and who recorded it
-- ('seed' or an administrator); calendar_revision: the audit trail, one row per change (who, when, which notice, the
-- changed days as JSON). dossier.calendar_version: the calendar version its appointment date was computed on;
-- dossier.delay_notice_needed_for: the appointment date a notice turned into a day off, once the officer was asked for
-- a delay notice (Form 04). Same number = same change as Sqlite/0015_calendar_administered.sql.
CREATE TABLE calendar_head (
    id      INT NOT NULL CONSTRAINT pk_calendar_head PRIMARY KEY,
    version INT NOT NULL
);
INSERT INTO calendar_head (id, version) VALUES (1, 0);

CREATE TABLE calendar_year (
    year_number   INT NOT NULL CONSTRAINT pk_calendar_year PRIMARY KEY,
    notice_number NVARCHAR(100) NULL,
    notice_date   DATE NULL,
    notice_title  NVARCHAR(1000) NULL,
    recorded_by   NVARCHAR(200) NOT NULL,
    version       INT NOT NULL,
    updated_at    DATETIMEOFFSET(3) NOT NULL
);

CREATE TABLE calendar_revision (
    version       INT NOT NULL CONSTRAINT pk_calendar_revision PRIMARY KEY,
    year_number   INT NOT NULL,
    change_kind   NVARCHAR(32) NOT NULL,
    notice_number NVARCHAR(100) NULL,
    notice_date   DATE NULL,
    notice_title  NVARCHAR(1000) NULL,
    recorded_by   NVARCHAR(200) NOT NULL,
    recorded_at   DATETIMEOFFSET(3) NOT NULL,
    changes       NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_calendar_revision_year ON calendar_revision (year_number, version);

ALTER TABLE dossier ADD calendar_version INT NULL;
ALTER TABLE dossier ADD delay_notice_needed_for DATE NULL;
