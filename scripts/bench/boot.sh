#!/bin/bash
# Boot a benchmark kernel.  One vCPU with -icount shift=0,sleep=off by
# default, so guest time counts instructions and rates repeat across boots.
# BENCH_VCPUS > 1 boots that many vCPUs without -icount: icount runs every
# vCPU in one host thread, one at a time, where multi-threaded TCG runs
# them at once, which concurrent exits need; guest time is then host time.
# MODE is the guest's (scripts/guest/init): bench or breakdown.  Fails
# unless the guest printed its end marker and no error line (the protocol's
# TS_BENCH_END and TS_BENCH_ERROR).
#
#   scripts/bench/boot.sh BZIMAGE INITRAMFS LOG MODE [extra kernel args]
#   BENCH_TIMEOUT=1800 (seconds)  BENCH_VCPUS=1  BENCH_MEM=1G
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/guest/protocol"

kernel=$1 initrd=$2 logf=$3 mode=$4
shift 4
vcpus=${BENCH_VCPUS:-1}
icount=
[ "$vcpus" = 1 ] && icount="-icount shift=0,sleep=off"
SMP=$vcpus MEM=${BENCH_MEM:-1G} KVM=0 BOOT_TIMEOUT=${BENCH_TIMEOUT:-1800} \
QEMU_EXTRA="$icount" \
	"$TOP"/scripts/guest/boot.sh "$kernel" "$initrd" "$logf" ts.mode="$mode" "$@" 2>/dev/null
grep -q "^$TS_BENCH_END" "$logf" || die "no $TS_BENCH_END: the guest did not finish (see $logf)"
! grep -q "^$TS_BENCH_ERROR" "$logf" || die "$(grep -m1 "^$TS_BENCH_ERROR" "$logf") (see $logf)"
