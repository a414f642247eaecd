#!/bin/bash
# make bench: exit-path and query benchmarks of three kernels under the same
# QEMU, as ratios to the floor (the base kernel without CONFIG_TASKSTATS):
#   series  base + patches/
#   base    v7.3
#   floor   v7.3 with CONFIG_TASKSTATS=n
# One vCPU with -icount shift=0,sleep=off (bench/boot.sh): guest time counts
# instructions, so rates repeat across boots and ratios hold.  Rounds are
# interleaved (series, base, floor, series, ...); the report gives medians
# and the spread.  A benchmark, not a test: nothing here fails on speed.
#
# Then the SMP boots: SMP_VCPUS vCPUs without -icount (multi-threaded TCG
# runs the vCPUs at once, so exits on several CPUs contend on the listener
# lists and socket queues), of the same three kernels built with cgroups
# (bench/smp.config): thread exits on every vCPU at once (tsbench par) and
# CGROUPSTATS against reading /proc (tsbench cgstats), delay accounting
# off.  Guest time is host time there: give them an otherwise idle host
# with at least SMP_VCPUS cores.
#
#   ROUNDS=7         rounds of the one-vCPU boots
#   SMP_VCPUS=4      vCPUs of the SMP boots, 2 to 4 (CONFIG_NR_CPUS in
#                    kernel-config/qemu.config); 0: no SMP boots
#   SMP_ROUNDS=5     rounds of the SMP boots
#   SMP_MEM=2G       guest memory of the SMP boots: kernel.threads-max
#                    follows it, and 1G allows fewer than cgstats' 10000
#   ROWS=all         one-vCPU rows: all, or tgid (the TGID query rows alone:
#                    the floor is not booted; with SMP_VCPUS=0 a quick
#                    check of a change to the TGID walk)
#   BENCH_TIMEOUT=1800 (seconds per boot)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
rounds=${ROUNDS:-7}
smp_vcpus=${SMP_VCPUS:-4}
smp_rounds=${SMP_ROUNDS:-5}
smp_mem=${SMP_MEM:-2G}
rows=${ROWS:-all}
out=$BUILD/bench
mkdir -p "$out"

case $rows in
all) kernels="series base floor series-nd base-nd" rows_arg= ;;
tgid) kernels="series base series-nd base-nd" rows_arg=bench.rows=tgid ;;
*) die "ROWS=$rows: want all or tgid" ;;
esac
case $smp_vcpus in
0 | [2-4]) ;;
*) die "SMP_VCPUS=$smp_vcpus: want 0 (no SMP boots) or 2 to 4" ;;
esac
[ "$smp_vcpus" -gt "$(nproc)" ] &&
	log "bench: warning: $smp_vcpus vCPUs on $(nproc) host cores; the SMP rows measure the host's scheduling too"

"$S"/deps.sh
# The kernels: flavours bench-* of kernel-config/flavours.
# The floor only where a boot uses it (ROWS=tgid with SMP_VCPUS=0 does not).
for k in series base floor; do
	case " $kernels " in *" $k "*) "$S"/pipeline/kernel.sh "bench-$k" >/dev/null ;; esac
	if [ "$smp_vcpus" -gt 0 ]; then
		"$S"/pipeline/kernel.sh "bench-smp-$k" >/dev/null
	fi
done
series_src=$("$S"/pipeline/src.sh series)

# tsbench against the series' uapi headers.
"$S"/bench/payload.sh "$series_src" "$BUILD/obj/bench-series" "$out/initramfs.cpio"

results=$out/results.tsv
: >"$results"

# bench_boot VCPUS LABEL FLAVOR ROUND ROUNDS [kernel args]: boot the
# bench-FLAVOR kernel once (bench/boot.sh: -icount for one vCPU, none for
# more) and add its BENCH lines to results.tsv as kernel LABEL.
bench_boot() {
	local vcpus=$1 label=$2 flavor=$3 r=$4 n=$5 mem=1G
	shift 5
	local logf=$out/console-$label-$r.log
	[ "$vcpus" -gt 1 ] && mem=$smp_mem
	log "bench: round $r/$n, $label"
	BENCH_VCPUS=$vcpus BENCH_MEM=$mem "$S"/bench/boot.sh \
		"$BUILD/obj/bench-$flavor/arch/x86/boot/bzImage" \
		"$out/initramfs.cpio" "$logf" bench "$@"
	awk -v r="$r" -v k="$label" '$1 == "BENCH" { print r "\t" k "\t" $2 "\t" $3 }' \
		"$logf" >>"$results"
}

# series-nd and base-nd: the same kernels with delay accounting off (the
# default since 5.14), to tell taskstats' own cost from delay accounting's.
for r in $(seq 1 "$rounds"); do
	for k in $kernels; do
		args=$rows_arg
		case $k in *-nd) args="$args bench.delayacct=0" ;; esac
		bench_boot 1 "$k" "${k%-nd}" "$r" "$rounds" $args
	done
done
# bench.smp: the guest runs the par and cgstats rows.
if [ "$smp_vcpus" -gt 0 ]; then
	for r in $(seq 1 "$smp_rounds"); do
		for k in series base floor; do
			bench_boot "$smp_vcpus" "$k-smp" "smp-$k" "$r" "$smp_rounds" \
				bench.smp bench.delayacct=0
		done
	done
fi
"$S"/bench/report.py "$results" "$(base_label)" | tee "$out/report.md"
