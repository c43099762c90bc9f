-- A difference paid on a later list (issue 19): top-up rows of a month already paid at a lower amount; the unique index
-- guards the one base row per live month. Same number = same change as Sqlite/0026_payment_top_up.sql.
ALTER TABLE payment_line_month ADD top_up BIT NOT NULL CONSTRAINT df_payment_line_month_top_up DEFAULT 0;
GO
DROP INDEX ux_payment_line_month_live ON payment_line_month;
GO
CREATE UNIQUE NONCLUSTERED INDEX ux_payment_line_month_live ON payment_line_month (entitlement_id, month)
    WHERE released = 0 AND entitlement_id IS NOT NULL AND top_up = 0;
GO
CREATE NONCLUSTERED INDEX ix_payment_line_month_entitlement ON payment_line_month (entitlement_id, month) INCLUDE (amount_vnd, top_up)
    WHERE released = 0 AND entitlement_id IS NOT NULL;
