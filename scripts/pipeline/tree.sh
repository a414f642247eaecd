#!/bin/bash
# Materialize a kernel git tree with the series applied as commits, for
# editing with git rebase -i; print its path.  Branch "series" starts at the
# base commit (tag "ts-base"); the cover letter's subject and blurb become the
# branch description (git branch --edit-description), which export.sh turns
# back into the cover letter.
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
n=0
while read -r p; do
	git am -q --3way "$TOP/patches/$p" || die "patch $p does not apply; fix it in $work and run git am --continue"
	n=$((n + 1))
done < <(series_patches)

# The cover letter's subject and blurb -> branch description.
cover=$TOP/patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	python3 - "$cover" >.git/ts-description <<'PY'
import email, re, sys
msg = email.message_from_file(open(sys.argv[1]))
subject = re.sub(r'\s+', ' ', re.sub(r'^\[[^]]*\]\s*', '', msg['Subject']))
body = msg.get_payload()
# The blurb ends where format-patch's shortlog starts: "Name (N):"
blurb = re.split(r'\n[^\n]+ \(\d+\):\n', body, maxsplit=1)[0].strip()
print(subject + '\n\n' + blurb)
PY
	git config branch.series.description "$(cat .git/ts-description)"
	rm -f .git/ts-description
fi
log "tree: $n patches applied as commits on branch series in $work"
echo "$work"
