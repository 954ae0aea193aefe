#!/bin/sh
# Lighthouse once against the demo bank's step 1 (not part of `make test`): serves the demo on a
# fresh SQLite database, runs Lighthouse with Debian's Chromium, prints the four category scores.
#   scripts/lighthouse.sh [path]        (default /book; LIGHTHOUSE=path/to/lighthouse to choose one)
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$HERE/.venv/bin/python}
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
LH=${LIGHTHOUSE:-lighthouse}
PORT=${PORT:-5078}
PAGE=${1:-/book}
OUT=$HERE/test-artifacts/lighthouse
mkdir -p "$OUT"
"$PY" "$HERE/scripts/demo_server.py" "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
  i=$((i + 1)); [ $i -lt 60 ] || { echo "the demo server did not start" >&2; exit 1; }; sleep 1
done
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LH" "http://127.0.0.1:$PORT$PAGE" \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
  --only-categories=performance,accessibility,best-practices,seo \
  --output=json --output=html --output-path="$OUT/report" --quiet
node -e '
const r = require(process.argv[1]);
for (const [k, c] of Object.entries(r.categories)) console.log(k.padEnd(16), Math.round(c.score * 100));
' "$OUT/report.report.json"
