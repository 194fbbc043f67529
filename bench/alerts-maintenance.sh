#!/usr/bin/env bash
# What alerts and maintenance cost per request, under wrk (2 threads, 16 connections, 20 s each,
# sharing the 2 cores with the server): the signed-in home page with no alert, then with three
# pending alerts (the modal is rendered by the server), then the 503 maintenance page during a
# window (the gate answers before any page work). Alerts and the window are created with the
# command line against the running server's embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

COOKIE=$(viewer_cookie)

echo "== GET / (signed in, no alert)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/"

for n in 1 2 3; do
  "$BIN" alert broadcast --title "Annonce $n" --message "Nouveautés de la version $n." >/dev/null
done
curl -s -H "Cookie: $COOKIE" "$URL/" | grep -q 'role="alertdialog"' || { echo "no modal rendered" >&2; exit 1; }
echo "== GET / (signed in, 3 pending alerts: modal rendered)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/"

"$BIN" maintenance on --minutes 30 >/dev/null
sleep 6 # the instance's cache of windows lives 5 s
status=$(curl -s -o /dev/null -w '%{http_code}' "$URL/")
[ "$status" = 503 ] || { echo "expected 503 during maintenance, got $status" >&2; exit 1; }
echo "== GET / during maintenance (anonymous: 503 page)"
wrk -t2 -c16 -d20s --latency "$URL/"
"$BIN" maintenance off >/dev/null
