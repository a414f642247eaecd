#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the console log of a kselftest run into per-case results.

    ktap.py summary CONSOLE.log RESULTS.json   table + "N passed, N failed"
    ktap.py compare BASE.json SERIES.json OUT.md  before/after table
    ktap.py tally RESULTS.json                "passed failed skipped"

A run fails when: a test case or a test binary fails, the end sentinel
("KSFT-END") is missing (truncated run, hang, crash), or the console shows a
kernel splat (BUG:, WARNING:, Call Trace, RIP:, Kernel panic) or a kmemleak
report (an unreferenced object after the scan that follows the tests).
"""
import json
import re
import sys

SENTINEL = re.compile(r'^KSFT-END rc=(\d+)')
SPLAT = re.compile(r'(BUG:|WARNING:|Call Trace|RIP:|Kernel panic|'
                   r'kmemleak: \d+ new suspected|unreferenced object 0x)')
# Top level, from run_kselftest.sh: "ok 1 selftests: taskstats: query"
TOP = re.compile(r'^(not )?ok \d+ selftests: (\S+): (\S+)(.*)$')
# Nested, from kselftest_harness.h, prefixed by the runner: "# ok 3 query.pid_self"
SUB = re.compile(r'^# (not )?ok \d+ (\S+)(.*)$')
SUBPLAN = re.compile(r'^# 1\.\.(\d+)$')
SKIP = re.compile(r'#\s*SKIP', re.I)
# Kernel messages may interleave with test output on the serial console.
KMSG = re.compile(r'^\[\s*\d+\.\d+\]\s?')


def parse(path):
    with open(path, errors='replace') as f:
        lines = [l.rstrip('\r\n') for l in f]
    cases = {}          # "binary/case" -> pass|fail|skip
    binaries = {}       # binary -> pass|fail|skip
    problems = []
    ended = False
    plan = None
    current = []
    for raw in lines:
        if SPLAT.search(raw):
            problems.append('console: ' + KMSG.sub('', raw).strip())
        line = KMSG.sub('', raw) if KMSG.match(raw) else raw
        if SENTINEL.match(line):
            ended = True
            continue
        m = SUBPLAN.match(line)
        if m:
            plan = int(m.group(1))
            current = []
            continue
        m = SUB.match(line)
        if m:
            res = 'skip' if SKIP.search(m.group(3)) else ('fail' if m.group(1) else 'pass')
            current.append((m.group(2), res))
            continue
        m = TOP.match(line)
        if m:
            binary = m.group(3)
            res = 'skip' if SKIP.search(m.group(4)) else ('fail' if m.group(1) else 'pass')
            binaries[binary] = res
            for name, r in current:
                cases[binary + '/' + name] = r
            if plan is not None and len(current) < plan:
                problems.append('%s: %d of %d cases reported' % (binary, len(current), plan))
            if res == 'fail' and not any(r == 'fail' for _, r in current):
                # Crashed, timed out, or failed outside any test case.
                cases[binary + '/(binary exit)'] = 'fail'
            plan, current = None, []
    # One line per distinct console problem, with a count.
    seen = {}
    for p in problems:
        seen[p] = seen.get(p, 0) + 1
    problems = [p if n == 1 else '%s (x%d)' % (p, n) for p, n in seen.items()]
    if not ended:
        problems.append('no end sentinel: the run was truncated (hang, crash or timeout)')
    if not binaries:
        problems.append('no test results on the console')
    return {'cases': cases, 'binaries': binaries, 'problems': problems}


def counts(res):
    c = {'pass': 0, 'fail': 0, 'skip': 0}
    for r in res['cases'].values():
        c[r] += 1
    c['fail'] += len(res['problems'])
    return c


def summary(log, out):
    res = parse(log)
    with open(out, 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
    width = max([len(k) for k in res['cases']] + [10])
    print('%-*s  %s' % (width, 'test case', 'result'))
    print('%s  %s' % ('-' * width, '------'))
    for k in sorted(res['cases']):
        print('%-*s  %s' % (width, k, res['cases'][k].upper()))
    for p in res['problems']:
        print('FAIL: ' + p)
    c = counts(res)
    tail = ', %d skipped' % c['skip'] if c['skip'] else ''
    print('%d passed, %d failed%s' % (c['pass'], c['fail'], tail))
    return 1 if c['fail'] or not c['pass'] else 0


def compare(base_json, series_json, out):
    base = json.load(open(base_json))
    series = json.load(open(series_json))
    names = sorted(set(base['cases']) | set(series['cases']))
    rows = ['| test case | v7.3 (base) | with series |', '|---|---|---|']
    fixed = regressed = 0
    for n in names:
        b = base['cases'].get(n, 'absent').upper()
        s = series['cases'].get(n, 'absent').upper()
        mark = ''
        if b != 'PASS' and s == 'PASS':
            mark, fixed = ' (fixed)', fixed + 1
        elif b == 'PASS' and s != 'PASS':
            mark, regressed = ' (REGRESSION)', regressed + 1
        rows.append('| %s | %s | %s%s |' % (n, b, s, mark))
    for label, r in (('base', base), ('series', series)):
        for p in r['problems']:
            rows.append('| %s run: %s | | |' % (label, p.replace('|', '/')))
    cb, cs = counts(base), counts(series)
    rows.append('')
    rows.append('v7.3: %d passed, %d failed, %d skipped; with the series: '
                '%d passed, %d failed, %d skipped; %d fixed by the series, '
                '%d regressed.' % (cb['pass'], cb['fail'], cb['skip'],
                                   cs['pass'], cs['fail'], cs['skip'],
                                   fixed, regressed))
    text = '\n'.join(rows) + '\n'
    open(out, 'w').write(text)
    print(text, end='')
    return 1 if regressed else 0


def tally(path):
    try:
        c = counts(json.load(open(path)))
    except (OSError, ValueError):
        c = {'pass': 0, 'fail': 1, 'skip': 0}
    print(c['pass'], c['fail'], c['skip'])
    return 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'tally':
        sys.exit(tally(sys.argv[2]))
    if len(sys.argv) == 4 and sys.argv[1] == 'summary':
        sys.exit(summary(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 5 and sys.argv[1] == 'compare':
        sys.exit(compare(*sys.argv[2:]))
    sys.exit(__doc__)
