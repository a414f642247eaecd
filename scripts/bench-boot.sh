#!/bin/bash
# Boot a benchmark kernel: one vCPU with -icount shift=0,sleep=off, so guest
# time counts instructions and rates repeat across boots.  Fails unless the
# guest printed its end sentinel and no BENCH-ERROR line.
#
#   scripts/bench-boot.sh BZIMAGE INITRAMFS LOG [extra kernel args]
#   BENCH_TIMEOUT=1800 (seconds)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 logf=$3
shift 3
SMP=1 MEM=1G KVM=0 BOOT_TIMEOUT=${BENCH_TIMEOUT:-1800} \
QEMU_EXTRA="-icount shift=0,sleep=off" \
	"$TOP"/scripts/boot.sh "$kernel" "$initrd" "$logf" "$@" 2>/dev/null
grep -q '^BENCH-END' "$logf" || die "no BENCH-END: the guest did not finish (see $logf)"
! grep -q '^BENCH-ERROR' "$logf" || die "$(grep -m1 '^BENCH-ERROR' "$logf") (see $logf)"
