#!/usr/bin/env bash
# Footfall counters at scale, against the release binary and its embedded PostgreSQL (demo data):
#  1. generation in SQL: "Bench Retail" (bench-retail) with 2,000 shops in France, Belgium and
#     Spain (a few not operational), 10 store groups (each shop in 1 or 2), and 3 years (1,096
#     days ending yesterday, Paris) of daily counts with weekly and yearly seasonality, closed
#     Sundays and holidays at zero, counter faults at zero and missing days (no row); plus 50
#     client organisations (bench-org-01…50) of 20 shops each over the same 3 years, about
#     3.2 million counts in all. Then `comptoir counts rebuild-rollups` and VACUUM ANALYZE;
#  2. the dashboards, signed in as a viewer of Bench Retail, with wrk, once with one connection
#     (the server time of a request) and once with 2 threads and 16 connections (throughput,
#     sharing the 2 cores with the server), 20 s each: the SSR pages (organisation
#     overview over 30 and 90 days, one store group, one shop's last 365 days, the alerts) and
#     the server functions behind them. A target that does not answer 200 is skipped;
#  3. ingestion of the same 200,000 rows (2,000 shops × 100 days, all new days before the
#     3-year window) three ways: the REST API (20 calls of 10,000 rows, one after the other,
#     rollups updated in each call's transaction), the CSV import of the command line (one
#     transaction), and the baseline: a raw psql \copy of the same rows (shop ids resolved
#     beforehand, no checks, no rollups) into the same counts table, with its primary key and
#     foreign key, in a third window of new days (deleted afterwards). A \copy into an empty
#     scratch table shaped like counts is shown too, as the floor.
# BENCH_DURATION (default 20s) shortens the wrk runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PSQL=(psql -q -X -v ON_ERROR_STOP=1 -h "$DATA/postgres" -U comptoir comptoir)
# The command line talks to the server's running cluster instead of starting its own.
DB_URL="postgres://comptoir@localhost/comptoir?host=$DATA/postgres"
DURATION=${BENCH_DURATION:-20s}
SUMMARY=()

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
q() { "${PSQL[@]}" -tA -c "$1"; }

# The Bench Retail viewer's session cookie (same password as the demo accounts).
bench_viewer_cookie() {
  curl -s -o /dev/null -D - -H "Origin: $URL" \
    --data 'email=lecteur%40bench-retail.test&password=comptoir-demo&next=' "$URL/login" \
    | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip'
}

# ---------------------------------------------------------------------------------------------
echo "== generating Bench Retail (2,000 shops) and 50 organisations of 20 shops, 3 years of counts"
t_gen=$(now)
"${PSQL[@]}" <<'SQL'
SELECT setseed(0.2026) \g /dev/null
INSERT INTO organisations (slug, name, is_agency) VALUES ('bench-retail', 'Bench Retail', false);
INSERT INTO organisations (slug, name, is_agency)
SELECT 'bench-org-' || lpad(n::text, 2, '0'), 'Bench Client ' || lpad(n::text, 2, '0'), false
  FROM generate_series(1, 50) AS n;

-- 48 places: 30 in France, 9 in Belgium, 9 in Spain; shop i is in place (7 i) mod 48.
CREATE TEMP TABLE bench_places AS
SELECT (ord - 1)::int AS k, country, city
  FROM unnest(
         ARRAY['FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR',
               'FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR','FR',
               'BE','BE','BE','BE','BE','BE','BE','BE','BE',
               'ES','ES','ES','ES','ES','ES','ES','ES','ES'],
         ARRAY['Paris','Lyon','Marseille','Toulouse','Nice','Nantes','Strasbourg','Montpellier',
               'Bordeaux','Lille','Rennes','Reims','Le Havre','Saint-Étienne','Toulon','Grenoble',
               'Dijon','Angers','Nîmes','Clermont-Ferrand','Tours','Limoges','Amiens','Metz',
               'Perpignan','Besançon','Orléans','Rouen','Caen','Nancy',
               'Bruxelles','Anvers','Gand','Charleroi','Liège','Bruges','Namur','Louvain','Mons',
               'Madrid','Barcelona','Valencia','Sevilla','Zaragoza','Málaga','Bilbao','Alicante',
               'Palma'])
       WITH ORDINALITY AS p(country, city, ord);

INSERT INTO sites (organisation_id, shop_code, name, ip, country, city, opens_at, closes_at,
                   time_zone, operational, not_operational_reason)
SELECT o.id, 'BR-' || lpad(i::text, 4, '0'), p.city || ' ' || lpad(i::text, 4, '0'),
       ('10.' || (i / 256) || '.' || (i % 256) || '.20')::inet, p.country, p.city,
       '09:00', '20:00', 'Europe/Paris', i % 250 <> 0,
       CASE WHEN i % 250 = 0 THEN (ARRAY['Travaux de rénovation', 'Compteur en panne, remplacement prévu',
                                         'Fermeture temporaire'])[1 + (i / 250) % 3] END
  FROM organisations o, generate_series(1, 2000) AS i
  JOIN bench_places p ON p.k = (i * 7) % 48
 WHERE o.slug = 'bench-retail'
 ORDER BY i;

INSERT INTO sites (organisation_id, shop_code, name, country, city, opens_at, closes_at, time_zone)
SELECT o.id, 'S-' || lpad(i::text, 3, '0'), p.city || ' ' || i, p.country, p.city,
       '10:00', '19:30', 'Europe/Paris'
  FROM organisations o, generate_series(1, 20) AS i
  JOIN bench_places p ON p.k = (i * 5) % 48
 WHERE o.slug LIKE 'bench-org-%'
 ORDER BY o.id, i;

-- Groups 1–4: French regions, 5: Belgium, 6: Spain (every shop is in one); 7–10: formats
-- (every other shop is in one more).
INSERT INTO store_groups (organisation_id, name)
SELECT o.id, g.name
  FROM organisations o,
       unnest(ARRAY['Île-de-France et Nord', 'Grand Est', 'Ouest', 'Sud', 'Belgique', 'Espagne',
                    'Centres commerciaux', 'Centre-ville', 'Outlets', 'Magasins pilotes'])
         WITH ORDINALITY AS g(name, ord)
 WHERE o.slug = 'bench-retail'
 ORDER BY g.ord;
WITH s AS (SELECT s.id, s.organisation_id, substr(s.shop_code, 4)::int AS i
             FROM sites s JOIN organisations o ON o.id = s.organisation_id
            WHERE o.slug = 'bench-retail'),
     g AS (SELECT g.id, row_number() OVER (ORDER BY g.id) AS r
             FROM store_groups g JOIN organisations o ON o.id = g.organisation_id
            WHERE o.slug = 'bench-retail')
INSERT INTO store_group_members (organisation_id, group_id, site_id)
SELECT s.organisation_id, g.id, s.id
  FROM s JOIN g ON g.r = CASE WHEN (s.i * 7) % 48 < 30 THEN 1 + ((s.i * 7) % 48) % 4
                              WHEN (s.i * 7) % 48 < 39 THEN 5 ELSE 6 END
UNION ALL
SELECT s.organisation_id, g.id, s.id
  FROM s JOIN g ON g.r = 7 + (s.i / 2) % 4
 WHERE s.i % 2 = 0;

-- Per shop: its size, whether it closes on Sundays, whether its counter measures exits, an
-- outage of one to three weeks for 5 % of them, and no data for 45 days if not operational.
CREATE TEMP TABLE bench_shops AS
SELECT s.id, 150 + random() * 1850 AS base, random() < 0.35 AS closed_sunday,
       s.id % 5 <> 0 AS with_exits,
       CASE WHEN random() < 0.05 THEN (random() * 1050)::int END AS outage_start,
       (7 + random() * 14)::int AS outage_days,
       CASE WHEN s.operational THEN 0 ELSE 45 END AS silent_days
  FROM sites s JOIN organisations o ON o.id = s.organisation_id
 WHERE o.slug = 'bench-retail' OR o.slug LIKE 'bench-org-%'
 ORDER BY s.id;

-- Days 0…1095 end yesterday (Paris), with their factor: weekday (Monday…Sunday), a winter
-- peak, Christmas shopping, the January and July sales, a quiet August, 3 % growth a year.
CREATE TEMP TABLE bench_days AS
SELECT n, day,
       (ARRAY[0.80, 0.85, 1.00, 0.92, 1.12, 1.45, 0.60])[extract(isodow FROM day)::int]
       * (1 + 0.12 * cos(2 * pi() * (extract(doy FROM day) - 355) / 365.25)
            + CASE WHEN extract(month FROM day) = 12 AND extract(day FROM day) <= 24 THEN 0.30
                   WHEN extract(month FROM day) = 1 AND extract(day FROM day) >= 8 THEN 0.15
                   WHEN extract(month FROM day) = 7 AND extract(day FROM day) <= 20 THEN 0.15
                   WHEN extract(month FROM day) = 8 THEN -0.12
                   ELSE 0 END)
       * (1 + 0.03 * n / 365.0) AS factor,
       to_char(day, 'MM-DD') IN ('01-01', '05-01', '12-25') AS holiday,
       extract(isodow FROM day) = 7 AS sunday,
       (day + 1 + time '01:30') AT TIME ZONE 'Europe/Paris' AS received
  FROM (SELECT n, (now() AT TIME ZONE 'Europe/Paris')::date - 1 - 1095 + n AS day
          FROM generate_series(0, 1095) AS n) d
 ORDER BY n;

-- ±15 % noise; 0 on holidays, closed Sundays and 0.3 % of days (counter fault); 1 % of days
-- missing; received the next night. The lateral join keeps the rows in key order (shop, day).
-- The shop ids come from the sites table: the foreign key check (a trigger per row, 40 % of
-- the time) is skipped for this load only.
SET session_replication_role = replica;
INSERT INTO counts (site_id, day, entries, exits, received_at)
SELECT v.id, v.day, v.entries,
       CASE WHEN v.with_exits THEN (v.entries * (0.95 + random() * 0.04))::int END,
       v.received + random() * interval '2 hours'
  FROM (SELECT sh.id, sh.with_exits, d.day, d.received, random() AS draw,
               CASE WHEN d.holiday OR (d.sunday AND sh.closed_sunday) OR random() < 0.003 THEN 0
                    ELSE round(sh.base * d.factor * (0.85 + 0.30 * random()))::int END AS entries
          FROM bench_shops sh
          CROSS JOIN LATERAL (
                SELECT * FROM bench_days d
                 WHERE d.n <= 1095 - sh.silent_days
                   AND (sh.outage_start IS NULL
                        OR d.n NOT BETWEEN sh.outage_start AND sh.outage_start + sh.outage_days)) d) v
 WHERE v.draw >= 0.01;
RESET session_replication_role;
SQL
sql_seconds=$(since "$t_gen")
echo "generated in SQL: ${sql_seconds} s"

t_roll=$(now)
DATABASE_URL="$DB_URL" RUST_LOG=error "$BIN" counts rebuild-rollups
roll_seconds=$(since "$t_roll")
t_vac=$(now)
"${PSQL[@]}" -c "VACUUM ANALYZE"
vac_seconds=$(since "$t_vac")
gen_seconds=$(since "$t_gen")
echo "rollups rebuilt in ${roll_seconds} s, VACUUM ANALYZE in ${vac_seconds} s: ${gen_seconds} s in all"

BENCH_ORG=$(q "SELECT id FROM organisations WHERE slug = 'bench-retail'")
"${PSQL[@]}" -tA -F '|' <<SQL | awk -F '|' '{ printf "  %-40s %12s\n", $1, $2 }'
SELECT 'organisations bench-*', count(*)::text FROM organisations WHERE slug LIKE 'bench-%'
UNION ALL SELECT 'sites bench-retail', count(*)::text FROM sites WHERE organisation_id = $BENCH_ORG
UNION ALL SELECT 'sites bench-retail, not operational', count(*)::text FROM sites WHERE organisation_id = $BENCH_ORG AND NOT operational
UNION ALL SELECT 'sites bench-org-*', count(*)::text FROM sites s JOIN organisations o ON o.id = s.organisation_id WHERE o.slug LIKE 'bench-org-%'
UNION ALL SELECT 'store_groups bench-retail', count(*)::text FROM store_groups WHERE organisation_id = $BENCH_ORG
UNION ALL SELECT 'store_group_members bench-retail', count(*)::text FROM store_group_members WHERE organisation_id = $BENCH_ORG
UNION ALL SELECT 'counts bench-retail', count(*)::text FROM counts c JOIN sites s ON s.id = c.site_id WHERE s.organisation_id = $BENCH_ORG
UNION ALL SELECT 'counts bench-retail, entries = 0', count(*)::text FROM counts c JOIN sites s ON s.id = c.site_id WHERE s.organisation_id = $BENCH_ORG AND c.entries = 0
UNION ALL SELECT 'counts bench-org-*', count(*)::text FROM counts c JOIN sites s ON s.id = c.site_id JOIN organisations o ON o.id = s.organisation_id WHERE o.slug LIKE 'bench-org-%'
UNION ALL SELECT 'counts (all)', count(*)::text FROM counts
UNION ALL SELECT 'org_daily', count(*)::text FROM org_daily
UNION ALL SELECT 'group_daily', count(*)::text FROM group_daily
UNION ALL SELECT 'site_monthly', count(*)::text FROM site_monthly
UNION ALL SELECT 'site_last_data', count(*)::text FROM site_last_data
UNION ALL SELECT 'counts size (table and index)', pg_size_pretty(pg_total_relation_size('counts'));
SQL
TOTAL_COUNTS=$(q "SELECT count(*) FROM counts")
SUMMARY+=("generation: $TOTAL_COUNTS counts in all, SQL ${sql_seconds} s + rollups ${roll_seconds} s + VACUUM ANALYZE ${vac_seconds} s = ${gen_seconds} s")

# The Bench Retail viewer, with the demo viewer's password hash.
"${PSQL[@]}" <<'SQL'
INSERT INTO accounts (organisation_id, email, display_name, role, password_hash)
SELECT o.id, 'lecteur@bench-retail.test', 'Lecteur Bench Retail', 'viewer', a.password_hash
  FROM organisations o, accounts a
 WHERE o.slug = 'bench-retail' AND a.email = 'lecteur@bash.test';
SQL
COOKIE=$(bench_viewer_cookie)
[ -n "$COOKIE" ] || { echo "the Bench Retail viewer could not sign in" >&2; exit 1; }
# BENCH_HOLD=SECONDS keeps the generated data and the server up for manual profiling.
if [ -n "${BENCH_HOLD:-}" ]; then
  echo "holding for ${BENCH_HOLD} s: URL=$URL DATA=$DATA COOKIE=$COOKIE"
  sleep "$BENCH_HOLD"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
YESTERDAY=$(q "SELECT (now() AT TIME ZONE 'Europe/Paris')::date - 1")
YEAR_AGO=$(q "SELECT (now() AT TIME ZONE 'Europe/Paris')::date - 1 - 364")
GROUP_ID=$(q "SELECT min(id) FROM store_groups WHERE organisation_id = $BENCH_ORG")
SITE_ID=$(q "SELECT id FROM sites WHERE organisation_id = $BENCH_ORG AND shop_code = 'BR-0001'")

# name, wrk output file → "name  p50  p99  req/s" (latencies in ms).
wrk_line() {
  awk -v name="$1" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /[0-9]m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { bad = bad " non-2xx " $NF }
    /Socket errors:/ { bad = bad " socket errors (" substr($0, index($0, ":") + 2) ")" }
    END { printf "%-52s p50 %8.2f ms   p99 %8.2f ms   %8.1f req/s%s", name, p50, p99, rps, bad }
  ' "$2"
}

# The same run for a GET page or a POST server function, after a check that it answers 200.
bench_target() {
  local name=$1 method=$2 path=$3 body=${4:-} status out="$DATA/wrk.out" probe="$DATA/probe.out"
  if [ "$method" = GET ]; then
    status=$(curl -s -o "$probe" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL$path")
  else
    status=$(curl -s -o "$probe" -w '%{http_code}' -H "Cookie: $COOKIE" -H "Origin: $URL" \
      -H 'Accept: application/json' -H 'Content-Type: application/x-www-form-urlencoded' \
      --data "$body" "$URL$path")
  fi
  if [ "$status" != 200 ]; then
    local why
    if [ "$status" = 404 ] || grep -q 'Could not find a server function' "$probe"; then
      why="not in this binary yet ($status)"
      echo "-- skipped $name: $why"
    else
      why="answers $status"
      echo "-- skipped $name: $why: $(head -c 200 "$probe" | tr '\n' ' ')"
    fi
    SUMMARY+=("$(printf '%-52s skipped, %s' "$name" "$why")")
    return 0
  fi
  echo "== $name"
  local lua="$DATA/post.lua"
  cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$URL"
wrk.headers["Cookie"] = "$COOKIE"
LUA
  # One connection: the server time of a request with nothing queued before it. Then 16
  # connections on the 2 cores: throughput, with latencies that include the queue.
  local mode threads conns line
  for mode in "1 1" "2 16"; do
    read -r threads conns <<<"$mode"
    if [ "$method" = GET ]; then
      wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$URL$path" >"$out"
    else
      wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -s "$lua" "$URL$path" >"$out"
    fi
    line=$(wrk_line "$name [c=$conns]" "$out")
    echo "$line"
    SUMMARY+=("$line")
  done
}

echo
echo "== dashboards, signed in as lecteur@bench-retail.test (wrk -t1 -c1, then -t2 -c16, -d$DURATION each)"
bench_target "GET /compteurs (30 days)" GET "/compteurs"
bench_target "GET /compteurs?jours=90" GET "/compteurs?jours=90"
bench_target "GET /compteurs?groupe=$GROUP_ID" GET "/compteurs?groupe=$GROUP_ID"
bench_target "GET /compteurs/magasins/BR-0001 (365 days)" GET \
  "/compteurs/magasins/$SITE_ID?du=$YEAR_AGO&au=$YESTERDAY"
bench_target "GET /compteurs/alertes" GET "/compteurs/alertes"
bench_target "POST /api/counters_dashboard (30 days)" POST "/api/counters_dashboard" 'filter[days]=30'
bench_target "POST /api/dashboard_sites (search BR-01)" POST "/api/dashboard_sites" 'filter[search]=BR-01'
bench_target "POST /api/shop_history (BR-0001, 365 days)" POST "/api/shop_history" \
  "site_id=$SITE_ID&from=$YEAR_AGO&to=$YESTERDAY"

# ---------------------------------------------------------------------------------------------
# The same 200,000 rows (2,000 shops × 100 days) three ways, each into days with no data yet.
FIRST=$(q "SELECT (now() AT TIME ZONE 'Europe/Paris')::date - 1 - 1095")
API_FROM=$(q "SELECT DATE '$FIRST' - 100")
CSV_FROM=$(q "SELECT DATE '$FIRST' - 200")
COPY_FROM=$(q "SELECT DATE '$FIRST' - 300")
ING="$DATA/ingest"
mkdir -p "$ING"
q "SELECT shop_code || ' ' || id FROM sites WHERE organisation_id = $BENCH_ORG ORDER BY shop_code" >"$ING/sites.txt"
TOKEN="cpt_$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
"${PSQL[@]}" -v token="$TOKEN" <<'SQL'
INSERT INTO api_tokens (organisation_id, name, token_hash, display_prefix)
SELECT id, 'Banc d''essai', sha256(convert_to(:'token', 'UTF8')), left(:'token', 12)
  FROM organisations WHERE slug = 'bench-retail';
SQL

echo
echo "== ingestion: 200,000 rows (2,000 shops × 100 days) by the API ($API_FROM + 99 days), the CSV import ($CSV_FROM + 99 days) and \\copy ($COPY_FROM + 99 days)"
ING="$ING" API_FROM="$API_FROM" CSV_FROM="$CSV_FROM" COPY_FROM="$COPY_FROM" python3 - <<'PY'
import datetime, json, os, random
ing = os.environ["ING"]
api_from = datetime.date.fromisoformat(os.environ["API_FROM"])
csv_from = datetime.date.fromisoformat(os.environ["CSV_FROM"])
copy_from = datetime.date.fromisoformat(os.environ["COPY_FROM"])
sites = [line.split() for line in open(f"{ing}/sites.txt") if line.strip()]
rng = random.Random(2026)
base = {code: rng.uniform(150, 2000) for code, _ in sites}
week = [0.80, 0.85, 1.00, 0.92, 1.12, 1.45, 0.60]
rows = []  # (day offset, shop code, site id, entries, exits or None), by day then shop
for n in range(100):
    weekday = (api_from + datetime.timedelta(days=n)).weekday()
    for code, site_id in sites:
        entries = int(base[code] * week[weekday] * rng.uniform(0.85, 1.15))
        exits = None if int(site_id) % 5 == 0 else int(entries * rng.uniform(0.95, 0.99))
        rows.append((n, code, site_id, entries, exits))
for b in range(20):
    batch = []
    for n, code, _, entries, exits in rows[b * 10000:(b + 1) * 10000]:
        row = {"shop_code": code, "date": (api_from + datetime.timedelta(days=n)).isoformat(), "entries": entries}
        if exits is not None:
            row["exits"] = exits
        batch.append(row)
    with open(f"{ing}/batch-{b:02}.json", "w") as f:
        json.dump(batch, f)
with open(f"{ing}/counts.csv", "w") as csv, open(f"{ing}/copy.csv", "w") as copy:
    csv.write("shop_code,date,entries,exits\n")
    for n, code, site_id, entries, exits in rows:
        day = (csv_from + datetime.timedelta(days=n)).isoformat()
        x = "" if exits is None else str(exits)
        csv.write(f"{code},{day},{entries},{x}\n")
        copy_day = (copy_from + datetime.timedelta(days=n)).isoformat()
        copy.write(f"{site_id},{copy_day},{entries},{x}\n")
print(f"prepared {len(rows)} rows: 20 JSON bodies of {os.path.getsize(f'{ing}/batch-00.json') // 1024} KiB, "
      f"CSV of {os.path.getsize(f'{ing}/counts.csv') // 1024} KiB")
PY

# (a) REST API: 20 calls of 10,000 rows, one after the other (one pusher).
URL="$URL" TOKEN="$TOKEN" ING="$ING" python3 - <<'PY'
import json, os, time, urllib.request
url, token, ing = os.environ["URL"], os.environ["TOKEN"], os.environ["ING"]
bodies = [open(f"{ing}/batch-{b:02}.json", "rb").read() for b in range(20)]
lat, problems = [], []
start = time.perf_counter()
for i, body in enumerate(bodies):
    req = urllib.request.Request(url + "/api/v1/counts", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            report = json.loads(resp.read())
    except urllib.error.HTTPError as e:
        report = {"error": e.code, "body": e.read()[:200].decode(errors="replace")}
    lat.append((time.perf_counter() - t) * 1000)
    if report.get("accepted") != 10000 or report.get("rejected_total") != 0:
        problems.append(f"call {i}: {str(report)[:200]}")
wall = time.perf_counter() - start
lat.sort()
print(f"API: 20 calls of 10,000 rows in {wall:.2f} s: {200000 / wall:.0f} rows/s "
      f"(per call: median {lat[10]:.0f} ms, max {lat[-1]:.0f} ms)")
if problems:
    print("API PROBLEMS:", *problems[:5], sep="\n  ")
    raise SystemExit(1)
print("API: every call answered accepted = 10000, rejected_total = 0")
with open(f"{ing}/api.seconds", "w") as f:
    f.write(f"{wall:.3f}")
PY
API_S=$(cat "$ING/api.seconds")

# (b) CSV import by the command line (process start and migration check included).
t=$(now)
if ! out=$(DATABASE_URL="$DB_URL" RUST_LOG=error "$BIN" counts import "$ING/counts.csv" --organisation bench-retail 2>&1); then
  echo "$out" | tail -n 20 >&2
  echo "CSV import failed" >&2
  exit 1
fi
CSV_S=$(since "$t")
echo "CSV: $(echo "$out" | tail -n 1)"
echo "CSV: 200,000 rows in ${CSV_S} s (wall clock of the command)"

# (c) the baseline: raw \copy of the same rows into counts itself (same indexes and foreign key,
# same table size), new days; the rows go again afterwards (no rollup was touched).
"${PSQL[@]}" -c "CHECKPOINT"
t=$(now)
"${PSQL[@]}" -c "\\copy counts (site_id, day, entries, exits) FROM '$ING/copy.csv' WITH (FORMAT csv)"
COPY_S=$(since "$t")
echo "COPY into counts: 200,000 rows in ${COPY_S} s"
COPY_IN_COUNTS=$(q "SELECT count(*) FROM counts WHERE day BETWEEN DATE '$COPY_FROM' AND DATE '$COPY_FROM' + 99")
q "DELETE FROM counts WHERE day BETWEEN DATE '$COPY_FROM' AND DATE '$COPY_FROM' + 99" >/dev/null
[ "$COPY_IN_COUNTS" = 200000 ] || { echo "COPY baseline stored $COPY_IN_COUNTS rows" >&2; exit 1; }
# The floor: an empty scratch table shaped like counts (primary key, no foreign key).
"${PSQL[@]}" -c "CREATE TABLE bench_copy (LIKE counts INCLUDING ALL)"
t=$(now)
"${PSQL[@]}" -c "\\copy bench_copy (site_id, day, entries, exits) FROM '$ING/copy.csv' WITH (FORMAT csv)"
SCRATCH_S=$(since "$t")
echo "COPY into an empty scratch table: 200,000 rows in ${SCRATCH_S} s"

read -r API_ROWS CSV_ROWS COPY_ROWS ROLLUPS_OK <<<"$("${PSQL[@]}" -tA -F ' ' <<SQL
SELECT count(*) FILTER (WHERE c.day BETWEEN DATE '$API_FROM' AND DATE '$API_FROM' + 99),
       count(*) FILTER (WHERE c.day BETWEEN DATE '$CSV_FROM' AND DATE '$CSV_FROM' + 99),
       (SELECT count(*) FROM bench_copy),
       coalesce(sum(c.entries), 0) = (SELECT coalesce(sum(entries), 0) FROM org_daily
                                       WHERE organisation_id = $BENCH_ORG AND day < DATE '$FIRST')
  FROM counts c JOIN sites s ON s.id = c.site_id
 WHERE s.organisation_id = $BENCH_ORG AND c.day < DATE '$FIRST';
SQL
)"
echo "stored: API window $API_ROWS rows, CSV window $CSV_ROWS rows, scratch table $COPY_ROWS rows; org_daily agrees with counts: $ROLLUPS_OK"
[ "$API_ROWS" = 200000 ] && [ "$CSV_ROWS" = 200000 ] && [ "$COPY_ROWS" = 200000 ] && [ "$ROLLUPS_OK" = t ] \
  || { echo "ingestion check failed" >&2; exit 1; }

ingest_lines=$(awk -v a="$API_S" -v c="$CSV_S" -v p="$COPY_S" -v e="$SCRATCH_S" 'BEGIN {
  ra = 200000 / a; rc = 200000 / c; rp = 200000 / p; re = 200000 / e
  printf "ingestion API  (20 × 10,000 rows, JSON): %7.2f s  %9.0f rows/s  %5.1f %% of raw COPY\n", a, ra, 100 * ra / rp
  printf "ingestion CSV  (comptoir counts import): %7.2f s  %9.0f rows/s  %5.1f %% of raw COPY\n", c, rc, 100 * rc / rp
  printf "ingestion raw COPY into counts (baseline): %5.2f s  %9.0f rows/s  100.0 %%\n", p, rp
  printf "ingestion COPY into an empty scratch table: %4.2f s  %9.0f rows/s  (API %.1f %%, CSV %.1f %% of it)", e, re, 100 * ra / re, 100 * rc / re
}')
while IFS= read -r line; do SUMMARY+=("$line"); done <<<"$ingest_lines"

echo
echo "================================ summary ================================"
printf '%s\n' "${SUMMARY[@]}"
echo "========================================================================="
