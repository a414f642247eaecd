#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of ktap.py on consoles cut from real runs (test_data/).

    python3 scripts/pipeline/ktap_test.py [-v]

good.log is the series run cut to two binaries (query, query_32; plan
1..2) and cases.txt their -l lists; the other consoles are good.log
truncated, panicked, or edited to skip, fail, lose cases or exit non-zero.
collections.log is a series run of the acct and consumers collections with
taskstats' cgroupstats appended (plan 1..5), collections-cases.txt its
case list ("ktap.py harness --own-plan acct", then "ktap.py cases").
"""
import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import ktap

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test_data')


def data(name):
    return os.path.join(DATA, name)


def text(name):
    with open(data(name)) as f:
        return f.read()


def judge(log, cases='cases.txt', skips=None, partial=False):
    listed = ktap.read_cases(data(cases)) if cases else None
    expected = ktap.read_skips(data(skips)) if skips else {}
    return ktap.judge(ktap.parse(data(log), ktap.own_plan_binaries(listed)),
                      listed, expected, partial)


def text_of(path):
    with open(path) as f:
        return f.read()


def install(inst, scripts, entries):
    """A fake kselftest install in INST: SCRIPTS maps "collection/binary"
    to an executable's body; ENTRIES are kselftest-list.txt's lines."""
    for path, body in scripts.items():
        path = os.path.join(inst, path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(body)
        os.chmod(path, 0o755)
    with open(os.path.join(inst, 'kselftest-list.txt'), 'w') as f:
        f.write(''.join(e + '\n' for e in entries))


def edited(name, drop=(), replace=()):
    """A copy of test_data/NAME without the lines in drop, with replacements."""
    lines = [l for l in text(name).splitlines(True) if l.rstrip('\n') not in drop]
    body = ''.join(lines)
    for old, new in replace:
        body = body.replace(old, new)
    f = tempfile.NamedTemporaryFile('w', suffix='.log', delete=False)
    with f:
        f.write(body)
    return f.name


class Summary(unittest.TestCase):
    def run_summary(self, log, **kw):
        with tempfile.TemporaryDirectory() as d:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = ktap.summary(data(log), os.path.join(d, 'r.json'), **kw)
            with open(os.path.join(d, 'r.json')) as f:
                res = json.load(f)
        return rc, out.getvalue().splitlines(), res

    def test_good(self):
        rc, lines, res = self.run_summary('good.log', cases=data('cases.txt'),
                                          skips=data('expected-skips'))
        self.assertEqual(rc, 0)
        self.assertEqual(lines[-1], '28 passed, 0 failed')
        self.assertEqual(res['problems'], [])
        self.assertEqual((res['plan'], res['rc']), (2, 0))

    def test_expected_skip(self):
        rc, lines, _ = self.run_summary('case-skip.log', cases=data('cases.txt'),
                                        skips=data('expected-skips'))
        self.assertEqual(rc, 0)
        self.assertEqual(lines[-1], '27 passed, 0 failed, 1 skipped')
        self.assertIn('query_32/query.pid_child: SKIP (expected skip: '
                      'need a second CPU)', lines)

    def test_unexpected_skip(self):
        rc, lines, _ = self.run_summary('case-skip.log', cases=data('cases.txt'),
                                        skips=os.devnull)
        self.assertEqual(rc, 1)
        self.assertIn('FAIL: query_32/query.pid_child: SKIP, not in expected-skips',
                      lines)
        self.assertEqual(lines[-1], '27 passed, 1 failed, 1 skipped')

    def test_base_run_exempt_from_skips(self):
        # The base run passes no --skips: a skip is counted, not a failure.
        rc, lines, _ = self.run_summary('case-skip.log', cases=data('cases.txt'))
        self.assertEqual(rc, 0)
        self.assertEqual(lines[-1], '27 passed, 0 failed, 1 skipped')

    def test_missing_case_list(self):
        with self.assertRaises(SystemExit):
            self.run_summary('good.log', cases=data('no-such-file'))


class Console(unittest.TestCase):
    def test_good(self):
        res = judge('good.log', skips='expected-skips')
        self.assertEqual(res['problems'], [])
        self.assertEqual(len(res['cases']), 28)
        self.assertEqual(set(res['cases'].values()), {'pass'})
        self.assertEqual(res['binaries'], {'query': 'pass', 'query_32': 'pass'})

    def test_truncated(self):
        res = judge('truncated.log')
        self.assertIn('no end sentinel: the run was truncated (hang, crash or timeout)',
                      res['problems'])
        self.assertIn('query_32: did not report', res['problems'])

    def test_truncated_fails_without_case_list(self):
        res = judge('truncated.log', cases=None)
        self.assertTrue(any('no end sentinel' in p for p in res['problems']))

    def test_panicked(self):
        p = judge('panicked.log')['problems']
        self.assertTrue(any(x.startswith('console: BUG: kernel NULL pointer') for x in p))
        self.assertTrue(any(x.startswith('console: Kernel panic') for x in p))
        self.assertTrue(any('no end sentinel' in x for x in p))

    def test_fewer_cases_than_planned(self):
        p = judge('fewer-cases.log')['problems']
        self.assertIn('query_32: 12 of 14 cases reported', p)
        self.assertIn('query_32/query.tgid_unknown: listed by -l, not reported', p)
        self.assertIn('query_32/query.pid_reaped_child: listed by -l, not reported', p)

    def test_no_plan_and_binary_missing(self):
        p = judge('no-plan.log')['problems']
        self.assertIn('no top-level plan (1..N) on the console', p)
        self.assertIn('query_32: did not report', p)

    def test_plan_differs_from_list(self):
        listed = ktap.read_cases(data('cases.txt'))
        listed['listener'] = ['listener.a']
        res = ktap.judge(ktap.parse(data('good.log')), listed, {})
        self.assertIn('top-level plan 1..2, but 3 binaries are installed', res['problems'])
        self.assertIn('listener: did not report', res['problems'])

    def test_partial_run(self):
        # KSFT_ARGS selected one binary: the ones that ran are still checked.
        listed = ktap.read_cases(data('cases.txt'))
        listed['listener'] = ['listener.a']
        res = ktap.judge(ktap.parse(data('good.log')), listed, {}, partial=True)
        self.assertEqual(res['problems'], [])
        res = ktap.judge(ktap.parse(data('fewer-cases.log')), listed, {}, partial=True)
        self.assertIn('query_32/query.tgid_unknown: listed by -l, not reported',
                      res['problems'])

    def test_case_missing_from_list(self):
        listed = ktap.read_cases(data('cases.txt'))
        listed['query'].remove('query.pid_child')
        res = ktap.judge(ktap.parse(data('good.log')), listed, {})
        self.assertEqual(res['problems'],
                         ['query/query.pid_child: reported, not listed by -l'])

    def test_empty_list(self):
        res = ktap.judge(ktap.parse(data('good.log')), {}, {})
        self.assertEqual(res['problems'],
                         ['the list of test cases is empty: nothing was built or installed'])

    def test_binary_skipped_as_a_whole(self):
        res = judge('binary-skip.log', skips='expected-skips')
        self.assertEqual(res['binaries']['query_32'], 'skip')
        self.assertEqual(res['cases']['query_32/(whole binary)'], 'skip')
        self.assertEqual(res['problems'],
                         ['query_32: skipped as a whole, not in expected-skips'])

    def test_binary_skip_expected(self):
        res = ktap.judge(ktap.parse(data('binary-skip.log')),
                         ktap.read_cases(data('cases.txt')),
                         {'query_32/*': 'no 32-bit userspace'})
        self.assertEqual(res['problems'], [])

    def test_unexpected_skip(self):
        res = judge('case-skip.log', skips=None)
        self.assertEqual(res['cases']['query_32/query.pid_child'], 'skip')
        self.assertEqual(res['problems'],
                         ['query_32/query.pid_child: SKIP, not in expected-skips'])

    def test_expected_skip(self):
        res = judge('case-skip.log', skips='expected-skips')
        self.assertEqual(res['problems'], [])

    def test_rc_mismatch(self):
        res = judge('rc-mismatch.log')
        self.assertEqual(res['rc'], 1)
        self.assertEqual(res['problems'],
                         ['run_kselftest.sh exited rc=1, but no test failed'])

    def test_failed_case_with_rc(self):
        res = judge('case-fail.log')
        self.assertEqual(res['cases']['query_32/query.pid_child'], 'fail')
        self.assertEqual(res['binaries']['query_32'], 'fail')
        self.assertEqual(res['problems'], [])
        self.assertEqual(ktap.counts(res), {'pass': 27, 'fail': 1, 'skip': 0})
        # What the case printed before "not ok", for the end of a report.
        self.assertEqual(res['logs'], {'query_32/query.pid_child': [
            '# #  RUN           query.pid_child ...',
            '# # query.c:151:pid_child:Expected 0 (0) == ts.ac_exitcode (1)',
            '# # pid_child: Test failed']})


class HarnessList(unittest.TestCase):
    def test_variants(self):
        cases = ktap.harness_list(text('query.l'))
        self.assertEqual(len(cases), 14)
        self.assertEqual(cases[:2], ['global.family_lookup', 'query.pid_self'])
        self.assertEqual(cases[-3:], ['unprivileged.pid.eperm',
                                      'unprivileged.tgid.eperm',
                                      'unprivileged.register_cpumask.eperm'])
        self.assertEqual(cases, ktap.read_cases(data('cases.txt'))['query'])

    def test_variants_times_tests(self):
        cases = ktap.harness_list(text('cgroupstats.l'))
        self.assertEqual(len(cases), 20)  # global has no test: 2 x 8 + 4
        self.assertIn('cgstats.v2.unprivileged_query', cases)
        self.assertIn('bad_fd.no_attribute', cases)
        self.assertNotIn('global', ' '.join(cases))

    def test_long_names(self):
        text = ('%-20s %-25s %s\n' % ('# FIXTURE', 'VARIANT', 'TEST') +
                '%-20s %-25s %s\n' % ('a_fixture_name_longer_than_20', '', 'only_test') +
                '-' * 80 + '\n' +
                '%-20s %-25s %s\n' % ('fx', 'a_variant_name_longer_than_25_chars', 't1') +
                '%-20s %-25s %s\n' % ('', 'v2', ''))
        self.assertEqual(ktap.harness_list(text),
                         ['a_fixture_name_longer_than_20.only_test',
                          'fx.a_variant_name_longer_than_25_chars.t1', 'fx.v2.t1'])

    def test_not_a_harness_binary(self):
        with self.assertRaises(ValueError):
            ktap.harness_list('TAP version 13\n1..0 # SKIP\n')


class Collections(unittest.TestCase):
    """acct (no -l: held to its own plan), consumers, taskstats together."""

    def judge(self, log):
        listed = ktap.read_cases(data('collections-cases.txt'))
        try:
            return ktap.judge(ktap.parse(log, ktap.own_plan_binaries(listed)),
                              listed, {})
        finally:
            if not log.startswith(DATA):
                os.unlink(log)

    def test_good(self):
        res = self.judge(data('collections.log'))
        self.assertEqual(res['problems'], [])
        self.assertEqual(len(res['cases']), 34)
        self.assertEqual(set(res['cases'].values()), {'pass'})

    def test_keys(self):
        # Two binaries named cgroupstats: taskstats' keeps its bare name.
        res = self.judge(data('collections.log'))
        self.assertEqual(sorted(res['binaries']),
                         ['acct:acct_syscall', 'acct:cgroupstats',
                          'acct:taskstats_fill_stats_tgid', 'cgroupstats',
                          'consumers:accounting.sh'])
        self.assertEqual(res['cases']['acct:cgroupstats/2'], 'pass')
        self.assertEqual(res['cases']['cgroupstats/cgstats.v2.threads'], 'pass')
        self.assertEqual(res['cases']['consumers:accounting.sh/delaytop.cgroup_v2'],
                         'pass')
        self.assertEqual(res['titles']['acct:cgroupstats/2'],
                         'cgroupstats rejects bad fd without NLM_F_ACK')
        self.assertFalse(any(k.startswith('consumers') for k in res['titles']))

    def test_own_plan_case_missing(self):
        res = self.judge(edited('collections.log',
                                drop=['# ok 2 cgroupstats rejects bad fd without NLM_F_ACK']))
        self.assertIn('acct:cgroupstats/2: in its plan 1..3, not reported',
                      res['problems'])

    def test_own_plan_case_twice(self):
        res = self.judge(edited('collections.log', replace=[
            ('# ok 3 cgroupstats rejects bad fd with NLM_F_ACK',
             '# ok 2 cgroupstats rejects bad fd with NLM_F_ACK')]))
        self.assertIn('acct:cgroupstats/2: reported 2 times', res['problems'])
        self.assertIn('acct:cgroupstats/3: in its plan 1..3, not reported',
                      res['problems'])

    def test_kmsg_glued_to_plan(self):
        """A kernel message printed right after a plan, on its line (seen
        in a base run: acct_syscall's "# 1..1Process accounting resumed")."""
        res = self.judge(edited('collections.log', replace=[
            ('Process accounting resumed\n# 1..1\n',
             '# 1..1Process accounting resumed\n\n')]))
        self.assertEqual(res['problems'], [])
        self.assertEqual(res['cases']['acct:acct_syscall/1'], 'pass')

    def test_own_plan_missing(self):
        res = self.judge(edited('collections.log', drop=['# 1..3']))
        self.assertIn('acct:cgroupstats: no plan (1..N) of its own', res['problems'])

    def test_consumers_case_missing(self):
        res = self.judge(edited('collections.log', drop=['# ok 6 procacct.records']))
        self.assertIn('consumers:accounting.sh/procacct.records: listed by -l, '
                      'not reported', res['problems'])

    def test_compare_shows_titles(self):
        base = self.judge(edited('collections.log', replace=[
            ('# ok 1 Successfully logged terminated process.',
             '# not ok 1 # error Resource temporarily unavailable.')]))
        series = self.judge(data('collections.log'))
        with tempfile.TemporaryDirectory() as d:
            for name, res in (('b', base), ('s', series)):
                with open(os.path.join(d, name + '.json'), 'w') as f:
                    json.dump(res, f)
            with contextlib.redirect_stdout(io.StringIO()):
                ktap.compare(os.path.join(d, 'b.json'), os.path.join(d, 's.json'),
                             os.path.join(d, 'out.md'))
            with open(os.path.join(d, 'out.md')) as f:
                table = f.read()
        self.assertIn('| acct:acct_syscall/1 (Successfully logged terminated '
                      'process.) | FAIL | PASS (fixed) |', table)
        self.assertIn('| consumers:accounting.sh/getdelays.tgid | PASS | PASS |', table)


class Compare(unittest.TestCase):
    """The before/after table needs both runs whole."""

    def compare(self, base, series, **kw):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name, res in (('b', base), ('s', series)):
                paths.append(os.path.join(d, name + '.json'))
                if res is not None:
                    with open(paths[-1], 'w') as f:
                        json.dump(res, f)
            with contextlib.redirect_stdout(io.StringIO()):
                rc = ktap.compare(paths[0], paths[1], os.path.join(d, 'out.md'), **kw)
            with open(os.path.join(d, 'out.md')) as f:
                return rc, f.read()

    def judged(self, log='good.log'):
        return judge(log)

    def test_same_runs(self):
        rc, table = self.compare(self.judged(), self.judged())
        self.assertEqual(rc, 0)
        self.assertIn('0 fixed by the series, 0 new, 0 regressed, 0 missing', table)

    def test_fixed_and_new(self):
        rc, table = self.compare(self.judged('case-fail.log'), self.judged())
        self.assertEqual(rc, 0)
        self.assertIn('(fixed)', table)
        rc, table = self.compare(self.judged('case-skip.log'), self.judged())
        self.assertEqual(rc, 0)
        self.assertIn('| SKIP | PASS (new) |', table)
        self.assertIn('1 new', table)

    def test_regression(self):
        rc, table = self.compare(self.judged(), self.judged('case-fail.log'))
        self.assertEqual(rc, 1)
        self.assertIn('(REGRESSION)', table)

    def test_subset(self):
        """A run of part of the cases (the stable parts' kernel, 64-bit
        only) is compared on its cases; a regression among them fails."""
        part = self.judged()
        dropped = sorted(part['cases'])[0]
        del part['cases'][dropped]
        rc, table = self.compare(self.judged(), part, kernel='stable parts', subset=True)
        self.assertEqual(rc, 0)
        self.assertNotIn(dropped + ' ', table)
        self.assertIn('with the stable parts', table)
        self.assertIn('0 regressed, 0 missing', table)
        rc, table = self.compare(self.judged(), part)
        self.assertEqual(rc, 1, 'without --subset the dropped case is missing')
        failed = self.judged('case-fail.log')
        rc, table = self.compare(self.judged(), failed, subset=True)
        self.assertEqual(rc, 1)
        self.assertIn('(REGRESSION)', table)

    def test_base_label(self):
        """The table names the base kernel it was given, in its header and
        its summary line; "base" without one."""
        rc, table = self.compare(self.judged(), self.judged(),
                                 base_label='Linux 7.3.4')
        self.assertEqual(rc, 0)
        self.assertIn('| test case | Linux 7.3.4 | with series |', table)
        self.assertIn('Linux 7.3.4: ', table)
        rc, table = self.compare(self.judged(), self.judged())
        self.assertIn('| test case | base | with series |', table)

    def test_base_run_missing(self):
        """No base results at all: not "everything fixed"."""
        with self.assertRaisesRegex(SystemExit, 'base run has no results'):
            self.compare(None, self.judged())

    def test_base_run_empty(self):
        empty = ktap.judge(ktap.parse(edited('good.log', drop=text('good.log').splitlines())))
        rc, table = self.compare(empty, self.judged())
        self.assertEqual(rc, 1)
        self.assertIn('FAIL: base run: no end sentinel', table)
        self.assertIn('MISSING from a run', table)

    def test_base_run_truncated(self):
        rc, table = self.compare(self.judged('truncated.log'), self.judged())
        self.assertEqual(rc, 1)
        self.assertIn('FAIL: base run: no end sentinel', table)

    def test_case_missing_on_one_side(self):
        series = self.judged()
        name = sorted(series['cases'])[0]
        del series['cases'][name]
        rc, table = self.compare(self.judged(), series)
        self.assertEqual(rc, 1)
        self.assertIn('| %s | PASS | ABSENT (MISSING from a run) |' % name, table)


GUEST = os.path.join(os.path.dirname(DATA), '..', 'guest')


def guest_listing(inst):
    """What the guest's /init prints for INST's ksft-harness.txt: its own
    list_cases function, run by the host's sh on a fake install of scripts."""
    script = ('. "%s"; eval "$(sed -n \'/^list_cases() {/,/^}/p\' "%s")"; '
              'cd "%s" && list_cases') % (os.path.join(GUEST, 'protocol'),
                                          os.path.join(GUEST, 'init'), inst)
    return subprocess.run(['sh', '-c', script], stdout=subprocess.PIPE,
                           universal_newlines=True, check=True).stdout


class ListCases(unittest.TestCase):
    """ktap.py harness names the binaries the guest lists with -l (nothing
    runs on the host); ktap.py cases reads the lists from the console."""

    ELF32 = b'\x7fELF\x01\x01\x01' + bytes(9)   # not runnable here

    def fake(self, inst):
        for coll in ('acct', 'taskstats', 'consumers'):
            os.makedirs(os.path.join(inst, coll), exist_ok=True)
        self.ran = os.path.join(inst, 'RAN')
        install(inst, {
            'acct/cgroupstats': '#!/bin/sh\ntouch "%s"\n' % self.ran,
            'taskstats/cgroupstats': '#!/bin/sh\ncat "%s"\n' % data('cgroupstats.l'),
        }, ['acct:cgroupstats', 'taskstats:cgroupstats', 'consumers:accounting.sh'])
        shutil.copy(os.path.join(os.path.dirname(DATA), 'consumers', 'accounting.sh'),
                    os.path.join(inst, 'consumers'))
        ktap.write_harness(inst, own_plan=['acct'])

    def console(self, inst, text):
        path = os.path.join(inst, 'console.log')
        with open(path, 'w') as f:
            f.write('[    1.0] Run /init as init process\n' + text +
                    'TAP version 13\n')
        return path

    def cases(self, inst, text):
        out = os.path.join(inst, 'cases.txt')
        ktap.list_cases(inst, self.console(inst, text), out)
        return ktap.read_cases(out)

    def test_harness_file(self):
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            self.assertEqual(text_of(os.path.join(inst, ktap.HARNESS_FILE)),
                             'taskstats:cgroupstats\nconsumers:accounting.sh\n')
            self.assertFalse(os.path.exists(self.ran))

    def test_guest_listing_roundtrip(self):
        """The guest's listing of the fake install gives the cases -l names;
        the own-plan collection is neither listed nor run."""
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            listed = self.cases(inst, guest_listing(inst))
            self.assertFalse(os.path.exists(self.ran))
        want = ktap.read_cases(data('collections-cases.txt'))
        self.assertEqual(listed, {k: want[k] for k in
                                  ('acct:cgroupstats', 'cgroupstats',
                                   'consumers:accounting.sh')})
        self.assertEqual(listed['acct:cgroupstats'], [ktap.OWN_PLAN])

    def test_binaries_never_run_on_host(self):
        """Binaries the host cannot execute (a 32-bit ELF header, no IA32
        emulation) are listed from the console alone."""
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            listing = guest_listing(inst)
            for b in ('taskstats/cgroupstats', 'consumers/accounting.sh'):
                with open(os.path.join(inst, b), 'wb') as f:
                    f.write(self.ELF32)
            listed = self.cases(inst, listing)
        self.assertEqual(listed['cgroupstats'],
                         ktap.harness_list(text('cgroupstats.l')))

    def test_kernel_message_between_lines(self):
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            lines = guest_listing(inst).splitlines(True)
            lines.insert(3, '[   12.5] random: crng init done\n')
            self.assertEqual(self.cases(inst, ''.join(lines))['cgroupstats'],
                             ktap.harness_list(text('cgroupstats.l')))

    def test_no_listing_fails(self):
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            with self.assertRaisesRegex(SystemExit, 'did not list'):
                self.cases(inst, '')

    def test_listing_cut_short_fails(self):
        """A listing without its end line (a guest that died) fails."""
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            cut = guest_listing(inst).rsplit('\n', 2)[0] + '\n'
            with self.assertRaisesRegex(SystemExit, 'did not list'):
                self.cases(inst, cut)

    def test_count_differs_fails(self):
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            listing = guest_listing(inst).replace(
                ktap.PROTOCOL['TS_CASES_END'] + ' 2', ktap.PROTOCOL['TS_CASES_END'] + ' 1')
            with self.assertRaisesRegex(SystemExit, 'listed 1 binaries'):
                self.cases(inst, listing)

    def test_exec_error_in_guest_fails(self):
        """A binary the guest cannot run (-m32 without IA32 emulation there)
        fails, naming it and what the guest said."""
        with tempfile.TemporaryDirectory() as inst:
            self.fake(inst)
            with open(os.path.join(inst, 'taskstats', 'cgroupstats'), 'w') as f:
                f.write('#!/bin/sh\necho "./cgroupstats: Exec format error"\n')
            with self.assertRaisesRegex(SystemExit, 'taskstats:cgroupstats -l in '
                                        'the guest.*Exec format error'):
                self.cases(inst, guest_listing(inst))


class Moved(unittest.TestCase):
    """mainline's own-plan programs in the series' own collection, as the
    series moves them (test_data/moved.log, cut from a make run): bare
    keys, cases by number, held to their own plans."""

    def judge(self, log):
        return ktap.judge(ktap.parse(log, {'taskstats_fill_stats_tgid',
                                           'cgroupstats'}),
                          ktap.read_cases(data('moved-cases.txt')), {}, False)

    def test_good(self):
        res = self.judge(data('moved.log'))
        self.assertEqual(res['problems'], [])
        self.assertEqual(sorted(res['cases']),
                         ['cgroupstats/1', 'cgroupstats/2', 'cgroupstats/3',
                          'taskstats_fill_stats_tgid/1'])

    def test_case_missing(self):
        res = self.judge(edited('moved.log', drop=[
            '# ok 3 cgroupstats rejects bad fd with NLM_F_ACK']))
        self.assertIn('cgroupstats/3: in its plan 1..3, not reported',
                      res['problems'])


class Tally(unittest.TestCase):
    """ktap.py tally: one count of test cases and checks (make check's last
    line)."""

    def run_tally(self, *args):
        import contextlib
        import io
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ktap.tally(*args)
        return out.getvalue().split()

    def test_checks(self):
        with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
            f.write('PASS applies: git am --3way on Linux 7.3.4\n'
                    'FAIL checkpatch 0001-x.patch: 1 findings:\n'
                    '    WARNING: not a check line: it is indented\n'
                    'PASS debug-kernel: 167 passed, 0 failed, no splat\n')
        try:
            self.assertEqual(self.run_tally(None, f.name), ['2', '1', '0'])
            with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as r:
                json.dump(ktap.judge(ktap.parse(data('good.log')), None, None,
                                     False), r)
            res = self.run_tally(r.name, None)
            both = self.run_tally(r.name, f.name)
            self.assertEqual(int(both[0]), int(res[0]) + 2)
            self.assertEqual(int(both[1]), int(res[1]) + 1)
            os.unlink(r.name)
        finally:
            os.unlink(f.name)

    def test_missing_checks_file_fails(self):
        self.assertEqual(self.run_tally(None, '/nonexistent/checks.txt'),
                         ['0', '1', '0'])


class Protocol(unittest.TestCase):
    """The console protocol is defined once, in scripts/guest/protocol."""

    def test_read(self):
        for name in ('TS_END', 'TS_CASES', 'TS_CASES_END', 'TS_ITER', 'TS_ITER_END', 'TS_PROBE',
                     'TS_BENCH_END', 'TS_BENCH_ERROR', 'TS_SPLAT', 'TS_LEAK'):
            self.assertIn(name, ktap.PROTOCOL)
        self.assertTrue(ktap.SENTINEL.match('KSFT-END rc=0'))
        self.assertTrue(ktap.SPLAT.search('[ 1.0] BUG: KASAN: slab-use-after-free'))
        self.assertTrue(ktap.SPLAT.search('kmemleak: 2 new suspected memory leaks'))
        for line in ('[ 9.1] Oops: general protection fault, probably for '
                     'non-canonical address 0xdead000000000122: 0000 [#1] SMP',
                     '[ 9.1] Oops: 0002 [#1] SMP NOPTI',
                     '[ 9.1] UBSAN: shift-out-of-bounds in kernel/taskstats.c:42:7',
                     '[ 9.1] INFO: task tgid:93 blocked for more than 122 seconds.',
                     '[ 9.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:',
                     '[ 9.1] rcu: INFO: rcu_sched self-detected stall on CPU'):
            self.assertTrue(ktap.SPLAT.search(line), line)
        for line in ('ok 3 query.pid_self', '# random: crng init done',
                     'rcu: INFO: not a stall'):
            self.assertFalse(ktap.SPLAT.search(line), line)

    def test_scripts_use_names(self):
        """No script spells a marker out instead of naming it: every
        shell script and init under scripts/ but the protocol itself."""
        scripts = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
        markers = [v for k, v in ktap.PROTOCOL.items()
                   if k not in ('TS_SPLAT', 'TS_LEAK', 'TS_LEAK_SCAN')]
        paths = [os.path.join(d, f) for d, _, fs in os.walk(scripts)
                 for f in fs if f.endswith('.sh') or f == 'init']
        self.assertIn(os.path.join(scripts, 'guest', 'init'), paths)
        for path in paths:
            with open(path) as f:
                code = [l for l in f if not l.lstrip().startswith('#')]
            for m in markers:
                for line in code:
                    self.assertNotIn(m, line, '%s spells out %s' % (path, m))


if __name__ == '__main__':
    unittest.main()
