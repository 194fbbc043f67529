-- 10,000 issued invoices for Boutiques Bash (bench/invoicing.sh, bench/pages-ab.sh).
WITH org AS (SELECT id FROM organisations WHERE slug = 'bash'),
     client AS (SELECT c.id FROM contacts c, org WHERE c.organisation_id = org.id ORDER BY c.id LIMIT 1),
     docs AS (
       INSERT INTO documents (organisation_id, kind, contact_id, total_excl_tax_cents, total_vat_cents,
                              total_incl_tax_cents, created_at, notes)
       SELECT org.id, 'invoice', client.id, 10000 + n, 2000 + n / 5, 12000 + n + n / 5,
              now() - (n || ' minutes')::interval, 'bench'
         FROM org, client, generate_series(1, 10000) AS n
       RETURNING id, total_excl_tax_cents)
INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price_cents,
                            vat_rate_bp, total_excl_tax_cents)
SELECT id, 0, 'Prestation', 1000, total_excl_tax_cents, 2000, total_excl_tax_cents FROM docs;
UPDATE documents d SET status = 'issued',
       number = 'F-2025-' || lpad(s.rn::text, 6, '0'),
       issue_date = DATE '2025-01-01' + (s.rn % 360)::int, due_date = DATE '2025-02-01' + (s.rn % 360)::int,
       issued_at = now(), seller_snapshot = '{}'::jsonb, client_snapshot = '{}'::jsonb
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM documents WHERE notes = 'bench') s
 WHERE d.id = s.id;
INSERT INTO number_counters (organisation_id, series, year, last_value)
SELECT id, 'F', 2025, 10000 FROM organisations WHERE slug = 'bash';
-- Steady state: autovacuum would have run after such a batch (index-only counts need it).
VACUUM ANALYZE;
