#!/bin/bash
# Each part of patches/ stands alone: applied onto the base tree with the
# parts its series file's "# needs:" line names, and no others, every patch
# of it applies and compiles the objects it touches (a patch that changes
# only headers: every object the part touches), and its selftests build
# (64-bit, without warnings) at its last patch.  One line per part,
# "PASS|FAIL part NAME: detail", in build/checks.txt.
#
#   scripts/check/check-parts.sh          the parts that the stack's own
#                                         bisect does not already prove
#   scripts/check/check-parts.sh --all    every part (make check-parts)
#
# A part whose needs are exactly the parts before it is applied as the stack
# applies it, which check-builds.sh's bisect-objs proves patch by patch;
# make check skips those.  Booting a part alone and running its tests is not
# done here: the suite runs on the whole stack and on the base.
#
# It works in the base run's tree and objects (build/src/base,
# build/obj/base), configuring them if no base run did, so that only the
# touched files are compiled; the tree is reset to the base afterwards.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
all=${1:-}
logs=$BUILD/check-parts
mkdir -p "$logs"
rc=0

result() {	# result PASS|FAIL name detail
	check_result "$@"
	[ "$1" = PASS ] || rc=1
}

"$S"/deps.sh
src=$("$S"/pipeline/src.sh base)
obj=$BUILD/obj/base
[ -f "$obj/.config" ] || "$S"/pipeline/kernel.sh --config base >/dev/null
base_commit=$(series_base "$src")
trap '"$S"/pipeline/src.sh base >/dev/null 2>&1 || true' EXIT

am() {	# am PATCH: apply one patch of patches/ to the tree
	git -C "$src" -c user.name=parts -c user.email=parts@localhost \
		am -q --3way "$TOP/patches/$1" >>"$log" 2>&1
}

objects() {	# objects REV: the .o of the non-tools .c files REV..HEAD touch
	git -C "$src" diff --name-only "$1" HEAD -- '*.c' | grep -v '^tools/' |
		sed 's/\.c$/.o/' | tr '\n' ' ' || true
}

# selftests: the part's selftests build, 64-bit, without a warning, on the
# uapi headers of the tree as the part leaves it.
selftests() {
	local out=$logs/ksft f p log=$logs/$part-selftests.log
	: >"$log"
	make -s -C "$src" O="$obj" headers >>"$log" 2>&1 || return 1
	if git -C "$src" diff --quiet "$base_commit" HEAD -- "$KSFT_DIR"; then :; else
		rm -rf "$out"
		mkdir -p "$out"
		make -C "$src/$KSFT_DIR" OUTPUT="$out" KHDR_INCLUDES="-isystem $obj/usr/include" \
			>>"$log" 2>&1 || return 1
	fi
	for f in $(git -C "$src" diff --name-only "$base_commit" HEAD -- "$KSFT_NET_DIR/*.c"); do
		p=$(basename "$f" .c)
		mkdir -p "$logs/net"
		make -C "$src/$KSFT_NET_DIR" OUTPUT="$logs/net" KHDR_INCLUDES="-isystem $obj/usr/include" \
			top_srcdir="$src" "$logs/net/$p" >>"$log" 2>&1 || return 1
	done
	! grep -q 'warning:' "$log"
}

check_part() {	# check_part PART: apply its needs, then it patch by patch
	local part=$1 need p pobjs first n=0
	log=$logs/$part.log
	: >"$log"
	git -C "$src" checkout -q -f --detach "$base_commit"
	for need in $(part_needs "$part"); do
		for p in $(part_patches "$need"); do
			am "$p" || { git -C "$src" am --abort; result FAIL "part $part" "needs $need, whose $p does not apply ($log)"; return; }
		done
	done
	first=$(git -C "$src" rev-parse HEAD)
	for p in $(part_patches "$part"); do
		am "$p" || { git -C "$src" am --abort; result FAIL "part $part" "$p does not apply on $(part_needs "$part" | sed 's/^$/the base/') ($log)"; return; }
		pobjs=$(patch_objects "$src" "$(objects "$first")")
		[ -n "$pobjs" ] || continue
		log "parts: $p: $pobjs"
		# shellcheck disable=SC2086 # one object per word
		make -s -C "$src" O="$obj" -j"$(jobs)" $pobjs >>"$log" 2>&1 ||
			{ result FAIL "part $part" "$p does not compile $pobjs($log)"; return; }
		n=$((n + 1))
	done
	if ! selftests; then
		result FAIL "part $part" "its selftests do not build without warnings ($logs/$part-selftests.log)"
		return
	fi
	result PASS "part $part" "applies on $(part_needs "$part" | sed 's/^$/the base alone/'): $(part_patches "$part" | wc -l) patch(es), $n compiling the objects they touch (the rest change none); its selftests, if any, build"
}

prefix=
for part in $(series_parts); do
	# shellcheck disable=SC2086 # compared as words
	if [ "$all" != --all ] && [ "$(echo $(part_needs "$part"))" = "$(echo $prefix)" ]; then
		log "parts: $part applies on the parts before it, as the stack does (check-builds' bisect-objs)"
	else
		check_part "$part"
	fi
	prefix+=" $part"
done
"$S"/pipeline/src.sh base >/dev/null
make -s -C "$src" O="$obj" headers >/dev/null 2>&1 || true
exit $rc
