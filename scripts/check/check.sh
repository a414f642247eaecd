#!/bin/bash
# Everything CI runs:
#   1. the series checks (scripts/check/check-series.sh)
#   2. make run: the suite on the series kernel
#   3. the same suite on the unpatched base kernel (failures there are
#      reported in the before/after table, not an error)
#   4. the before/after table (build/before-after.md); the suite's 64-bit
#      tests on the base with the stable parts alone, and their table
#      against the base (build/before-after-stable.md): no regression
#   5. the suite's 64-bit tests on a debug kernel (KASAN, lockdep,
#      kmemleak): no splat
#   6. build checks (scripts/check/check-builds.sh; a bzImage at every
#      patch is make check-bisect's)
#   7. each part that does not apply as the stack applies it, alone on the
#      base with the parts it needs (scripts/check/check-parts.sh)
# Then a table of how long each stage took (build/timings-check.txt), and
# last the series' "N passed, N failed" line, checks included.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
# CI runs the -m32 tests too: a toolchain that cannot build them fails.
export M32=${M32:-yes}
mkdir -p "$BUILD"
timings=$BUILD/timings-check.txt
: >"$timings"
check_t0=$(date +%s)

row() {	# row NAME SECONDS: one line of the stage-time table
	printf '%-16s %6ds %4dm%02ds\n' "$1" "$2" $(($2 / 60)) $(($2 % 60)) >>"$timings"
}

# timed NAME CMD...: run CMD and add its time to the table; for a run.sh
# flavor, its own stages (build/timings-<flavor>.txt) below it.
timed() {
	local name=$1 t0 rc=0 stage secs
	shift
	t0=$(date +%s)
	"$@" || rc=$?
	case $name in
	series|base|stable|debug)
		row "run $name" $(($(date +%s) - t0))
		while read -r stage secs; do
			row "  $stage" "${secs%s}"
		done < <(cat "$BUILD/timings-$name.txt" 2>/dev/null)
		;;
	*)	row "$name" $(($(date +%s) - t0)) ;;
	esac
	return $rc
}

checks_rc=0
timed check-series "$S"/check/check-series.sh || checks_rc=$?

series_rc=0
timed series "$S"/pipeline/run.sh series || series_rc=$?

log "== base: the same suite on the unpatched base kernel (failures expected)"
timed base "$S"/pipeline/run.sh base >"$BUILD/summary-base.txt" || true
sed 's/^\([0-9]* passed, [0-9]* failed.*\)$/on the base kernel: \1/' "$BUILD/summary-base.txt"

log "== before/after"
cmp_rc=0
label=$(base_label)
timed before/after "$S"/pipeline/ktap.py compare --base-label "$label" \
	"$BUILD/results-base.json" "$BUILD/results-series.json" \
	"$BUILD/before-after.md" || cmp_rc=$?

# The stable parts alone (A and B, as a stable tree would take them), 64-bit:
# against the base, they must fix what they fix and regress nothing.  Tests
# of the other parts' fixes fail there as on the base; that is not judged.
log "== stable: the suite on the base with the stable parts alone (64-bit; failures of other parts' tests expected)"
M32=no timed stable "$S"/pipeline/run.sh stable >"$BUILD/summary-stable.txt" || true
timed before/after-stable "$S"/pipeline/ktap.py compare --subset --label "stable parts" --base-label "$label" \
	"$BUILD/results-base.json" "$BUILD/results-stable.json" "$BUILD/before-after-stable.md" >/dev/null || cmp_rc=$?
grep -E 'REGRESSION|MISSING|^FAIL' "$BUILD/before-after-stable.md" || true
tail -n1 "$BUILD/before-after-stable.md"

# 64-bit only: the -m32 programs reach the same taskstats and netlink code
# (the series changes no compat path), and under KASAN in TCG they would
# double the longest boot of make check.
log "== debug: the suite on a KASAN/lockdep/kmemleak kernel (64-bit tests)"
if M32=no timed debug "$S"/pipeline/run.sh debug >"$BUILD/summary-debug.txt"; then
	check_result PASS debug-kernel "$(tail -n1 "$BUILD/summary-debug.txt"), no splat, kmemleak clean"
else
	sed -n '/FAIL/p' "$BUILD/summary-debug.txt"
	check_result FAIL debug-kernel "$(tail -n1 "$BUILD/summary-debug.txt") (build/console-debug.log)"
	checks_rc=1
fi

log "== builds: W=1 + sparse, selftests, i386, arm64, CONFIG_TASKSTATS=n, each patch's objects"
timed check-builds "$S"/check/check-builds.sh || checks_rc=1

log "== parts: each part alone on the base with the parts it needs (B, F, C, D)"
timed check-parts "$S"/check/check-parts.sh || checks_rc=1

# One parser counts the test cases and the checks.
read -r cpass cfail _ < <("$S"/pipeline/ktap.py tally --checks "$BUILD/checks.txt")
read -r passed failed skipped < <("$S"/pipeline/ktap.py tally \
	--checks "$BUILD/checks.txt" "$BUILD/results-series.json")
[ "$series_rc" = 0 ] || [ "$failed" -gt 0 ] || failed=1
log "series checks: $cpass passed, $cfail failed (build/checks.txt)"
row total $(($(date +%s) - check_t0))
echo "stage times:"
cat "$timings"
# What failed, last, where a truncated CI log still shows it.
if [ "$failed" -gt 0 ]; then
	"$S"/pipeline/ktap.py failures "$BUILD/results-series.json"
	grep '^FAIL' "$BUILD/checks.txt" || true
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$checks_rc" = 0 ] && [ "$series_rc" = 0 ] && [ "$cmp_rc" = 0 ]
