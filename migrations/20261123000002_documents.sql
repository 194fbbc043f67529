-- Printed documents: the SHA-256 of each issued original (PDF and Factur-X), checked every time
-- it is generated again, and the e-mails documents were sent with.

ALTER TABLE documents ADD COLUMN pdf_sha256 TEXT CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE documents ADD COLUMN facturx_sha256 TEXT CHECK (facturx_sha256 ~ '^[0-9a-f]{64}$');

-- Same rule as before, plus: a seal, once set, never changes.
CREATE OR REPLACE FUNCTION documents_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.number IS NOT NULL THEN
            RAISE EXCEPTION 'document % (%) is issued and cannot be deleted', OLD.number, OLD.kind
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256)
       OR (OLD.facturx_sha256 IS NOT NULL AND NEW.facturx_sha256 IS DISTINCT FROM OLD.facturx_sha256) THEN
        RAISE EXCEPTION 'document %: the seal of an issued original cannot change', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.kind IN ('invoice', 'credit_note') AND OLD.number IS NOT NULL THEN
        IF NEW.kind IS DISTINCT FROM OLD.kind
           OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
           OR NEW.number IS DISTINCT FROM OLD.number
           OR NEW.contact_id IS DISTINCT FROM OLD.contact_id
           OR NEW.issue_date IS DISTINCT FROM OLD.issue_date
           OR NEW.due_date IS DISTINCT FROM OLD.due_date
           OR NEW.global_discount_bp IS DISTINCT FROM OLD.global_discount_bp
           OR NEW.notes IS DISTINCT FROM OLD.notes
           OR NEW.total_excl_tax_cents IS DISTINCT FROM OLD.total_excl_tax_cents
           OR NEW.total_vat_cents IS DISTINCT FROM OLD.total_vat_cents
           OR NEW.total_incl_tax_cents IS DISTINCT FROM OLD.total_incl_tax_cents
           OR NEW.seller_snapshot IS DISTINCT FROM OLD.seller_snapshot
           OR NEW.client_snapshot IS DISTINCT FROM OLD.client_snapshot
           OR NEW.corrected_invoice_id IS DISTINCT FROM OLD.corrected_invoice_id
           OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
           OR NEW.status NOT IN ('issued', 'partially_paid', 'paid', 'cancelled') THEN
            RAISE EXCEPTION 'document % is issued: its content cannot change', OLD.number
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TABLE document_emails (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id    BIGINT NOT NULL,
    document_id        BIGINT NOT NULL,
    recipient          TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    subject            TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    attachment_name    TEXT NOT NULL,
    attachment_sha256  TEXT NOT NULL CHECK (attachment_sha256 ~ '^[0-9a-f]{64}$'),
    -- 'smtp' or 'outbox' (development), and the server's answer or the file written.
    transport          TEXT NOT NULL CHECK (transport IN ('smtp', 'outbox')),
    detail             TEXT NOT NULL DEFAULT '',
    sent_by            BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    sent_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (organisation_id, document_id) REFERENCES documents (organisation_id, id)
);

CREATE INDEX document_emails_document ON document_emails (document_id, sent_at);
