#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a gzip'ed newc cpio (a Linux initramfs) from a directory tree,
owned by root, without cpio(1) or root rights.

usage: mkinitramfs.py DIR OUT.cpio.gz
"""
import gzip
import os
import stat
import sys


def entry(out, ino, name, st, data):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join(
        "%08x" % v
        for v in (
            ino, st.st_mode, 0, 0, 1 if not stat.S_ISDIR(st.st_mode) else 2,
            int(st.st_mtime), len(data), 0, 0, 0, 0, len(name_b), 0,
        )
    )
    out.write(hdr.encode() + name_b)
    out.write(b"\0" * ((4 - (110 + len(name_b)) % 4) % 4))
    out.write(data)
    out.write(b"\0" * ((4 - len(data) % 4) % 4))


def main():
    root, dest = sys.argv[1], sys.argv[2]
    ino = 1
    with gzip.open(dest, "wb", compresslevel=6) as out:
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for n in sorted(dirs) + sorted(files):
                path = os.path.join(d, n)
                rel = os.path.relpath(path, root)
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    data = os.readlink(path).encode()
                elif stat.S_ISREG(st.st_mode):
                    with open(path, "rb") as f:
                        data = f.read()
                else:
                    data = b""
                entry(out, ino, rel, st, data)
                ino += 1
        empty = os.stat_result((0,) * 10)
        entry(out, ino, "TRAILER!!!", empty, b"")


if __name__ == "__main__":
    main()
