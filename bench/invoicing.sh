#!/usr/bin/env bash
# Invoicing under load, against the release binary and its embedded PostgreSQL (demo data):
#  1. 10,000 issued invoices are generated for Boutiques Bash, then the SSR invoices list
#     (first page, default sort, and sorted by amount) is measured with wrk (2 threads,
#     16 connections, 20 s), signed in as the accountant;
#  2. 1,600 drafts are issued by 16 concurrent clients through the server function (each issue
#     locks the invoice and the series counter, checks the mentions, numbers and freezes it):
#     latency p50/p99 and throughput, then a check that the numbers are continuous and that
#     every issued invoice was sealed;
#  3. downloading an issued invoice as PDF and as Factur-X (rendered each time and checked
#     against its seal), with wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PSQL=(psql -q -X -v ON_ERROR_STOP=1 -h "$DATA/postgres" -U comptoir comptoir)

"${PSQL[@]}" < bench/invoicing-data.sql
echo "generated: $("${PSQL[@]}" -tA -c "SELECT count(*) FROM documents WHERE kind = 'invoice'") invoices"

COOKIE=$(curl -s -o /dev/null -D - -H "Origin: $URL" \
  --data 'email=compta%40bash.test&password=comptoir-demo&next=' "$URL/login" \
  | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip')
curl -s -H "Cookie: $COOKIE" "$URL/facturation/factures" | grep -q 'F-2025-' || { echo "list did not render" >&2; exit 1; }

echo "== GET /facturation/factures (10,000 invoices, first page)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/facturation/factures"
echo "== GET /facturation/factures?tri=total&ordre=desc&statut=issued"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/facturation/factures?tri=total&ordre=desc&statut=issued"

"${PSQL[@]}" <<'SQL'
WITH org AS (SELECT id FROM organisations WHERE slug = 'bash'),
     client AS (SELECT c.id FROM contacts c, org WHERE c.organisation_id = org.id ORDER BY c.id LIMIT 1),
     docs AS (
       INSERT INTO documents (organisation_id, kind, contact_id, total_excl_tax_cents, total_vat_cents,
                              total_incl_tax_cents, notes)
       SELECT org.id, 'invoice', client.id, 10000, 2000, 12000, 'to-issue'
         FROM org, client, generate_series(1, 1600)
       RETURNING id)
INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price_cents,
                            vat_rate_bp, total_excl_tax_cents)
SELECT id, 0, 'Prestation', 1000, 10000, 2000, 10000 FROM docs;
SQL
IDS=$("${PSQL[@]}" -tA -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM documents WHERE notes = 'to-issue'")

echo "== issuing 1,600 invoices, 16 concurrent clients"
URL="$URL" COOKIE="$COOKIE" IDS="$IDS" python3 - <<'PY'
import os, time, threading, urllib.request, statistics
url, cookie = os.environ["URL"], os.environ["COOKIE"]
ids = os.environ["IDS"].split(",")
lat, errors, lock = [], [], threading.Lock()
def worker(chunk):
    for i in chunk:
        body = f"document_id={i}&action=issue&confirm=oui".encode()
        req = urllib.request.Request(url + "/api/document_action", data=body, method="POST",
            headers={"Cookie": cookie, "Origin": url, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        t = time.perf_counter()
        try:
            urllib.request.urlopen(req).read()
        except Exception as e:
            with lock: errors.append(str(e))
        with lock: lat.append((time.perf_counter() - t) * 1000)
start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(ids[k::16],)) for k in range(16)]
[t.start() for t in threads]; [t.join() for t in threads]
wall = time.perf_counter() - start
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"issued {len(lat) - len(errors)} / {len(lat)} in {wall:.2f} s: {len(lat) / wall:.0f} issues/s, p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, max {lat[-1]:.2f} ms")
if errors: print("errors:", errors[:3])
PY
"${PSQL[@]}" -tA -c "SELECT CASE WHEN count(*) = 1600 AND count(DISTINCT number) = 1600
    AND max(substr(number, 8)::int) - min(substr(number, 8)::int) = 1599 THEN 'numbers: 1600 continuous, no duplicate'
    ELSE 'numbers: GAP OR DUPLICATE' END FROM documents WHERE notes = 'to-issue'"
"${PSQL[@]}" -tA -c "SELECT CASE WHEN count(*) = count(pdf_sha256) AND count(*) = count(facturx_sha256)
    THEN 'seals: all 1600 issued invoices sealed (PDF and Factur-X)' ELSE 'seals: MISSING' END
    FROM documents WHERE notes = 'to-issue'"

DOC=$("${PSQL[@]}" -tA -c "SELECT id FROM documents WHERE notes = 'to-issue' ORDER BY id LIMIT 1")
curl -s -H "Cookie: $COOKIE" "$URL/facturation/documents/$DOC/pdf" | head -c 5 | grep -q '%PDF-' || { echo "no PDF" >&2; exit 1; }
echo "== GET /facturation/documents/$DOC/pdf (one-page invoice: load, render, check against its seal)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/facturation/documents/$DOC/pdf"
echo "== GET /facturation/documents/$DOC/facturx (the same as Factur-X)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/facturation/documents/$DOC/facturx"
