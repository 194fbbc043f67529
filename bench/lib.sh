# Shared by the benchmark scripts: the release binary with its embedded PostgreSQL and the demo
# data, on a free port, in a throw-away data directory. Sets BIN, DATA, URL and PID.
# `BIN=<path> bench/…` measures another build (e.g. the previous commit, for a before/after).
BIN=${BIN:-target/release/comptoir}
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

# A demo viewer's session cookie.
viewer_cookie() {
  curl -s -o /dev/null -D - -H "Origin: $URL" \
    --data 'email=lecteur%40bash.test&password=comptoir-demo&next=' "$URL/login" \
    | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip'
}
