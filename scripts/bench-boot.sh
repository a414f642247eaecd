#!/bin/bash
# Boot a benchmark kernel.  One vCPU with -icount shift=0,sleep=off by
# default, so guest time counts instructions and rates repeat across boots.
# BENCH_VCPUS > 1 boots that many vCPUs without -icount: icount runs every
# vCPU in one host thread, one at a time, where multi-threaded TCG runs
# them at once, which concurrent exits need; guest time is then host time.
# Fails unless the guest printed its end sentinel and no BENCH-ERROR line.
#
#   scripts/bench-boot.sh BZIMAGE INITRAMFS LOG [extra kernel args]
#   BENCH_TIMEOUT=1800 (seconds)  BENCH_VCPUS=1  BENCH_MEM=1G
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 logf=$3
shift 3
vcpus=${BENCH_VCPUS:-1}
icount=
[ "$vcpus" = 1 ] && icount="-icount shift=0,sleep=off"
SMP=$vcpus MEM=${BENCH_MEM:-1G} KVM=0 BOOT_TIMEOUT=${BENCH_TIMEOUT:-1800} \
QEMU_EXTRA="$icount" \
	"$TOP"/scripts/boot.sh "$kernel" "$initrd" "$logf" "$@" 2>/dev/null
grep -q '^BENCH-END' "$logf" || die "no BENCH-END: the guest did not finish (see $logf)"
! grep -q '^BENCH-ERROR' "$logf" || die "$(grep -m1 '^BENCH-ERROR' "$logf") (see $logf)"
