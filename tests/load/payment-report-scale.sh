#!/usr/bin/env bash
# Payment report latency (issue 19: "run acceptably on 200,000 lines a month"). Migrates a fresh SQLite file through the
# service (Release), writes LINES approved lines a month for MONTHS months with generate_payment_ledger.py, restarts the
# service and prints the median of 5 calls of the payment report (every grouping) and of the equity report.
# Usage: [BUILD_LOCK=/tmp/osw-build.lock] tests/load/payment-report-scale.sh [lines=200000] [months=12]
set -euo pipefail
cd "$(dirname "$0")/../.."
${BUILD_LOCK:+flock "$BUILD_LOCK"} dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
lines=${1:-200000}; months=${2:-12}; port=5143; w=$(mktemp -d)
queries=("payments?from=2025-11&to=2026-10" "payments?from=2025-11&to=2026-10&groupBy=ward" "payments?from=2025-11&to=2026-10&groupBy=zone"
  "payments?from=2025-11&to=2026-10&groupBy=month" "payments?from=2026-10&to=2026-10&groupBy=ward" "payments?from=2025-11&to=2026-10&groupBy=ward&format=csv"
  "equity?from=2025-11-01&to=2026-10-31")
start() { (cd "$w" && ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hf.db" \
    Logging__LogLevel__Default=Warning exec dotnet "$dll" --urls "http://127.0.0.1:$port" >"$w/log" 2>&1 & echo $! >"$w/pid")
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done; }
stop() { local p; p=$(cat "$w/pid"); kill "$p"; while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; }
start; stop
t0=$(date +%s); python3 tests/load/generate_payment_ledger.py "$w/app.db" "$lines" "$months" 2026-10
echo "   generated in $(( $(date +%s) - t0 )) s, file $(du -h "$w/app.db" | cut -f1)"
start
token=$(ASPNETCORE_ENVIRONMENT=Testing dotnet "$dll" token --role provincial-officer | tail -1)
for q in "${queries[@]}"; do
  curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/reports/$q"   # a refused call stops the script
  ms=$(for _ in $(seq 1 5); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/v1/reports/$q"; done | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int(NR/2)+1]*1000}')
  echo "lines/month=$lines months=$months  $q  median ${ms} ms"
done
stop; rm -rf "$w"
