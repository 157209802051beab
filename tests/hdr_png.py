#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A 16-bit HDR test PNG for the CLI tests, and a pixel probe, with zlib
only (no PNG library).

  hdr_png.py write OUT.png [--draft] [--no-chunks]
      96x54 RGB, 16 bits: BT.2020 PQ (cICP 9/16/0/1), mDCV (BT.2020
      primaries, D65, 0.005..1000 nits) and cLLI (MaxCLL 1000, MaxFALL 400);
      --draft spells them mDCv / cLLi.  Left half: grey at PQ 0.5 (92
      nits); right half top: PQ 1.0 (10000 nits); right half bottom: 0.
  hdr_png.py probe SHOT.png X Y
      prints the 8-bit R G B at (X, Y) of an 8-bit RGB PNG (any filter).
"""
import struct
import sys
import zlib

W, H = 96, 54


def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)


def write(path, draft, chunks):
    rows = b""
    for y in range(H):
        rows += b"\0"
        for x in range(W):
            if x < W // 2:
                v = 32768  # PQ 0.5
            else:
                v = 65535 if y < H // 2 else 0
            rows += struct.pack(">HHH", v, v, v)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 16, 2, 0, 0, 0))
    if chunks:
        png += chunk(b"cICP", bytes([9, 16, 0, 1]))
        xy = [(0.708, 0.292), (0.170, 0.797), (0.131, 0.046),
              (0.3127, 0.3290)]
        mdcv = b"".join(struct.pack(">HH", round(x * 50000), round(y * 50000))
                        for x, y in xy)
        mdcv += struct.pack(">II", 1000 * 10000, 50)
        png += chunk(b"mDCv" if draft else b"mDCV", mdcv)
        png += chunk(b"cLLi" if draft else b"cLLI",
                     struct.pack(">II", 1000 * 10000, 400 * 10000))
    png += chunk(b"IDAT", zlib.compress(rows))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def probe(path, px, py):
    data = open(path, "rb").read()
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype == 2, "want 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, bpp, stride = zlib.decompress(idat), 3, w * 3
    prev, out = bytearray(stride), []
    for y in range(py + 1):
        f, line = raw[y * (stride + 1)], bytearray(
            raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        prev = line
    print(*prev[px * 3:px * 3 + 3])


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], "--draft" in sys.argv, "--no-chunks" not in sys.argv)
    else:
        probe(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
