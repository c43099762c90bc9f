-- The payment reports (issue 19): lines of a list by their first month, with what the reports group by. The clustered
-- key (list_id, id) rides along. Same number = same change as Sqlite/0022_payment_report_index.sql.
CREATE INDEX ix_payment_line_report ON payment_line (list_id, period_from) INCLUDE (method, result, kind, amount_vnd);
