-- The payer's account cell of a line as it stood at approval (issue 19), sealed. Same number = same change as
-- Sqlite/0025_payment_line_account.sql.
ALTER TABLE payment_line ADD payer_account NVARCHAR(400) NULL;
