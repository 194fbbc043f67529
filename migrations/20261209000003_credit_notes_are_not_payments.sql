-- A credit note is not a payment (issue 35): invoices that the earlier rule marked partly paid
-- for a credit note alone, with nothing paid, are issued.
UPDATE documents d
   SET status = 'issued', updated_at = now()
 WHERE d.kind = 'invoice'
   AND d.status = 'partially_paid'
   AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = d.id);
