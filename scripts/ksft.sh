#!/bin/bash
# Build and install the kselftests of the series tree (TARGETS, default
# "taskstats") against the series' own uapi headers; print the install path.
# The same binaries run on the series kernel and on the base kernel.
#
#   scripts/ksft.sh SRC OBJ
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(realpath "$1") obj=$(realpath "$2")
targets=${KSFT_TARGETS:-taskstats}
out=$BUILD/ksft
inst=$out/install

make -s -C "$src" O="$obj" headers >&2
rm -rf "$inst"
log "ksft: building and installing selftests ($targets)"
make -s -C "$src/tools/testing/selftests" TARGETS="$targets" O="$out" \
	KHDR_INCLUDES="-isystem $obj/usr/include" INSTALL_PATH="$inst" \
	install >&2
[ -x "$inst/run_kselftest.sh" ] || die "kselftest install produced no run_kselftest.sh"
echo "$inst"
