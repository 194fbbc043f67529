-- Invoicing: seller identity, contact groups, contacts, articles, quotes / invoices / credit
-- notes with their lines, gap-free numbering, payments. Issued documents are immutable, enforced
-- here so that even hand-written SQL cannot change them.

CREATE TABLE seller_profiles (
    organisation_id      BIGINT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    legal_name           TEXT NOT NULL CHECK (length(btrim(legal_name)) BETWEEN 1 AND 200),
    legal_form           TEXT NOT NULL DEFAULT '' CHECK (length(legal_form) <= 60),
    siren                TEXT NOT NULL CHECK (siren ~ '^[0-9]{9}$'),
    siret                TEXT CHECK (siret ~ '^[0-9]{14}$'),
    vat_number           TEXT CHECK (length(vat_number) BETWEEN 4 AND 14),
    address_line1        TEXT NOT NULL CHECK (length(btrim(address_line1)) BETWEEN 1 AND 200),
    address_line2        TEXT NOT NULL DEFAULT '',
    postal_code          TEXT NOT NULL CHECK (length(btrim(postal_code)) BETWEEN 1 AND 20),
    city                 TEXT NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 120),
    country              TEXT NOT NULL DEFAULT 'FR' CHECK (country ~ '^[A-Z]{2}$'),
    email                TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    logo_png             BYTEA CHECK (logo_png IS NULL OR length(logo_png) <= 512000),
    iban                 TEXT CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    bic                  TEXT CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    payment_terms_days   INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 60),
    late_penalty_bp      INTEGER NOT NULL DEFAULT 1215 CHECK (late_penalty_bp BETWEEN 0 AND 10000),
    recovery_fee_cents   BIGINT NOT NULL DEFAULT 4000 CHECK (recovery_fee_cents >= 4000),
    -- Only the account that created the identity may delete it (rule from the old tool).
    created_by           BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE contact_groups (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name),
    -- Target of the composite foreign keys that keep memberships inside one organisation.
    UNIQUE (organisation_id, id)
);

CREATE TABLE contacts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('company', 'person')),
    name             TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    address_line1    TEXT NOT NULL DEFAULT '',
    address_line2    TEXT NOT NULL DEFAULT '',
    postal_code      TEXT NOT NULL DEFAULT '',
    city             TEXT NOT NULL DEFAULT '',
    country          TEXT NOT NULL DEFAULT 'FR' CHECK (country ~ '^[A-Z]{2}$'),
    siren            TEXT CHECK (siren ~ '^[0-9]{9}$'),
    vat_number       TEXT CHECK (length(vat_number) BETWEEN 4 AND 14),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (kind = 'company' OR (siren IS NULL AND vat_number IS NULL)),
    UNIQUE (organisation_id, id)
);

CREATE INDEX contacts_organisation_name ON contacts (organisation_id, lower(name));

-- A contact may be in any number of its organisation's groups, never in another's: both
-- foreign keys carry the organisation.
CREATE TABLE contact_group_members (
    organisation_id  BIGINT NOT NULL,
    contact_id       BIGINT NOT NULL,
    group_id         BIGINT NOT NULL,
    PRIMARY KEY (contact_id, group_id),
    FOREIGN KEY (organisation_id, contact_id) REFERENCES contacts (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, group_id) REFERENCES contact_groups (organisation_id, id) ON DELETE CASCADE
);

CREATE INDEX contact_group_members_group ON contact_group_members (group_id);

CREATE TABLE articles (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    reference         TEXT NOT NULL CHECK (length(btrim(reference)) BETWEEN 1 AND 60),
    description       TEXT NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 1000),
    unit              TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    unit_price_cents  BIGINT NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate_bp       INTEGER NOT NULL CHECK (vat_rate_bp IN (0, 210, 550, 850, 1000, 1300, 2000)),
    active            BOOLEAN NOT NULL DEFAULT true,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, reference)
);

-- One row per organisation, series and year; the issuing transaction increments it, so
-- concurrent issues wait for each other and numbers are continuous.
CREATE TABLE number_counters (
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    series           TEXT NOT NULL,
    year             INTEGER NOT NULL,
    last_value       BIGINT NOT NULL CHECK (last_value >= 0),
    PRIMARY KEY (organisation_id, series, year)
);

CREATE TABLE documents (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id       BIGINT NOT NULL REFERENCES organisations (id),
    kind                  TEXT NOT NULL CHECK (kind IN ('quote', 'invoice', 'credit_note')),
    status                TEXT NOT NULL DEFAULT 'draft',
    number                TEXT,
    contact_id            BIGINT NOT NULL,
    issue_date            DATE,
    due_date              DATE,
    validity_date         DATE,
    global_discount_bp    INTEGER NOT NULL DEFAULT 0 CHECK (global_discount_bp BETWEEN 0 AND 10000),
    notes                 TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    total_excl_tax_cents  BIGINT NOT NULL DEFAULT 0,
    total_vat_cents       BIGINT NOT NULL DEFAULT 0,
    total_incl_tax_cents  BIGINT NOT NULL DEFAULT 0,
    -- Who sells and who buys, frozen at issue so the document renders from stored data alone.
    seller_snapshot       JSONB,
    client_snapshot       JSONB,
    source_quote_id       BIGINT,
    corrected_invoice_id  BIGINT,
    created_by            BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    issued_at             TIMESTAMPTZ,
    FOREIGN KEY (organisation_id, contact_id) REFERENCES contacts (organisation_id, id),
    -- Quotes and corrected invoices belong to the same organisation.
    FOREIGN KEY (organisation_id, source_quote_id) REFERENCES documents (organisation_id, id),
    FOREIGN KEY (organisation_id, corrected_invoice_id) REFERENCES documents (organisation_id, id),
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, kind, number),
    CHECK (status IN ('draft', 'sent', 'accepted', 'refused', 'expired', 'issued',
                      'partially_paid', 'paid', 'cancelled')),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK (kind = 'credit_note' OR corrected_invoice_id IS NULL),
    CHECK (kind <> 'credit_note' OR corrected_invoice_id IS NOT NULL)
);

CREATE INDEX documents_list ON documents (organisation_id, kind, created_at DESC, id DESC);
CREATE INDEX documents_contact ON documents (contact_id);
CREATE INDEX documents_corrected ON documents (corrected_invoice_id) WHERE corrected_invoice_id IS NOT NULL;

CREATE TABLE document_lines (
    document_id        BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL CHECK (position >= 0),
    article_id         BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    description        TEXT NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
    quantity_milli     BIGINT NOT NULL CHECK (quantity_milli > 0),
    unit               TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    unit_price_cents   BIGINT NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate_bp        INTEGER NOT NULL CHECK (vat_rate_bp IN (0, 210, 550, 850, 1000, 1300, 2000)),
    discount_bp        INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    total_excl_tax_cents BIGINT NOT NULL,
    PRIMARY KEY (document_id, position)
);

CREATE TABLE payments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    invoice_id       BIGINT NOT NULL REFERENCES documents (id),
    paid_on          DATE NOT NULL,
    amount_cents     BIGINT NOT NULL CHECK (amount_cents > 0),
    method           TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'cheque', 'cash', 'other')),
    reference        TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX payments_invoice ON payments (invoice_id);
CREATE INDEX payments_organisation ON payments (organisation_id, paid_on DESC);

-- Immutability of issued invoices and credit notes: once a number is given, only the status may
-- move along (issued → partially paid → paid / cancelled), nothing else.
CREATE FUNCTION documents_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.number IS NOT NULL THEN
            RAISE EXCEPTION 'document % (%) is issued and cannot be deleted', OLD.number, OLD.kind
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
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

CREATE TRIGGER documents_issued_immutable
    BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_issued_immutable();

CREATE FUNCTION document_lines_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.document_id ELSE NEW.document_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM documents d WHERE d.id = target AND d.number IS NOT NULL
                                         AND d.kind IN ('invoice', 'credit_note'))
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM documents d WHERE d.id = OLD.document_id
                                         AND d.number IS NOT NULL AND d.kind IN ('invoice', 'credit_note'))) THEN
        RAISE EXCEPTION 'the lines of an issued document cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER document_lines_issued_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON document_lines
    FOR EACH ROW EXECUTE FUNCTION document_lines_issued_immutable();

-- Payments and credit notes never exceed what is due: checked in the same transaction as the
-- insert, under a lock on the invoice row (see app/src/invoicing/db.rs), and here as a backstop.
CREATE FUNCTION payments_not_on_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = NEW.invoice_id AND d.kind = 'invoice'
                   AND d.number IS NOT NULL AND d.organisation_id = NEW.organisation_id) THEN
        RAISE EXCEPTION 'payments apply to issued invoices of the same organisation'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER payments_not_on_drafts
    BEFORE INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_not_on_drafts();

-- Payments are records of money received: corrected by new entries, never edited or deleted.
CREATE FUNCTION payments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payments cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER payments_append_only
    BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_append_only();
