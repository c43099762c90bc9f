-- The payer's account cell of a line, as it stood when the ward chair approved the list (issue 19: a locked list never
-- changes, and its export is the same bytes every time even after the beneficiary changes account). Sealed like the
-- payment method's numbers (rekey re-seals it). Same number = same change as SqlServer/0025_payment_line_account.sql.
ALTER TABLE payment_line ADD COLUMN payer_account TEXT NULL;
