#!/bin/bash
# Build checks of the series, one "PASS|FAIL name: detail" line each,
# appended to build/checks.txt:
#   bisect      every patch, applied in turn, builds (bzImage) with the test
#               config; without CONFIG_TASKSTATS the objects each patch
#               touches compile and the whole series builds a bzImage (in
#               build/src/base: run after run.sh base)
#   w1-sparse   W=1 and sparse (C=2; scripts/check/get-sparse.sh finds one that
#               can check v7.3) on the touched objects add no warning over
#               the base (needs build/obj/{base,series}: run after run.sh)
#   i386, arm64 the touched objects build for i386 (gcc -m32) and arm64
#               (clang-19, LLVM=-19: bookworm's cross gcc is not installable
#               here and its clang-14 is too old for 7.3)
#   selftests   the selftests build without warnings, 64-bit and -m32
# Patches that touch only Documentation/, tools/ or MAINTAINERS change no
# object and are not built again.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
logs=$BUILD/check-builds
mkdir -p "$logs"
rc=0

result() {	# result PASS|FAIL name detail
	check_result "$@"
	[ "$1" = PASS ] || rc=1
}

series_src=$("$S"/pipeline/src.sh series)
base_src=$("$S"/pipeline/src.sh base)
base_commit=$(series_base "$series_src")
objs=$(git -C "$series_src" diff --name-only "$base_commit" HEAD -- '*.c' |
	grep -v '^tools/' | sed 's/\.c$/.o/' | tr '\n' ' ')

# bisect: the base run's tree (build/src/base), one patch at a time.  At
# every step the test config builds a whole bzImage, in the base run's
# objects (build/obj/base), so only changed files are compiled again.
# Without CONFIG_TASKSTATS (build/obj/notaskstats) the base builds a whole
# bzImage, each step compiles those of the patch's objects (the series'
# objects for a header-only patch) that this config builds, and the whole
# series builds a bzImage at the end: a whole build per step costs several
# minutes more of make check where a patch changes a header that half the
# kernel includes (sched.h).  The tree is reset to the base afterwards.
bisect_make() {	# bisect_make NAME LABEL OBJ TARGET...: a result line
	local name=$1 label=$2 obj=$3
	shift 3
	log "builds: $name: $label"
	if make -s -C "$base_src" O="$obj" -j"$(jobs)" "$@" >"$logs/$name-$label.log" 2>&1; then
		result PASS "$name $label" "$([ "$1" = bzImage ] && echo "bzImage builds" || echo "$* build")"
	else
		result FAIL "$name $label" "build fails ($logs/$name-$label.log)"
	fi
}

# notaskstats_objs OBJ...: those of OBJ that the CONFIG_TASKSTATS=n base
# build produced (single targets are compiled whatever the config says).
notaskstats_objs() {
	local o
	for o in "$@"; do
		[ -f "$BUILD/obj/notaskstats/$o" ] && printf '%s ' "$o"
	done
	return 0
}

bisect() {
	local p files pobjs
	SRC=$base_src "$S"/pipeline/kernel.sh --config base >/dev/null
	SRC=$base_src "$S"/pipeline/kernel.sh --config notaskstats >/dev/null
	bisect_make bisect base "$BUILD/obj/base" bzImage
	bisect_make notaskstats base "$BUILD/obj/notaskstats" bzImage
	while read -r p; do
		git -C "$base_src" -c user.name=bisect -c user.email=bisect@localhost \
			am -q --3way "$TOP/patches/$p" ||
			{ git -C "$base_src" am --abort; result FAIL "bisect $p" "does not apply"; break; }
		files=$(git -C "$base_src" diff --name-only HEAD~1 HEAD |
			grep -Ev '^(Documentation/|tools/|MAINTAINERS$)' || true)
		if [ -z "$files" ]; then
			result PASS "bisect $p" "changes no object"
			continue
		fi
		bisect_make bisect "$p" "$BUILD/obj/base" bzImage
		# shellcheck disable=SC2046,SC2086 # word splitting intended
		pobjs=$(notaskstats_objs $(grep '\.c$' <<<"$files" | sed 's/\.c$/.o/'))
		# shellcheck disable=SC2086
		[ -n "$pobjs" ] || pobjs=$(notaskstats_objs $objs)
		if [ -n "$pobjs" ]; then
			# shellcheck disable=SC2086
			bisect_make notaskstats "$p" "$BUILD/obj/notaskstats" $pobjs
		else
			result PASS "notaskstats $p" "no object of it is built without CONFIG_TASKSTATS"
		fi
	done < <(series_patches)
	bisect_make notaskstats series "$BUILD/obj/notaskstats" bzImage
	"$S"/pipeline/src.sh base >/dev/null
}

# Warnings of W=1 and sparse (C=2 checks even up-to-date objects) on $objs,
# without line numbers, so that moved code compares equal; sorted with their
# repeats, so that a second instance of a known warning counts as new.
warnings() {	# warnings SRC OBJ [MAKEVARS...]
	# Up-to-date objects would not be compiled again, nor warned about.
	(cd "$2" && rm -f $objs)
	make -s -C "$1" O="$2" W=1 "${@:3}" $objs 2>&1 >/dev/null |
		{ grep -E 'warning:|error:' || true; } |
		sed -E "s#$1/##; s/:[0-9]+:[0-9]+:/:/" | sort
}

w1_sparse() {
	local name=w1-sparse sparse check

	# 7.3 needs a sparse that knows __typeof_unqual__ (get-sparse.sh).
	if ! check=$("$S"/check/get-sparse.sh "$series_src"); then
		result FAIL sparse "no sparse that can check v7.3 (see scripts/check/get-sparse.sh)"
		return
	fi
	sparse=(C=2 CHECK="$check")
	log "builds: W=1 ${sparse[*]} on $objs"
	warnings "$base_src" "$BUILD/obj/base" "${sparse[@]}" >"$logs/warnings-base.txt"
	warnings "$series_src" "$BUILD/obj/series" "${sparse[@]}" >"$logs/warnings-series.txt"
	if comm -13 "$logs/warnings-base.txt" "$logs/warnings-series.txt" >"$logs/warnings-new.txt" &&
	   [ ! -s "$logs/warnings-new.txt" ]; then
		result PASS "$name" "no new warning on the touched objects ($(wc -l <"$logs/warnings-series.txt") with the series, $(wc -l <"$logs/warnings-base.txt") on the base)"
	else
		result FAIL "$name" "new warnings ($logs/warnings-new.txt)"
	fi
}

cross() {	# cross NAME MAKEVARS...
	local name=$1 obj=$BUILD/obj/$1
	shift
	log "builds: $name: $objs"
	if env "$@" SRC="$series_src" "$S"/pipeline/kernel.sh --config "$name" >"$logs/$name.log" 2>&1 &&
	   env "$@" make -s -C "$series_src" O="$obj" -j"$(jobs)" $objs >>"$logs/$name.log" 2>&1; then
		result PASS "$name" "touched objects build"
	else
		result FAIL "$name" "build fails ($logs/$name.log)"
	fi
}

# The selftests build without a warning, 64-bit and -m32: make succeeds and
# every program of the Makefile's TEST_GEN_PROGS is there.
selftests_warnings() {
	local cc n rc missing dir=$series_src/$KSFT_DIR
	local progs
	progs=$(ksft_progs "$series_src")
	for cc in gcc "gcc -m32"; do
		rm -rf "$logs/ksft"
		mkdir -p "$logs/ksft"
		rc=0
		make -C "$dir" OUTPUT="$logs/ksft" CC="$cc" \
			KHDR_INCLUDES="-isystem $BUILD/obj/series/usr/include" \
			>"$logs/ksft-${cc// /}.log" 2>&1 || rc=$?
		n=$(grep -c 'warning:' "$logs/ksft-${cc// /}.log" || true)
		missing=$(for p in $progs; do [ -x "$logs/ksft/$p" ] || printf '%s ' "$p"; done)
		missing=${missing% }
		if [ "$rc" = 0 ] && [ "$n" = 0 ] && [ -z "$missing" ]; then
			result PASS "selftests $cc" "$(echo $progs | wc -w) programs build without warnings"
		else
			result FAIL "selftests $cc" "make rc $rc, $n warnings, missing: ${missing:-none} ($logs/ksft-${cc// /}.log)"
		fi
	done
}

w1_sparse
selftests_warnings
cross i386 ARCH=i386
cross arm64 ARCH=arm64 LLVM=-19
bisect
exit $rc
