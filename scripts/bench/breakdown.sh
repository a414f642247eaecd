#!/bin/bash
# make bench-breakdown: where a plain listener's cost per exit goes.  Builds
# the series kernel with bench/breakdown.patch, which lets the exit path stop
# a record after allocating it, after filling it (with or without the
# executable lookup) or not at all, and boots it once under bench/boot.sh's
# QEMU (one vCPU, -icount: rates count guest instructions).  The difference
# between two consecutive steps is what that step costs per exit.
# Instrumentation for this benchmark only, never part of the series.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
out=$BUILD/bench-breakdown
mkdir -p "$out"

"$S"/deps.sh
series_src=$("$S"/pipeline/src.sh series)

# A clone of the series tree, reset and patched each run; files the patch
# does not touch keep their mtimes, so a rerun rebuilds one object.
src=$BUILD/src/breakdown
if [ ! -d "$src/.git" ]; then
	log "breakdown: cloning the series tree into $src"
	git clone -q --shared --no-checkout "$series_src" "$src"
fi
git -C "$src" fetch -q "$series_src" HEAD
git -C "$src" checkout -q -f --detach FETCH_HEAD
git -C "$src" apply "$TOP/bench/breakdown.patch" ||
	die "bench/breakdown.patch does not apply to the series: refresh it against kernel/taskstats.c"

obj=$(SRC=$src "$S"/pipeline/kernel.sh bench-breakdown)

"$S"/bench/payload.sh "$src" "$obj" "$out/initramfs.cpio"
log "breakdown: boot (about 3 minutes)"
"$S"/bench/boot.sh "$obj/arch/x86/boot/bzImage" "$out/initramfs.cpio" "$out/console.log" breakdown
awk '$1 == "BENCH" { print $2 "\t" $3 }' "$out/console.log" >"$out/results.tsv"
"$S"/bench/breakdown-report.py "$out/results.tsv" | tee "$out/report.md"
