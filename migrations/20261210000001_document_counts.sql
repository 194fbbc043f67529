-- How many documents of each kind an organisation has, kept by a trigger (issue 35, item 8):
-- the lists' first page showed a count of every row on each view (10 000 invoices: a
-- sequential scan, half of PostgreSQL's time per page). A filtered list still counts its rows.
CREATE TABLE document_counts (
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    kind text NOT NULL,
    n bigint NOT NULL CHECK (n >= 0),
    PRIMARY KEY (organisation_id, kind)
);

INSERT INTO document_counts (organisation_id, kind, n)
SELECT organisation_id, kind, count(*) FROM documents GROUP BY organisation_id, kind;

-- SECURITY DEFINER: the app's role reads the counts but cannot write them; only this trigger
-- does, in the transaction of the change it counts.
CREATE FUNCTION documents_counted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE document_counts SET n = n - 1
         WHERE organisation_id = OLD.organisation_id AND kind = OLD.kind;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO document_counts AS c (organisation_id, kind, n)
        VALUES (NEW.organisation_id, NEW.kind, 1)
        ON CONFLICT (organisation_id, kind) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER documents_counted
    AFTER INSERT OR DELETE OR UPDATE OF organisation_id, kind ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_counted();

REVOKE INSERT, UPDATE, DELETE ON document_counts FROM comptoir_app;
