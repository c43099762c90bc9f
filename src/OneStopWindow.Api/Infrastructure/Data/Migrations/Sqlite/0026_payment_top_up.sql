-- A difference paid on a later list (issue 19): a month already on an approved list at a lower amount than the
-- entitlement's amount for that month (an adjustment signed after the month's list was approved) gets a top-up row on
-- the next list. One base row per live month of an entitlement stays guarded by the unique index; top-ups are apart.
-- Same number = same change as SqlServer/0026_payment_top_up.sql.
ALTER TABLE payment_line_month ADD COLUMN top_up INTEGER NOT NULL DEFAULT 0;
DROP INDEX ux_payment_line_month_live;
CREATE UNIQUE INDEX ux_payment_line_month_live ON payment_line_month (entitlement_id, month) WHERE released = 0 AND entitlement_id IS NOT NULL AND top_up = 0;
-- The live months of an entitlement, top-ups included, for the generation's and the register's look-ups (the unique
-- index above no longer serves a query that does not say top_up = 0).
CREATE INDEX ix_payment_line_month_entitlement ON payment_line_month (entitlement_id, month) WHERE released = 0 AND entitlement_id IS NOT NULL;
