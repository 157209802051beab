#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation testing: do the fast suites catch plausible bugs in the core?

Each tests/mutants/NAME.mutant plants one bug:

    # the bug, and which test should catch it (one or more lines)
    file: src/core/present.c
    @@ find
    <exact text, one or more lines; must occur exactly once in the file>
    @@ replace
    <replacement text>

For each mutant this script applies it to a scratch copy of the tree
(BUILD_DIR/tree; the developer's tree is never written), rebuilds the one
scratch build directory (BUILD_DIR/build, so only what changed is
recompiled), runs `meson test --suite unit --suite sim`, and restores the
file.  A mutant is
  killed    a test failed (or the run exceeded --timeout: a hang counts),
  survived  every test passed: the tests miss that bug,
  stale     its find text is missing or occurs more than once (the code
            moved: re-target it),
  broken    it does not compile (a mutant must be a bug, not a typo).
The kill rate is killed / all mutants; the exit status is 1 when it is
below --threshold (percent), 2 when the unmutated tree fails its tests.

Usage: scripts/mutants.py [--threshold 90] [--build-dir build-mutants]
                          [--timeout 110] [--keep-going] [--list] [NAME...]
"""

import argparse
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Copied into the scratch tree when the tree is not a git checkout; in a
# checkout every file git knows or would add (tracked or untracked, not
# ignored) is copied, so a new directory needs no change here.
COPY = ['meson.build', 'meson_options.txt', 'src', 'include', 'tests',
        'tools', 'bench', 'scripts', 'client']
SUITES = ['unit', 'sim']


class Mutant:
    def __init__(self, path):
        self.name = os.path.basename(path)[:-len('.mutant')]
        self.path = path
        self.comment = []
        self.file = None
        self.find = None
        self.replace = None
        self.error = None
        self._parse()

    def _parse(self):
        with open(self.path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        if lines and lines[-1] == '':
            lines.pop()  # the file's final newline
        find, replace, cur = [], [], None
        for line in lines:
            if cur is None and line.startswith('#'):
                self.comment.append(line[1:].strip())
            elif cur is None and line.startswith('file:'):
                self.file = line[len('file:'):].strip()
            elif line == '@@ find' and cur is None:
                cur = find
            elif line == '@@ replace' and cur is find:
                cur = replace
            elif cur is not None:
                cur.append(line)
            elif line.strip():
                self.error = 'unexpected line before "@@ find": ' + line
                return
        if not self.file or cur is not replace or not find:
            self.error = 'needs "file:", "@@ find" and "@@ replace"'
            return
        # Lines are joined without a final newline: the file keeps its own.
        self.find = '\n'.join(find)
        self.replace = '\n'.join(replace)


def sync_tree(src_root, dst_root):
    """Makes dst a copy of src's COPY paths; files whose content is the
    same keep their mtime so ninja rebuilds only what changed."""
    want = set()
    try:
        out = subprocess.run(['git', '-C', src_root, 'ls-files', '-z', '-co',
                              '--exclude-standard'], capture_output=True,
                             check=True).stdout.decode()
        want = {f for f in out.split('\0')
                if f and os.path.isfile(os.path.join(src_root, f))}
    except (OSError, subprocess.CalledProcessError):
        pass
    for top in ([] if want else COPY):
        src = os.path.join(src_root, top)
        if os.path.isfile(src):
            want.add(top)
            continue
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = [d for d in dirnames if not d.startswith('.') and
                           d != '__pycache__']
            for fn in filenames:
                want.add(os.path.relpath(os.path.join(dirpath, fn), src_root))
    for rel in sorted(want):
        s, d = os.path.join(src_root, rel), os.path.join(dst_root, rel)
        with open(s, 'rb') as f:
            data = f.read()
        try:
            with open(d, 'rb') as f:
                if f.read() == data:
                    continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(d), exist_ok=True)
        with open(d, 'wb') as f:
            f.write(data)
        shutil.copymode(s, d)
    for dirpath, _, filenames in os.walk(dst_root):
        for fn in filenames:
            p = os.path.join(dirpath, fn)
            if os.path.relpath(p, dst_root) not in want:
                os.remove(p)


def run(cmd, timeout=None, log=None):
    """Runs cmd in its own process group; returns (rc, timed_out)."""
    out = open(log, 'w') if log else subprocess.DEVNULL
    try:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            return p.wait(timeout=timeout), False
        except subprocess.TimeoutExpired:
            return None, True
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    finally:
        if log:
            out.close()


def failed_tests(build):
    """Names of the tests that did not pass in the last meson test run."""
    names = []
    try:
        with open(os.path.join(build, 'meson-logs', 'testlog.json')) as f:
            for line in f:
                t = json.loads(line)
                # INTERRUPT: cancelled by --maxfail after another failed.
                if t.get('result') not in ('OK', 'SKIP', 'EXPECTEDFAIL',
                                           'INTERRUPT'):
                    names.append(t.get('name', '?'))
    except (OSError, ValueError):
        pass
    return names


def run_tests(build, timeout, keep_going, log, names=()):
    """'timeout', 'fail' or 'pass', plus the failed tests."""
    cmd = ['meson', 'test', '-C', build, '--no-rebuild', '--print-errorlogs',
           # Per-test timeouts scaled down: a hang ends well before the
           # suite's own (minutes-long) limits.
           '--timeout-multiplier', '0.2']
    if names:
        cmd += list(names)
    else:
        for s in SUITES:
            cmd += ['--suite', s]
    if not keep_going:
        cmd += ['--maxfail', '1']
    start = time.monotonic()
    rc, timed_out = run(cmd, timeout=timeout, log=log)
    if timed_out:
        return 'timeout', ['(whole run > %ds)' % timeout]
    failed = failed_tests(build)
    if rc == 0 and not failed:
        return 'pass', []
    return 'fail', failed or ['(meson test rc %s after %.0fs)' %
                              (rc, time.monotonic() - start)]


def build_and_test(build, timeout, keep_going, log):
    """'broken', 'timeout', 'fail' or 'pass', plus the failed tests.

    A failure counts only if the failed tests fail again when rerun: some
    sim tests have timing margins a loaded machine can miss, and a flaky
    failure must not pass for a kill.  If the rerun passes, the whole run
    is repeated once and that verdict stands."""
    rc, _ = run(['ninja', '-C', build], log=log + '.build')
    if rc != 0:
        return 'broken', []
    res, failed = run_tests(build, timeout, keep_going, log)
    if res != 'fail':
        return res, failed
    names = [f.split(' / ')[-1] for f in failed if ' / ' in f]
    if not names:
        return res, failed
    again, _ = run_tests(build, timeout, True, log + '.confirm', names)
    if again != 'pass':
        return res, failed
    print('          (%s failed once, passed on rerun: running again)' %
          ', '.join(names), flush=True)
    return run_tests(build, timeout, keep_going, log + '.again')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threshold', type=float, default=90.0,
                    help='minimum kill rate in percent (default 90)')
    ap.add_argument('--build-dir', default=os.path.join(ROOT, 'build-mutants'))
    ap.add_argument('--timeout', type=int, default=110,
                    help='seconds for one mutant\'s test run (default 110)')
    ap.add_argument('--keep-going', action='store_true',
                    help='run every test for each mutant (slower; lists '
                    'every test that kills it)')
    ap.add_argument('--list', action='store_true',
                    help='list the mutants and whether they apply')
    ap.add_argument('names', nargs='*', help='only these mutants')
    args = ap.parse_args()

    mdir = os.path.join(ROOT, 'tests', 'mutants')
    mutants = [Mutant(os.path.join(mdir, f))
               for f in sorted(os.listdir(mdir)) if f.endswith('.mutant')]
    if args.names:
        unknown = set(args.names) - {m.name for m in mutants}
        if unknown:
            sys.exit('unknown mutants: ' + ', '.join(sorted(unknown)))
        mutants = [m for m in mutants if m.name in args.names]

    def target(m, root):
        """The pristine text of m's file, or why m does not apply."""
        if m.error:
            return None, m.error
        path = os.path.join(root, m.file)
        if not os.path.isfile(path):
            return None, 'no file ' + m.file
        with open(path, encoding='utf-8') as f:
            text = f.read()
        n = text.count(m.find)
        if n != 1:
            return None, 'find text occurs %d times in %s' % (n, m.file)
        return text, None

    if args.list:  # against the developer's tree; builds nothing
        for m in mutants:
            _, why = target(m, ROOT)
            print('%-40s %s' % (m.name, 'stale: ' + why if why else m.file))
        return 0

    bdir = os.path.abspath(args.build_dir)
    tree, build = os.path.join(bdir, 'tree'), os.path.join(bdir, 'build')
    logs = os.path.join(bdir, 'logs')
    os.makedirs(logs, exist_ok=True)
    # One run at a time per scratch tree: another would rewrite it under
    # this one's feet.
    lock = open(os.path.join(bdir, 'lock'), 'w')
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print('another mutants run is using %s' % bdir)
        return 2
    sync_tree(ROOT, tree)

    if not os.path.isfile(os.path.join(build, 'build.ninja')):
        rc, _ = run(['meson', 'setup', build, tree],
                    log=os.path.join(logs, 'setup.log'))
        if rc != 0:
            print('meson setup failed: see %s/setup.log' % logs)
            return 2
    print('baseline: building and running the unmutated tree ...',
          flush=True)
    res, failed = build_and_test(build, args.timeout * 3, True,
                                 os.path.join(logs, 'baseline.log'))
    if res != 'pass':
        print('baseline %s (%s): fix the tests first; see %s/baseline.log' %
              (res, ', '.join(failed), logs))
        return 2

    results = []
    for m in mutants:
        text, why = target(m, tree)
        start = time.monotonic()
        if why:
            results.append((m, 'stale', why))
            print('%-9s %-40s %s' % ('STALE', m.name, why), flush=True)
            continue
        path = os.path.join(tree, m.file)
        try:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text.replace(m.find, m.replace))
            res, failed = build_and_test(
                build, args.timeout, args.keep_going,
                os.path.join(logs, m.name + '.log'))
        finally:
            # Restore even on Ctrl-C: the next run starts from the
            # pristine copy (sync_tree would also repair it).
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
        verdict = {'fail': 'killed', 'timeout': 'killed', 'pass': 'survived',
                   'broken': 'broken'}[res]
        detail = ', '.join(failed[:4]) if failed else ''
        if res == 'broken':
            detail = 'does not compile: see %s/%s.log.build' % (logs, m.name)
        if res == 'pass':
            detail = m.comment[0] if m.comment else ''
        results.append((m, verdict, detail))
        print('%-9s %-40s %4.0fs  %s' % (verdict.upper(), m.name,
                                         time.monotonic() - start, detail),
              flush=True)

    # Leave the scratch build matching the pristine tree.
    run(['ninja', '-C', build], log=os.path.join(logs, 'final.build'))
    total = len(results)
    killed = sum(1 for _, v, _ in results if v == 'killed')
    rate = 100.0 * killed / total if total else 100.0
    counts = {v: sum(1 for _, x, _ in results if x == v)
              for v in ('killed', 'survived', 'stale', 'broken')}
    print('\n%d mutants: %s' % (total, ', '.join(
        '%d %s' % (n, v) for v, n in counts.items() if n)))
    for m, v, d in results:
        if v != 'killed':
            print('  %s %s: %s' % (v, m.name, d))
    print('kill rate %.1f%% (threshold %.0f%%)' % (rate, args.threshold))
    return 0 if rate >= args.threshold else 1


def interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == '__main__':
    # Ctrl-C, kill and a closed terminal all restore the scratch tree
    # (also when started with SIGINT ignored, as background jobs are).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print('\ninterrupted; the scratch tree was restored')
        sys.exit(130)
