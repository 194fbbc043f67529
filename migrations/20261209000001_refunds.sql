-- Refunds (issue 35): a credit note may now correct an invoice already paid, up to the invoice's
-- total less the credit notes issued before it. What was paid beyond what the credit notes left
-- due is owed back to the client, and paying it back is recorded here, as its own entry: a
-- payment stays a record of money received, a refund one of money paid back. What an invoice
-- has received is its payments less its refunds.

CREATE TABLE refunds (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    invoice_id       BIGINT NOT NULL,
    refunded_on      DATE NOT NULL,
    amount_cents     BIGINT NOT NULL CHECK (amount_cents > 0),
    method           TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'cheque', 'cash', 'other')),
    reference        TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The invoice belongs to the same organisation.
    FOREIGN KEY (organisation_id, invoice_id) REFERENCES documents (organisation_id, id)
);

CREATE INDEX refunds_invoice ON refunds (invoice_id);
CREATE INDEX refunds_organisation ON refunds (organisation_id, refunded_on DESC);

-- A refund pays back only what is owed back: checked in the same transaction as the insert,
-- under a lock on the invoice row (app/src/invoicing/db/refunds.rs), and here as a backstop.
CREATE FUNCTION refunds_only_what_is_owed() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    owed BIGINT;
BEGIN
    SELECT coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.invoice_id = d.id), 0)
           - coalesce((SELECT sum(r.amount_cents) FROM refunds r WHERE r.invoice_id = d.id), 0)
           + coalesce((SELECT sum(a.total_incl_tax_cents) FROM documents a
                        WHERE a.corrected_invoice_id = d.id AND a.number IS NOT NULL), 0)
           - d.total_incl_tax_cents
      INTO owed
      FROM documents d
     WHERE d.id = NEW.invoice_id AND d.organisation_id = NEW.organisation_id
       AND d.kind = 'invoice' AND d.number IS NOT NULL;
    IF owed IS NULL THEN
        RAISE EXCEPTION 'refunds apply to issued invoices of the same organisation'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.amount_cents > owed THEN
        RAISE EXCEPTION 'a refund of % cents exceeds the % cents owed back on invoice %',
            NEW.amount_cents, greatest(owed, 0), NEW.invoice_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER refunds_only_what_is_owed
    BEFORE INSERT ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_only_what_is_owed();

-- Refunds are records of money paid back: corrected by new entries, never edited or deleted.
-- As for payments, an account may delete itself: its refunds keep everything but the author,
-- which the foreign key sets to NULL.
CREATE FUNCTION refunds_append_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.created_by IS NULL AND OLD.created_by IS NOT NULL
       AND (NEW.id, NEW.organisation_id, NEW.invoice_id, NEW.refunded_on, NEW.amount_cents,
            NEW.method, NEW.reference, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.organisation_id, OLD.invoice_id, OLD.refunded_on, OLD.amount_cents,
            OLD.method, OLD.reference, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'refunds cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER refunds_append_only
    BEFORE UPDATE OR DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_append_only();

-- The default privileges (20261208000001_least_privilege.sql) gave the app's role every row
-- privilege on the new table: an append-only record keeps SELECT and INSERT only.
REVOKE UPDATE, DELETE ON refunds FROM comptoir_app;
