#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The guest lane's host side: boots Debian's kernel under TCG with
virtio-gpu-pci behind QEMU's emulated Intel IOMMU, lets viogpu-guest drive
it through VFIO, checks every picture it announces (GUEST-SHOW) against
QEMU's own QMP screendump with guest_check, and reports the guest's
results (GUEST-RESULT).  One boot per device configuration (1, 2 and 16
heads).  Each boot has a deadline; QEMU runs in its own process group and
is killed on every way out, so nothing is left running.

usage: run_guest.py --guest-dir build-guest --check PATH/guest_check
                    [--boot NAME] [--deadline S] [--qemu BIN]
                    [--bench-args A:B:C] [--json-out PATH]
Prints one "RESULT name PASS|FAIL detail" line per check and a summary;
exit 0 when every check passed, 1 otherwise.
"""
import argparse
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

# name: (max_outputs, scenarios, guest RAM MiB, interrupts)
BOOTS = {
    "one-head": (1, "bringup,dirty,cursor,modes,reset", 1536, "msix"),
    "two-heads": (2, "heads", 512, "msix"),
    "sixteen-heads": (16, "heads", 768, "msix"),
    # The same driver on the function's legacy line.
    "intx": (1, "bringup,dirty,reset", 512, "intx"),
    # bench/guest (make bench-guest): the kernel's virtio-gpu, then ours
    # through VFIO, on this one device; not in the default list.
    "bench": (1, "", 1536, "msix"),
}


def die_with_parent():
    """In QEMU before exec: SIGKILL when this script dies, even by
    SIGKILL (PR_SET_PDEATHSIG), so no guest outlives its runner."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


class Qmp:
    def __init__(self, path, deadline):
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.f = self.s.makefile("rw")
        self.f.readline()  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            m = json.loads(self.f.readline())
            if "return" in m:
                return m["return"]
            if "error" in m:
                raise RuntimeError("%s: %s" % (name, m["error"]["desc"]))


def run_boot(name, args, results, log):
    heads, scenarios, ram, irq = BOOTS[name]
    scenarios = args.scenarios or scenarios
    work = tempfile.mkdtemp(prefix="viogpu-guest-")
    qmp_path = os.path.join(work, "qmp")
    cmd = [
        args.qemu, "-machine", "q35,kernel-irqchip=split", "-accel", "tcg",
        "-m", str(ram),
        "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot",
        "-kernel", os.path.join(args.guest_dir, "vmlinuz"),
        "-initrd", os.path.join(args.guest_dir, "initrd.cpio.gz"),
        "-append", "console=ttyS0 intel_iommu=on panic=-1 loglevel=4 "
        "viogpu.irq=%s viogpu.scenarios=%s" % (irq, scenarios) +
        (" viogpu.bench=%s" % (args.bench_args or "--rounds:3")
         if name == "bench" else ""),
        # The IOMMU first: QEMU wants it before the devices behind it.
        # Interrupt remapping on, as on a real host: MSIs are isolated,
        # so type1 needs no allow_unsafe_interrupts.
        "-device", "intel-iommu,intremap=on",
        "-device", "virtio-gpu-pci,id=gpu0,iommu_platform=on,"
        "disable-legacy=on,max_hostmem=1G,max_outputs=%d" % heads,
        "-serial", "stdio", "-monitor", "none",
        "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
    ]
    start = time.monotonic()
    deadline = start + args.deadline
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=die_with_parent)
    done = False
    booted = None
    try:
        qmp = Qmp(qmp_path, deadline)
        buf = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                results.append((name + "-deadline", False,
                                "guest still running after %d s: killed"
                                % args.deadline))
                break
            r, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
            if not r:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break  # QEMU exited (the guest powered off)
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                log.write(line + "\n")
                log.flush()
                words = line.split()
                if not words:
                    continue
                if words[0] == "GUEST-BOOTED":
                    booted = time.monotonic() - start
                elif words[0] == "GUEST-RESULT" and len(words) >= 3:
                    results.append((words[1], words[2] == "PASS",
                                    " ".join(words[3:])))
                elif words[0] == "GUEST-SHOW" and len(words) >= 6:
                    results.append(check_picture(qmp, work, words, args))
                    proc.stdin.write(("ACK %s\n" % words[1]).encode())
                    proc.stdin.flush()
                elif words[0] == "GUEST-JSON":
                    args.json_lines.append(line[len("GUEST-JSON "):])
                elif words[0] == "GUEST-DONE":
                    done = True
                elif words[0] == "GUEST-TIME":
                    print("  %s: %s %s" % (name, words[1], " ".join(words[2:])))
                elif "Kernel panic" in line:
                    results.append((name + "-panic", False, line))
    finally:
        # Nothing left running, whatever happened.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        for f in os.listdir(work):
            os.unlink(os.path.join(work, f))
        os.rmdir(work)
    results.append((name + "-completed", done,
                    "booted in %.1f s, boot total %.1f s" %
                    (booted or -1, time.monotonic() - start)))


def check_picture(qmp, work, words, args):
    name, head, w, h, pattern = words[1:6]
    if not args.check:
        return (name + "-screen", False, "no --check to compare with")
    dump = os.path.join(work, "shot.ppm")
    try:
        qmp.cmd("screendump", filename=dump, device="gpu0", head=int(head))
    except RuntimeError as e:
        return (name + "-screen", False, str(e))
    r = subprocess.run([args.check, dump, w, h, pattern] + words[6:],
                       capture_output=True, text=True)
    os.unlink(dump)
    return (name + "-screen", r.returncode == 0,
            (r.stdout + r.stderr).strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guest-dir", required=True)
    ap.add_argument("--check", default=None,
                    help="guest_check: needed by boots that show pictures")
    ap.add_argument("--boot", action="append", choices=sorted(BOOTS))
    ap.add_argument("--deadline", type=float, default=600)
    ap.add_argument("--qemu", default=os.environ.get(
        "VIOGPU_QEMU", "qemu-system-x86_64"))
    ap.add_argument("--log", default=None)
    ap.add_argument("--scenarios", default=None,
                    help="a,b,c instead of the boot's own list")
    ap.add_argument("--bench-args", default=None,
                    help="bench-guest's arguments, colons for spaces")
    ap.add_argument("--json-out", default=None,
                    help="where the guest's GUEST-JSON document goes")
    args = ap.parse_args()
    args.json_lines = []
    # meson's timeout and ^C: unwind through run_boot's clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = []
    logpath = args.log or os.path.join(args.guest_dir, "serial.log")
    t0 = time.monotonic()
    with open(logpath, "w") as log:
        for b in args.boot or ["one-head", "two-heads", "sixteen-heads",
                               "intx"]:
            print("boot %s ..." % b, flush=True)
            run_boot(b, args, results, log)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write("\n".join(args.json_lines) + "\n")
    failed = [r for r in results if not r[1]]
    for n, ok, detail in results:
        print("RESULT %s %s %s" % (n, "PASS" if ok else "FAIL", detail))
    print("%d passed, %d failed (%.0f s; serial log %s)" %
          (len(results) - len(failed), len(failed), time.monotonic() - t0,
           logpath))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
