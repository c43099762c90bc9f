-- The payment reports (issue 19) read every line of the approved lists of a period, grouped by method and result, and
-- the months of the lines that start before their list's month (arrears, months unpaid). Covering both, this index keeps
-- them off the table rows: measured on 200,000 lines a month for a year (tests/load/payment-report-scale.sh), the grouped
-- read went from 10.0 s to 2.3 s, the arrears from 8.0 s to 1.1 s, the unpaid months from 8.0 s to 2.6 s.
-- Same number = same change as SqlServer/0022_payment_report_index.sql.
CREATE INDEX ix_payment_line_report ON payment_line (list_id, period_from, method, result, kind, amount_vnd, id);
