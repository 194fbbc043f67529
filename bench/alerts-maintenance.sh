#!/usr/bin/env bash
# What alerts and maintenance cost per request, under wrk (2 threads, 16 connections, 20 s each,
# sharing the 2 cores with the server): the signed-in home page with no alert, then with three
# pending alerts (the modal is rendered by the server), then the 503 maintenance page during a
# window (the gate answers before any page work). Alerts and the window are created with the
# command line against the running server's embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/comptoir
[ -x "$BIN" ] || scripts/build.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

DATA=$(mktemp -d /tmp/comptoir-bench.XXXXXX)
chmod 755 "$DATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
export COMPTOIR_DATA_DIR="$DATA"
RUST_LOG=warn COMPTOIR_ADDR="127.0.0.1:$PORT" "$BIN" serve --demo >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

COOKIE=$(curl -s -o /dev/null -D - -H "Origin: $URL" \
  --data 'email=lecteur%40bash.test&password=comptoir-demo&next=' "$URL/login" \
  | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip')

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
