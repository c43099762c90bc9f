-- Report summary: the measures of dossier_report added up per (grain, period, ward, procedure, channel), grain 'D' = a
-- day, 'M' = a month (period = its first day). Reports read whole months from 'M' rows and the partial months at the edges
-- of a period from 'D' rows, so their cost depends on the period and the number of wards, not on the number of dossiers.
-- Kept by the report projector in the same transaction as dossier_report; rebuilt from dossier_report when empty.
-- ward_code '-' = not yet assigned (re-verification). Same number = same change as Sqlite/0007_report_summary.sql.
CREATE TABLE report_summary (
    grain          CHAR(1) NOT NULL,
    period         DATE NOT NULL,
    ward_code      NVARCHAR(10) NOT NULL,
    procedure_code NVARCHAR(100) NOT NULL,
    channel        NVARCHAR(100) NOT NULL,
    received       INT NOT NULL,
    supplements    INT NOT NULL,
    withdrawals    INT NOT NULL,
    objections     INT NOT NULL,
    resolved       INT NOT NULL,
    on_time        INT NOT NULL,
    working_days   INT NOT NULL,
    rejections     INT NOT NULL,
    beneficiaries  INT NOT NULL,
    amount         BIGINT NOT NULL,
    rated          INT NOT NULL,
    satisfied      INT NOT NULL,
    closed         INT NOT NULL,
    CONSTRAINT pk_report_summary PRIMARY KEY (grain, period, ward_code, procedure_code, channel)
);

-- The reports read report_summary now: dossier_report is read by key only, and its report indexes only cost writes.
DROP INDEX ix_dossier_report_received ON dossier_report;
DROP INDEX ix_dossier_report_decided ON dossier_report;
DROP INDEX ix_dossier_report_ward_received ON dossier_report;
DROP INDEX ix_dossier_report_ward_closed ON dossier_report;
DROP INDEX ix_dossier_report_ward_decided ON dossier_report;
