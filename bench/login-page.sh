#!/usr/bin/env bash
# Server time of the login page (anonymous) and of the home page (signed in: session lookup, user
# lookup, SSR) under wrk: 2 threads, 16 keep-alive connections, 20 s each, against the release
# binary and its embedded PostgreSQL on this machine. wrk shares the 2 cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/comptoir
[ -x "$BIN" ] || scripts/build.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

DATA=$(mktemp -d /tmp/comptoir-bench.XXXXXX)
chmod 755 "$DATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
RUST_LOG=warn COMPTOIR_DATA_DIR="$DATA" COMPTOIR_ADDR="127.0.0.1:$PORT" "$BIN" serve --demo >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

echo "== GET /login (anonymous)"
wrk -t2 -c16 -d20s --latency "$URL/login"

COOKIE=$(curl -s -o /dev/null -D - -H "Origin: $URL" \
  --data 'email=lecteur%40bash.test&password=comptoir-demo&next=' "$URL/login" \
  | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip')
echo "== GET / (signed in as a viewer)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/"
