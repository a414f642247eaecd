#!/bin/bash
# Build tsbench (static: the initramfs has no libc) against the uapi headers
# of the kernel in OBJ, and pack it as /bench into a guest initramfs.
#
#   scripts/bench/payload.sh SRC OBJ OUT.cpio
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

src=$1 obj=$2 out=$3
payload=$(dirname "$out")/payload
log "bench: tsbench"
make -s -C "$src" O="$obj" headers >&2
mkdir -p "$payload"
gcc -Wall -O2 -static -isystem "$obj/usr/include" \
	-o "$payload/tsbench" "$TOP/bench/tsbench.c" \
	"$TOP/selftests/taskstats/ts_netlink.c" -lpthread
PAYLOAD_DIR=bench "$TOP"/scripts/guest/initramfs.sh "$payload" "$out"
