#!/usr/bin/env bash
# Speed of a paper (issue 20 part 6): a Form 01 receipt with its QR rendered alone and rendered + signed (PAdES-B-B),
# p50/p99 of each and their ratio in one run. A benchmark, not a test; correctness is PaperTests/PaperVerificationTests.
# Usage: tests/load/papers.sh [runs=500]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/load/PaperSpeed -c Release -v q -nologo >/dev/null
dotnet tests/load/PaperSpeed/bin/Release/net10.0/PaperSpeed.dll "${1:-500}"
