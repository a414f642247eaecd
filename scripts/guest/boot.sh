#!/bin/bash
# Boot a kernel with an initramfs under qemu-system-x86_64, keep the whole
# console in LOG and stream the test output (from "TAP version" on, plus any
# kernel splat) to stderr.  Bounded by a host-side timeout.
#
#   scripts/guest/boot.sh BZIMAGE INITRAMFS LOG [extra kernel args]
#
# Environment: SMP (default 2), MEM (default 1G), BOOT_TIMEOUT (seconds,
# default 1200), KVM (auto|0|1: KVM only when a probe shows it works),
# QEMU_EXTRA (more qemu options, e.g. "-icount shift=0,sleep=off").
# The guest has a virtio-rng device, so that a kernel with its driver
# (kernel-config/tests.config) has a ready CRNG while the tests run.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/guest/protocol"

kernel=$1 initrd=$2 logf=$3
shift 3
# What the tests need on the command line: kernel-config/tests.cmdline.
cmdline="console=ttyS0 panic=-1 $(cat "$TOP/kernel-config/tests.cmdline") $*"
smp=${SMP:-2}

qemu() {
	local accel=$1 timeout=$2
	shift 2
	timeout --foreground -k 5 "$timeout" \
		qemu-system-x86_64 -nodefaults -nographic -no-reboot \
		-machine pc -accel "$accel" -m "${MEM:-1G}" -smp "$smp" \
		-serial stdio -kernel "$kernel" -initrd "$initrd" \
		-device virtio-rng-pci \
		${QEMU_EXTRA:-} "$@"
}

# KVM exists on these machines but a guest may hang in it: use it only when
# a 20-second probe boot gets to userspace.  The answer is cached per host.
pick_accel() {
	local want=${KVM:-auto} cachef=$CACHE/kvm-probe.$(uname -r)
	[ "$want" = 0 ] && { echo tcg; return; }
	[ -w /dev/kvm ] || { echo tcg; return; }
	if [ "$want" = auto ] && [ -f "$cachef" ]; then
		cat "$cachef"
		return
	fi
	local accel=tcg
	if qemu kvm 20 -append "console=ttyS0 panic=-1 ts.mode=probe" 2>/dev/null |
		grep -q "$TS_PROBE"; then
		accel=kvm
	fi
	mkdir -p "$CACHE"
	echo "$accel" >"$cachef"
	echo "$accel"
}

accel=$(pick_accel)
log "boot: qemu ($accel, $smp vCPUs), console log in $logf"
set +e
qemu "$accel" "${BOOT_TIMEOUT:-1200}" -append "$cmdline" </dev/null 2>&1 |
	tee "$logf" |
	awk -v splat="$TS_SPLAT" '/TAP version/ { on = 1 }
	     $0 ~ splat { print; fflush(); next }
	     on { print; fflush() }' >&2
st=${PIPESTATUS[0]}
set -e
# The verdict is the parser's (scripts/pipeline/ktap.py): a missing end marker fails.
[ "$st" = 124 ] && log "boot: host-side timeout after ${BOOT_TIMEOUT:-1200}s"
exit 0
