#!/usr/bin/env bash
# Speed and peak memory of the payer's files (issue 19 parts 3 and 4), one step per process under /usr/bin/time:
# the export of N lines as CSV and XLSX, and the reading back of both exports and of a filled-in result file in each
# format (every result value, dates, notes; the XLSX as Excel saves one, text in the shared-string table). Correctness at this size is a test (PayerFileTests); this only measures.
# Usage: tests/load/payer-files.sh [lines=200000]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}
dotnet build tests/load/PayerFiles -c Release -v q -nologo >/dev/null
dll=$PWD/tests/load/PayerFiles/bin/Release/net10.0/PayerFiles.dll
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
step() { /usr/bin/time -f "   wall %e s, peak RSS %M KB" dotnet "$dll" "$@"; }
step export xlsx "$n" "$w/list.xlsx"
step export csv "$n" "$w/list.csv"
step results csv "$n" "$w/results.csv"
step results xlsx "$n" "$w/results.xlsx"
# The CSV files of 200,000 lines are larger than the default PayerFiles:MaxBytes (20 MB): read with a 100 MB limit.
step read "$w/list.xlsx" 104857600
step read "$w/list.csv" 104857600
step read "$w/results.csv" 104857600
step read "$w/results.xlsx" 104857600
ls -l "$w" | awk 'NR>1 {printf "   %s %.1f MB\n", $9, $5/1e6}'
