#!/usr/bin/env bash
# Alternative frontend build with Trunk (see Trunk.toml): builds the hydrate bundle of frontend/
# offline and installs it where the server serves it, under the names it asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if ! trunk --version 2>/dev/null | grep -q "0.21.14"; then
  cargo install trunk@0.21.14 --locked
fi
trunk build --release
mkdir -p target/site/pkg
cp target/trunk-dist/frontend.js target/site/pkg/comptoir.js
cp target/trunk-dist/frontend_bg.wasm target/site/pkg/comptoir.wasm
cp style/main.css target/site/pkg/comptoir.css
rm -f target/site/pkg/*.br target/site/pkg/*.gz
ls -l target/site/pkg
