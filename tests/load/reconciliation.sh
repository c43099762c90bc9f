#!/usr/bin/env bash
# Reconciling one month's payment lists (issue 19, "scale": 200,000 lines reconciled in under 60 s on the 2-core machine,
# peak memory under 1 GiB): migrates a fresh SQLite file through the service (Release, embedded default, worker off so
# nothing else writes), seeds N lines on W approved ward lists with generate_payment_lists.py, then sends each ward's
# result file to POST /api/v1/payment-lists/{id}/results one after the other, as the payers would, and sends them all
# again (idempotent: nothing applied). Prints the wall time of each pass and the service's peak RSS (VmHWM).
# Usage: tests/load/reconciliation.sh [lines=200000] [wards=148]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}; wards=${2:-148}; port=5391
dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
w=$(mktemp -d); pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$w"; }
trap cleanup EXIT
start() {
  (cd "$w" && exec env ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hf.db" Jobs__Server=false \
    Logging__LogLevel__Default=Warning Edge__PerUserPerMinute=1000000 Edge__PerIpPerMinute=1000000 dotnet "$dll" --urls "http://127.0.0.1:$port" >"$w/log" 2>&1) &
  pid=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "service did not start"; cat "$w/log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
start; stop
mkdir "$w/files"
python3 tests/load/generate_payment_lists.py "$w/app.db" "$w/files" "$n" "$wards"
start
token=$(ASPNETCORE_ENVIRONMENT=Testing dotnet "$dll" token --role provincial-officer | tail -1)
pass() {
  local label=$1 t0 t1 applied=0 unchanged=0 errors=0 body
  t0=$(date +%s.%N)
  for f in "$w"/files/*.csv; do
    body=$(curl -fsS -X POST -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary "@$f" \
      "http://127.0.0.1:$port/api/v1/payment-lists/$(basename "$f" .csv)/results")
    read -r a u e < <(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["applied"], r["unchanged"], r["errors"])' <<<"$body")
    applied=$((applied + a)); unchanged=$((unchanged + u)); errors=$((errors + e))
  done
  t1=$(date +%s.%N)
  printf '   %s: %s files, applied %s, unchanged %s, errors %s in %.1f s\n' "$label" "$(ls "$w"/files | wc -l)" "$applied" "$unchanged" "$errors" "$(echo "$t1 - $t0" | bc)"
}
pass "reconcile"
pass "the same files again"
python3 - "$w/app.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print("   lines settled %d, months released %d, line events %d" % (
    c.execute("SELECT COUNT(*) FROM payment_line WHERE result IS NOT NULL").fetchone()[0],
    c.execute("SELECT COUNT(*) FROM payment_line_month WHERE released = 1").fetchone()[0],
    c.execute("SELECT COUNT(*) FROM integration_event WHERE payment_line_id IS NOT NULL").fetchone()[0]))
PY
echo "   service peak RSS $(grep VmHWM /proc/$pid/status | awk '{printf "%.0f MB", $2/1024}')"
