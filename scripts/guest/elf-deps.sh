#!/bin/bash
# The interpreter and shared libraries that ELF executables need, and what
# those need in turn, as paths on this machine, one a line; files that are
# not dynamic ELF executables (scripts, static binaries) need none.  Read
# from the ELF headers with readelf, never by running a loader: the build
# host may not be able to run the binaries (-m32 without IA32 emulation).
#
#   scripts/guest/elf-deps.sh FILE...
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

# Where a library of each ELF class lives on Debian (multiarch, multilib).
libdirs() {
	case $1 in
	ELF32) echo /lib32 /usr/lib32 /lib/i386-linux-gnu /usr/lib/i386-linux-gnu ;;
	ELF64) echo /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 ;;
	esac
}

declare -A seen=()
todo=("$@")
while [ ${#todo[@]} -gt 0 ]; do
	f=${todo[0]}
	todo=("${todo[@]:1}")
	class=$(readelf -h "$f" 2>/dev/null | awk '$1 == "Class:" { print $2 }') || true
	[ -n "$class" ] || continue	# not ELF
	interp=$(readelf -l "$f" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
	needed=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
	deps=()
	[ -n "$interp" ] && deps+=("$interp")
	for lib in $needed; do
		path=
		for d in $(libdirs "$class"); do
			[ -e "$d/$lib" ] && { path=$d/$lib; break; }
		done
		[ -n "$path" ] || die "$f needs $lib ($class), found in none of $(libdirs "$class")"
		deps+=("$path")
		# glibc dlopen()s libgcc_s for pthread_exit() and cancellation:
		# no binary links it, so no header names it.
		[ "$lib" = libc.so.6 ] && [ -e "${path%/*}/libgcc_s.so.1" ] &&
			deps+=("${path%/*}/libgcc_s.so.1")
	done
	for d in "${deps[@]}"; do
		[ -n "${seen[$d]:-}" ] && continue
		seen[$d]=1
		echo "$d"
		todo+=("$d")
	done
done
