#!/usr/bin/env bash
# Benchmark (issue 19, not a test): one month's payment lists for N active entitlements (default 200,000) across the 148
# wards of Phú Thọ on the embedded default (SQLite file + embedded Hangfire), Release build. Migrates a fresh file with
# the service's own `migrate` command, seeds it with generate_payment_dataset.py (80 % rule-based allowances with sealed
# claims, 20 % legacy amounts, 70 % with a payment method), starts the service under /usr/bin/time -v, asks for next
# month's lists (POST /api/v1/payment-lists/generation) and times until every entitlement's line is written; then once
# more (every ward's draft rebuilt). Prints both times, the lines and total, and the service's peak resident memory.
# Issue target: under 60 s on 2 cores, under 1 GiB.
# Usage: tests/load/payment-lists.sh [N=200000]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}
port=${PORT:-5190}
flock "${OSW_BUILD_LOCK:-/tmp/osw-build.lock}" dotnet build src/OneStopWindow.Api -c Release -v q -nologo >/dev/null
dll=$PWD/src/OneStopWindow.Api/bin/Release/net10.0/OneStopWindow.Api.dll
w=$(mktemp -d)
export ASPNETCORE_ENVIRONMENT=Testing Database__ConnectionString="Data Source=$w/app.db" Jobs__SqlitePath="$w/hf.db" Logging__LogLevel__Default=Warning
(cd "$w" && dotnet "$dll" migrate >/dev/null)
this=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m)
next=$(TZ=Asia/Ho_Chi_Minh date -d "$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-01) +1 month" +%Y-%m)
python3 tests/load/generate_payment_dataset.py "$w/app.db" "$n" "$this"

(cd "$w" && exec /usr/bin/time -v -o "$w/time.txt" dotnet "$dll" --urls "http://127.0.0.1:$port" >"$w/log" 2>&1) &
tpid=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
token=$(cd "$w" && dotnet "$dll" token --role provincial-officer | tail -1)
lines() { sqlite3 "$w/app.db" "SELECT COUNT(*) FROM payment_line l JOIN payment_list p ON p.id = l.list_id WHERE p.month = '$next' AND p.generated_at >= '$1'"; }
run() {
  local since t0 t1
  since=$(date -u +%Y-%m-%dT%H:%M:%S)
  t0=$(date +%s.%N)
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/payment-lists/generation?month=$next"
  until [ "$(sqlite3 "$w/app.db" "SELECT COUNT(*) FROM payment_list WHERE month = '$next' AND generated_at >= '$since'")" = 148 ] \
        && [ "$(lines "$since")" = "$n" ]; do sleep 0.2; done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v what="$2" 'BEGIN {printf "%-28s %6.1f s\n", what, b - a}'
}
run first "first generation"
run again "regeneration (drafts rebuilt)"
sqlite3 "$w/app.db" "SELECT COUNT(*) || ' lists, ' || SUM(line_count) || ' lines, ' || SUM(total_vnd) || ' VND' FROM payment_list WHERE month = '$next'"
sqlite3 "$w/app.db" "SELECT 'lines without a method: ' || COUNT(*) FROM payment_line WHERE method = 'unknown'"
kill -TERM "$(pgrep -P "$tpid" -x dotnet)"
wait "$tpid" || true
grep -E "Maximum resident set size|Elapsed|Percent of CPU" "$w/time.txt" | sed 's/^\s*/service: /'
nproc | sed 's/^/cores: /'
rm -rf "$w"
