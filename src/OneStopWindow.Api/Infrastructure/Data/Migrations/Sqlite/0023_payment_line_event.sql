-- The outbox names a line of a payment list too (PaymentLinePaid, PaymentLineFailed: the payer's result, ids and status
-- only; issue 19). Same number = same change as SqlServer/0023_payment_line_event.sql.
ALTER TABLE integration_event ADD COLUMN payment_line_id TEXT NULL;
