#!/bin/bash
# A kselftest tarball of the series' taskstats tests for a lab (KernelCI,
# LAVA): kselftest's own gen_tar on the series tree, built against the
# series' uapi headers.  Unpack it on a machine booted with the series
# kernel and run ./run_kselftest.sh (README.md).
#
#   scripts/pipeline/kselftest-tar.sh        writes build/kselftest-taskstats.tar.gz
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

out=$BUILD/kselftest-tar	# its own headers, objects and install
tarball=$BUILD/kselftest-taskstats.tar.gz

src=$("$TOP"/scripts/pipeline/src.sh series)
log "kselftest-tar: uapi headers of the series"
mkdir -p "$out/obj"
make -s -C "$src" O="$out/obj" headers >&2
rm -rf "$out/install"
log "kselftest-tar: gen_tar (TARGETS=taskstats)"
make -s -C "$src/tools/testing/selftests" TARGETS=taskstats O="$out/ksft" \
	KHDR_INCLUDES="-isystem $out/obj/usr/include" INSTALL_PATH="$out/install" \
	FORMAT=.gz gen_tar >&2
built=$out/install/kselftest-packages/kselftest.tar.gz
[ -f "$built" ] || die "gen_tar produced no $built"
files=$(tar -tzf "$built")
for f in ./run_kselftest.sh ./kselftest-list.txt ./taskstats/query; do
	grep -qxF "$f" <<<"$files" || die "$built has no $f"
done
cp "$built" "$tarball"
log "kselftest-tar: $tarball ($(tar -xzOf "$tarball" ./kselftest-list.txt | wc -l) tests)"
echo "$tarball"
