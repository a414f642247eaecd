# Common helpers for the scripts in this directory.  Source it; do not run it.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=${TASKSTATS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/taskstats-series}
: "${T0:=$(date +%s)}"
export T0

# progress on stderr: "[  12s] stage: message"
log() {
	printf '[%4ds] %s\n' "$(($(date +%s) - T0))" "$*" >&2
}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# jobs for make: all cores
jobs() {
	nproc
}
