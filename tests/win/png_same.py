#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""png_same.py A.png B.png: exit 0 if the two PNGs decode to the same
pixels (8-bit RGB or RGBA, non-interlaced, any filter; alpha ignored),
else print the first difference and exit 1.  zlib only: the files come
from different encoders (libpng, Windows' WIC), so bytes may differ."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, ilace = ihdr
    if depth != 8 or ctype not in (2, 6) or ilace:
        sys.exit(f"{path}: depth {depth} color type {ctype} interlace "
                 f"{ilace} not handled")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pr) & 255
            elif f != 0:
                sys.exit(f"{path}: bad filter {f} in row {y}")
        rows.append(bytes(cur[k] for k in range(stride) if k % bpp < 3))
        prev = cur
    return w, h, rows


def main():
    a, b = decode(sys.argv[1]), decode(sys.argv[2])
    if a[:2] != b[:2]:
        print(f"sizes differ: {a[0]}x{a[1]} vs {b[0]}x{b[1]}")
        return 1
    for y, (ra, rb) in enumerate(zip(a[2], b[2])):
        if ra != rb:
            x = next(i for i in range(len(ra)) if ra[i] != rb[i]) // 3
            print(f"pixel ({x}, {y}) differs: {ra[3 * x:3 * x + 3].hex()} "
                  f"vs {rb[3 * x:3 * x + 3].hex()}")
            return 1
    print(f"same pixels: {a[0]}x{a[1]}")
    return 0


sys.exit(main())
