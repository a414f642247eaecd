#!/bin/bash
# The main job: build a kernel flavor, boot it with the series' kselftests
# and report.  Exit status is non-zero on any failure.
#
#   scripts/pipeline/run.sh [FLAVOUR]  (default: series)
#
# FLAVOUR is any row of kernel-config/flavours: its tree and fragments make
# the kernel; a new row is a new kernel to run the suite on.  The rows
# used here are series, base, stable, debug and debug-stable.
#
# KSFT_ARGS=a,b: run_kselftest.sh's options (a partial run);
# KSFT_USER=nobody: the suite as that user (no expected-skips check).
#
# series: base tree + patches/; base: the untouched base tree, running the
# same selftest binaries (built from the series tree); stable: the base tree
# with the stable parts alone (A and B), the same binaries; debug: the series on
# a kernel with kernel-config/debug.config (KASAN, lockdep, kmemleak);
# debug-stable: the stable parts alone on that debug kernel (not in make
# check: the stable parts' own locking, which the full series replaces).  Outputs under build/:
# console-<flavor>.log, results-<flavor>.json, timings-<flavor>.txt.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

flavor=${1:-series}
S=$TOP/scripts
row=$(flavour_row "$flavor") ||
	die "unknown flavour $flavor: a row of kernel-config/flavours (series, base, stable, debug, debug-stable, ...)"
read -r srcflavor _ <<<"$row"
timings=$BUILD/timings-$flavor.txt
mkdir -p "$BUILD"
: >"$timings"
# No stale verdict: a run that stops early leaves no results behind.
rm -f "$BUILD/results-$flavor.json" "$BUILD/console-$flavor.log"

stage_t0=$(date +%s)
stage() {
	local now
	now=$(date +%s)
	[ -n "${stage_name:-}" ] && printf '%-10s %4ds\n' "$stage_name" $((now - stage_t0)) >>"$timings"
	stage_name=$1 stage_t0=$now
	[ -n "$1" ] && log "== $flavor: $1"
	return 0
}

stage deps
"$S"/deps.sh

stage kernel
obj=$("$S"/pipeline/kernel.sh "$flavor")

stage selftests
if [ "$srcflavor" = series ]; then
	ksft=$("$S"/pipeline/ksft.sh "$("$S"/pipeline/src.sh series)" "$obj")
else
	# The same selftest binaries as the series run: built from the series
	# tree against its headers (the series kernel need not be built).
	ksft=$("$S"/pipeline/ksft.sh "$("$S"/pipeline/src.sh series)" "$("$S"/pipeline/kernel.sh --config series)")
fi

stage initramfs
"$S"/guest/initramfs.sh "$ksft" "$BUILD/initramfs-$flavor.cpio"

stage boot
"$S"/guest/boot.sh "$obj/arch/x86/boot/bzImage" "$BUILD/initramfs-$flavor.cpio" \
	"$BUILD/console-$flavor.log" ${KSFT_ARGS:+ksft.args=$KSFT_ARGS} \
	${KSFT_USER:+ksft.user=$KSFT_USER}

stage report
# Green means ran: every installed binary reports every case it lists (-l,
# in the guest, before the suite), and in the series and debug runs no SKIP
# but those in expected-skips.  Without the guest's lists the case list is
# empty, which fails.
rc=0
cases=$BUILD/cases-$flavor.txt
: >"$cases"
"$S"/pipeline/ktap.py cases "$ksft" "$BUILD/console-$flavor.log" "$cases" || rc=$?
checks=(--cases "$cases")
[ -n "${KSFT_ARGS:-}" ] && checks+=(--partial)
# As another user (KSFT_USER=nobody: what a lab's unprivileged run sees), the
# tests that need root or CAP_NET_ADMIN skip, each with its reason.
# A kernel of another tree (base, stable) lacks features, whose tests skip
# there; a kernel of the series tree skips only what expected-skips lists.
[ "$srcflavor" = series ] && [ -z "${KSFT_USER:-}" ] && checks+=(--skips "$S/pipeline/expected-skips")
"$S"/pipeline/ktap.py summary "${checks[@]}" "$BUILD/console-$flavor.log" \
	"$BUILD/results-$flavor.json" || rc=$?
stage ""
log "$flavor: stage timings (s): $(tr -s ' \n' ' ' <"$timings")"
exit $rc
