#!/bin/bash
# Materialize a kernel git tree with the series applied as commits, for
# editing with git rebase -i; print its path.  Branch "series" starts at the
# base commit (tag "ts-base") and holds every part of patches/series, part
# after part.  Branch "part/NAME" marks the last commit of part NAME, and
# carries that part's cover letter: its subject and blurb as the branch
# description (git branch --edit-description part/NAME), its subject prefix
# ("PATCH net-next", "RFC PATCH") as git config branch.part/NAME.tsprefix,
# the parts it needs (its series file's "# needs:" line) as tsneeds.
# rebase.updateRefs is on, so git rebase -i moves the part branches with
# their commits; export.sh turns them back into patches/NAME/.
#
#   scripts/pipeline/tree.sh [--force]     --force discards local work in the tree
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

work=$BUILD/work
base_repo=$("$TOP/scripts/pipeline/get-base.sh")
base_commit=$(base_commit "$base_repo")

if [ -d "$work/.git" ]; then
	if [ "${1:-}" != --force ] &&
	   git -C "$work" rev-parse -q --verify refs/heads/series >/dev/null &&
	   ! "$TOP/scripts/pipeline/export.sh" --dry-run >/dev/null 2>&1; then
		die "$work has work that is not in patches/: run 'make export', or 'scripts/pipeline/tree.sh --force' to discard it"
	fi
else
	log "tree: cloning base into $work"
	git clone -q --shared --no-checkout "$base_repo" "$work"
fi

cd "$work"
git am --abort >/dev/null 2>&1 || true
git rebase --abort >/dev/null 2>&1 || true
git fetch -q "$base_repo" "$base_commit"
git tag -f ts-base "$base_commit" >/dev/null
git checkout -q -f -B series ts-base
git clean -q -fdx
git config rebase.updateRefs true
git for-each-ref --format='%(refname:short)' refs/heads/part/ | xargs -r git branch -q -D
n=0
for part in $(series_parts); do
	for p in $(part_patches "$part"); do
		git am -q --3way "$TOP/patches/$p" || die "patch $p does not apply; fix it in $work and run git am --continue"
		n=$((n + 1))
	done
	git branch -q -f "part/$part" HEAD
	# The cover letter's subject prefix, subject and blurb -> the part
	# branch's config and description.
	python3 - "$TOP/patches/$part/0000-cover-letter.patch" >.git/ts-description 2>.git/ts-prefix <<'PY'
import email, re, sys
msg = email.message_from_file(open(sys.argv[1]))
subject = re.sub(r'\s+', ' ', msg['Subject'])
prefix = re.match(r'\[([^]]*?)\s*0+/\d+\]', subject)
sys.stderr.write(prefix.group(1) if prefix else 'PATCH')
subject = re.sub(r'^\[[^]]*\]\s*', '', subject)
body = msg.get_payload()
# The blurb ends where format-patch's shortlog starts: "Name (N):"
blurb = re.split(r'\n[^\n]+ \(\d+\):\n', body, maxsplit=1)[0].strip()
print(subject + '\n\n' + blurb)
PY
	git config "branch.part/$part.description" "$(cat .git/ts-description)"
	git config "branch.part/$part.tsprefix" "$(cat .git/ts-prefix)"
	git config "branch.part/$part.tsneeds" "$(part_needs "$part")"
	rm -f .git/ts-description .git/ts-prefix
done
git config --unset branch.series.description || true
log "tree: $n patches in $(series_parts | wc -l) parts applied as commits on branch series in $work"
echo "$work"
