#!/bin/bash
# Install the Debian packages the tool needs (as root, with apt).  Cheap when
# everything is already there: it only calls apt when a package is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves
	cpio xz-utils git rsync kmod python3 perl python3-ply python3-git
	qemu-system-x86 busybox-static
	sparse clang-19 lld-19 llvm-19
	gcc-multilib
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]}; run as root or install them"
log "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
