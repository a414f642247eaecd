#!/bin/bash
# make bench: exit-path and query benchmarks of three kernels under the same
# QEMU, as ratios to the floor (the base kernel without CONFIG_TASKSTATS):
#   series  base + patches/
#   base    v7.3
#   floor   v7.3 with CONFIG_TASKSTATS=n
# One vCPU with -icount shift=0,sleep=off (bench-boot.sh): guest time counts
# instructions, so rates repeat across boots and ratios hold.  Rounds are
# interleaved (series, base, floor, series, ...); the report gives medians
# and the spread.  A benchmark, not a test: nothing here fails on speed.
#
#   ROUNDS=7 (default)   BENCH_TIMEOUT=1800 (seconds per boot)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
rounds=${ROUNDS:-7}
out=$BUILD/bench
mkdir -p "$out"

"$S"/deps.sh
series_src=$("$S"/src.sh series)
base_src=$("$S"/src.sh base)

build() {	# build FLAVOR SRC FRAGMENT...
	local flavor=$1 src=$2
	shift 2
	local obj=$BUILD/obj/bench-$flavor
	log "bench: $flavor kernel"
	"$S"/config.sh "$src" "$obj" "$TOP/kernel-config/qemu.config" "$@"
	make -s -C "$src" O="$obj" -j"$(jobs)" bzImage >&2
}
build series "$series_src" "$TOP/kernel-config/bench.config"
build base "$base_src" "$TOP/kernel-config/bench.config"
build floor "$base_src" "$TOP/kernel-config/bench-floor.config"

# tsbench against the series' uapi headers.
"$S"/bench-payload.sh "$series_src" "$BUILD/obj/bench-series" "$S/bench-init" \
	"$out/initramfs.cpio"

results=$out/results.tsv
: >"$results"
# series-nd and base-nd: the same kernels with delay accounting off (the
# default since 5.14), to tell taskstats' own cost from delay accounting's.
for r in $(seq 1 "$rounds"); do
	for k in series base floor series-nd base-nd; do
		log "bench: round $r/$rounds, $k"
		logf=$out/console-$k-$r.log
		args=
		case $k in *-nd) args=bench.delayacct=0 ;; esac
		"$S"/bench-boot.sh "$BUILD/obj/bench-${k%-nd}/arch/x86/boot/bzImage" \
			"$out/initramfs.cpio" "$logf" $args
		awk -v r="$r" -v k="$k" '$1 == "BENCH" { print r "\t" k "\t" $2 "\t" $3 }' \
			"$logf" >>"$results"
	done
done
"$S"/bench-report.py "$results" | tee "$out/report.md"
