#!/usr/bin/env bash
# Document rendering: one-page and 150-line invoices as PDF and Factur-X, p50/p99 over 200 runs,
# next to wkhtmltopdf (Debian package) rendering the same invoice as HTML, in the same run.
# Usage: bench/documents.sh   (RUNS=200 WK_RUNS=200 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wkhtmltopdf >/dev/null 2>&1 || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq wkhtmltopdf >/dev/null
}
# Qt (inside wkhtmltopdf) warns on every run without it.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
wkhtmltopdf --version
CARGO_INCREMENTAL=0 cargo bench -p app --features ssr --bench documents
