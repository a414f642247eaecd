#!/bin/bash
# Checks on the series itself, one "PASS|FAIL name: detail" line each in
# build/checks.txt (and on stdout).  Exit status non-zero if any failed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts
out=$BUILD/checks.txt
mkdir -p "$BUILD"
: >"$out"

result() {	# result PASS|FAIL name detail
	check_result "$@"
}

# patches/series lists exactly the part directories; each part's series
# lists exactly its patch files, without the cover letter, so that git am
# $(cat series) and quilt apply it as it is; the parts it needs come before
# it.
parts_listed=$(series_parts | sort)
parts_present=$(cd "$TOP/patches" && for d in */; do echo "${d%/}"; done | sort)
bad=
[ "$parts_listed" = "$parts_present" ] || bad="patches/series does not list exactly the directories of patches/; "
seen=
for part in $(series_parts); do
	listed=$(part_patches "$part" | sed 's|^[^/]*/||' | sort)
	present=$(cd "$TOP/patches/$part" && ls -- *.patch | grep -v '^0000-cover-letter\.patch$' | sort)
	[ "$listed" = "$present" ] || bad+="$part/series and $part/*.patch disagree; "
	[ -f "$TOP/patches/$part/0000-cover-letter.patch" ] || bad+="$part has no cover letter; "
	for need in $(part_needs "$part"); do
		grep -qxF -- "$need" <<<"$seen" || bad+="$part needs $need, which does not come before it; "
	done
	seen+="$part"$'\n'
done
if [ -z "$bad" ]; then
	result PASS series-file "$(series_patches | wc -l) patches in $(series_parts | wc -l) parts, each with its series file and cover letter, each after the parts it needs"
else
	result FAIL series-file "${bad%; }"
fi

# Each part is one posting: at most 15 patches (submitting-patches.rst's
# "15 or so", netdev's hard limit), a cover letter whose subject has a tag
# and whose text fits 72 columns (format-patch's diffstat aside), and a
# part that changes net/ is tagged for a net tree.
bad=
for part in $(series_parts); do
	cover=$TOP/patches/$part/0000-cover-letter.patch
	n=$(part_patches "$part" | wc -l)
	[ "$n" -le 15 ] || bad+="$part has $n patches; "
	wide=$(sed '1,/^$/d; /^ [^ ].* | *[0-9]* [-+]*$/,$d' "$cover" | awk 'length > 72' | wc -l)
	[ "$wide" = 0 ] || bad+="$part's cover letter has $wide lines over 72 columns; "
	subject=$(sed -n '/^Subject: /{N; s/\n / /; p}' "$cover")
	case $subject in
	*"[PATCH "*|*"[RFC PATCH "*) ;;
	*) bad+="$part's cover letter subject has no [PATCH ...] tag; " ;;
	esac
	if grep -q '^diff --git a/net/' "$TOP"/patches/"$part"/0*.patch; then
		case $subject in *" net-next "*|*" net "*) ;;
		*) bad+="$part changes net/ but its tag names no net tree; " ;;
		esac
	fi
done
if [ -z "$bad" ]; then
	result PASS parts-postable "every part: at most 15 patches, a tagged cover letter within 72 columns, net/ changes tagged for a net tree"
else
	result FAIL parts-postable "${bad%; }"
fi

# The parser that gives the verdict passes its own tests (saved consoles).
if python3 "$S"/pipeline/ktap_test.py >"$BUILD/ktap_test.out" 2>&1; then
	result PASS ktap-test "scripts/pipeline/ktap_test.py: $(sed -n 's/^Ran \([0-9]*\) tests.*/\1 tests/p' "$BUILD/ktap_test.out") on test_data/"
else
	result FAIL ktap-test "scripts/pipeline/ktap_test.py failed (build/ktap_test.out)"
	sed 's/^/    /' "$BUILD/ktap_test.out"
fi

# The series applies to the base tree with git am --3way.
if src=$("$S"/pipeline/src.sh series); then
	result PASS applies "git am --3way on $(git -C "$src" log -1 --format=%s "$(series_base "$src")")"
else
	result FAIL applies "see the error above"
	exit 1
fi

# selftests/ is what the series adds under tools/testing/selftests.
if ksft_in_sync "$src" "$BUILD/selftests.diff"; then
	result PASS selftests-in-sync "selftests/taskstats and selftests/net equal the series' copies, but for the programs it moves from acct/"
else
	result FAIL selftests-in-sync "selftests/ and patches/ disagree (build/selftests.diff): run make tree && make export"
fi

# Every program the target's Makefile builds has its source in the series
# (a fold once deleted two, and lib.mk then builds the rest and exits 0).
progs=$(ksft_progs "$src")
missing=$(for p in $progs; do [ -f "$src/$KSFT_DIR/$p.c" ] || echo "$p.c"; done)
if [ -n "$progs" ] && [ -z "$missing" ]; then
	result PASS ksft-sources "the $(echo "$progs" | wc -w) programs of $KSFT_DIR/Makefile have their sources"
else
	result FAIL ksft-sources "$KSFT_DIR/Makefile builds programs without a source: ${missing//$'\n'/ }"
fi

# Export is deterministic: materializing and exporting again gives patches/.
if BUILD=$BUILD/export-check "$S"/pipeline/tree.sh --force >/dev/null &&
   BUILD=$BUILD/export-check "$S"/pipeline/export.sh --dry-run; then
	result PASS export-roundtrip "tree + export reproduces patches/ byte for byte"
else
	result FAIL export-roundtrip "patches/ is not what export.sh would write"
fi

# MAINTAINERS-snippet is the MAINTAINERS hunk the series carries (line
# numbers aside: they depend on the base).
base_commit=$(series_base "$src")
strip_lines() { sed -E 's/^@@ -[0-9,]+ \+[0-9,]+ @@/@@/'; }
if diff <(git -C "$src" diff "$base_commit" HEAD -- MAINTAINERS | sed -n '/^@@/,$p' | strip_lines) \
	<(strip_lines <"$TOP/MAINTAINERS-snippet") >"$BUILD/maintainers.diff"; then
	result PASS maintainers-snippet "MAINTAINERS-snippet equals the series' MAINTAINERS hunk"
else
	result FAIL maintainers-snippet "MAINTAINERS-snippet differs from the series (build/maintainers.diff)"
fi

# kernel-doc -none adds no warning on the C files and headers the series touches.
touched=$(git -C "$src" diff --name-only "$base_commit" HEAD -- '*.c' '*.h' | grep -v '^tools/' || true)
# Line numbers dropped ("file:287 Excess ..." or "file:287: warning: ..."),
# so that a warning the series only moves is not new.
kdoc() {	# kdoc TREE: warnings of kernel-doc -none on the touched files
	(cd "$1" && for f in $touched; do [ -f "$f" ] && ./scripts/kernel-doc -none "$f" 2>&1; done) |
		sed -E 's/:[0-9]+([: ])/\1/' | sort
}
base_tree=$("$S"/pipeline/src.sh base 2>/dev/null)
if diff <(kdoc "$base_tree") <(kdoc "$src") >"$BUILD/kernel-doc.diff"; then
	result PASS kernel-doc "no new kernel-doc warnings in $(echo $touched | wc -w) touched files"
elif ! grep -q '^>' "$BUILD/kernel-doc.diff"; then
	result PASS kernel-doc "no new kernel-doc warnings (some fixed)"
else
	result FAIL kernel-doc "new kernel-doc warnings (build/kernel-doc.diff)"
fi

# Provenance (Documentation/process/coding-assistants.rst): the tool adds no
# Signed-off-by, and every patch says how it was made.
unsigned=$(for p in $(series_patches); do
	sed '/^---$/q' "$TOP/patches/$p" | grep -q '^Signed-off-by:' && echo "$p"
done; true)
unassisted=$(for p in $(series_patches); do
	sed '/^---$/q' "$TOP/patches/$p" | grep -q '^Assisted-by: ' || echo "$p"
done; true)
if [ -z "$unsigned$unassisted" ]; then
	result PASS provenance "no patch carries a Signed-off-by; every one has Assisted-by:"
else
	result FAIL provenance "Signed-off-by from the tool: ${unsigned:-none}; without Assisted-by: ${unassisted:-none}"
fi

# checkpatch runs on the copy a human would post: make sign's, here signed
# with git's identity on this machine.
signed=$("$S"/pipeline/sign.sh "$BUILD/signed")

# checkpatch --strict on every patch; exceptions live in scripts/check/checkpatch.ignore
# ("TYPE reason" for every patch, "TYPE@GLOB reason" for the patches GLOB names).
while read -r p; do
	ignore=$(awk -v p="$p" '!/^#/ && NF {
		n = split($1, a, "@")
		if (n == 1) { print a[1]; next }
		g = a[2]; gsub(/\./, "\\.", g); gsub(/\*/, ".*", g); gsub(/\?/, ".", g)
		if (p ~ ("^" g "$")) print a[1]
	}' "$S/check/checkpatch.ignore" | paste -sd, -)
	# Debian's python3 (/usr/bin) has the ply and git modules spdxcheck needs.
	if (cd "$src" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet --no-summary \
		${ignore:+--ignore "$ignore"} "$signed/$p") >"$BUILD/checkpatch.out" 2>&1; then
		result PASS "checkpatch $p" "--strict clean, signed"
	else
		result FAIL "checkpatch $p" "$(grep -cE '^(ERROR|WARNING|CHECK)' "$BUILD/checkpatch.out") findings:"
		sed 's/^/    /' "$BUILD/checkpatch.out"
	fi
done < <(series_patches)

! grep -q '^FAIL' "$out"
