-- Report summary: the measures of dossier_report added up per (grain, period, ward, procedure, channel), grain 'D' = a
-- day, 'M' = a month (period = its first day). Reports read whole months from 'M' rows and the partial months at the edges
-- of a period from 'D' rows, so their cost depends on the period and the number of wards, not on the number of dossiers.
-- Kept by the report projector in the same transaction as dossier_report; rebuilt from dossier_report when empty.
-- ward_code '-' = not yet assigned (re-verification). Same number = same change as SqlServer/0007_report_summary.sql.
CREATE TABLE report_summary (
    grain          TEXT NOT NULL,
    period         TEXT NOT NULL,
    ward_code      TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    channel        TEXT NOT NULL,
    received       INTEGER NOT NULL,
    supplements    INTEGER NOT NULL,
    withdrawals    INTEGER NOT NULL,
    objections     INTEGER NOT NULL,
    resolved       INTEGER NOT NULL,
    on_time        INTEGER NOT NULL,
    working_days   INTEGER NOT NULL,
    rejections     INTEGER NOT NULL,
    beneficiaries  INTEGER NOT NULL,
    amount         INTEGER NOT NULL,
    rated          INTEGER NOT NULL,
    satisfied      INTEGER NOT NULL,
    closed         INTEGER NOT NULL,
    PRIMARY KEY (grain, period, ward_code, procedure_code, channel)
);

-- The reports read report_summary now: dossier_report is read by key only, and its report indexes only cost writes.
DROP INDEX ix_dossier_report_received;
DROP INDEX ix_dossier_report_decided;
DROP INDEX ix_dossier_report_ward_received;
DROP INDEX ix_dossier_report_ward_closed;
DROP INDEX ix_dossier_report_ward_decided;
