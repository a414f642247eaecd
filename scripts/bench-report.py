#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize build/bench/results.tsv (round, kernel, key, value) as a table
of medians, their spread over rounds and ratios to the floor kernel."""
import statistics
import sys
from collections import defaultdict

LABELS = [
    ('exits_fork_0', 'fork+exit+wait, 0 listeners', 'rate'),
    ('exits_fork_1', 'fork+exit+wait, 1 listener', 'rate'),
    ('exits_fork_16', 'fork+exit+wait, 16 listeners', 'rate'),
    ('exits_thread_0', 'thread create+exit+join, 0 listeners', 'rate'),
    ('exits_thread_1', 'thread create+exit+join, 1 listener', 'rate'),
    ('exits_thread_16', 'thread create+exit+join, 16 listeners', 'rate'),
    ('exits_fork_b1', 'fork+exit+wait, 1 batch listener', 'rate'),
    ('exits_fork_b16', 'fork+exit+wait, 16 batch listeners', 'rate'),
    ('exits_thread_b1', 'thread create+exit+join, 1 batch listener', 'rate'),
    ('exits_thread_b16', 'thread create+exit+join, 16 batch listeners', 'rate'),
    ('query_pid', 'PID queries', 'rate'),
    ('query_tgid', 'TGID queries', 'rate'),
    ('tgid_latency_1', 'TGID query, 1 thread (us)', 'time'),
    ('tgid_latency_100', 'TGID query, 100 threads (us)', 'time'),
    ('tgid_latency_1000', 'TGID query, 1000 threads (us)', 'time'),
    ('storm_lost_pct', 'storm: records lost (%)', 'raw'),
    ('storm_enobufs', 'storm: ENOBUFS seen', 'raw'),
    ('storm_batch_lost_pct', 'storm, batch listener: records lost (%)', 'raw'),
    ('storm_batch_enobufs', 'storm, batch listener: ENOBUFS seen', 'raw'),
]


def table(med, spread, base_k, series_k):
    print('| metric | floor | v7.3 | series | v7.3 ratio | series ratio | spread |')
    print('|---|---|---|---|---|---|---|')
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
            r_base = base / floor if floor and base else None
            r_series = series / floor if floor and series else None
        else:
            floor = None
            if kind == 'rate':
                r_base, r_series = 1.0, series / base if base else None
            elif kind == 'time':
                r_base, r_series = 1.0, base / series if series else None
            else:
                r_base = r_series = None
        ratio = lambda x: '-' if x is None else '%.3f' % x
        print('| %s | %s | %s | %s | %s | %s | %.1f%% |' % (
            label, fmt(floor), fmt(base), fmt(series), ratio(r_base),
            ratio(r_series), sp))



def main(path):
    vals = defaultdict(list)
    rounds = set()
    for line in open(path):
        r, kernel, key, value = line.split('\t')
        vals[(kernel, key)].append(float(value))
        rounds.add(r)

    def med(kernel, key):
        v = vals.get((kernel, key))
        return statistics.median(v) if v else None

    def spread(kernel, key):
        v = vals.get((kernel, key))
        if not v or not statistics.median(v):
            return 0.0
        return 100.0 * (max(v) - min(v)) / statistics.median(v)

    print('%d rounds; medians; spread = (max - min) / median over rounds; '
          'ratios are to the floor (no CONFIG_TASKSTATS) for exits, '
          'to v7.3 otherwise.\n' % len(rounds))
    print('Delay accounting on (as the tests run):\n')
    table(med, spread, 'base', 'series')
    if any(k == 'series-nd' for k, _ in vals):
        print('\nDelay accounting off (kernel.task_delayacct=0, the default):\n')
        table(med, spread, 'base-nd', 'series-nd')
    print('\nRates are per second of guest time (instructions, -icount '
          'shift=0); latencies in microseconds; for queries and latencies '
          'the ratio is the speed-up over v7.3 (> 1 is faster).')


if __name__ == '__main__':
    main(sys.argv[1])
