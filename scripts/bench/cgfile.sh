#!/bin/bash
# make bench-cgfile: CGROUPSTATS_CMD_GET of a cgroup v2 directory against
# the cgroupfs file Tejun Heo named as its alternative.  Builds the series
# kernel with bench/cgroup-file.patch (a prototype "cgroup.task_states"
# doing the same subtree walk; instrumentation, never part of the series)
# and boots it once under bench/boot.sh's QEMU (one vCPU, -icount: times
# count guest instructions), where tsbench cgstats times the query, the
# file and what userspace reads from /proc, over the same sleeping threads.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
out=$BUILD/bench-cgfile
mkdir -p "$out"

"$S"/deps.sh
series_src=$("$S"/pipeline/src.sh series)

# A clone of the series tree, reset and patched each run (as breakdown.sh).
src=$BUILD/src/cgfile
if [ ! -d "$src/.git" ]; then
	log "cgfile: cloning the series tree into $src"
	git clone -q --shared --no-checkout "$series_src" "$src"
fi
git -C "$src" fetch -q "$series_src" HEAD
git -C "$src" checkout -q -f --detach FETCH_HEAD
git -C "$src" apply "$TOP/bench/cgroup-file.patch" ||
	die "bench/cgroup-file.patch does not apply to the series: refresh it against kernel/cgroup/cgroup.c"

obj=$(SRC=$src "$S"/pipeline/kernel.sh bench-cgfile)

"$S"/bench/payload.sh "$src" "$obj" "$out/initramfs.cpio"
log "cgfile: boot (about 5 minutes)"
"$S"/bench/boot.sh "$obj/arch/x86/boot/bzImage" "$out/initramfs.cpio" "$out/console.log" cgfile
awk '$1 == "BENCH" { print $2 "\t" $3 }' "$out/console.log" >"$out/results.tsv"
"$S"/bench/cgfile-report.py "$out/results.tsv" | tee "$out/report.md"
