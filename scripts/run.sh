#!/usr/bin/env bash
# The one command: installs what is missing, builds, and runs Comptoir with its embedded
# PostgreSQL (under ./data) and the demo data. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --run
source scripts/env.sh
scripts/build.sh
exec target/release/comptoir serve --demo "$@"
