#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (ssr and hydrate), unit and property tests,
# integration tests against a real PostgreSQL, then the release build and the browser tests in
# headless Chromium (desktop and phone viewports) against the real server and its embedded
# PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --test
source scripts/env.sh
# Incremental caches only cost disk space (tens of GB) in a one-shot run.
export CARGO_INCREMENTAL=0

LOG_DIR=$(mktemp -d /tmp/comptoir-test.XXXXXX)
chmod 755 "$LOG_DIR"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PG_BIN=$(pg_config --bindir 2>/dev/null || true)
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

SERVER_PID=""
SINK_PID=""
PG_DIR=""
cleanup() {
  if [ -n "$SINK_PID" ]; then kill "$SINK_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (ssr: app, server, tests)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p comptoir --all-targets -- -D warnings
step "clippy (hydrate: frontend, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "PostgreSQL for the integration tests"
PG_DIR=$(mktemp -d /tmp/comptoir-pg.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U comptoir -A trust -E UTF8 --locale=C >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
export DATABASE_URL="postgres://comptoir@localhost/postgres?host=$PG_DIR"

step "unit, property and integration tests"
cargo test -p app --features ssr 2>&1 | tee "$LOG_DIR/app.log"
cargo test -p comptoir 2>&1 | tee "$LOG_DIR/server.log"
unset DATABASE_URL

step "release build"
scripts/build.sh

step "browser tests (Chromium, desktop and phone)"
DATA_DIR="$LOG_DIR/data"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
# A real SMTP server for the e-mail tests: it keeps every message it receives in a Maildir.
SMTP_PORT=$(free_port)
export SMTP_SINK_DIR="$LOG_DIR/smtp-sink"
python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$SMTP_SINK_DIR" \
  >"$LOG_DIR/smtp-sink.log" 2>&1 &
SINK_PID=$!
COMPTOIR_DATA_DIR="$DATA_DIR" COMPTOIR_ADDR="127.0.0.1:$PORT" \
  COMPTOIR_SMTP_HOST=127.0.0.1 COMPTOIR_SMTP_PORT="$SMTP_PORT" COMPTOIR_SMTP_TLS=none \
  target/release/comptoir serve --demo >"$LOG_DIR/e2e-server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG_DIR/e2e-server.log"; exit 1; }
  sleep 0.5
done
step "the bundle is served pre-compressed"
for enc in br gzip; do
  ext=$([ "$enc" = br ] && echo br || echo gz)
  headers=$(curl -s -o /dev/null -D - -H "Accept-Encoding: $enc" "http://127.0.0.1:$PORT/pkg/comptoir.wasm" | tr -d '\r')
  got=$(echo "$headers" | sed -n 's/^content-encoding: //ip')
  length=$(echo "$headers" | sed -n 's/^content-length: //ip')
  want=$(stat -c %s "target/site/pkg/comptoir.wasm.$ext")
  if [ "$got" != "$enc" ] || [ "$length" != "$want" ]; then
    echo "/pkg/comptoir.wasm: content-encoding '$got', length '$length'; expected '$enc', $want bytes" >&2
    exit 1
  fi
  echo "ok: $enc, $length bytes"
done

(cd end2end && BASE_URL="http://127.0.0.1:$PORT" npx playwright test 2>&1) | tee "$LOG_DIR/e2e.log"

step "graceful stop: the embedded PostgreSQL must stop with the server"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=""
if [ -f "$DATA_DIR/postgres/postmaster.pid" ]; then
  echo "the embedded PostgreSQL is still running after the server stopped" >&2
  exit 1
fi

passed=$(cat "$LOG_DIR"/app.log "$LOG_DIR"/server.log | sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
e2e=$(sed -n 's/^ *\([0-9]*\) passed.*/\1/p' "$LOG_DIR/e2e.log" | tail -n 1)
echo
echo "all: $((passed + ${e2e:-0})) passed, 0 failed"
