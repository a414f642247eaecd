#!/bin/bash
# Build checks of the series, one "PASS|FAIL name: detail" line each,
# appended to build/checks.txt:
#   bisect      every patch, applied in turn, builds (bzImage, test config;
#               in build/src/base and build/obj/base: run after run.sh base)
#   notaskstats the series builds with CONFIG_TASKSTATS=n
#   w1-sparse   W=1 and sparse on the touched objects add no warning over
#               the base (needs build/obj/{base,series}: run after run.sh)
#   i386, arm64 the touched objects build for i386 (gcc -m32) and arm64
#               (clang, LLVM=1: Debian's cross gcc is not installable here)
# Patches that touch only Documentation/, tools/ or MAINTAINERS change no
# object and are not built again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
out=$BUILD/checks.txt
logs=$BUILD/check-builds
mkdir -p "$logs"
rc=0

result() {	# result PASS|FAIL name detail
	printf '%s %s: %s\n' "$1" "$2" "$3" | tee -a "$out"
	[ "$1" = PASS ] || rc=1
}

series_src=$("$S"/src.sh series)
base_src=$("$S"/src.sh base)
base_commit=$(git -C "$series_src" rev-list --max-parents=0 HEAD | tail -n1)
objs=$(git -C "$series_src" diff --name-only "$base_commit" HEAD -- '*.c' |
	grep -v '^tools/' | sed 's/\.c$/.o/' | tr '\n' ' ')
tests_cfg=("$TOP/kernel-config/qemu.config" "$TOP/kernel-config/tests.config")

# bisect: the base run's tree and objects (build/src/base, build/obj/base),
# one patch at a time, so that only the first build is a full one; the
# tree is reset to the base afterwards.
bisect() {
	local src=$base_src obj=$BUILD/obj/base p files
	"$S"/config.sh "$src" "$obj" "${tests_cfg[@]}"
	log "builds: bisect: base"
	make -s -C "$src" O="$obj" -j"$(jobs)" bzImage >"$logs/bisect-base.log" 2>&1 ||
		{ result FAIL bisect "the base does not build ($logs/bisect-base.log)"; return; }
	while read -r p; do
		case $p in ''|'#'*|0000-*) continue ;; esac
		git -C "$src" -c user.name=bisect -c user.email=bisect@localhost \
			am -q --3way "$TOP/patches/$p" ||
			{ git -C "$src" am --abort; result FAIL "bisect $p" "does not apply"; return; }
		files=$(git -C "$src" diff --name-only HEAD~1 HEAD | grep -Ev '^(Documentation/|tools/|MAINTAINERS$)' || true)
		if [ -z "$files" ]; then
			result PASS "bisect $p" "changes no object"
			continue
		fi
		log "builds: bisect: $p"
		if make -s -C "$src" O="$obj" -j"$(jobs)" bzImage >"$logs/bisect-$p.log" 2>&1; then
			result PASS "bisect $p" "bzImage builds"
		else
			result FAIL "bisect $p" "build fails ($logs/bisect-$p.log)"
		fi
	done <"$TOP/patches/series"
	"$S"/src.sh base >/dev/null
}

notaskstats() {
	local obj=$BUILD/obj/notaskstats
	log "builds: CONFIG_TASKSTATS=n"
	"$S"/config.sh "$series_src" "$obj" "$TOP/kernel-config/qemu.config" \
		"$TOP/kernel-config/bench-floor.config"
	if make -s -C "$series_src" O="$obj" -j"$(jobs)" bzImage >"$logs/notaskstats.log" 2>&1; then
		result PASS notaskstats "the series builds with CONFIG_TASKSTATS=n"
	else
		result FAIL notaskstats "build fails ($logs/notaskstats.log)"
	fi
}

# Warnings of W=1 and sparse (C=2 checks even up-to-date objects) on $objs,
# without line numbers, so that moved code compares equal.
warnings() {	# warnings SRC OBJ
	make -s -C "$1" O="$2" W=1 C=2 $objs 2>&1 >/dev/null |
		grep -E 'warning:|error:' | sed -E "s#$1/##; s/:[0-9]+:[0-9]+:/:/" | sort -u
}

w1_sparse() {
	log "builds: W=1 and sparse on $objs"
	warnings "$base_src" "$BUILD/obj/base" >"$logs/warnings-base.txt"
	warnings "$series_src" "$BUILD/obj/series" >"$logs/warnings-series.txt"
	if comm -13 "$logs/warnings-base.txt" "$logs/warnings-series.txt" >"$logs/warnings-new.txt" &&
	   [ ! -s "$logs/warnings-new.txt" ]; then
		result PASS w1-sparse "no new warning ($(wc -l <"$logs/warnings-series.txt") with the series, $(wc -l <"$logs/warnings-base.txt") on the base)"
	else
		result FAIL w1-sparse "new warnings ($logs/warnings-new.txt)"
	fi
}

cross() {	# cross NAME MAKEVARS...
	local name=$1 obj=$BUILD/obj/$1
	shift
	log "builds: $name: $objs"
	if env "$@" "$S"/config.sh "$series_src" "$obj" "$TOP/kernel-config/tests.config" \
		>"$logs/$name.log" 2>&1 &&
	   env "$@" make -s -C "$series_src" O="$obj" -j"$(jobs)" $objs >>"$logs/$name.log" 2>&1; then
		result PASS "$name" "touched objects build"
	else
		result FAIL "$name" "build fails ($logs/$name.log)"
	fi
}

w1_sparse
cross i386 ARCH=i386
cross arm64 ARCH=arm64 LLVM=1
notaskstats
bisect
exit $rc
