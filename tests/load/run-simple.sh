#!/usr/bin/env bash
# A simple repeated load (issue 2's closing note), not the full benchmark: builds Release, starts the
# service on 127.0.0.1 with fresh SQLite files, and drives submissions and status reads with wrk.
# Usage: tests/load/run-simple.sh [seconds=10] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${2:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
work=$(mktemp -d); port=5099
ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$work/app.db" Jobs__SqlitePath="$work/hangfire.db" Logging__LogLevel__Default=Warning \
  dotnet src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done

curl -fs "http://127.0.0.1:$port/swagger/v1/swagger.json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]["application/json"]["example"]))' > "$work/body.json"
receipt=$(curl -fs -H 'Content-Type: application/json' --data @"$work/body.json" "http://127.0.0.1:$port/api/v1/dossiers")
code=$(echo "$receipt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
secret=$(echo "$receipt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["trackingSecret"])')

echo "== submissions: POST /api/v1/dossiers, $conns connections, ${secs}s"
BODY_FILE="$work/body.json" wrk -t2 -c"$conns" -d"${secs}s" --latency -s tests/load/submit.lua "http://127.0.0.1:$port/api/v1/dossiers" | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "== status reads: GET /api/v1/dossiers/{code}, $conns connections, ${secs}s"
SECRET="$secret" wrk -t2 -c"$conns" -d"${secs}s" --latency -s tests/load/status.lua "http://127.0.0.1:$port/api/v1/dossiers/$code" | grep -E 'Requests/sec|50%|99%|Non-2xx'
start=$(date +%s)
until [ "$(python3 - "$work/app.db" <<'PY'
import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from workflow_step where status='pending'").fetchone()[0])
PY
)" = 0 ]; do sleep 1; done
echo "== workflow drained all pending intake steps $(( $(date +%s) - start )) s after the load ended"
echo "   peak RSS of the service: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
