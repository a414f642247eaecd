#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize build/bench-cgfile/results.tsv (key, value) as one row per
cgroup size: CGROUPSTATS_CMD_GET, the prototype cgroupfs file and the
/proc scrape, medians over the rounds in microseconds of guest time
(-icount shift=0: thousands of guest instructions)."""
import re
import statistics
import sys
from collections import defaultdict

KEY = re.compile(r'cgstats_(query|file|userspace)_us_(\d+)$')


def main(path):
    vals = defaultdict(list)
    with open(path) as f:
        for line in f:
            key, value = line.split()
            m = KEY.match(key)
            if m and value != 'n/a':
                vals[(m.group(1), int(m.group(2)))].append(float(value))
    sizes = sorted({n for _, n in vals})
    if not sizes or any((w, n) not in vals for n in sizes
                        for w in ('query', 'file', 'userspace')):
        sys.exit('cgfile-report: missing results (a kernel without '
                 'bench/cgroup-file.patch?) in ' + path)
    print('| cgroup of | query (us) | cgroup.task_states (us) '
          '| /proc scrape (us) | file / query | spread |')
    print('|---|---|---|---|---|---|')
    for n in sizes:
        med = {w: statistics.median(vals[(w, n)])
               for w in ('query', 'file', 'userspace')}
        spread = max(100.0 * (max(vals[(w, n)]) - min(vals[(w, n)])) / med[w]
                     for w in med)
        print('| %d %s | %.1f | %.1f | %.1f | %.3f | %.1f%% |' % (
            n, 'thread' if n == 1 else 'threads', med['query'], med['file'], med['userspace'],
            med['file'] / med['query'], spread))
    print('\n%d rounds; medians; spread = (max - min) / median over rounds.'
          % len(vals[('query', sizes[0])]))


if __name__ == '__main__':
    main(sys.argv[1])
