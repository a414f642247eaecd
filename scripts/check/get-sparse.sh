#!/bin/bash
# Print the command of a sparse that can check the kernel tree SRC, or fail.
#
#   scripts/check/get-sparse.sh SRC
#
# 7.3's scripts/checker-valid.sh wants a sparse that knows __typeof_unqual__.
# Debian's sparse 0.6.4 (bookworm, trixie) does not; sid's 0.6.5~rc1 does,
# but needs glibc >= 2.38 where bookworm has 2.36.  So, unless the installed
# sparse passes, download (never install) sid's sparse and the libc6 it was
# built against with a private apt state, unpack both under $CACHE/sparse,
# and print a wrapper that runs that sparse with that libc's loader and
# libraries.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

src=${1:?usage: get-sparse.sh SRC}
valid() {
	sh "$src/scripts/checker-valid.sh" "$1" -m64 2>/dev/null | grep -qx 1
}

if command -v sparse >/dev/null && valid sparse; then
	echo sparse
	exit 0
fi

dir=$CACHE/sparse
wrapper=$dir/sparse
if [ ! -x "$wrapper" ]; then
	log "sparse: $(sparse --version 2>/dev/null || echo 'none') installed cannot check this tree; fetching sid's sparse and libc6"
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	apt_private "$dir/apt" sid
	(
		cd "$dir/debs"
		apt-get "${APT_OPTS[@]}" download -qq sparse libc6 >&2
	) || die "could not download sparse and libc6 from sid"
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	lib=$dir/root/usr/lib/x86_64-linux-gnu
	cat >"$wrapper.tmp" <<WRAP
#!/bin/sh
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$dir/root/usr/bin/sparse" "\$@"
WRAP
	chmod +x "$wrapper.tmp"
	mv "$wrapper.tmp" "$wrapper"
fi
valid "$wrapper" || die "$wrapper cannot check $src either (scripts/checker-valid.sh)"
log "sparse: $("$wrapper" --version)"
echo "$wrapper"
