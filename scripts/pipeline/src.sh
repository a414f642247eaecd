#!/bin/bash
# Prepare a kernel source tree and print its path.
#
#   scripts/pipeline/src.sh series   base + patches/ applied with git am --3way
#   scripts/pipeline/src.sh stable   base + the stable parts alone (lib.sh's stable_parts)
#   scripts/pipeline/src.sh base     the base tree, untouched
#
# Trees live in build/src/<flavor>: a shared clone of the base repository that
# is reused from run to run.  Resetting it to the base commit rewrites only
# files that differ, so files the series does not touch keep their mtimes and
# an incremental build after editing one patch recompiles only what changed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

flavor=${1:?usage: src.sh series|stable|base}
case $flavor in
series) patches() { series_patches; } ;;
stable) patches() { local part; for part in $(stable_parts); do part_patches "$part"; done; } ;;
base) patches() { :; } ;;
*) die "unknown flavor $flavor (series|stable|base)" ;;
esac

base_repo=$("$TOP/scripts/pipeline/get-base.sh")
base_commit=$(base_commit "$base_repo")

src=$BUILD/src/$flavor
if [ ! -d "$src/.git" ]; then
	log "src: cloning base into $src"
	mkdir -p "$BUILD/src"
	git clone -q --shared --no-checkout "$base_repo" "$src"
	git -C "$src" checkout -q --detach "$base_commit"
fi

cd "$src"
# What the tree should hold: the base and, for the series, every patch.
# When the last apply made it and nothing changed since, it is ready.
key=$({ echo "$base_commit"; patches; patches |
	while read -r p; do cat "$TOP/patches/$p"; done; } | sha1sum | cut -c1-40)
if [ "$(cat .git/ts-applied 2>/dev/null)" = "$key $(git rev-parse -q --verify HEAD)" ] &&
   [ -z "$(git status --porcelain --untracked-files=no)" ]; then
	echo "$src"
	exit 0
fi
rm -f .git/ts-applied
git am --abort >/dev/null 2>&1 || true
git fetch -q "$base_repo" "$base_commit" 2>/dev/null || true

# Remember the files the previous apply touched and their mtimes: after
# re-applying, the ones whose content did not change get their mtime back,
# so make rebuilds only what an edit really changed.
old_head=$(git rev-parse -q --verify HEAD || true)
mtimes=$(mktemp)
trap 'rm -f "$mtimes"' EXIT
if [ -n "$old_head" ]; then
	git diff --name-only "$base_commit" "$old_head" -- |
		while read -r f; do
			[ -f "$f" ] && printf '%s\t%s\n' "$(stat -c %Y "$f")" "$f"
		done >"$mtimes"
fi

git checkout -q -f --detach "$base_commit"
git tag -f ts-base "$base_commit" >/dev/null
git clean -q -fdx -e /.config >/dev/null

if [ "$flavor" != base ]; then
	n=0
	while read -r p; do
		[ -f "$TOP/patches/$p" ] || die "patches/series lists $p, which is missing"
		git -c user.name="$(git -C "$TOP" config user.name || echo build)" \
		    -c user.email="$(git -C "$TOP" config user.email || echo build@localhost)" \
		    am -q --3way "$TOP/patches/$p" >&2 ||
			die "patch $p does not apply to $(git log -1 --format=%s "$base_commit"); see $src"
		n=$((n + 1))
	done < <(patches)
	log "src: $flavor: applied $n patches on $(git log -1 --format=%s "$base_commit")"
fi

if [ -n "$old_head" ] && [ -s "$mtimes" ]; then
	changed=$(git diff --name-only "$old_head" HEAD --)
	while IFS=$'\t' read -r mtime f; do
		[ -f "$f" ] && ! grep -qxF "$f" <<<"$changed" && touch -m -d "@$mtime" "$f"
	done <"$mtimes"
fi
echo "$key $(git rev-parse HEAD)" >.git/ts-applied
echo "$src"
