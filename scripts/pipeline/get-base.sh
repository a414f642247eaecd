#!/bin/bash
# Make the base tree available as a git repository and print its path.
#
#   KERNEL_SRC=/path/to/linux   use that git tree (its HEAD is the base)
#   (default)                   Debian's linux-source-7.3 binary package from
#                               trixie-backports, fetched with a private apt
#                               state so the system's apt setup is untouched
#
# The .deb and the unpacked tree are cached under $CACHE; the unpacked tree is
# turned into a one-commit git repository tagged "base".
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

SUITE=${BASE_SUITE:-trixie-backports}
PKG=${BASE_PKG:-linux-source-7.3}

fetch_deb() {
	local st=$CACHE/apt
	mkdir -p "$CACHE/debs"
	log "base: apt update ($SUITE, private state in $st)"
	apt_private "$st" "$SUITE"
	local ver
	ver=$(apt-cache "${APT_OPTS[@]}" policy "$PKG" | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "$PKG is not served by $SUITE"
	log "base: $PKG $ver is served"
	(cd "$CACHE/debs" && apt-get "${APT_OPTS[@]}" download -qq "$PKG=$ver" >&2)
	ls -t "$CACHE"/debs/"${PKG}"_"${ver//:/%3a}"_*.deb | head -n1
}

unpack() {
	local deb=$1 dst=$2 tmp
	tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
	log "base: unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp"
	local tarball
	tarball=$(find "$tmp/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' | head -n1)
	[ -n "$tarball" ] || die "no source tarball in $deb"
	mkdir -p "$tmp/src"
	tar -C "$tmp/src" -xf "$tarball"
	local d
	d=$(find "$tmp/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
	log "base: creating git repository (one commit, tag base)"
	(
		cd "$d"
		git init -q
		# Debian's top-level .gitignore ends in "/*": add everything by force.
		git add -f -A .
		# Fixed identity and dates: the same tarball gives the same commit id.
		GIT_AUTHOR_DATE="@0 +0000" GIT_COMMITTER_DATE="@0 +0000" \
		git -c user.name=base -c user.email=base@localhost \
			commit -q -m "Linux $(make -s kernelversion) (Debian $PKG)"
		git tag base
	)
	mv "$d" "$dst"
	rm -rf "$tmp"
}

if [ -n "${KERNEL_SRC:-}" ]; then
	git -C "$KERNEL_SRC" rev-parse --verify -q HEAD >/dev/null ||
		die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	echo "$KERNEL_SRC"
	exit 0
fi

mkdir -p "$CACHE"
tree=$CACHE/$PKG
if ! git -C "$tree" rev-parse -q --verify base >/dev/null 2>&1; then
	deb=$(ls -t "$CACHE"/debs/"${PKG}"_*.deb 2>/dev/null | head -n1 || true)
	[ -n "$deb" ] || deb=$(fetch_deb)
	rm -rf "$tree"
	unpack "$deb" "$tree"
fi
log "base: $(git -C "$tree" log -1 --format=%s base)"
echo "$tree"
