#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The meson test 'bench-guest-smoke': bench-guest (bench/guest) with tiny
counts in one guest boot, so it cannot rot: both drivers ran (no error),
and the JSON has every key for both drivers, for every mode and pattern,
with frames/s above zero and the bytes each pattern declares.

usage: check_bench_guest.py SRCDIR
"""
import json
import os
import subprocess
import sys
import tempfile

MODES = ["1920x1080", "3840x2160"]
PATTERNS = ["full", "small", "scattered", "scroll"]


def main():
    src = sys.argv[1]
    guest = os.environ.get("GUEST_BUILD", os.path.join(src, "build-guest"))
    subprocess.run([os.path.join(src, "scripts", "guest-build.sh")],
                   check=True)
    fails = []
    with tempfile.TemporaryDirectory(prefix="viogpu-bench-guest-") as tmp:
        out = os.path.join(tmp, "bench.json")
        r = subprocess.run(
            [sys.executable, os.path.join(src, "tests/guest/run_guest.py"),
             "--guest-dir", guest, "--boot", "bench", "--deadline", "300",
             "--bench-args=--rounds:1:--seconds-per-round:0.02:--modes:"
             + ",".join(MODES),
             "--json-out", out, "--log", os.path.join(tmp, "serial.log")],
            capture_output=True, text=True)
        print(r.stdout, end="")
        if r.returncode != 0:
            with open(os.path.join(tmp, "serial.log")) as f:
                print(f.read()[-4000:])
            print("FAIL run_guest.py exit %d" % r.returncode)
            return 1
        with open(out) as f:
            doc = json.load(f)
    for k in ("kernel_error", "ours_error", "kernel_flip_error"):
        if doc.get(k) != "":
            fails.append("%s: %r" % (k, doc.get(k)))
    got = {(e["mode"], e["pattern"]): e for e in doc.get("results", [])}
    for mode in MODES:
        w, h = (int(v) for v in mode.split("x"))
        for pat in PATTERNS:
            e = got.get((mode, pat))
            if e is None:
                fails.append("%s %s: missing" % (mode, pat))
                continue
            for drv in ("ours", "kernel", "kernel_flip"):
                if not e.get(drv, {}).get("fps", 0) > 0:
                    fails.append("%s %s %s: fps %r" %
                                 (mode, pat, drv, e.get(drv)))
            if not e.get("fps_ours_vs_kernel", 0) > 0:
                fails.append("%s %s: no ratio" % (mode, pat))
            want = w * h * 4 if pat == "full" else None
            ours = e.get("ours", {}).get("bytes_per_frame")
            if ours != e.get("kernel", {}).get("bytes_per_frame") or not ours or \
                    (want and ours != want):
                fails.append("%s %s: bytes ours %r kernel %r" %
                             (mode, pat, ours, e.get("kernel")))
            if e.get("kernel", {}).get("bbox_bytes_per_frame", 0) < ours:
                fails.append("%s %s: bbox below the clips" % (mode, pat))
            if e.get("kernel_flip", {}).get("bytes_per_frame") != w * h * 4:
                fails.append("%s %s: flip bytes %r" %
                             (mode, pat, e.get("kernel_flip")))
    for f in fails:
        print("FAIL " + f)
    print("bench-guest-smoke: %d entries, %d failures" %
          (len(got), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
