-- A line remembers the version of the entitlement it was computed from (issue 19): approval compares versions, not
-- clocks. Same number = same change as Sqlite/0021_payment_line_version.sql.
ALTER TABLE payment_line ADD entitlement_version INT NULL;
