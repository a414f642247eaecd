#!/bin/bash
# Configure and build the kernel of a flavour (kernel-config/flavours) in
# build/obj/FLAVOUR; print that directory.
#
#   scripts/pipeline/kernel.sh FLAVOUR             configure and build the bzImage
#   scripts/pipeline/kernel.sh --config FLAVOUR    configure only
#   SRC=/path scripts/pipeline/kernel.sh FLAVOUR   build another tree (a patched copy)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

build=1
[ "${1:-}" = --config ] && { build=; shift; }
flavour=${1:?usage: kernel.sh [--config] FLAVOUR (see kernel-config/flavours)}

read -r tree frags < <(flavour_row "$flavour") ||
	die "unknown flavour $flavour: see kernel-config/flavours"
src=${SRC:-$("$TOP"/scripts/pipeline/src.sh "$tree")}
obj=$BUILD/obj/$flavour
fragments=() baseconfig=tinyconfig
for f in $frags; do
	case $f in
	base=*) baseconfig=${f#base=} ;;
	*/*) fragments+=("$TOP/$f") ;;
	*) fragments+=("$TOP/kernel-config/$f.config") ;;
	esac
done
BASECONFIG=$baseconfig "$TOP"/scripts/pipeline/config.sh "$src" "$obj" "${fragments[@]}"
if [ -n "$build" ]; then
	log "kernel: $flavour ($tree tree, fragments: $frags)"
	make -s -C "$src" O="$obj" -j"$(jobs)" bzImage >&2 ||
		die "kernel build failed (flavour $flavour); rerun: make -C $src O=$obj bzImage"
fi
echo "$obj"
