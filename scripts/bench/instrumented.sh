#!/bin/bash
# instrumented.sh NAME PATCH FILE MINUTES: the series kernel with the
# benchmark instrumentation bench/PATCH (never part of the series), built as
# flavour bench-NAME and booted once under bench/boot.sh's QEMU (one vCPU,
# -icount) in the guest mode NAME; its BENCH lines go to
# build/bench-NAME/results.tsv and scripts/bench/NAME-report.py reports
# them.  FILE is what PATCH changes (for the error when it no longer
# applies), MINUTES how long the boot takes here (for the progress line).
# make bench-breakdown and make bench-cgfile (breakdown.sh, cgfile.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
[ $# = 4 ] || die "usage: instrumented.sh NAME PATCH FILE MINUTES"
name=$1 patch=$2 file=$3 minutes=$4
S=$TOP/scripts
out=$BUILD/bench-$name
mkdir -p "$out"

"$S"/deps.sh
series_src=$("$S"/pipeline/src.sh series)

# A clone of the series tree, reset and patched each run; files the patch
# does not touch keep their mtimes, so a rerun rebuilds few objects.
src=$BUILD/src/$name
if [ ! -d "$src/.git" ]; then
	log "$name: cloning the series tree into $src"
	git clone -q --shared --no-checkout "$series_src" "$src"
fi
git -C "$src" fetch -q "$series_src" HEAD
git -C "$src" checkout -q -f --detach FETCH_HEAD
git -C "$src" apply "$TOP/bench/$patch" ||
	die "bench/$patch does not apply to the series: refresh it against $file"

obj=$(SRC=$src "$S"/pipeline/kernel.sh "bench-$name")

"$S"/bench/payload.sh "$src" "$obj" "$out/initramfs.cpio"
log "$name: boot (about $minutes minutes)"
"$S"/bench/boot.sh "$obj/arch/x86/boot/bzImage" "$out/initramfs.cpio" "$out/console.log" "$name"
awk '$1 == "BENCH" { print $2 "\t" $3 }' "$out/console.log" >"$out/results.tsv"
"$S"/bench/"$name"-report.py "$out/results.tsv" | tee "$out/report.md"
