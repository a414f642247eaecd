#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize build/bench-breakdown/results.tsv (label, rate) as the cost of
each step of a plain listener's record, in thousands of guest instructions
per lifecycle (-icount shift=0: 1e9 instructions per second of guest time)."""
import statistics
import sys
from collections import defaultdict

STEPS = [
    ('idle', 'no listener, drainer thread idle'),
    ('alloc', 'listener; record allocated, then freed'),
    ('fill_noexe', '+ filled: delay, basic, extended accounting'),
    ('fill', '+ executable lookup'),
    ('deliver', '+ delivered: queue, wake-up, poll() and recv()'),
]
KINDS = [('thread', 'thread create+exit+join'), ('fork', 'fork+exit+wait')]


def main(path):
    rates = defaultdict(list)
    with open(path) as f:
        for line in f:
            label, value = line.split()
            rates[label].append(float(value))
    missing = [k + '_' + s for k, _ in KINDS for s, _ in STEPS
               if k + '_' + s not in rates]
    if missing:
        sys.exit('breakdown-report: no results for ' + ', '.join(missing))
    for kind, title in KINDS:
        print('%s, one plain listener (%d rounds):' %
              (title, len(rates[kind + '_idle'])))
        print()
        print('| step | rate/s | spread | k instr | step cost |')
        print('|---|---|---|---|---|')
        prev = None
        for step, label in STEPS:
            r = rates[kind + '_' + step]
            med = statistics.median(r)
            kinstr = 1e6 / med
            print('| %s | %.1f | %.1f%% | %.2f | %s |' % (
                label, med, 100 * (max(r) - min(r)) / med, kinstr,
                '-' if prev is None else '%+.2f' % (kinstr - prev)))
            prev = kinstr
        first = 1e6 / statistics.median(rates[kind + '_idle'])
        print('| total, listener vs none | | | | %+.2f |' % (prev - first))
        print()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: breakdown-report.py RESULTS.TSV')
    main(sys.argv[1])
