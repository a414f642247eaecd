#!/bin/bash
# Build checks of the series, one "PASS|FAIL name: detail" line each,
# appended to build/checks.txt:
#   bisect-objs every patch, applied in turn, compiles the objects it
#               touches with the test config (in build/src/base: run after
#               run.sh base); a bzImage at every patch is make check-bisect's
#   notaskstats the directories the series touches build without
#               CONFIG_TASKSTATS
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

# bisect: every patch, applied in turn to the base run's tree
# (build/src/base), compiles the objects it touches (for a patch that
# changes only headers, the objects the whole series touches), in the base
# run's objects (build/obj/base), so only those files are compiled again.
# A whole bzImage at every patch, and at every patch without
# CONFIG_TASKSTATS, costs CI half an hour where a patch changes a header
# that most of the kernel includes (sched.h: 1136 of 1326 objects):
# scripts/check/check-bisect.sh (make check-bisect) does that, before a
# posting.  The series' bzImage is the series run's.  The tree is reset to
# the base afterwards.
bisect_objs() {
	local p pobjs plog
	while read -r p; do
		git -C "$base_src" -c user.name=bisect -c user.email=bisect@localhost \
			am -q --3way "$TOP/patches/$p" ||
			{ git -C "$base_src" am --abort; result FAIL "bisect-objs $p" "does not apply"; break; }
		pobjs=$(patch_objects "$base_src" "$objs")
		if [ -z "$pobjs" ]; then
			result PASS "bisect-objs $p" "changes no object"
			continue
		fi
		log "builds: bisect: $p: $pobjs"
		# One log per patch: PART/FILE flattened to PART-FILE.
		plog=$logs/bisect-${p//\//-}.log
		# shellcheck disable=SC2086 # word splitting intended
		if make -s -C "$base_src" O="$BUILD/obj/base" -j"$(jobs)" $pobjs \
			>"$plog" 2>&1; then
			result PASS "bisect-objs $p" "${pobjs% } compile"
		else
			result FAIL "bisect-objs $p" "build fails ($plog)"
		fi
	done < <(series_patches)
	"$S"/pipeline/src.sh base >/dev/null
}

# Without CONFIG_TASKSTATS (flavour notaskstats-series): every directory the series touches builds, all that this config
# builds in it, so the callers of a stub (kernel/exit.c of
# taskstats_kern.h) compile too.  Its whole bzImage, at every patch, is
# check-bisect.sh's.
notaskstats_dirs() {
	local obj=$BUILD/obj/notaskstats-series dirs d keep=() k
	dirs=$(for d in $objs; do dirname "$d"; done | sort -u)
	# A directory's build includes its subdirectories: name only the top ones.
	for d in $dirs; do
		for k in $dirs; do
			[ "$k" != "$d" ] && [ "${d#"$k"/}" != "$d" ] && continue 2
		done
		keep+=("$d/")
	done
	log "builds: notaskstats: ${keep[*]}"
	if SRC=$series_src "$S"/pipeline/kernel.sh --config notaskstats-series >"$logs/notaskstats.log" 2>&1 &&
	   ! grep -q '^CONFIG_TASKSTATS=y' "$obj/.config" &&
	   make -s -C "$series_src" O="$obj" -j"$(jobs)" "${keep[@]}" >>"$logs/notaskstats.log" 2>&1; then
		result PASS notaskstats "${keep[*]} build without CONFIG_TASKSTATS"
	else
		result FAIL notaskstats "build fails ($logs/notaskstats.log)"
	fi
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
notaskstats_dirs
bisect_objs
exit $rc
