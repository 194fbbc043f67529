#!/usr/bin/env bash
# Release build of the server and the hydrate bundle (cargo-leptos), then pre-compressed copies of
# the bundle so it is served with brotli level 11 without compressing on each request.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo leptos build --release
pkg=target/site/pkg
for f in "$pkg"/*.js "$pkg"/*.wasm "$pkg"/*.css; do
  [ -f "$f" ] || continue
  # Written through stdout so the copies are newer than their source (the server drops older ones).
  brotli -q 11 -c "$f" >"$f.br"
  gzip -9 -c "$f" >"$f.gz"
done
