#!/bin/bash
# Build and install the kselftests of the series tree (KSFT_TARGETS, default
# "taskstats acct consumers") against the series' own uapi headers; print the
# install path.  "consumers" is not a kselftest target: mainline's
# tools/accounting (getdelays, procacct, delaytop), built static from the
# series tree, and scripts/pipeline/consumers/accounting.sh, which runs and checks
# them, installed as one more collection.
# The install carries ksft-cases.txt: "binary<TAB>case" for every case the
# binaries list with -l (scripts/pipeline/ktap.py cases).
# The same binaries run on the series kernel and on the base kernel.
#
#   scripts/pipeline/ksft.sh SRC OBJ
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

src=$(realpath "$1") obj=$(realpath "$2")
targets=${KSFT_TARGETS:-taskstats acct consumers}
# Binaries that are not kselftest_harness.h programs: they print their own
# plan and ignore -l, so ktap.py does not run them.  All of acct's, and the
# two programs the series moves from acct/ to taskstats/ (and their -m32
# builds).
own_plan="acct taskstats:taskstats_fill_stats_tgid taskstats:cgroupstats"
out=$BUILD/ksft
inst=$out/install
has() { case " $targets " in *" $1 "*) return 0 ;; esac; return 1; }
kself=$(echo " $targets " | sed 's/ consumers / /; s/^ *//; s/ *$//')

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
# path and the 32-bit layout of struct taskstats.
if has taskstats; then
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

# What each binary says it runs (-l), for ktap.py's plan checks: the
# console must report exactly these cases.
# shellcheck disable=SC2046 # one option per word
"$TOP"/scripts/pipeline/ktap.py cases $(printf -- '--own-plan %s ' $own_plan) "$inst" "$inst/ksft-cases.txt"
log "ksft: $(wc -l <"$inst/ksft-cases.txt") test cases in $(wc -l <"$inst/kselftest-list.txt") binaries"
echo "$inst"
