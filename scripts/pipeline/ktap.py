#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the console log of a kselftest run into per-case results.

    ktap.py summary [--cases F] [--skips F] [--partial] CONSOLE.log RESULTS.json
                                              table + "N passed, N failed"
    ktap.py harness [--own-plan C[:B]] INSTALL_DIR
                                              INSTALL_DIR/ksft-harness.txt: the
                                              binaries the guest lists (-l)
    ktap.py cases INSTALL_DIR CONSOLE.log OUT.txt
                                              each binary's cases, from the
                                              guest's -l listings
    ktap.py compare BASE.json SERIES.json OUT.md  before/after table (fails
                                              unless both runs are whole)
    ktap.py tally [--checks F] [RESULTS.json] "passed failed skipped"

A run fails when: a test case or a test binary fails, the end marker
("KSFT-END rc=R") is missing (truncated run, hang, crash), the console shows
a kernel splat or a kmemleak report (an unreferenced object after the scan
that follows the tests), or run_kselftest.sh exited non-zero while no test
failed.  The marker and the splat and leak patterns are the console
protocol's (scripts/guest/protocol: TS_END, TS_SPLAT, TS_LEAK).

--cases F (written by "ktap.py cases" from the console, lines
"binary<TAB>case"): the top-level plan must equal the number of binaries in
F, every binary in F must report, and each binary's reported cases must be
exactly its listed ones (--partial: only the binaries that ran, for a run
that selects binaries with KSFT_ARGS).  An empty F fails.  An --own-plan
binary or collection (not a kselftest_harness.h program: no -l, so the
guest does not list it) is listed with the one case "(own-plan)": it must
print its own plan ("# 1..N") and report each of its cases 1..N once; its
cases are keyed by number (their descriptions vary with the result).

Results are keyed "binary/case" for the series' own collection (taskstats)
and "collection:binary/case" for any other (acct:acct_syscall/1).
--skips F (scripts/pipeline/expected-skips): any SKIP, of a case or of a whole
binary, fails unless F lists it ("binary/case reason", "binary/*" for the
binary as a whole).
"""
import argparse
import json
import os
import re
import sys


def content_lines(path):
    """(line number, stripped line) of PATH's lines but blank ones and
    '#' comments: the files the tool reads (protocol, expected-skips)."""
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                yield n, line


def read_protocol(path=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    '..', 'guest', 'protocol')):
    """The console protocol's NAME='value' lines (scripts/guest/protocol)."""
    proto = {}
    for n, line in content_lines(path):
        m = re.match(r"^(TS_\w+)='([^']*)'$", line)
        if not m:
            raise ValueError("%s:%d: not NAME='value': %s" % (path, n, line))
        proto[m.group(1)] = m.group(2)
    return proto


PROTOCOL = read_protocol()
SENTINEL = re.compile(r'^%s rc=(\d+)' % re.escape(PROTOCOL['TS_END']))
# The guest's -l listings: "KSFT-CASES collection:binary|line", then
# "KSFT-CASES-END N" (N binaries listed).
CASES_LINE = re.compile(r'^%s (\S+?)\|(.*)$' % re.escape(PROTOCOL['TS_CASES']))
CASES_END = re.compile(r'^%s (\d+)$' % re.escape(PROTOCOL['TS_CASES_END']))
HARNESS_FILE = 'ksft-harness.txt'   # in the install: the entries to list
SPLAT = re.compile('(%s|%s)' % (PROTOCOL['TS_SPLAT'], PROTOCOL['TS_LEAK']))
# Top level, from run_kselftest.sh: "1..8", "ok 1 selftests: taskstats: query"
TOPPLAN = re.compile(r'^1\.\.(\d+)$')
TOP = re.compile(r'^(not )?ok \d+ selftests: (\S+): (\S+)(.*)$')
# Nested, from kselftest_harness.h, prefixed by the runner: "# ok 3 query.pid_self"
SUB = re.compile(r'^# (not )?ok (\d+) (\S+)(.*)$')
# A kernel message may end up on the same line, right after the plan.
SUBPLAN = re.compile(r'^# 1\.\.(\d+)(?!\d)')
SKIP = re.compile(r'#\s*SKIP', re.I)
# What is kept of a failed case's output for the report (its last lines).
FAIL_LOG_LINES = 40
# Kernel messages may interleave with test output on the serial console.
KMSG = re.compile(r'^\[\s*\d+\.\d+\]\s?')
WHOLE = '*'     # expected-skips key of a binary skipped as a whole
WHOLE_CASE = '(whole binary)'   # its entry among the cases
OWN_PLAN = '(own-plan)'         # the case list of a binary without -l
PRIMARY = 'taskstats'           # the collection whose binaries keep bare names


def binary_key(collection, binary):
    """How results name a binary: bare for taskstats, else collection:binary."""
    return binary if collection == PRIMARY else collection + ':' + binary


def own_plan_binaries(listed):
    """The binaries of a ktap.py cases list that are judged by their own plan."""
    return {b for b, c in (listed or {}).items() if c == [OWN_PLAN]}


def parse(path, own_plan=()):
    """Results of a console; own_plan: binaries whose cases are keyed by number."""
    with open(path, errors='replace') as f:
        lines = [l.rstrip('\r\n') for l in f]
    cases = {}          # "binary/case" -> pass|fail|skip
    binaries = {}       # binary -> pass|fail|skip
    reported = {}       # binary -> [case, ...] as reported
    subplans = {}       # binary -> its own plan N ("# 1..N"), if it printed one
    titles = {}         # "binary/N" -> description, for own-plan binaries
    problems = []
    failed_logs = {}    # "binary/case" -> the output that led to its "not ok"
    rc = None
    plan = None         # top level: binaries planned
    subplan = None
    current = []
    logs = {}           # "binary/case" -> its output lines, for failed cases
    since = []          # lines since the last case result
    for raw in lines:
        if SPLAT.search(raw):
            problems.append('console: ' + KMSG.sub('', raw).strip())
        line = KMSG.sub('', raw) if KMSG.match(raw) else raw
        m = SENTINEL.match(line)
        if m:
            rc = int(m.group(1))
            continue
        m = TOPPLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = SUBPLAN.match(line)
        if m:
            subplan = int(m.group(1))
            current = []
            continue
        m = SUB.match(line)
        if m:
            res = 'skip' if SKIP.search(m.group(4)) else ('fail' if m.group(1) else 'pass')
            current.append((m.group(2), m.group(3), (m.group(3) + m.group(4)).strip(), res))
            if res == 'fail':
                logs[m.group(3)] = since[-FAIL_LOG_LINES:]
            since = []
            continue
        since.append(line)
        m = TOP.match(line)
        if m:
            binary = binary_key(m.group(2), m.group(3))
            res = 'skip' if SKIP.search(m.group(4)) else ('fail' if m.group(1) else 'pass')
            if binary in own_plan:
                for num, _, title, _ in current:
                    titles[binary + '/' + num] = title
                current = [(num, r) for num, _, _, r in current]
            else:
                current = [(name, r) for _, name, _, r in current]
            binaries[binary] = res
            if subplan is not None:
                subplans[binary] = subplan
            reported[binary] = [name for name, _ in current]
            for name, r in current:
                cases[binary + '/' + name] = r
                if r == 'fail' and name in logs:
                    failed_logs[binary + '/' + name] = logs[name]
            logs = {}
            if subplan is not None and len(current) < subplan:
                problems.append('%s: %d of %d cases reported' % (binary, len(current), subplan))
            if res == 'fail' and not any(r == 'fail' for _, r in current):
                # Crashed, timed out, or failed outside any test case.
                cases[binary + '/(binary exit)'] = 'fail'
            if res == 'skip' and not current:
                cases[binary + '/' + WHOLE_CASE] = 'skip'
            subplan, current = None, []
    if rc is None:
        problems.append('no end sentinel: the run was truncated (hang, crash or timeout)')
    if not binaries:
        problems.append('no test results on the console')
    return {'cases': cases, 'binaries': binaries, 'reported': reported,
            'subplans': subplans, 'titles': titles, 'logs': failed_logs,
            'plan': plan, 'rc': rc, 'problems': problems}


def read_cases(path):
    """binary -> [case, ...] from a "binary<TAB>case" file (ktap.py cases)."""
    listed = {}
    try:
        f = open(path)
    except OSError as e:
        raise ValueError('%s (scripts/pipeline/ksft.sh writes it)' % e)
    with f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise ValueError('%s:%d: want "binary<TAB>case"' % (path, n))
            listed.setdefault(parts[0], []).append(parts[1])
    return listed


def read_skips(path):
    """"binary/case" -> reason from an expected-skips file."""
    skips = {}
    for n, line in content_lines(path):
        parts = line.split(None, 1)
        if len(parts) < 2 or '/' not in parts[0]:
            raise ValueError('%s:%d: want "binary/case reason"' % (path, n))
        skips[parts[0]] = parts[1]
    return skips


def check_plan(res, listed, partial=False):
    """Problems with what ran against what the binaries list (-l)."""
    problems = []
    if not listed:
        return ['the list of test cases is empty: nothing was built or installed']
    if not partial and res['plan'] is None:
        problems.append('no top-level plan (1..N) on the console')
    elif not partial and res['plan'] != len(listed):
        problems.append('top-level plan 1..%d, but %d binaries are installed'
                        % (res['plan'], len(listed)))
    for binary in sorted(set(res['binaries']) - set(listed)):
        problems.append('%s: reported, but not installed' % binary)
    for binary in sorted(listed):
        if binary not in res['binaries']:
            if not partial:
                problems.append('%s: did not report' % binary)
            continue
        if res['binaries'][binary] == 'skip' and not res['reported'][binary]:
            continue        # skipped as a whole: judged as a skip
        got, want = res['reported'][binary], listed[binary]
        if want == [OWN_PLAN]:
            # Its own plan is the list: 1..N, each once.
            n = res.get('subplans', {}).get(binary)
            if n is None:
                problems.append('%s: no plan (1..N) of its own' % binary)
                continue
            want = [str(i) for i in range(1, n + 1)]
            for case in sorted(set(want) - set(got), key=int):
                problems.append('%s/%s: in its plan 1..%d, not reported' % (binary, case, n))
            for case in sorted(set(got) - set(want), key=lambda c: (len(c), c)):
                problems.append('%s/%s: reported, not in its plan 1..%d' % (binary, case, n))
            for case in sorted(c for c in set(got) if got.count(c) > 1):
                problems.append('%s/%s: reported %d times' % (binary, case, got.count(case)))
            continue
        for case in sorted(set(want) - set(got)):
            problems.append('%s/%s: listed by -l, not reported' % (binary, case))
        for case in sorted(set(got) - set(want)):
            problems.append('%s/%s: reported, not listed by -l' % (binary, case))
        for case in sorted(c for c in set(got) if got.count(c) > 1):
            problems.append('%s/%s: reported %d times' % (binary, case, got.count(case)))
    return problems


def check_skips(res, expected):
    """Problems: skips, of a case or a whole binary, not in expected-skips."""
    problems = []
    for key, r in sorted(res['cases'].items()):
        binary = key.split('/')[0]
        if r == 'skip' and key not in expected and binary + '/' + WHOLE not in expected:
            what = (binary + ': skipped as a whole' if key.endswith('/' + WHOLE_CASE)
                    else key + ': SKIP')
            problems.append('%s, not in expected-skips' % what)
    return problems


def judge(res, listed=None, expected=None, partial=False):
    """Add the plan, skip and exit-status checks to res['problems']."""
    problems = res['problems']
    if listed is not None:
        problems += check_plan(res, listed, partial)
    if expected is not None:
        problems += check_skips(res, expected)
    failed = any(r == 'fail' for r in res['cases'].values())
    if res['rc'] not in (None, 0) and not failed:
        problems.append('run_kselftest.sh exited rc=%d, but no test failed' % res['rc'])
    # One line per distinct problem, with a count.
    seen = {}
    for p in problems:
        seen[p] = seen.get(p, 0) + 1
    res['problems'] = [p if n == 1 else '%s (x%d)' % (p, n) for p, n in seen.items()]
    return res


def harness_list(text):
    """The cases of a kselftest_harness.h binary's -l output, in order.

    -l prints fixture, variant and test as three columns ("%-20s %-25s %s"),
    each fixture a block of rows whose first row names the fixture; the
    harness runs every variant (or none) with every test of the fixture,
    as "fixture.variant.test" or "fixture.test".
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith('# FIXTURE'):
        raise ValueError('not a kselftest_harness -l listing')
    out = []
    block = []
    for line in lines[1:] + ['-']:
        if line.startswith('-') or (line[:1].strip() and block):
            # a dash line or a new fixture's first row ends a block
            if block:
                fixture, variants, tests = block
                for v in variants or [None]:
                    out += ['.'.join(x for x in (fixture, v, t) if x) for t in tests]
            block = []
            if line.startswith('-'):
                continue
        if not line.strip():
            continue
        tokens = [(m.start(), m.group()) for m in re.finditer(r'\S+', line)]
        vcol = 21
        if not block:
            fixture = tokens.pop(0)[1]
            vcol = max(21, len(fixture) + 1)
            block = [fixture, [], []]
        if len(tokens) == 2:
            block[1].append(tokens[0][1])
            block[2].append(tokens[1][1])
        elif len(tokens) == 1:
            block[1 if tokens[0][0] == vcol else 2].append(tokens[0][1])
    return out


def is_own_plan(collection, binary, own_plan):
    """Whether own_plan names the binary, its -m32 twin or its collection."""
    base = binary[:-3] if binary.endswith('_32') else binary
    return (collection in own_plan or '%s:%s' % (collection, binary) in own_plan
            or '%s:%s' % (collection, base) in own_plan)


def read_list(inst):
    """The entries of INST/kselftest-list.txt ("collection:binary")."""
    with open(os.path.join(inst, 'kselftest-list.txt')) as f:
        entries = [l.strip() for l in f if l.strip()]
    if not entries:
        sys.exit('error: %s/kselftest-list.txt is empty' % inst)
    return entries


def harness_entries(inst, own_plan=()):
    """The entries of INST/kselftest-list.txt that list their cases with -l:
    all but own_plan's, which names collections ("acct": all its binaries)
    or binaries ("taskstats:cgroupstats", which also names its -m32 build
    cgroupstats_32).  Nothing is run: the guest runs them with -l."""
    return [e for e in read_list(inst)
            if not is_own_plan(*e.split(':', 1), own_plan)]


def console_listings(path):
    """entry -> -l output text, and the count of the end line (or None),
    from a console's TS_CASES lines (the guest's /init prints them)."""
    text, end = {}, None
    with open(path, errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\r\n')
            m = CASES_END.match(line)
            if m:
                end = int(m.group(1))
                continue
            m = CASES_LINE.match(line)
            if m:
                text[m.group(1)] = text.get(m.group(1), '') + m.group(2) + '\n'
    return text, end


def list_cases(inst, console, out):
    """Write OUT: the cases of every binary of INST/kselftest-list.txt.

    A harness binary (INST/ksft-harness.txt, "ktap.py harness") has the
    cases its -l listing names, which the guest prints on the console
    before the suite (TS_CASES): test binaries never run on the build
    host, which may not be able to execute them (-m32 without IA32
    emulation, a cross build) and must not run them as root.  Every other
    binary has the one case OWN_PLAN (check_plan holds it to its own plan).
    """
    with open(os.path.join(inst, HARNESS_FILE)) as f:
        harness = [l.strip() for l in f if l.strip()]
    listings, end = console_listings(console)
    if end is None:
        sys.exit('error: %s: no "%s" line: the guest did not list the cases'
                 % (console, PROTOCOL['TS_CASES_END']))
    if end != len(harness):
        sys.exit('error: %s: the guest listed %d binaries, %s names %d'
                 % (console, end, HARNESS_FILE, len(harness)))
    rows = []
    for entry in read_list(inst):
        collection, binary = entry.split(':', 1)
        key = binary_key(collection, binary)
        if entry not in harness:
            rows.append('%s\t%s\n' % (key, OWN_PLAN))
            continue
        try:
            cases = harness_list(listings.get(entry, ''))
        except ValueError as e:
            sys.exit('error: %s -l in the guest: %s: %s' % (
                entry, e, (listings.get(entry) or 'no output').splitlines()[0]))
        if not cases:
            sys.exit('error: %s -l lists no test cases' % entry)
        rows += ['%s\t%s\n' % (key, c) for c in cases]
    with open(out, 'w') as f:
        f.writelines(rows)
    return 0


def write_harness(inst, own_plan=()):
    """INST/ksft-harness.txt: the entries the guest lists with -l."""
    with open(os.path.join(inst, HARNESS_FILE), 'w') as f:
        f.writelines(e + '\n' for e in harness_entries(inst, own_plan))
    return 0


def counts(res):
    c = {'pass': 0, 'fail': 0, 'skip': 0}
    for r in res['cases'].values():
        c[r] += 1
    c['fail'] += len(res['problems'])
    return c


def summary(log, out, cases=None, skips=None, partial=False):
    try:
        listed = read_cases(cases) if cases else None
        expected = read_skips(skips) if skips else None
    except (OSError, ValueError) as e:
        sys.exit('error: %s' % e)
    res = judge(parse(log, own_plan_binaries(listed)), listed, expected, partial)
    with open(out, 'w') as f:
        json.dump(res, f, indent=1, sort_keys=True)
    width = max([len(k) for k in res['cases']] + [10])
    print('%-*s  %s' % (width, 'test case', 'result'))
    print('%s  %s' % ('-' * width, '------'))
    for k in sorted(res['cases']):
        print('%-*s  %s' % (width, k, res['cases'][k].upper()))
    for key, reason in sorted((expected or {}).items()):
        binary, case = key.split('/', 1)
        hit = [k for k, r in res['cases'].items() if r == 'skip' and
               (k == key or (case == WHOLE and k.startswith(binary + '/')))]
        print('%s: %s (expected skip: %s)' % (key, 'SKIP' if hit else 'did not skip', reason))
    for p in res['problems']:
        print('FAIL: ' + p)
    for key, log in sorted(res['logs'].items()):
        print('FAIL: %s printed:' % key)
        for line in log:
            print('    ' + line)
    c = counts(res)
    tail = ', %d skipped' % c['skip'] if c['skip'] else ''
    print('%d passed, %d failed%s' % (c['pass'], c['fail'], tail))
    return 1 if c['fail'] or not c['pass'] else 0


INCOMPLETE = ('no end sentinel', 'no test results')


def compare(base_json, series_json, out, kernel='series', subset=False,
            base_label='base'):
    """The before/after table of two runs of the same binaries.

    A case is fixed (failed on the base kernel, passes with the series),
    new (skipped there: the base kernel lacks the feature), or a
    regression (passed there, does not now).  The table needs both runs:
    it fails when either run was cut short or reported nothing, or when a
    case is missing from one side, besides any regression.  KERNEL names
    the second kernel ("series", "stable parts").  With SUBSET, the second
    run ran part of the base run's cases (its own summary checked that it
    ran all it listed): the table covers the cases it ran.  BASE_LABEL
    names the base kernel in the table (check.sh: the base tree's name).
    """
    runs = {}
    for label, path in (('base', base_json), ('series', series_json)):
        try:
            with open(path) as f:
                runs[label] = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit('error: the %s run has no results (%s): the table needs '
                     'both runs' % (label, e))
    base, series = runs['base'], runs['series']
    names = sorted(set(series['cases']) if subset
                   else set(base['cases']) | set(series['cases']))
    rows = ['| test case | %s | with %s |' % (base_label, kernel), '|---|---|---|']
    tally_ = {'fixed': 0, 'new': 0, 'regressed': 0, 'missing': 0}
    for n in names:
        b = base['cases'].get(n, 'absent').upper()
        s = series['cases'].get(n, 'absent').upper()
        mark = ''
        if 'ABSENT' in (b, s):
            mark, kind = ' (MISSING from a run)', 'missing'
        elif b == 'FAIL' and s == 'PASS':
            mark, kind = ' (fixed)', 'fixed'
        elif b == 'SKIP' and s == 'PASS':
            mark, kind = ' (new)', 'new'
        elif b == 'PASS' and s != 'PASS':
            mark, kind = ' (REGRESSION)', 'regressed'
        else:
            kind = None
        if kind:
            tally_[kind] += 1
        title = series.get('titles', {}).get(n) or base.get('titles', {}).get(n)
        label = '%s (%s)' % (n, title.replace('|', '/')) if title else n
        rows.append('| %s | %s | %s%s |' % (label, b, s, mark))
    incomplete = []
    for label, r in (('base', base), ('series', series)):
        for p in r['problems']:
            rows.append('| %s run: %s | | |' % (label, p.replace('|', '/')))
            if p.startswith(INCOMPLETE):
                incomplete.append('%s run: %s' % (label, p))
        if not r['cases']:
            incomplete.append('%s run: no test cases' % label)
    cb, cs = counts(base), counts(series)
    rows.append('')
    if subset:
        cb = counts({'cases': {n: base['cases'][n] for n in names
                               if n in base['cases']},
                     'problems': base['problems']})
    rows.append('%s: %d passed, %d failed, %d skipped; with the %s: '
                '%d passed, %d failed, %d skipped; %d fixed by the %s, '
                '%d new, %d regressed, %d missing from a run.'
                % (base_label, cb['pass'], cb['fail'], cb['skip'], kernel, cs['pass'],
                   cs['fail'], cs['skip'], tally_['fixed'], kernel,
                   tally_['new'], tally_['regressed'], tally_['missing']))
    rows += ['FAIL: %s: the table needs both runs whole' % p for p in incomplete]
    text = '\n'.join(rows) + '\n'
    with open(out, 'w') as f:
        f.write(text)
    print(text, end='')
    return 1 if tally_['regressed'] or tally_['missing'] or incomplete else 0


CHECK = re.compile(r'^(PASS|FAIL) (.+?): ')


def tally(path=None, checks=None):
    """Passed, failed, skipped: the cases of a results file and the lines
    "PASS|FAIL name: detail" of a checks file (lib.sh's check_result)."""
    c = {'pass': 0, 'fail': 0, 'skip': 0}
    if path:
        try:
            c = counts(json.load(open(path)))
        except (OSError, ValueError):
            c = {'pass': 0, 'fail': 1, 'skip': 0}
    if checks:
        try:
            for line in open(checks):
                m = CHECK.match(line)
                if m:
                    c['pass' if m.group(1) == 'PASS' else 'fail'] += 1
        except OSError:
            c['fail'] += 1
    print(c['pass'], c['fail'], c['skip'])
    return 0


def failures(paths):
    """The failed cases of results files and the output each printed
    before its "not ok", so that the end of a long log says what failed."""
    for path in paths:
        try:
            res = json.load(open(path))
        except (OSError, ValueError) as e:
            print('FAIL %s: %s' % (path, e))
            continue
        for key in sorted(k for k, r in res['cases'].items() if r == 'fail'):
            print('FAIL %s' % key)
            for line in res.get('logs', {}).get(key, []):
                print('    ' + line)
        for p in res['problems']:
            print('FAIL ' + p)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('summary')
    p.add_argument('--cases', help='binary<TAB>case list (ktap.py cases)')
    p.add_argument('--skips', help='expected-skips file: any other SKIP fails')
    p.add_argument('--partial', action='store_true',
                   help='only some binaries ran: check those')
    p.add_argument('console')
    p.add_argument('results')
    p = sub.add_parser('harness')
    p.add_argument('--own-plan', action='append', default=[],
                   metavar='COLLECTION[:BINARY]',
                   help='a collection or binary that is not a kselftest_harness.h '
                   'program: not listed, held to its own plan')
    p.add_argument('install')
    p = sub.add_parser('cases')
    p.add_argument('install')
    p.add_argument('console')
    p.add_argument('out')
    p = sub.add_parser('compare')
    p.add_argument('--label', default='series',
                   help='what the second kernel is, for the table')
    p.add_argument('--subset', action='store_true',
                   help='the second run ran part of the cases: compare those')
    p.add_argument('--base-label', default='base',
                   help='what the table calls the base kernel')
    p.add_argument('base')
    p.add_argument('series')
    p.add_argument('out')
    p = sub.add_parser('failures')
    p.add_argument('results', nargs='+')
    p = sub.add_parser('tally')
    p.add_argument('--checks', help='checks file: its PASS and FAIL lines count too')
    p.add_argument('results', nargs='?')
    a = ap.parse_args(argv)
    if a.cmd == 'summary':
        return summary(a.console, a.results, a.cases, a.skips, a.partial)
    if a.cmd == 'harness':
        return write_harness(a.install, a.own_plan)
    if a.cmd == 'cases':
        return list_cases(a.install, a.console, a.out)
    if a.cmd == 'compare':
        return compare(a.base, a.series, a.out, a.label, a.subset,
                       a.base_label)
    if a.cmd == 'failures':
        return failures(a.results)
    return tally(a.results, a.checks)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
