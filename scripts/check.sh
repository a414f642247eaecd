#!/bin/bash
# Everything CI runs:
#   1. the series checks (scripts/check-series.sh)
#   2. make run: the suite on the series kernel
#   3. the same suite on the unpatched base kernel (failures there are
#      reported in the before/after table, not an error)
#   4. the before/after table (build/before-after.md)
# Ends with the series' "N passed, N failed" line, checks included.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
mkdir -p "$BUILD"

checks_rc=0
"$S"/check-series.sh || checks_rc=$?

series_rc=0
"$S"/run.sh series || series_rc=$?

log "== base: the same suite on the unpatched base kernel (failures expected)"
BASE_RUN=1 "$S"/run.sh base >"$BUILD/summary-base.txt" || true
sed 's/^\([0-9]* passed, [0-9]* failed.*\)$/on the base kernel: \1/' "$BUILD/summary-base.txt"

log "== before/after"
cmp_rc=0
"$S"/ktap.py compare "$BUILD/results-base.json" "$BUILD/results-series.json" \
	"$BUILD/before-after.md" || cmp_rc=$?

read -r passed failed skipped < <("$S"/ktap.py tally "$BUILD/results-series.json")
cpass=$(grep -c '^PASS' "$BUILD/checks.txt" || true)
cfail=$(grep -c '^FAIL' "$BUILD/checks.txt" || true)
[ "$series_rc" = 0 ] || [ "$failed" -gt 0 ] || failed=1
log "series checks: $cpass passed, $cfail failed (build/checks.txt)"
echo "$((passed + cpass)) passed, $((failed + cfail)) failed, $skipped skipped"
[ "$checks_rc" = 0 ] && [ "$series_rc" = 0 ] && [ "$cmp_rc" = 0 ]
