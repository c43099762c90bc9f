-- The outbox names a line of a payment list too (PaymentLinePaid, PaymentLineFailed: ids and status only; issue 19).
-- Same number = same change as Sqlite/0023_payment_line_event.sql.
ALTER TABLE integration_event ADD payment_line_id UNIQUEIDENTIFIER NULL;
