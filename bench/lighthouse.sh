#!/usr/bin/env bash
# Lighthouse mobile audits (performance and accessibility; Lighthouse's default phone, simulated
# slow 4G and CPU slowdown) of the signed-in pages the islands budget is about: home, footfall
# dashboard, a shop's footfall page and the invoices list. Runs against the release build and
# its demo data with the system's Chromium; prints one line per page and keeps each JSON report
# in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
LH=bench/lighthouse/node_modules/.bin/lighthouse
[ -x "$LH" ] || (cd bench/lighthouse && npm install --no-audit --no-fund >/dev/null)
mkdir -p bench/results

session_of() {
  curl -s -o /dev/null -D - -H "Origin: $URL" \
    --data-urlencode "email=$1" --data 'password=comptoir-demo&next=' "$URL/login" \
    | sed -n 's/^set-cookie: \(comptoir_session=[^;]*\).*/\1/ip'
}
VIEWER=$(session_of lecteur@bash.test)
ACCOUNTANT=$(session_of compta@bash.test)
SHOP=$(curl -s -H "Cookie: $VIEWER" "$URL/compteurs" | grep -o '/compteurs/magasins/[0-9]*' | head -n 1)

audit() {
  local path=$1 cookie=$2 name
  name=$(echo "$path" | tr '/' '_' | sed 's/^_//; s/^$/home/')
  CHROME_PATH=/usr/bin/chromium "$LH" "$URL$path" --quiet \
    --only-categories=performance,accessibility \
    --extra-headers="{\"Cookie\": \"$cookie\"}" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --output=json --output-path="bench/results/lighthouse-$name.json"
  python3 - "bench/results/lighthouse-$name.json" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cats, audits = report["categories"], report["audits"]
print(f'{sys.argv[2]:<28} performance {round(cats["performance"]["score"] * 100):>3}  '
      f'accessibility {round(cats["accessibility"]["score"] * 100):>3}  '
      f'LCP {audits["largest-contentful-paint"]["displayValue"]:>7}  '
      f'TBT {audits["total-blocking-time"]["displayValue"]:>6}  '
      f'bytes {audits["total-byte-weight"]["numericValue"] / 1000:.1f} KB')
PY
}

audit / "$VIEWER"
audit /compteurs "$VIEWER"
audit "$SHOP" "$VIEWER"
audit /facturation/factures "$ACCOUNTANT"
