#!/bin/bash
# Pack a minimal initramfs: static busybox, scripts/guest/init as /init
# (every guest's; the kernel command line picks its mode), the console
# protocol as /protocol, and the payload: the installed kselftests under
# /kselftest, or what PAYLOAD_DIR names (bench: /bench).
#
#   scripts/guest/initramfs.sh KSFT_INSTALL_DIR OUT.cpio
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

ksft=$1 out=$2
bb=/bin/busybox	# from busybox-static: no shared libraries needed
[ -x "$bb" ] || die "no static busybox: apt-get install busybox-static (scripts/deps.sh does it)"

stage=$(mktemp -d "$BUILD/initramfs.XXXXXX")
chmod 0755 "$stage"	# the guest's /: mktemp's 0700 would lock out non-root users
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc}
cp "$bb" "$stage/bin/busybox"
install -m 0755 "$TOP/scripts/guest/init" "$stage/init"
install -m 0644 "$TOP/scripts/guest/protocol" "$stage/protocol"
# kselftest's runner.sh calls "timeout --foreground", which busybox's timeout
# does not know; in a guest without job control it makes no difference.
cat >"$stage/usr/bin/timeout" <<'SH'
#!/bin/busybox sh
[ "$1" = --foreground ] && shift
exec /bin/busybox timeout "$@"
SH
chmod 0755 "$stage/usr/bin/timeout"
cp -a "$ksft" "$stage/${PAYLOAD_DIR:-kselftest}"
# The shared libraries the test binaries need, at their host paths, read
# from their ELF headers: ldd would run each binary's loader here, which a
# host without IA32 emulation cannot do for the -m32 tests (their libraries
# would be left out, and the guest could not start them).
find "$stage/${PAYLOAD_DIR:-kselftest}" -type f -perm -u+x -print0 |
	xargs -0 -r "$TOP/scripts/guest/elf-deps.sh" | sort -u |
	while read -r lib; do
		cp -L --parents "$lib" "$stage"
	done
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) >"$out"
