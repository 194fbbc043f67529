#!/usr/bin/env bash
# Server time of the login page (anonymous) and of the home page (signed in: session lookup, user
# lookup, SSR) under wrk: 2 threads, 16 keep-alive connections, 20 s each, against the release
# binary and its embedded PostgreSQL on this machine. wrk shares the 2 cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

echo "== GET /login (anonymous)"
wrk -t2 -c16 -d20s --latency "$URL/login"

COOKIE=$(viewer_cookie)
echo "== GET / (signed in as a viewer)"
wrk -t2 -c16 -d20s --latency -H "Cookie: $COOKIE" "$URL/"
