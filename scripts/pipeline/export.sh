#!/bin/bash
# Export the series from the materialized tree (scripts/pipeline/tree.sh) back to
# patches/, deterministically: exporting twice changes nothing.
#
#   scripts/pipeline/export.sh            write patches/ and patches/series
#   scripts/pipeline/export.sh --dry-run  exit 1 if patches/ would change
#
# selftests/ is the source of truth for the selftests the series adds
# (selftests/taskstats: the target; selftests/net: single files): when
# the tree's copy differs, the difference is committed as a fixup to the last
# commit that touched the selftests and squashed in, before exporting.  The
# programs the series moves into the target from mainline's acct/ (found by
# git's rename detection) are mainline's files: they live only in patches/.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

work=$BUILD/work
dry=${1:-}
ksft_dir=$KSFT_DIR
[ -d "$work/.git" ] || die "no tree at $work: run 'make tree' first"
cd "$work"
[ -z "$(git status --porcelain -uno)" ] || die "$work has uncommitted changes: commit them first"
git rev-parse -q --verify ts-base >/dev/null || die "$work has no ts-base tag: run 'make tree'"

moved=$(ksft_moved . series)
if ! ksft_in_sync . /dev/null series; then
	[ "$dry" = --dry-run ] && exit 1
	last=$(git log -1 --format=%H ts-base..series -- "$ksft_dir")
	[ -n "$last" ] || die "no commit in the series adds $ksft_dir; create one first"
	# Empty the directory but for the moved files (one name per line in
	# $moved), then copy selftests/ in.
	for f in "$ksft_dir"/* "$ksft_dir"/.[!.]*; do
		[ -e "$f" ] || continue
		grep -qxF -- "${f##*/}" <<<"$moved" && continue
		rm -rf "$f"
	done
	cp -a "$TOP/selftests/taskstats/." "$ksft_dir/"
	net=$(ksft_net_files)
	for f in $net; do cp "$TOP/selftests/net/${f##*/}" "$f"; done
	# shellcheck disable=SC2086 # one path per word
	git add -f -A "$ksft_dir" $net	# Debian's top-level .gitignore is "/*"
	for f in $(git diff --cached --no-renames --diff-filter=D --name-only -- "$ksft_dir"); do
		! grep -qxF -- "${f##*/}" <<<"$moved" ||
			die "export would delete $f, which the series moves from mainline"
	done
	# Each file goes into the last commit that touched it (the selftests
	# come as one patch per subject), a new file into the last one that
	# touched the directory.
	# shellcheck disable=SC2086 # one path per word
	for f in $(git diff --cached --no-renames --name-only -- "$ksft_dir" $net); do
		to=$(git log -1 --format=%H ts-base..series -- "$f")
		echo "${to:-$last} $f"
	done | sort >.git/ts-fold
	git reset -q
	for to in $(cut -d' ' -f1 .git/ts-fold | uniq); do
		files=$(awk -v c="$to" '$1 == c { print $2 }' .git/ts-fold)
		log "export: selftests/ differs from the tree; folding $(echo $files | xargs -n1 basename | tr '\n' ' ')into $(git log -1 --format=%s "$to")"
		# shellcheck disable=SC2086 # one path per word
		git add -f -A -- $files
		git commit -q --fixup="$to"
	done
	rm -f .git/ts-fold
	GIT_SEQUENCE_EDITOR=: git rebase -q -i --autosquash ts-base
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# --zero-commit and --no-signature: no commit ids or git version that differ
# between runs; the cover letter's date is pinned to the newest patch's.
git format-patch -q --zero-commit --no-signature --cover-letter \
	--cover-from-description=subject --no-thread -o "$out" ts-base..series
last_date=$(git log -1 --format=%aD series)
sed -i "s/^Date: .*/Date: $last_date/" "$out"/0000-cover-letter.patch
# series lists what git am and quilt apply: the patches, not the cover letter.
(cd "$out" && ls -- *.patch | grep -v '^0000-cover-letter\.patch$') >"$out/series"

if [ "$dry" = --dry-run ]; then
	diff -r -q "$out" "$TOP/patches" >/dev/null 2>&1 || exit 1
	exit 0
fi
mkdir -p "$TOP/patches"
rm -f "$TOP"/patches/*.patch "$TOP/patches/series"
cp "$out"/* "$TOP/patches/"
log "export: $(wc -l <"$TOP/patches/series") patches + cover letter in patches/"
