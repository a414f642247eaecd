#!/bin/bash
# make check-bisect: a whole bzImage at every patch, one "PASS|FAIL name:
# detail" line each, appended to build/checks.txt.  make check compiles
# each patch's objects only (check-builds.sh): this is the full proof, run
# before a posting (most of an hour on 2 cores: the patches that change
# sched.h, netlink.h and the uapi headers rebuild most of the kernel).
#   bisect      every patch, applied in turn, builds a bzImage with the
#               test config (the base flavour's, in build/obj/base)
#   notaskstats without CONFIG_TASKSTATS the base builds a bzImage, each
#               patch compiles its objects that this config builds, and the
#               whole series builds a bzImage
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
# Without CONFIG_TASKSTATS (flavour bench-floor, the benchmark's floor) the base builds a whole
# bzImage, each step compiles those of the patch's objects (the series'
# objects for a header-only patch) that this config builds, and the whole
# series builds a bzImage at the end.  The tree is reset to the base
# afterwards.
bisect_make() {	# bisect_make NAME LABEL OBJ TARGET...: a result line
	local name=$1 label=$2 obj=$3 plog
	shift 3
	# One log per patch: PART/FILE flattened to PART-FILE.
	plog=$logs/$name-${label//\//-}.log
	log "builds: $name: $label"
	if make -s -C "$base_src" O="$obj" -j"$(jobs)" "$@" >"$plog" 2>&1; then
		result PASS "$name $label" "$([ "$1" = bzImage ] && echo "bzImage builds" || echo "$* build")"
	else
		result FAIL "$name $label" "build fails ($plog)"
	fi
}

# notaskstats_objs OBJ...: those of OBJ that the CONFIG_TASKSTATS=n base
# build produced (single targets are compiled whatever the config says).
notaskstats_objs() {
	local o
	for o in "$@"; do
		[ -f "$BUILD/obj/bench-floor/$o" ] && printf '%s ' "$o"
	done
	return 0
}

bisect() {
	local p files pobjs
	SRC=$base_src "$S"/pipeline/kernel.sh --config base >/dev/null
	SRC=$base_src "$S"/pipeline/kernel.sh --config bench-floor >/dev/null
	bisect_make bisect base "$BUILD/obj/base" bzImage
	bisect_make notaskstats base "$BUILD/obj/bench-floor" bzImage
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
			bisect_make notaskstats "$p" "$BUILD/obj/bench-floor" $pobjs
		else
			result PASS "notaskstats $p" "no object of it is built without CONFIG_TASKSTATS"
		fi
	done < <(series_patches)
	bisect_make notaskstats series "$BUILD/obj/bench-floor" bzImage
	"$S"/pipeline/src.sh base >/dev/null
}

bisect
exit $rc
