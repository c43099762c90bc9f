-- A line remembers the version of the entitlement it was computed from (issue 19): the chair's approval refuses a draft
-- whose entitlements changed since (a hold, an end, a new decision) by comparing versions, not clocks — a clock
-- comparison misreads history written with another clock (imports, corrections) and is only as good as the clocks of
-- the API nodes. Same number = same change as SqlServer/0021_payment_line_version.sql.
ALTER TABLE payment_line ADD COLUMN entitlement_version INTEGER NULL;
