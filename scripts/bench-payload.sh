#!/bin/bash
# Build tsbench (static: the initramfs has no libc) against the uapi headers
# of the kernel in OBJ, and pack it with INIT as /init into an initramfs.
#
#   scripts/bench-payload.sh SRC OBJ INIT OUT.cpio
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$1 obj=$2 init=$3 out=$4
payload=$(dirname "$out")/payload
log "bench: tsbench"
make -s -C "$src" O="$obj" headers >&2
mkdir -p "$payload"
gcc -Wall -O2 -static -isystem "$obj/usr/include" \
	-o "$payload/tsbench" "$TOP/bench/tsbench.c" \
	"$TOP/selftests/taskstats/ts_netlink.c" -lpthread
INIT="$init" PAYLOAD_DIR=bench "$TOP"/scripts/initramfs.sh "$payload" "$out"
