#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Real consumers of taskstats: mainline's tools/accounting (getdelays,
# procacct, delaytop), built by scripts/pipeline/ksft.sh from the series tree
# against its uapi headers and installed beside this script, run against
# the booted kernel with their output checked.  Prints KTAP; exits 1 if a
# check fails.  Needs root (without it, every check skips), cgroup v1 and
# v2; turns delay accounting on for its checks (the tools report delays)
# and restores the setting it found.
#
#   accounting.sh        run the checks
#   accounting.sh -l     list them in kselftest_harness.h's -l format
#                        (the guest's /init prints it, ktap.py cases reads it)

CASES="getdelays.pid getdelays.tgid getdelays.exited_child getdelays.listener
getdelays.unprivileged procacct.records delaytop.tasks delaytop.cgroup_v1 delaytop.cgroup_v2"

if [ "${1:-}" = -l ]; then
	printf '%-20s %-25s %s\n' '# FIXTURE' VARIANT TEST
	prev=
	for c in $CASES; do
		f=${c%%.*}
		[ "$f" = "$prev" ] && f=
		printf '%-20s %-25s %s\n' "$f" '' "${c#*.}"
		prev=${c%%.*}
	done
	exit 0
fi

cd "$(dirname "$0")" || exit 1
TAB=$(printf '\t')
cpus=$(cat /sys/devices/system/cpu/online)	# e.g. "0-1": every CPU
tmp=$(mktemp -d /tmp/consumers.XXXXXX) || exit 1
delayacct=/proc/sys/kernel/task_delayacct
restore=
if [ "$(id -u)" = 0 ] && restore=$(cat $delayacct 2>/dev/null); then
	echo 1 >$delayacct
fi
trap 'rm -rf "$tmp"; [ -z "$restore" ] || echo "$restore" >$delayacct' EXIT

# run CMD...: stdout in $out, stderr in $err; fail on a non-zero exit
run() {
	timeout 60 "$@" >"$out" 2>"$err" </dev/null
	rc=$?
	[ "$rc" = 0 ] || { echo "$* exited $rc"; return 1; }
}

# line REGEX: the output has a line matching REGEX (grep -E)
line() {
	grep -Eq "$1" "$out" || { echo "no line matching /$1/ in the output"; return 1; }
}

# noerr REGEX: stderr has no line matching REGEX
noerr() {
	! grep -Eq "$1" "$err" || { echo "stderr: $(grep -E "$1" "$err" | head -1)"; return 1; }
}

# after WORD MIN WHAT: the first number on the line after the line whose
# first word is WORD (getdelays' tables: header row, then values) is >= MIN
after() {
	v=$(awk -v w="$1" '$1 == w { getline; print $1; exit }' "$out")
	[ -n "$v" ] && [ "$v" -ge "$2" ] 2>/dev/null ||
		{ echo "$3 is '${v:-missing}', want >= $2"; return 1; }
}

# waitfor REGEX: until the output has a line matching REGEX (30 s)
waitfor() {
	end=$(($(date +%s) + 30))
	until grep -Eq "$1" "$out"; do
		[ "$(date +%s)" -ge $end ] && { echo "no line matching /$1/ within 30 s"; return 1; }
		sleep 0.1
	done
}

# sleeper: start "sleep 1000" and wait until it sleeps; its PID in $sleeper
sleeper() {
	/bin/sleep 1000 &
	sleeper=$!
	end=$(($(date +%s) + 30))
	until [ "$(cut -d' ' -f2,3 /proc/$sleeper/stat 2>/dev/null)" = "(sleep) S" ]; do
		[ "$(date +%s)" -ge $end ] && { echo "sleep $sleeper does not sleep"; return 1; }
		sleep 0.1
	done
}

stop() {
	kill "$@" 2>/dev/null
	wait "$@" 2>/dev/null
	return 0
}

# getdelays -d -i -p: delays and I/O of a live process, by PID
t_getdelays_pid() {
	sleeper || return
	run ./getdelays -d -i -p "$sleeper" &&
	line "^PID$TAB$sleeper\$" &&
	after CPU 1 "CPU count" &&
	line "^sleep: read=[0-9]+, write=[0-9]+"
	r=$?; stop "$sleeper"; return $r
}

# getdelays -d -i -q -t: the same process by TGID: delays, its name and
# context switches (a TGID reply describes the process)
t_getdelays_tgid() {
	sleeper || return
	run ./getdelays -d -i -q -t "$sleeper" &&
	line "^TGID$TAB$sleeper\$" &&
	after CPU 1 "CPU count" &&
	after Task 1 "voluntary context switches" &&
	line "^sleep: read=[0-9]+, write=[0-9]+"
	r=$?; stop "$sleeper"; return $r
}

# getdelays -c: a child it starts, queried by PID once it has exited
# (before it is reaped)
t_getdelays_exited_child() {
	run ./getdelays -d -i -c /bin/true &&
	line "^PID$TAB[0-9]+\$" &&
	after CPU 1 "CPU count" &&
	line "^true: read=[0-9]+, write=[0-9]+"
}

# getdelays -c as nobody: its own child, without CAP_NET_ADMIN.  A kernel
# that refuses every unprivileged query (before TASKSTATS_VERSION 19)
# refuses it with -EPERM: skip there (exit 4, the reason on stdout).
t_getdelays_unprivileged() {
	timeout 60 su -s /bin/sh nobody -c 'exec ./getdelays -d -i -c /bin/true' \
		>"$out" 2>"$err" </dev/null
	if grep -q 'fatal reply error,  errno -1$' "$err"; then
		echo "the kernel refuses an unprivileged query of the caller's own child (-EPERM)"
		return 4
	fi
	line "^PID$TAB[0-9]+\$" &&
	after CPU 1 "CPU count" &&
	line "^true: read=[0-9]+, write=[0-9]+" &&
	noerr 'error'
}

# getdelays -m <all CPUs> -l: an exit-record listener sees a child's exit
t_getdelays_listener() {
	timeout 120 ./getdelays -v -d -m "$cpus" -l >"$out" 2>"$err" </dev/null &
	l=$!
	waitfor "^Sent register cpumask, retval 0\$" && {
		/bin/sleep 0 &
		c=$!
		wait $c
		waitfor "^PID$TAB$c\$"
	}
	r=$?; stop $l; return $r
}

# procacct -m <all CPUs>: the record of a child that ran as nobody for 1 s
t_procacct_records() {
	timeout 120 ./procacct -v -m "$cpus" >"$out" 2>"$err" </dev/null &
	l=$!
	waitfor "^Sent register cpumask, retval 0\$" && {
		su -s /bin/sh nobody -c 'exec /bin/sleep 1' </dev/null &
		c=$!
		wait $c
		waitfor "^P pid=$c tgid=$c uid=65534 "
	} && {
		rec=$(grep -E "^P pid=$c " "$out" | head -1)
		wall=$(echo "$rec" | sed -n 's/.* wall=\([0-9]*\) .*/\1/p')
		gwall=$(echo "$rec" | sed -n 's/.* gwall=\([0-9]*\) .*/\1/p')
		case $rec in
		*" comm=sleep") ;;
		*) echo "record of $c: not comm=sleep: $rec"; false ;;
		esac
	} && {
		[ "${wall:-0}" -ge 1000000 ] && [ "${gwall:-0}" -ge 1000000 ] ||
			{ echo "record of $c: wall=$wall gwall=$gwall us, want >= 1000000"; false; }
	}
	r=$?; stop $l; return $r
}

# delaytop -o: one batch iteration lists a sleeping process
t_delaytop_tasks() {
	sleeper || return
	run ./delaytop -o -P 1000 &&
	line "^ *$sleeper +$sleeper +sleep "
	r=$?; stop "$sleeper"; return $r
}

# delaytop -o -C DIR: the task counts of a cgroup holding one sleeping process
container() {
	mkdir "$1/box" && sleeper && echo "$sleeper" >"$1/box/cgroup.procs" &&
	run ./delaytop -o -C "$1/box" &&
	# The container query's own errors; "Failed to open comm file" is
	# delaytop's task list racing with an exiting task, not this check.
	noerr "container" &&
	line "^Processes: running=0, sleeping=1, stopped=0, uninterruptible=0, io_wait=0\$"
	r=$?
	[ -n "${sleeper:-}" ] && stop "$sleeper"
	rmdir "$1/box" 2>/dev/null
	umount "$1"
	return $r
}

t_delaytop_cgroup_v1() {
	mkdir "$tmp/v1" && mount -t cgroup -o none,name=consumers cgroup "$tmp/v1" ||
		{ echo "cannot mount a cgroup v1 hierarchy"; return 1; }
	container "$tmp/v1"
}

t_delaytop_cgroup_v2() {
	mkdir "$tmp/v2" && mount -t cgroup2 cgroup2 "$tmp/v2" ||
		{ echo "cannot mount cgroup2"; return 1; }
	container "$tmp/v2"
}

echo "TAP version 13"
set -- $CASES
echo "1..$#"
n=0
failed=0
for c in $CASES; do
	n=$((n + 1))
	# The tools need CAP_NET_ADMIN, the cgroup checks root: skip, as
	# kselftest asks of a test run without the privilege it needs.
	if [ "$(id -u)" != 0 ]; then
		echo "ok $n $c # SKIP needs root (CAP_NET_ADMIN, cgroup mounts)"
		continue
	fi
	out=$tmp/$c.out err=$tmp/$c.err
	: >"$out"
	: >"$err"
	("t_$(echo "$c" | tr . _)") >"$tmp/why" 2>&1
	r=$?
	if [ "$r" = 0 ]; then
		echo "ok $n $c"
	elif [ "$r" = 4 ]; then
		echo "ok $n $c # SKIP $(head -n 1 "$tmp/why")"
	else
		# why, then what the tool printed
		sed 's/^/# /' "$tmp/why"
		head -n 40 "$out" | sed 's/^/# stdout: /'
		head -n 20 "$err" | sed 's/^/# stderr: /'
		echo "not ok $n $c"
		failed=$((failed + 1))
	fi
done
echo "# consumers: $((n - failed)) of $n checks passed"
[ "$failed" = 0 ]
