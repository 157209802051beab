#!/usr/bin/env python3
"""bench-server's smoke test: runs it with tiny counts on the device model
(once with JSON on stdout, once with --json FILE) and checks that the JSON
parses, has every key with a positive number, and that the three ways of
drawing the lines left the same picture.  usage: BENCH VIOGPUD"""
import json
import os
import subprocess
import sys
import tempfile

LINES = ["lines", "max_len", "pixels", "draw_line_ms", "draw_pixel_ms",
         "shm_present_damage_ms", "pixel_vs_line", "line_vs_shm",
         "pixel_vs_shm", "draw_line_draw_only_ms",
         "draw_pixel_draw_only_ms", "shm_draw_only_ms",
         "pixel_vs_line_draw_only", "line_vs_shm_draw_only",
         "draw_pixel_us_per_request",
         "draw_line_us_per_request"]
SWAP = ["damage_pixels", "swap_fps", "shm_present_damage_fps",
        "core_present_fps", "core_vs_swap", "core_vs_shm"]
RTT = ["samples", "get_info_median_us", "get_info_p99_us",
       "noop_pixel_median_us", "noop_pixel_p99_us"]
MODES = ["640x480", "800x600"]


def positive(where, obj, keys):
    for k in keys:
        v = obj.get(k)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            sys.exit(f"{where}.{k}: {v!r} is not a positive number")


def check(doc):
    if doc.get("benchmark") != "server" or doc.get("device") != "sim":
        sys.exit(f"header: {doc.get('benchmark')!r} {doc.get('device')!r}")
    positive("", doc, ["runs", "seconds_per_run"])
    ln = doc["lines"]
    positive("lines", ln, LINES)
    if ln["mode"] != "1920x1080" or ln["pictures_equal"] is not True:
        sys.exit(f"lines: {ln}")
    if ln["lines"] != 20 or ln["pixels"] < ln["lines"]:
        sys.exit(f"lines: {ln['lines']} lines, {ln['pixels']} pixels")
    got = [(s["mode"], s["damage"]) for s in doc["swap"]]
    want = [(m, d) for m in MODES for d in ("full", "64x64")]
    if got != want:
        sys.exit(f"swap entries {got}, expected {want}")
    for s in doc["swap"]:
        positive("swap", s, SWAP)
    positive("rtt", doc["rtt"], RTT)
    if doc["rtt"]["get_info_p99_us"] < doc["rtt"]["get_info_median_us"]:
        sys.exit("rtt: p99 below the median")


def main():
    bench, viogpud = sys.argv[1:3]
    args = [bench, "--device", "sim", "--viogpud", viogpud, "--runs", "1",
            "--lines", "20", "--max-len", "8", "--seconds-per-run", "0.02",
            "--rtt-samples", "50", "--modes", ",".join(MODES)]
    r = subprocess.run(args, stdout=subprocess.PIPE, timeout=240)
    if r.returncode != 0:
        sys.exit(f"bench-server exited {r.returncode}")
    check(json.loads(r.stdout))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "out.json")
        r = subprocess.run(args + ["--json", path], stdout=subprocess.PIPE,
                           timeout=240)
        if r.returncode != 0 or r.stdout:
            sys.exit(f"--json: exit {r.returncode}, stdout {r.stdout!r}")
        with open(path) as f:
            check(json.load(f))
    print("bench-server: JSON complete")


main()
