#!/bin/bash
# Configure a kernel in an object directory from tinyconfig (or the make
# target BASECONFIG names, e.g. defconfig) plus fragments, then check (as
# kunit.py does) that every option of every fragment survived olddefconfig;
# fail naming the ones that did not.
#
#   [BASECONFIG=defconfig] scripts/pipeline/config.sh SRC OBJ FRAGMENT...
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

src=$(realpath "$1") obj=$(realpath -m "$2")
shift 2
[ $# -gt 0 ] || die "config.sh: no fragments"
mkdir -p "$obj"

# Generate in place, but keep the previous .config (and its mtime) when the
# result is the same, so an unchanged configuration causes no rebuild.
cfg=$obj/.config
[ -f "$cfg" ] && cp -p "$cfg" "$obj/.config.prev"
make -s -C "$src" O="$obj" "${BASECONFIG:-tinyconfig}" >/dev/null
cat "$@" >>"$cfg"
# Appending fragments makes Kconfig warn "override: reassigning"; that is intended.
make -s -C "$src" O="$obj" olddefconfig 2>&1 | { grep -v "warning: override: reassigning" >&2 || true; }

missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		opt=${line%%=*}
		grep -qxF "$line" "$cfg" || missing+=("$line (got: $(grep -E "^(# )?$opt[= ]" "$cfg" || echo unset))")
		;;
	'# CONFIG_'*' is not set')
		opt=${line#\# }; opt=${opt%% *}
		grep -qE "^$opt=" "$cfg" && missing+=("$line (got: $(grep -E "^$opt=" "$cfg"))")
		;;
	esac
done < <(cat "$@")

if [ ${#missing[@]} -gt 0 ]; then
	printf 'error: fragment options did not survive olddefconfig:\n' >&2
	printf '  %s\n' "${missing[@]}" >&2
	die "fix the fragments in kernel-config/ (a dependency is probably missing)"
fi

if [ -f "$obj/.config.prev" ]; then
	cmp -s "$cfg" "$obj/.config.prev" && mv "$obj/.config.prev" "$cfg"
	rm -f "$obj/.config.prev"
fi
