#!/bin/bash
# Soak: the suite SOAK times (default 20) in one boot of the series kernel,
# to find tests that fail only now and then.  Each run's console part is
# parsed on its own (build/soak/iter-N.log and .json); the summary lists
# every run's counts, every case that failed in any run, and the time.
#
#   SOAK=20 scripts/pipeline/soak.sh        (make soak)
#   SOAK_NOBUILD=1: boot what the last make run built, without building
#
# Builds as run.sh does (cached), boots with ksft.repeat=SOAK; the guest
# marks each run (TS_ITER, TS_ITER_END of scripts/guest/protocol).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/guest/protocol"

n=${SOAK:-20}
S=$TOP/scripts
out=$BUILD/soak
rm -rf "$out"
mkdir -p "$out"

initramfs=$BUILD/initramfs-soak.cpio
if [ -n "${SOAK_NOBUILD:-}" ]; then
	# The kernel and initramfs of the last make run, as they are.
	initramfs=$BUILD/initramfs-series.cpio
	obj=$BUILD/obj/series
	ksft=$BUILD/ksft/install
	[ -f "$initramfs" ] || die "no $initramfs: make run first"
else
	"$S"/deps.sh
	obj=$("$S"/pipeline/kernel.sh series)
	ksft=$("$S"/pipeline/ksft.sh "$("$S"/pipeline/src.sh series)" "$obj")
	"$S"/guest/initramfs.sh "$ksft" "$initramfs"
fi
t0=$(date +%s)
# About 3 minutes a run under TCG: allow 6, and 10 for the boot.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-$((n * 360 + 600))} \
	"$S"/guest/boot.sh "$obj/arch/x86/boot/bzImage" "$initramfs" \
	"$out/console.log" ksft.repeat="$n" ${KSFT_ARGS:+ksft.args=$KSFT_ARGS}
secs=$(($(date +%s) - t0))

# Split at the markers: a kernel splat lands in the part of the run during
# which it happened; each part ends with its run's own end marker
# ("$TS_END rc=R" from "$TS_ITER_END i rc=R"), which a run cut short
# lacks, so that the parser fails it.
awk -v dir="$out" -v iter="$TS_ITER" -v iter_end="$TS_ITER_END" -v end="$TS_END" '
	$1 == iter && $2 ~ /^[0-9]+\// { split($2, a, "/"); f = dir "/iter-" a[1] ".log"; next }
	$1 == iter_end { if (f) print end " " $3 > f; f = ""; next }
	f { print > f }' "$out/console.log"
# Each run is judged as run.sh judges one (plan, expected skips), against
# the case lists the guest printed once, before the first run.
: >"$out/cases.txt"
"$S"/pipeline/ktap.py cases "$ksft" "$out/console.log" "$out/cases.txt" ||
	log "soak: no case lists from the guest; every run fails its plan check"
checks=(--cases "$out/cases.txt" --skips "$S/pipeline/expected-skips")
[ -n "${KSFT_ARGS:-}" ] && checks+=(--partial)
for i in $(seq 1 "$n"); do
	log="$out/iter-$i.log"
	[ -f "$log" ] || { echo "run $i: missing (truncated)"; continue; }
	"$S"/pipeline/ktap.py summary "${checks[@]}" "$log" "$out/iter-$i.json" >"$out/iter-$i.txt" || true
	read -r p f s < <("$S"/pipeline/ktap.py tally "$out/iter-$i.json")
	echo "run $i: $p passed, $f failed, $s skipped"
	grep -E ' FAIL$|^FAIL:' "$out/iter-$i.txt" | sed "s/^/  run $i: /" || true
done | tee "$out/summary.txt"
grep -q "^$TS_END " "$out/console.log" ||
	echo "run $n: no end marker (truncated)" | tee -a "$out/summary.txt"
# A splat between two runs lands in no run's part: judge the whole console.
splat=$(grep -Em1 "$TS_SPLAT|$TS_LEAK" "$out/console.log" || true)
[ -z "$splat" ] || echo "console: kernel splat: $splat (build/soak/console.log)" | tee -a "$out/summary.txt"
read -r runs_done < <(grep -c '^run [0-9]*: [0-9]' "$out/summary.txt" || true)
read -r failed < <(awk '/^run [0-9]+: [0-9]/ { f += $5 } END { print f + 0 }' "$out/summary.txt")
grep -q 'missing\|truncated\|^console: ' "$out/summary.txt" && failed=$((failed + 1))
echo "soak: $runs_done of $n runs in one boot, ${secs}s; $failed failures" | tee -a "$out/summary.txt"
[ "$runs_done" = "$n" ] && [ "$failed" = 0 ]
