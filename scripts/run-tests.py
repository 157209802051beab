#!/usr/bin/env python3
"""Runs the meson test suites of each build directory given and ends with
one line 'N passed, N failed' over all of them (the CI contract)."""
import json
import os
import subprocess
import sys


def run(builddir, suites):
    cmd = ["meson", "test", "-C", builddir, "--print-errorlogs",
           "--num-processes", os.environ.get("VIOGPU_TEST_JOBS", "2")]
    for s in suites:
        cmd += ["--suite", s]
    print("==> " + " ".join(cmd), flush=True)
    subprocess.run(cmd)
    passed = failed = skipped = 0
    log = os.path.join(builddir, "meson-logs", "testlog.json")
    with open(log) as f:
        for line in f:
            r = json.loads(line).get("result")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def main():
    # argv: builddir[:suite,suite] ...
    total = [0, 0, 0]
    for arg in sys.argv[1:]:
        builddir, _, suites = arg.partition(":")
        res = run(builddir, [s for s in suites.split(",") if s])
        total = [a + b for a, b in zip(total, res)]
    line = f"{total[0]} passed, {total[1]} failed"
    if total[2]:
        line += f", {total[2]} skipped"
    print(line)
    return 0 if total[1] == 0 and total[0] > 0 else 1


sys.exit(main())
