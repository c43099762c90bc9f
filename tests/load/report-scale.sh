#!/usr/bin/env bash
# Report latency at two dataset sizes (issue 5: "each report answers within a second with a million dossiers and ten
# million timeline events"). Migrates and seeds a fresh SQLite file through the service (Release), bulk-inserts N
# dossiers + 10 N timeline events + N report rows with generate_report_dataset.py, restarts the service and prints the
# median of 10 calls of every report for a one-year period (whole months) and for a period with partial months at both
# ends, then the ratio large/small.
# Usage: tests/load/report-scale.sh [small=10000] [large=1000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
queries=("summary?from=2025-11-01&to=2026-10-31" "summary?from=2025-11-01&to=2026-10-31&groupBy=ward" "summary?from=2025-11-01&to=2026-10-31&groupBy=zone"
  "summary?from=2025-11-01&to=2026-10-31&groupBy=procedure&format=csv" "indicators?from=2025-11-01&to=2026-10-31"
  "equity?from=2025-11-01&to=2026-10-31" "trend?from=2025-11-01&to=2026-10-31&groupBy=zone"
  "summary?from=2025-11-17&to=2026-10-12&groupBy=ward" "trend?from=2025-11-17&to=2026-10-12&groupBy=ward")
declare -A result
run() {
  local n=$1 port=$2 w; w=$(mktemp -d)
  start() { (cd "$w" && ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hf.db" \
      Logging__LogLevel__Default=Warning setsid dotnet "$dll" --urls "http://127.0.0.1:$port" >"$w/log" 2>&1 &)
    for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done; }
  start; pkill -f "urls http://127.0.0.1:$port"; sleep 1
  local t0; t0=$(date +%s); python3 tests/load/generate_report_dataset.py "$w/app.db" "$n"; echo "   generated in $(( $(date +%s) - t0 )) s, file $(du -h "$w/app.db" | cut -f1)"
  start
  # The worker builds report_summary from the generated report rows once (a database without it); wait for that.
  local t1; t1=$(date +%s)
  until [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from report_summary").fetchone()[0])' "$w/app.db")" != 0 ]; do sleep 1; done
  echo "   report_summary built from the report rows in $(( $(date +%s) - t1 )) s"
  local token; token=$(ASPNETCORE_ENVIRONMENT=Testing dotnet "$dll" token --role provincial-officer | tail -1)
  for q in "${queries[@]}"; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/reports/$q"
    local ms; ms=$(for _ in $(seq 1 10); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/api/v1/reports/$q"; done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR/2)+1]*1000}')
    result["$n|$q"]=$ms
    echo "N=$n  $q  median ${ms} ms"
  done
  pkill -f "urls http://127.0.0.1:$port"; rm -rf "$w"
}
small=${1:-10000}; large=${2:-1000000}
run "$small" 5141
run "$large" 5142
echo "== large / small"
for q in "${queries[@]}"; do
  awk -v a="${result[$large|$q]}" -v b="${result[$small|$q]}" -v q="$q" 'BEGIN {printf "%-70s %7.1f ms / %6.1f ms = %.1fx\n", q, a, b, a/b}'
done
