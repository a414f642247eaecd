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

# The parts, in the order their branches lie on series; the last part ends
# at series itself (a commit added on top of series belongs to it).
parts=$(git for-each-ref --format='%(refname:lstrip=3)' refs/heads/part/)
[ -n "$parts" ] || die "$work has no part/NAME branches: run 'make tree'"
last_part=
for part in $parts; do
	git merge-base --is-ancestor "part/$part" series ||
		die "part/$part is not on series: git branch -f part/$part <its last commit>"
done
parts=$(for part in $parts; do
	echo "$(git rev-list --count ts-base.."part/$part") $part"
done | sort -n | awk '{ print $2 }')
for part in $parts; do last_part=$part; done
git branch -q -f "part/$last_part" series

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "# The parts, in the order they apply; each directory is one posting." >"$out/series"
prev=ts-base
for part in $parts; do
	[ "$(git rev-list --count "$prev..part/$part")" -gt 0 ] ||
		die "part $part has no commits (part/$part is where the part before it ends)"
	prefix=$(git config "branch.part/$part.tsprefix" || echo PATCH)
	# --zero-commit and --no-signature: no commit ids or git version that
	# differ between runs; the cover letter's date is pinned to the part's
	# newest patch's, its subject and blurb are the part branch's description.
	git format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject --subject-prefix="$prefix" \
		--no-thread -o "$out/$part" "$prev..part/$part"
	git config "branch.part/$part.description" >/dev/null ||
		die "part/$part has no description: git branch --edit-description part/$part"
	sed -i "s/^Date: .*/Date: $(git log -1 --format=%aD "part/$part")/" "$out/$part/0000-cover-letter.patch"
	# series lists what git am and quilt apply: the patches, not the
	# cover letter; its first line, a comment, the parts this one needs.
	{
		needs=$(git config "branch.part/$part.tsneeds" || true)
		echo "# needs:${needs:+ $needs}"
		(cd "$out/$part" && ls -- *.patch | grep -v '^0000-cover-letter\.patch$')
	} >"$out/$part/series"
	echo "$part" >>"$out/series"
	prev=part/$part
done

if [ "$dry" = --dry-run ]; then
	diff -r -q "$out" "$TOP/patches" >/dev/null 2>&1 || exit 1
	exit 0
fi
mkdir -p "$TOP/patches"
rm -rf "$TOP"/patches/*
cp -r "$out"/. "$TOP/patches/"
log "export: $(series_patches | wc -l) patches in $(series_parts | wc -l) parts, each with its cover letter, in patches/"
