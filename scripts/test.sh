#!/usr/bin/env bash
# Runs the checks and tests. Three tiers:
#   scripts/test.sh                 everything (what CI runs): formatting, clippy (ssr and
#                                   hydrate), unit, property and integration tests against a real
#                                   PostgreSQL, the release build, its bundle checks, then the
#                                   browser tests in headless Chromium (desktop and phone, with
#                                   and without JavaScript) against the real server and its
#                                   embedded PostgreSQL;
#   scripts/test.sh --quick         formatting, clippy, unit, property and integration tests (no
#                                   release build, no browser);
#   scripts/test.sh --e2e [PATTERN] the debug build (`cargo leptos build`, incremental), then the
#                                   browser tests whose file or title matches PATTERN (all when
#                                   omitted), in every project, against target/debug/comptoir.
# Every run ends with the time each phase took.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
PATTERN=""
case "${1:-}" in
  "") ;;
  --quick) MODE=quick ;;
  --e2e) MODE=e2e; PATTERN="${2:-}" ;;
  -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "unknown option '$1' (expected --quick or --e2e [PATTERN])" >&2; exit 2 ;;
esac

# Phase times, printed at the end of every run (also when it fails).
PHASES=()
PHASE_NAME=""
PHASE_START=0
RUN_START=$(date +%s)
end_phase() {
  if [ -n "$PHASE_NAME" ]; then
    PHASES+=("$(printf '%6ss  %s' "$(($(date +%s) - PHASE_START))" "$PHASE_NAME")")
  fi
  PHASE_NAME=""
}
step() {
  end_phase
  PHASE_NAME="$*"
  PHASE_START=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
report_times() {
  end_phase
  printf '\n\033[1m==> time per phase (%s)\033[0m\n' "$MODE"
  for p in "${PHASES[@]}"; do echo "$p"; done
  printf '%6ss  total\n' "$(($(date +%s) - RUN_START))"
}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
SERVER_PID=""
SINK_PID=""
PG_DIR=""
PG_BIN=""
cleanup() {
  local status=$?
  if [ -n "$SINK_PID" ]; then kill "$SINK_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  report_times
  exit $status
}
trap cleanup EXIT

step "tools"
scripts/ensure-tools.sh --test
source scripts/env.sh
# Incremental caches only cost disk space (tens of GB) in a one-shot run; the browser tier keeps
# them, for the quick edit–build–test loop.
[ "$MODE" = e2e ] || export CARGO_INCREMENTAL=0

LOG_DIR=$(mktemp -d /tmp/comptoir-test.XXXXXX)
chmod 755 "$LOG_DIR"
PG_BIN=$(pg_config --bindir 2>/dev/null || true)
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

checks_and_tests() {
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
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts `$1 serve --demo` on a free port with a real SMTP server beside it; sets PORT.
start_server() {
  local binary=$1
  step "start $binary with the demo data"
  PORT=$(free_port)
  # A real SMTP server for the e-mail tests: it keeps every message it receives in a Maildir.
  local smtp_port
  smtp_port=$(free_port)
  export SMTP_SINK_DIR="$LOG_DIR/smtp-sink"
  python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$SMTP_SINK_DIR" \
    >"$LOG_DIR/smtp-sink.log" 2>&1 &
  SINK_PID=$!
  DATA_DIR="$LOG_DIR/data"
  COMPTOIR_DATA_DIR="$DATA_DIR" COMPTOIR_ADDR="127.0.0.1:$PORT" \
    COMPTOIR_SMTP_HOST=127.0.0.1 COMPTOIR_SMTP_PORT="$smtp_port" COMPTOIR_SMTP_TLS=none \
    "$binary" serve --demo >"$LOG_DIR/e2e-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG_DIR/e2e-server.log"; exit 1; }
    sleep 0.5
  done
  echo "the server did not become ready; its log: $LOG_DIR/e2e-server.log" >&2
  exit 1
}

check_precompressed_bundle() {
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
}

# Runs Playwright; with a pattern, only the spec files whose name matches it, or else the tests
# whose title does.
browser_tests() {
  step "browser tests (Chromium: desktop and phone, with and without JavaScript)"
  local args=()
  if [ -n "$PATTERN" ]; then
    if ls end2end/tests | grep '\.spec\.ts$' | grep -qE -- "$PATTERN"; then
      args=("$PATTERN")
    else
      args=(--grep "$PATTERN")
    fi
  fi
  (cd end2end && BASE_URL="http://127.0.0.1:$PORT" npx playwright test "${args[@]}" 2>&1) | tee "$LOG_DIR/e2e.log"
}

stop_server() {
  step "graceful stop: the embedded PostgreSQL must stop with the server"
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID"
  SERVER_PID=""
  if [ -f "$DATA_DIR/postgres/postmaster.pid" ]; then
    echo "the embedded PostgreSQL is still running after the server stopped" >&2
    exit 1
  fi
}

count_passed() {
  local passed e2e
  # Each tier writes only some of these logs.
  passed=$(cat "$LOG_DIR"/app.log "$LOG_DIR"/server.log 2>/dev/null | sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' | awk '{ s += $1 } END { print s + 0 }' || true)
  e2e=$( (sed -n 's/^ *\([0-9]*\) passed.*/\1/p' "$LOG_DIR/e2e.log" 2>/dev/null || true) | tail -n 1)
  echo
  echo "all: $((passed + ${e2e:-0})) passed, 0 failed"
}

case "$MODE" in
  quick)
    checks_and_tests
    ;;
  e2e)
    step "debug build (cargo leptos build)"
    cargo leptos build
    start_server target/debug/comptoir
    browser_tests
    stop_server
    ;;
  full)
    checks_and_tests
    step "release build"
    scripts/build.sh
    start_server target/release/comptoir
    check_precompressed_bundle
    # The release build is the one held to the byte budgets (end2end/tests/budget.spec.ts).
    export SIZE_BUDGET=1
    browser_tests
    stop_server
    ;;
esac
count_passed
