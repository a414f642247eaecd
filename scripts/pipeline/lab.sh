#!/bin/bash
# make lab: the suite as README's lab instructions run it, in the tool's
# guest.  The kselftest tarball (kselftest-tar.sh) is unpacked as it is;
# the kernel is flavour lab (x86_64 defconfig plus the tarball's own
# taskstats/config, nothing of the tool's fragments); the guest runs
# run_kselftest.sh once as root and once as nobody, each in its own boot,
# with kernel.task_delayacct at the kernel's default (off).  Not part of
# make check: a defconfig kernel takes most of an hour on 2 cores.
#
#   scripts/pipeline/lab.sh [root|nobody]...   (default: root nobody)
#
# Outputs under build/: console-lab-USER.log, results-lab-USER.json.  The
# exit status is non-zero if a run fails a case, reports none, or is cut
# short; skips are listed with their reasons, not judged.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
S=$TOP/scripts

users=("$@")
[ ${#users[@]} -gt 0 ] || users=(root nobody)
for u in "${users[@]}"; do
	case $u in root|nobody) ;; *) die "lab.sh: user $u: root or nobody" ;; esac
done

"$S"/deps.sh
tarball=$("$S"/pipeline/kselftest-tar.sh)
obj=$("$S"/pipeline/kernel.sh lab)

# The tarball as a lab unpacks it, plus the tool's one addition: the list of
# harness programs the guest lists with -l, for the plan check.
payload=$BUILD/lab/kselftest
rm -rf "$payload"
mkdir -p "$payload"
tar -C "$payload" -xzf "$tarball"
# shellcheck disable=SC2046,SC2086 # one option per word
"$S"/pipeline/ktap.py harness $(printf -- '--own-plan %s ' $KSFT_OWN_PLAN) "$payload"
"$S"/guest/initramfs.sh "$payload" "$BUILD/initramfs-lab.cpio"

rc=0
for u in "${users[@]}"; do
	log "== lab: run_kselftest.sh as $u on the defconfig kernel"
	console=$BUILD/console-lab-$u.log cases=$BUILD/cases-lab-$u.txt
	rm -f "$BUILD/results-lab-$u.json"
	"$S"/guest/boot.sh "$obj/arch/x86/boot/bzImage" "$BUILD/initramfs-lab.cpio" \
		"$console" ksft.user="$u"
	: >"$cases"
	"$S"/pipeline/ktap.py cases "$payload" "$console" "$cases" || rc=1
	"$S"/pipeline/ktap.py summary --cases "$cases" "$console" \
		"$BUILD/results-lab-$u.json" || rc=1
done
exit $rc
