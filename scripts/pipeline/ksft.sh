#!/bin/bash
# Build and install the kselftests of the series tree (KSFT_TARGETS, default
# "taskstats acct net consumers") against the series' own uapi headers; print
# the install path.  "net" is only the programs the series adds to mainline's
# net target (selftests/net), built alone: the target's others need
# libraries, YNL and BPF.  "consumers" is not a kselftest target: mainline's
# tools/accounting (getdelays, procacct, delaytop), built static from the
# series tree, and scripts/pipeline/consumers/accounting.sh, which runs and checks
# them, installed as one more collection.
# The install carries ksft-harness.txt, the binaries that list their cases
# with -l: the guest lists them before the suite (scripts/guest/init), and
# ktap.py reads the lists from the console.  No test binary runs here.
# The same binaries run on the series kernel and on the base kernel.
#
#   scripts/pipeline/ksft.sh SRC OBJ
#
#   M32=auto (default): also build the taskstats target with gcc -m32 when
#            the toolchain can (gcc-multilib), and say so when it cannot
#   M32=yes: the -m32 build is required (make check); M32=no: skip it
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

src=$(realpath "$1") obj=$(realpath "$2")
targets=${KSFT_TARGETS:-taskstats acct net consumers}
out=$BUILD/ksft
inst=$out/install
has() { case " $targets " in *" $1 "*) return 0 ;; esac; return 1; }
kself=$(echo " $targets " | sed 's/ consumers / /; s/ net / /; s/^ *//; s/ *$//')

# The runs of one make check (series, base, stable, debug) install the same
# binaries: built once for a tree, targets, M32 setting and tool version.
key=$({ git -C "$src" rev-parse HEAD; git -C "$src" status --porcelain -uno
	echo "$targets ${M32:-auto}"
	cat "$0" "$TOP"/scripts/pipeline/ktap.py "$TOP"/scripts/pipeline/consumers/*; } | sha1sum)
if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] && [ -x "$inst/run_kselftest.sh" ]; then
	log "ksft: the install of this tree, targets and M32=${M32:-auto} is there (build/ksft)"
	echo "$inst"
	exit 0
fi

make -s -C "$src" O="$obj" headers >&2
# Build from nothing: a binary left by an earlier build would hide a source
# that a patch deleted (the selftests' install step does not fail then).
rm -rf "$out"
log "ksft: building and installing selftests ($kself)"
make -s -C "$src/tools/testing/selftests" TARGETS="$kself" O="$out" \
	KHDR_INCLUDES="-isystem $obj/usr/include" INSTALL_PATH="$inst" \
	install >&2
[ -x "$inst/run_kselftest.sh" ] || die "kselftest install produced no run_kselftest.sh"
# The top-level install goes on past a target whose install failed; every
# program the list names must be there.
while IFS=: read -r coll bin; do
	[ -x "$inst/$coll/$bin" ] ||
		die "kselftest-list.txt names $coll:$bin, which was not built (see the make output above)"
done <"$inst/kselftest-list.txt"

# The same tests built with gcc -m32, installed beside the 64-bit ones as
# <test>_32: they run under the 64-bit kernel and so exercise the compat
# path and the 32-bit layout of struct taskstats.  Building them needs a
# 32-bit toolchain, not a host that can run them: they run in the guest.
m32_builds() {	# whether gcc -m32 links a threaded program here
	local t rc=0
	t=$(mktemp -d)
	printf '#include <pthread.h>\n#include <stdio.h>\nint main(void) { return !pthread_self(); }\n' >"$t/m32.c"
	gcc -m32 "$t/m32.c" -lpthread -o "$t/m32" 2>/dev/null || rc=1
	rm -rf "$t"
	return $rc
}
m32=${M32:-auto}
case $m32 in
auto|yes|no) ;;
*) die "M32=$m32: auto, yes or no" ;;
esac
if has taskstats && [ "$m32" != no ] && ! m32_builds; then
	[ "$m32" = yes ] && die "gcc -m32 cannot build a program here (install gcc-multilib), and M32=yes requires the -m32 tests"
	log "ksft: SKIP the -m32 tests: gcc -m32 cannot build a program here (install gcc-multilib; M32=no silences this)"
	m32=no
fi
if has taskstats && [ "$m32" != no ]; then
	log "ksft: building the taskstats selftests with -m32"
	mkdir -p "$out/m32"
	make -s -C "$src/tools/testing/selftests/taskstats" OUTPUT="$out/m32" \
		CC="gcc -m32" KHDR_INCLUDES="-isystem $obj/usr/include" \
		top_srcdir="$src" >&2
	for t in $(sed -n 's/^taskstats://p' "$inst/kselftest-list.txt"); do
		cp "$out/m32/$t" "$inst/taskstats/${t}_32"
		echo "taskstats:${t}_32" >>"$inst/kselftest-list.txt"
	done
fi

if has net; then
	log "ksft: building the series' programs of the net selftests"
	mkdir -p "$out/net" "$inst/net"
	for f in $(ksft_net_files); do
		case $f in *.c) ;; *) continue ;; esac
		p=$(basename "$f" .c)
		make -s -C "$src/$KSFT_NET_DIR" OUTPUT="$out/net" \
			KHDR_INCLUDES="-isystem $obj/usr/include" top_srcdir="$src" \
			"$out/net/$p" >&2
		install -m 0755 "$out/net/$p" "$inst/net/"
		echo "net:$p" >>"$inst/kselftest-list.txt"
	done
fi

if has consumers; then
	log "ksft: building tools/accounting (static) for the consumers checks"
	mkdir -p "$inst/consumers"
	for t in getdelays procacct delaytop; do
		gcc -static -O2 -isystem "$obj/usr/include" \
			"$src/tools/accounting/$t.c" "$TOP/scripts/pipeline/consumers/linebuf.c" \
			-o "$inst/consumers/$t" ||
			die "tools/accounting/$t.c does not build against the series headers"
	done
	install -m 0755 "$TOP/scripts/pipeline/consumers/accounting.sh" "$inst/consumers/"
	install -m 0644 "$TOP/scripts/pipeline/consumers/settings" "$inst/consumers/"
	echo "consumers:accounting.sh" >>"$inst/kselftest-list.txt"
fi

# The binaries the guest lists with -l before the suite, for ktap.py's
# plan checks: the console must report exactly the cases they list.
# shellcheck disable=SC2046,SC2086 # one option per word
"$TOP"/scripts/pipeline/ktap.py harness $(printf -- '--own-plan %s ' $KSFT_OWN_PLAN) "$inst"
log "ksft: $(wc -l <"$inst/kselftest-list.txt") binaries, $(wc -l <"$inst/ksft-harness.txt") of them listed with -l in the guest"
echo "$key" >"$out/key"
echo "$inst"
