-- Seller logos, account self-deletion, list sorting.

-- Logos are content-addressed and never rewritten: an issued document's seller snapshot names
-- the logo it was issued with, so its PDF stays identical after the organisation changes logo.
CREATE TABLE seller_logos (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    sha256           TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    mime             TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
    width            INTEGER NOT NULL CHECK (width BETWEEN 1 AND 4000),
    height           INTEGER NOT NULL CHECK (height BETWEEN 1 AND 4000),
    bytes            BYTEA NOT NULL CHECK (length(bytes) BETWEEN 1 AND 524288),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, sha256)
);

CREATE FUNCTION seller_logos_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a stored logo cannot change or go' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER seller_logos_immutable
    BEFORE UPDATE OR DELETE ON seller_logos
    FOR EACH ROW EXECUTE FUNCTION seller_logos_immutable();

ALTER TABLE seller_profiles DROP COLUMN logo_png;
ALTER TABLE seller_profiles ADD COLUMN logo_sha256 TEXT;
ALTER TABLE seller_profiles ADD CONSTRAINT seller_profiles_logo
    FOREIGN KEY (organisation_id, logo_sha256) REFERENCES seller_logos (organisation_id, sha256);

-- An account may delete itself: the payments it recorded keep everything but the author, which
-- the foreign key sets to NULL. Any other change to a payment stays refused.
CREATE OR REPLACE FUNCTION payments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.created_by IS NULL AND OLD.created_by IS NOT NULL
       AND (NEW.id, NEW.organisation_id, NEW.invoice_id, NEW.paid_on, NEW.amount_cents,
            NEW.method, NEW.reference, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.organisation_id, OLD.invoice_id, OLD.paid_on, OLD.amount_cents,
            OLD.method, OLD.reference, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payments cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE INDEX articles_organisation_reference ON articles (organisation_id, lower(reference));

-- The invoices list sorted by amount reads its page from an index instead of sorting them all.
CREATE INDEX documents_by_total ON documents (organisation_id, kind, total_incl_tax_cents DESC, id DESC);
