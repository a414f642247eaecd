# Common helpers for the scripts in scripts/ and its subdirectories.  Source it; do not run it.
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

# base_commit REPO: the commit the series applies to, in the base repository
# that scripts/pipeline/get-base.sh prints: the Debian tree's tag "base", or the HEAD
# of KERNEL_SRC; BASE_REF=<rev> names another.  Every script asks here.
base_commit() {
	local ref=${BASE_REF:-base}
	[ -n "${KERNEL_SRC:-}" ] && [ -z "${BASE_REF:-}" ] && ref=HEAD
	git -C "$1" rev-parse -q --verify "$ref^{commit}" ||
		die "no commit '$ref' in $1 (BASE_REF names the base in KERNEL_SRC)"
}

# base_label: what tables call the base kernel: the subject of its commit
# ("Linux 7.3.4 (Debian linux-source-7.3)", or "Linux 7.3" for a mainline
# KERNEL_SRC at the tag).
base_label() {
	local repo
	repo=$("$TOP"/scripts/pipeline/get-base.sh 2>/dev/null) || die "no base tree: run make base"
	git -C "$repo" log -1 --format=%s "$(base_commit "$repo")"
}

# series_base TREE: where the series starts in a tree that src.sh or tree.sh
# made (they tag the base commit ts-base there).
series_base() {
	git -C "$1" rev-parse -q --verify ts-base^{commit} ||
		die "$1 has no ts-base tag: make it with scripts/pipeline/src.sh or scripts/pipeline/tree.sh"
}

# The selftests target the series adds; selftests/taskstats holds its files.
KSFT_DIR=tools/testing/selftests/taskstats
# Installed programs that are not kselftest_harness.h programs: they print
# their own plan and ignore -l, so the guest does not list them (ktap.py
# harness --own-plan).  All of acct's, and the two programs the series
# moves from acct/ to taskstats/ (and their -m32 builds).
KSFT_OWN_PLAN="acct taskstats:taskstats_fill_stats_tgid taskstats:cgroupstats"

# ksft_moved TREE [REV]: the files of KSFT_DIR that a commit of the series
# (ts-base..REV, default HEAD) moves there from elsewhere in mainline, by
# git's rename detection, one name per line.  They are mainline's files, so
# they live only in patches/, not in selftests/taskstats.
ksft_moved() {
	git -C "$1" log -M --diff-filter=R --name-only --format= \
		"$(series_base "$1")..${2:-HEAD}" -- tools/testing/selftests |
		sed -n "s|^$KSFT_DIR/||p" | sort -u
}

# ksft_progs TREE: the programs TREE's KSFT_DIR/Makefile builds
# (TEST_GEN_PROGS), one name per line.
ksft_progs() {
	sed -n 's/^TEST_GEN_PROGS *[:+]= *//p' "$1/$KSFT_DIR/Makefile" | tr -s ' ' '\n'
}

# Single files the series adds to mainline's net selftests target: the
# files of selftests/net, at the same names in KSFT_NET_DIR.
KSFT_NET_DIR=tools/testing/selftests/net

# ksft_net_files: the paths in a tree of the files selftests/net holds.
ksft_net_files() {
	local f
	for f in "$TOP"/selftests/net/*; do
		[ -f "$f" ] && echo "$KSFT_NET_DIR/${f##*/}"
	done
	return 0
}

# ksft_in_sync TREE [DIFF]: whether selftests/taskstats equals TREE's copy of
# KSFT_DIR, but for the moved files, and each file of selftests/net its
# copy in KSFT_NET_DIR; the differences go to DIFF.
ksft_in_sync() {
	local excl=() f rc=0
	for f in $(ksft_moved "$1" "${3:-HEAD}"); do excl+=(-x "$f"); done
	{
		diff -r "${excl[@]}" "$TOP/selftests/taskstats" "$1/$KSFT_DIR" || rc=1
		for f in $(ksft_net_files); do
			diff -N "$TOP/selftests/net/${f##*/}" "$1/$f" || rc=1
		done
	} >"${2:-/dev/null}" 2>&1
	return $rc
}

# check_result PASS|FAIL NAME DETAIL: one check's line, "PASS name: detail",
# in build/checks.txt and on stdout: the one format of every check, which
# ktap.py tally --checks counts next to the test cases.
check_result() {
	mkdir -p "$BUILD"
	printf '%s %s: %s\n' "$1" "$2" "$3" | tee -a "$BUILD/checks.txt"
}

# series_parts: the parts of the series in the order they apply, from
# patches/series: one directory of patches/ per line, each a posting of its
# own (git format-patch --cover-letter output and its own series file).
series_parts() {
	[ -f "$TOP/patches/series" ] || die "no patches/series"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series"
}

# part_patches PART: the patch files of one part in order, from
# patches/PART/series (the cover letter is not in it), as PART/FILE.
part_patches() {
	[ -f "$TOP/patches/$1/series" ] || die "no patches/$1/series"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e "s|^|$1/|" "$TOP/patches/$1/series"
}

# part_needs PART: the parts PART needs below it, all of them (not only
# the nearest), from the "# needs: PART..." line of patches/PART/series;
# empty for a part that applies to the base alone.
part_needs() {
	[ -f "$TOP/patches/$1/series" ] || die "no patches/$1/series"
	sed -n 's/^# needs:[[:space:]]*//p' "$TOP/patches/$1/series"
}

# stable_parts: the parts for stable trees: those that apply to the base
# alone and carry a "Cc: <stable@vger.kernel.org>" patch (A and B).
stable_parts() {
	local part p
	for part in $(series_parts); do
		[ -z "$(part_needs "$part")" ] || continue
		for p in $(part_patches "$part"); do
			if sed '/^---$/q' "$TOP/patches/$p" | grep -q '^Cc: <stable@vger\.kernel\.org>'; then
				echo "$part"
				break
			fi
		done
	done
}

# series_patches: every patch of the series in the order it applies
# (PART/FILE, relative to patches/): the parts' patches, part after part.
series_patches() {
	local part
	for part in $(series_parts); do
		part_patches "$part"
	done
}

# patch_objects TREE FALLBACK: the objects that compiling TREE's last
# commit means: those of the .c files it changes outside tools/; FALLBACK
# (a wider set) where it changes built files but no .c file (headers);
# nothing where it changes only Documentation/, tools/ or MAINTAINERS.
patch_objects() {
	local files objs
	files=$(git -C "$1" diff --name-only HEAD~1 HEAD |
		grep -Ev '^(Documentation/|tools/|MAINTAINERS$)' || true)
	[ -n "$files" ] || return 0
	objs=$(grep '\.c$' <<<"$files" | sed 's/\.c$/.o/' | tr '\n' ' ' || true)
	echo "${objs:-$2}"
}

# flavour_row FLAVOUR: "tree fragment..." of a kernel flavour, from
# kernel-config/flavours; fails for an unknown flavour.
flavour_row() {
	awk -v f="$1" '!/^#/ && $1 == f { $1 = ""; sub(/^ +/, ""); print; found = 1 }
		       END { exit !found }' "$TOP/kernel-config/flavours"
}

# jobs for make: all cores
jobs() {
	nproc
}

# The URI of the machine's own Debian archive entry (deb822 or one-line form).
debian_uri() {
	local f uri=
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
		[ -n "$uri" ] && break
	done
	if [ -z "$uri" ] && [ -e /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list)
	fi
	[ -n "$uri" ] || die "no Debian archive entry in /etc/apt (for the base tree, KERNEL_SRC=/path/to/a/kernel/git/tree avoids the archive)"
	echo "${uri%/}"
}

# apt_private DIR SUITE...: a private apt state in DIR listing SUITEs of the
# machine's own Debian archive, updated, so that packages the machine's apt
# does not list can be downloaded (never installed) without touching the
# system's apt configuration.  Sets APT_OPTS for apt-get and apt-cache.
apt_private() {
	local st=$1 s
	shift
	mkdir -p "$st/lists/partial" "$st/cache/archives/partial"
	for s in "$@"; do
		echo "deb $(debian_uri) $s main"
	done >"$st/sources.list"
	APT_OPTS=(-o "Dir::Etc::sourcelist=$st/sources.list" -o "Dir::Etc::sourceparts=-"
		  -o "Dir::State::Lists=$st/lists" -o "Dir::Cache=$st/cache"
		  -o "APT::Get::List-Cleanup=0" -o APT::Sandbox::User=root)
	apt-get "${APT_OPTS[@]}" update -qq >&2 || die "apt update of $* failed"
}
