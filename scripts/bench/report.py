#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize build/bench/results.tsv (round, kernel, key, value) as tables
of medians, their spread over rounds and ratios to the floor kernel: the
one-vCPU boots (kernels series, base, floor and their -nd variants) and
the SMP boots (series-smp, base-smp, floor-smp).  A value of "n/a" is what
a kernel does not offer (CGROUPSTATS of a cgroup v2 directory on the base).
The second argument names the base kernel in the tables (bench.sh: the
base tree's name)."""
import re
import statistics
import sys
from collections import defaultdict

BASE = 'base'

LABELS = [
    ('exits_fork_0', 'fork+exit+wait, 0 listeners', 'rate'),
    ('exits_fork_1', 'fork+exit+wait, 1 listener', 'rate'),
    ('exits_fork_16', 'fork+exit+wait, 16 listeners', 'rate'),
    ('exits_thread_0', 'thread create+exit+join, 0 listeners', 'rate'),
    ('exits_thread_1', 'thread create+exit+join, 1 listener', 'rate'),
    ('exits_thread_16', 'thread create+exit+join, 16 listeners', 'rate'),
    ('query_pid', 'PID queries', 'rate'),
    ('query_tgid', 'TGID queries', 'rate'),
    ('tgid_latency_1', 'TGID query, 1 thread (us)', 'time'),
    ('tgid_latency_100', 'TGID query, 100 threads (us)', 'time'),
    ('tgid_latency_1000', 'TGID query, 1000 threads (us)', 'time'),
    ('tgid_proc_latency_1', '/proc/<tgid>/stat+io, 1 thread (us)', 'time'),
    ('tgid_proc_latency_100', '/proc/<tgid>/stat+io, 100 threads (us)',
     'time'),
    ('tgid_proc_latency_1000', '/proc/<tgid>/stat+io, 1000 threads (us)',
     'time'),
    ('storm_lost_pct', 'storm: records lost (%)', 'raw'),
    ('storm_enobufs', 'storm: ENOBUFS seen', 'raw'),
]

PAR = re.compile(r'par_thread_w(\d+)_l(\d+)$')
CGSTATS = re.compile(r'cgstats_query_us_(\d+)$')


class Results:
    """Values per (kernel, key) and round; "n/a" kept apart from numbers."""

    def __init__(self, path):
        self.vals = defaultdict(list)
        self.na = set()
        self.rounds = defaultdict(set)
        for line in open(path):
            r, kernel, key, value = line.rstrip('\n').split('\t')
            self.rounds[kernel].add(r)
            if value == 'n/a':
                self.na.add((kernel, key))
            else:
                self.vals[(kernel, key)].append(float(value))

    def med(self, kernel, key):
        v = self.vals.get((kernel, key))
        return statistics.median(v) if v else None

    def spread(self, kernel, key):
        v = self.vals.get((kernel, key))
        if not v or not statistics.median(v):
            return 0.0
        return 100.0 * (max(v) - min(v)) / statistics.median(v)

    def show(self, kernel, key, fmt='%.1f'):
        """The median as text: "n/a" where the kernel said so, "-" where
        there is nothing."""
        m = self.med(kernel, key)
        if m is not None:
            return fmt % m
        return 'n/a' if (kernel, key) in self.na else '-'

    def keys(self, pattern, kernels):
        """Keys matching @pattern that any of @kernels reported, with the
        pattern's numbers, sorted by them."""
        found = {}
        for kernel, key in list(self.vals) + list(self.na):
            m = pattern.match(key)
            if m and kernel in kernels:
                found[key] = tuple(int(g) for g in m.groups())
        return sorted(found, key=found.get), found

    def nrounds(self, kernels):
        return len(set().union(*(self.rounds[k] for k in kernels)))


def ratio(x, fmt='%.3f'):
    return '-' if x is None else fmt % x


def div(a, b):
    return a / b if a is not None and b else None


def table(res, base_k, series_k):
    print('| metric | floor | %s | series | %s ratio | series ratio | spread |'
          % (BASE, BASE))
    print('|---|---|---|---|---|---|---|')
    med, spread = res.med, res.spread
    for key, label, kind in LABELS:
        base, series = med(base_k, key), med(series_k, key)
        if base is None and series is None:
            continue
        sp = max(spread(k, key) for k in (base_k, series_k))
        fmt = (lambda x: '-' if x is None else
               ('%.3g' % x if kind == 'raw' else '%.1f' % x))
        if key.startswith('exits_'):
            floor = med('floor', key.rsplit('_', 1)[0] + '_0')
            sp = max(sp, spread('floor', key.rsplit('_', 1)[0] + '_0'))
            r_base, r_series = div(base, floor), div(series, floor)
        else:
            floor = None
            if kind == 'rate':
                r_base, r_series = 1.0, div(series, base)
            elif kind == 'time':
                r_base, r_series = 1.0, div(base, series)
            else:
                r_base = r_series = None
        print('| %s | %s | %s | %s | %s | %s | %.1f%% |' % (
            label, fmt(floor), fmt(base), fmt(series), ratio(r_base),
            ratio(r_series), sp))


def par_table(res):
    """Exits on every vCPU at once, as ratios to the floor's rate without
    listeners on as many vCPUs; then the records the listeners lost."""
    kernels = ('floor-smp', 'base-smp', 'series-smp')
    keys, nums = res.keys(PAR, kernels)
    if not keys:
        return
    print('| metric | floor | %s | series | %s ratio | series ratio | spread |'
          % (BASE, BASE))
    print('|---|---|---|---|---|---|---|')
    lost = []
    for key in keys:
        w, nl = nums[key]
        floor_key = 'par_thread_w%d_l0' % w
        floor = res.med('floor-smp', floor_key)
        base, series = res.med('base-smp', key), res.med('series-smp', key)
        sp = max([res.spread(k, key) for k in kernels[1:]] +
                 [res.spread('floor-smp', floor_key)])
        print('| thread create+exit+join on %d vCPUs at once, %d listener%s '
              '| %s | %s | %s | %s | %s | %.1f%% |' % (
                  w, nl, '' if nl == 1 else 's',
                  res.show('floor-smp', floor_key), res.show('base-smp', key),
                  res.show('series-smp', key), ratio(div(base, floor)),
                  ratio(div(series, floor)), sp))
        if nl:
            lost.append((w, nl, key + '_lost_pct'))
    for w, nl, key in lost:
        sp = max(res.spread(k, key) for k in kernels[1:])
        print('| %d vCPUs, %d listener%s: records lost (%%) | - | %s | %s '
              '| - | - | %.1f%% |' % (
                  w, nl, '' if nl == 1 else 's', res.show('base-smp', key, '%.3g'),
                  res.show('series-smp', key, '%.3g'), sp))


def cgstats_table(res):
    """CGROUPSTATS_CMD_GET against what userspace reads without it, per
    size of the cgroup; the ratio is how many queries one userspace round
    costs."""
    kernels = ('base-smp', 'series-smp')
    keys, nums = res.keys(CGSTATS, kernels)
    if not keys:
        return
    print('| cgroup of | query, %s (us) | query, series (us) '
          '| userspace, %s (us) | userspace, series (us) '
          '| userspace / query, series | spread |' % (BASE, BASE))
    print('|---|---|---|---|---|---|---|')
    for key in keys:
        n = nums[key][0]
        q = 'cgstats_query_us_%d' % n
        rows = [('%d threads' % n, 'cgstats_userspace_us_%d' % n),
                ('%d threads, /proc/<tid>/stat' % n,
                 'cgstats_userspace_pidstat_us_%d' % n)]
        for label, u in rows:
            if not any(res.med(k, u) is not None for k in kernels):
                continue
            sp = max(res.spread(k, x) for k in kernels for x in (q, u))
            print('| %s | %s | %s | %s | %s | %s | %.1f%% |' % (
                label, res.show('base-smp', q), res.show('series-smp', q),
                res.show('base-smp', u), res.show('series-smp', u),
                ratio(div(res.med('series-smp', u),
                          res.med('series-smp', q)), '%.1f'), sp))


def one_cpu(res):
    kernels = [k for k in res.rounds if not k.endswith('-smp')]
    if not kernels:
        return False
    print('## One vCPU (-icount)\n')
    print('%d rounds; medians; spread = (max - min) / median over rounds; '
          'ratios are to the floor (no CONFIG_TASKSTATS) for exits, '
          'to %s otherwise.\n' % (res.nrounds(kernels), BASE))
    print('Delay accounting on (as the tests run):\n')
    table(res, 'base', 'series')
    if 'series-nd' in kernels:
        print('\nDelay accounting off (kernel.task_delayacct=0, the default):\n')
        table(res, 'base-nd', 'series-nd')
    print('\nRates are per second of guest time (instructions, -icount '
          'shift=0); latencies in microseconds; for queries and latencies '
          'the ratio is the speed-up over %s (> 1 is faster).' % BASE)
    return True


def smp(res, after):
    kernels = [k for k in res.rounds if k.endswith('-smp')]
    if not kernels:
        return
    print('%s## Several vCPUs (multi-threaded TCG, no -icount)\n' % (
        '\n' if after else ''))
    print('%d rounds; medians; spread as above; delay accounting off; the '
          'kernels are built with cgroups (bench/smp.config).  Without '
          '-icount guest time is host time: rates depend on the host, '
          'ratios less so.\n' % res.nrounds(kernels))
    par_table(res)
    print('\nRates are exits per second summed over the vCPUs, each vCPU '
          'running one worker that creates and joins threads; ratios are to '
          'the floor (no CONFIG_TASKSTATS) without listeners.  Records lost: '
          'datagrams the listeners did not get, of one per exit and '
          'listener.\n')
    cgstats_table(res)
    print('\nTime per CGROUPSTATS_CMD_GET of a cgroup v2 directory holding '
          'one process of that many sleeping threads, and per round of '
          'what userspace does without it: read cgroup.threads, then '
          'open, read and close each thread\'s /proc/<tid>/task/<tid>/stat '
          '(or /proc/<tid>/stat, which adds up the whole thread group on '
          'every read) and classify its state letter.  n/a: the kernel '
          'refuses a v2 directory (EINVAL).')


def main(path, base='base'):
    global BASE
    BASE = base
    res = Results(path)
    smp(res, one_cpu(res))


if __name__ == '__main__':
    main(*sys.argv[1:3])
