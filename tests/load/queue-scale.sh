#!/usr/bin/env bash
# Ward-queue page latency at two dataset sizes (issue 3: "stays fast with a million dossiers").
# Migrates and seeds a fresh SQLite file through the service, bulk-inserts N dossiers with
# generate_dossiers.py (1 in 50 in ward 04795), restarts the service and reports the median of 20 reads
# of the first page for several filters. Usage: tests/load/queue-scale.sh [small=10000] [large=1000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
run() {
  local n=$1 port=$2 w; w=$(mktemp -d)
  start() { (cd "$w" && ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hf.db" \
      Logging__LogLevel__Default=Warning setsid dotnet "$dll" --urls "http://127.0.0.1:$port" >"$w/log" 2>&1 &)
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done; }
  start; pkill -f "urls http://127.0.0.1:$port"; sleep 1
  python3 tests/load/generate_dossiers.py "$w/app.db" "$n"
  start
  local token; token=$(ASPNETCORE_ENVIRONMENT=Testing dotnet "$dll" token --role ward-officer --ward 04795 | tail -1)
  for q in "limit=50" "limit=50&status=Received" "limit=50&overdue=true" "limit=50&q=nguyen"; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/wards/04795/dossiers?$q"
    local ms; ms=$(for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/api/v1/wards/04795/dossiers?$q"; done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR/2)+1]*1000}')
    echo "N=$n  $q  median ${ms} ms"
  done
  pkill -f "urls http://127.0.0.1:$port"; rm -rf "$w"
}
run "${1:-10000}" 5131
run "${2:-1000000}" 5132
