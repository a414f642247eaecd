#!/bin/bash
# Make the postable copy of the series under a human's name (make sign).
# patches/ carries no Signed-off-by: the tool that made it cannot certify
# the DCO (Documentation/process/coding-assistants.rst); each patch says
# how it was made (Assisted-by:).  The human who has reviewed every patch
# (README.md, "Before you sign") gets each one, and each part's cover
# letter, with From: and Signed-off-by: their own, in OUT (default
# build/signed), one directory per part as in patches/.
#
#   SIGN_AS="Name <email>" scripts/pipeline/sign.sh [OUT]
#
# SIGN_AS defaults to git's user.name and user.email.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

out=${1:-$BUILD/signed}
who=${SIGN_AS:-}
if [ -z "$who" ]; then
	name=$(git config user.name || true) email=$(git config user.email || true)
	[ -n "$name" ] && [ -n "$email" ] ||
		die "no identity to sign with: set SIGN_AS=\"Name <email>\" or git's user.name and user.email"
	who="$name <$email>"
fi
case $who in
*" <"*@*">") ;;
*) die "SIGN_AS=\"$who\" is not \"Name <email>\"" ;;
esac

rm -rf "$out"
mkdir -p "$out"
cp "$TOP/patches/series" "$out/"
for part in $(series_parts); do
	mkdir -p "$out/$part"
	cp "$TOP/patches/$part/series" "$out/$part/"
	for p in "$part/0000-cover-letter.patch" $(part_patches "$part"); do
		# The header's From: (folded lines too) becomes the signer; the
		# Signed-off-by goes after the message's last trailer, before "---".
		awk -v who="$who" -v cover="$([ "${p#*/}" = 0000-cover-letter.patch ] && echo 1)" '
			!body && /^From: / { print "From: " who; folded = 1; next }
			folded && /^[ \t]/ { next }
			{ folded = 0 }
			!body && /^$/ { body = 1 }
			body && !cover && !signed && /^---$/ { print "Signed-off-by: " who; signed = 1 }
			{ print }
			END { if (!cover && !signed) exit 1 }' "$TOP/patches/$p" >"$out/$p" ||
			die "patches/$p has no \"---\" line to sign above"
	done
done
log "sign: $(series_patches | wc -l) patches in $(series_parts | wc -l) parts, and their cover letters, signed by $who in $out"
echo "$out"
