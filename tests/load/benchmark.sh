#!/usr/bin/env bash
# The load benchmark of issue 6 (a benchmark, not a test). One command:
#   tests/load/benchmark.sh [dataset=10000] [seconds=10] [connections=64]
# Builds Release, starts the service (embedded default: SQLite + SQLite job storage, --role all) on 127.0.0.1 over a
# fresh database seeded with <dataset> dossiers, and drives with wrk: submissions, status reads, ward-queue reads.
# Then measures the bare limit of this machine (tests/load/BareLimit: parse a similar body + one SQLite insert;
# one indexed read) the same way, and prints our figures as ratios of it, the service's peak memory and how long
# the workflow took to put every submitted dossier in its ward queue after the submission load ended.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-10000}; secs=${2:-10}; conns=${3:-64}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dotnet build tests/load/BareLimit -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
bare=$PWD/tests/load/BareLimit/bin/Release/net10.0/BareLimit.dll
w=$(mktemp -d); port=5181; bport=5182; pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; pkill -f "BareLimit.dll --urls http://127.0.0.1:$bport" 2>/dev/null; rm -rf "$w"; }
trap cleanup EXIT

start_service() {
  (cd "$w" && ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hangfire.db" \
    Documents__StoragePath="$w/documents" Edge__PerIpPerMinute=100000000 Edge__PerClientPerMinute=100000000 Edge__PerUserPerMinute=100000000 \
    Logging__LogLevel__Default=Warning DOTNET_hostBuilder__reloadConfigOnChange=false exec dotnet "$dll" --urls "http://127.0.0.1:$port" >>"$w/service.log" 2>&1) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.3; done
}
sql() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$w/app.db" "$1"; }
load() { # name url script [env...]; prints "name rps p50 p99 non2xx sockerr"
  local name=$1 url=$2 script=$3; shift 3
  cat "tests/load/wrk/$script" tests/load/wrk/report.lua > "$w/$script"
  env "$@" wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$w/$script" "$url" | awk -v n="$name" '/^RESULT/ {print n, $2, $3, $4, $5, $6}'
}
warm() { local url=$1 script=$2; shift 2; cat "tests/load/wrk/$script" tests/load/wrk/report.lua > "$w/$script"; env "$@" wrk -t2 -c"$conns" -d2s -s "$w/$script" "$url" >/dev/null; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); dataset $size dossiers; ${secs}s per phase; $conns connections"
start_service; kill "$pid"; wait "$pid" 2>/dev/null || true
python3 tests/load/generate_dossiers.py "$w/app.db" "$size" >/dev/null
start_service
curl -fs "http://127.0.0.1:$port/swagger/v1/swagger.json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]["application/json"]["example"]))' > "$w/body.json"
receipt=$(curl -fs -H 'Content-Type: application/json' --data @"$w/body.json" "http://127.0.0.1:$port/api/v1/dossiers")
code=$(echo "$receipt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
secret=$(echo "$receipt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["trackingSecret"])')
token=$(ASPNETCORE_ENVIRONMENT=Testing dotnet "$dll" token --role ward-officer --ward 04795 | tail -1)
api=http://127.0.0.1:$port/api/v1

warm "$api/dossiers" post.lua BODY_FILE="$w/body.json" VARY_ID=1
until [ "$(sql "select count(*) from workflow_step where status='pending'")" = 0 ]; do sleep 0.5; done
before=$(sql "select count(*) from dossier")
submit=$(load submissions "$api/dossiers" post.lua BODY_FILE="$w/body.json" VARY_ID=1)
t0=$(date +%s.%N)
until [ "$(sql "select count(*) from workflow_step where status='pending' and kind='Intake'")" = 0 ]; do sleep 0.1; done
routed=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.1f", a-b}')
until [ "$(sql "select count(*) from workflow_step where status='pending'")" = 0 ]; do sleep 0.1; done
drained=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.1f", a-b}')
submitted=$(( $(sql "select count(*) from dossier") - before ))
unrouted=$(sql "select count(*) from dossier where status='Submitted'")
warm "$api/dossiers/$code" get.lua HEADER_NAME=X-Tracking-Secret HEADER_VALUE="$secret"
status=$(load status-reads "$api/dossiers/$code" get.lua HEADER_NAME=X-Tracking-Secret HEADER_VALUE="$secret")
queue=$(load ward-queue "$api/wards/04795/dossiers?limit=50" get.lua HEADER_NAME=Authorization HEADER_VALUE="Bearer $token")
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

dotnet "$bare" --urls "http://127.0.0.1:$bport" --db "$w/bare.db" --seed "$size" >"$w/bare.log" 2>&1 &
until curl -s -o /dev/null "http://127.0.0.1:$bport/bare/dossiers/seed-1"; do sleep 0.3; done
warm "http://127.0.0.1:$bport/bare/dossiers" post.lua BODY_FILE="$w/body.json" VARY_ID=1
bins=$(load bare-insert "http://127.0.0.1:$bport/bare/dossiers" post.lua BODY_FILE="$w/body.json" VARY_ID=1)
warm "http://127.0.0.1:$bport/bare/dossiers/seed-1" get.lua
bread=$(load bare-read "http://127.0.0.1:$bport/bare/dossiers/seed-1" get.lua)

printf '\n%-14s %10s %9s %9s %8s %10s\n' operation "req/s" "p50 ms" "p99 ms" "non-2xx" "vs bare"
row() { set -- $1 "$2"; printf '%-14s %10s %9s %9s %8s %10s\n' "$1" "$2" "$3" "$4" "$5" "$7"; }
ratio() { echo "$1 $2" | awk '{printf "%.0f %%", 100*$1/$2}'; }
row "$submit" "$(ratio "$(echo "$submit" | cut -d' ' -f2)" "$(echo "$bins" | cut -d' ' -f2)")"
row "$status" "$(ratio "$(echo "$status" | cut -d' ' -f2)" "$(echo "$bread" | cut -d' ' -f2)")"
row "$queue" "-"
row "$bins" "-"
row "$bread" "-"
echo
echo "submitted during the load: $submitted dossiers; every one in its ward queue ${routed}s after the load ended (all workflow steps done after ${drained}s); still unrouted: $unrouted"
echo "peak memory of the service (VmHWM): ${rss} MiB"
