#!/usr/bin/env bash
# Before/after of the server time of signed-in pages: two release binaries run at once, each with
# its embedded PostgreSQL, the demo data and 10,000 issued invoices, and are measured in turn
# with wrk (2 threads, 16 connections, 8 s a page), so that the machine's drift hits both alike.
# Usage: bench/pages-ab.sh BEFORE_BINARY AFTER_BINARY [ROUNDS]
# PAGES lists who:path pairs (who is viewer or accountant); by default the invoices list, the
# home page, the footfall dashboard and the first shop's page. WRK_ARGS changes the load
# (for instance "-t1 -c1 -d4s" for one connection's latency).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY [ROUNDS]" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
ROUNDS=${3:-3}
WRK_ARGS=${WRK_ARGS:-"-t2 -c16 -d8s"}
PAGES=${PAGES:-"accountant:/facturation/factures viewer:/ viewer:/compteurs viewer:SHOP"}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NAMES=(before after); BINS=("$1" "$2"); DIRS=(); PORTS=(); PIDS=()
declare -A COOKIE
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait; rm -rf "${DIRS[@]}"; }
trap cleanup EXIT
for i in 0 1; do
  DIRS[$i]=$(mktemp -d /tmp/comptoir-ab.XXXXXX); chmod 755 "${DIRS[$i]}"
  PORTS[$i]=$(free_port)
  COMPTOIR_DATA_DIR="${DIRS[$i]}" RUST_LOG=warn COMPTOIR_ADDR="127.0.0.1:${PORTS[$i]}" \
    "${BINS[$i]}" serve --demo >"${DIRS[$i]}/server.log" 2>&1 &
  PIDS[$i]=$!
done
for i in 0 1; do
  url="http://127.0.0.1:${PORTS[$i]}"
  for _ in $(seq 1 120); do curl -fs "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  psql -q -X -v ON_ERROR_STOP=1 -h "${DIRS[$i]}/postgres" -U comptoir comptoir < bench/invoicing-data.sql
  for who in viewer:lecteur%40bash.test accountant:compta%40bash.test; do
    COOKIE[$i.${who%%:*}]=$(curl -s -o /dev/null -D - -H "Origin: $url" \
      --data "email=${who#*:}&password=comptoir-demo&next=" "$url/login" \
      | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip')
  done
done
SHOP=$(curl -s -H "Cookie: ${COOKIE[0.viewer]}" "http://127.0.0.1:${PORTS[0]}/compteurs" \
  | grep -o '/compteurs/magasins/[0-9]*' | head -n 1)
for round in $(seq 1 "$ROUNDS"); do
  for page in $PAGES; do
    who=${page%%:*}; path=${page#*:}; [ "$path" = SHOP ] && path=$SHOP
    for i in 0 1; do
      out=$(wrk $WRK_ARGS --latency -H "Cookie: ${COOKIE[$i.$who]}" "http://127.0.0.1:${PORTS[$i]}$path")
      p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
      p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
      rps=$(echo "$out" | awk '$1 == "Requests/sec:" { print $2 }')
      echo "round $round $path ${NAMES[$i]}: p50 $p50, p99 $p99, $rps req/s"
    done
  done
done
