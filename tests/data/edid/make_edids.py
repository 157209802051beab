#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hand-built EDIDs of the corpus (deterministic).

Every block has a correct checksum except where a file is broken on
purpose (bad-checksum, truncated, ...).  The QEMU and sim EDIDs beside
them come from the devices (see README); this script does not touch them.

    python3 tests/data/edid/make_edids.py [OUTDIR]
"""
import os
import sys


def le16(v):
    return bytes([v & 0xff, (v >> 8) & 0xff])


def le24(v):
    return bytes([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff])


def fix(block, bad=False):
    """Sets byte 127 so the block sums to 0 (or to 1 when bad)."""
    b = bytearray(block)
    assert len(b) == 128
    b[127] = (-sum(b[:127]) + (1 if bad else 0)) & 0xff
    return bytes(b)


def pnp(vendor):
    v = 0
    for ch in vendor:
        v = v << 5 | (ord(ch) - ord('@'))
    return bytes([v >> 8, v & 0xff])


# ---- 18-byte descriptors ----

def dtd(pclk_khz, ha, hb, va, vb, hfp, hsync, vfp, vsync, hmm=0, vmm=0,
        interlaced=False, flags=0x1e):
    """A detailed timing; va and vb are per field when interlaced."""
    assert pclk_khz % 10 == 0
    d = bytearray(18)
    d[0:2] = le16(pclk_khz // 10)
    d[2] = ha & 0xff
    d[3] = hb & 0xff
    d[4] = (ha >> 8) << 4 | (hb >> 8)
    d[5] = va & 0xff
    d[6] = vb & 0xff
    d[7] = (va >> 8) << 4 | (vb >> 8)
    d[8] = hfp & 0xff
    d[9] = hsync & 0xff
    d[10] = (vfp & 0xf) << 4 | (vsync & 0xf)
    d[11] = (hfp >> 8) << 6 | (hsync >> 8) << 4 | (vfp >> 4) << 2 | \
        (vsync >> 4)
    d[12] = hmm & 0xff
    d[13] = vmm & 0xff
    d[14] = (hmm >> 8) << 4 | (vmm >> 8)
    d[17] = flags | (0x80 if interlaced else 0)
    return bytes(d)


def text(tag, s):
    b = s.encode('ascii')
    assert len(b) <= 13
    if len(b) < 13:
        b += b'\n' + b' ' * (12 - len(b))
    return bytes([0, 0, 0, tag, 0]) + b


def range_limits(minv, maxv, minh, maxh, pclk_mhz, offsets=0, support=0x01,
                 tail=None):
    d = bytearray([0, 0, 0, 0xfd, offsets, minv, maxv, minh, maxh,
                   pclk_mhz // 10, support])
    d += tail if tail is not None else b'\n' + b' ' * 6
    assert len(d) == 18
    return bytes(d)


def est3(indices):
    """Established timings III: bit k = byte 6 + k / 8, bit 7 - k % 8."""
    d = bytearray([0, 0, 0, 0xf7, 0, 0x0a] + [0] * 12)
    for k in indices:
        d[6 + k // 8] |= 0x80 >> (k % 8)
    return bytes(d)


def std_descriptor(codes):
    codes = list(codes) + [(1, 1)] * (6 - len(codes))
    d = bytearray([0, 0, 0, 0xfa, 0])
    for b1, b2 in codes:
        d += bytes([b1, b2])
    d.append(0x0a)
    return bytes(d)


def dummy():
    return bytes([0, 0, 0, 0x10] + [0] * 14)


def std(w, aspect, hz):
    """A standard timing code: aspect 0 16:10 (1:1 before 1.3), 1 4:3,
    2 5:4, 3 16:9."""
    return (w // 8 - 31, aspect << 6 | (hz - 60))


def base(version=(1, 4), vendor='VGT', product=0x1234, serial=0,
         week=1, year=2024, input_byte=0xa5, size=(60, 34), features=0x0a,
         est=(0, 0, 0), stds=(), descriptors=(), extensions=0, bad=False):
    b = bytearray(128)
    b[0:8] = bytes([0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0])
    b[8:10] = pnp(vendor)
    b[10:12] = le16(product)
    b[12:16] = serial.to_bytes(4, 'little')
    b[16] = week
    b[17] = year - 1990
    b[18], b[19] = version
    b[20] = input_byte
    b[21], b[22] = size
    b[23] = 120  # gamma 2.2
    b[24] = features
    # sRGB chromaticity, as QEMU writes it
    b[25:35] = bytes([0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f,
                      0x50, 0x54])
    b[35:38] = bytes(est)
    codes = list(stds) + [(1, 1)] * (8 - len(stds))
    for i, (b1, b2) in enumerate(codes):
        b[38 + 2 * i] = b1
        b[39 + 2 * i] = b2
    descs = list(descriptors) + [dummy()] * (4 - len(descriptors))
    for i, d in enumerate(descs):
        assert len(d) == 18
        b[54 + 18 * i:72 + 18 * i] = d
    b[126] = extensions
    return fix(b, bad)


# ---- CTA-861 ----

def cta(data_blocks=b'', dtds=(), rev=3, flags=0xf0, d=None):
    b = bytearray(128)
    b[0] = 0x02
    b[1] = rev
    b[2] = (4 + len(data_blocks)) if d is None else d
    b[3] = flags
    b[4:4 + len(data_blocks)] = data_blocks
    off = 4 + len(data_blocks)
    for t in dtds:
        b[off:off + 18] = t
        off += 18
    assert off <= 127
    return fix(b)


def db(tag, payload):
    assert len(payload) <= 31
    return bytes([tag << 5 | len(payload)]) + bytes(payload)


def ext_db(ext_tag, payload):
    return db(7, bytes([ext_tag]) + bytes(payload))


# ---- DisplayID ----

def did_timing(pclk, ha, hb, hfp, hsync, va, vb, vfp, vsync, preferred,
               aspect=4, interlaced=False):
    """A type I / VII descriptor; pclk in the block's unit (10 kHz for
    type I, kHz for type VII)."""
    flags = (0x80 if preferred else 0) | (0x10 if interlaced else 0) | aspect
    return (le24(pclk - 1) + bytes([flags]) + le16(ha - 1) + le16(hb - 1) +
            le16(hfp - 1) + le16(hsync - 1) + le16(va - 1) + le16(vb - 1) +
            le16(vfp - 1) + le16(vsync - 1))


def did_block(tag, payload, rev=0):
    return bytes([tag, rev, len(payload)]) + bytes(payload)


def displayid(version, product_type, blocks, bad_section=False,
              length=None):
    b = bytearray(128)
    b[0] = 0x70
    payload = b''.join(blocks)
    n = len(payload) if length is None else length
    b[1] = version
    b[2] = n
    b[3] = product_type
    b[4] = 0
    b[5:5 + len(payload)] = payload
    if 5 + n <= 126:
        b[5 + n] = (-sum(b[1:5 + n]) + (1 if bad_section else 0)) & 0xff
    return fix(b)


# ---- the corpus ----

def v13_analog():
    return base(version=(1, 3), vendor='ABC', product=0x0513,
                serial=0x01020304, week=10, year=2005, input_byte=0x68,
                size=(34, 27), features=0xea,
                # 720x400@70, 640x480@60, 640x480@75, 800x600@60;
                # 800x600@75, 1024x768i@87, 1024x768@60, 1280x1024@75;
                # 1152x870@75
                est=(0xa5, 0x59, 0x80),
                stds=[std(1280, 2, 60), std(1600, 1, 60), std(1680, 0, 60),
                      std(1920, 3, 60), std(1400, 1, 75), std(1152, 1, 75)],
                descriptors=[
                    dtd(108000, 1280, 408, 1024, 42, 48, 112, 1, 3, 338,
                        270),
                    range_limits(50, 75, 30, 82, 140, support=0x00),
                    text(0xfc, 'Analog 1.3'),
                    text(0xff, 'SN-ANALOG-13'),
                ])


def v14_range():
    cvt = bytes([0x11, 0x00, 0x00, 0x60, 0x38, 0x80, 0x3c])
    return base(vendor='VGT', product=0x0014, serial=20240101, week=255,
                year=2023, input_byte=0xb5, size=(60, 34),
                est=(0x21, 0x08, 0x00),
                stds=[std(1280, 0, 60), std(1920, 0, 60), std(2048, 3, 60)],
                descriptors=[
                    dtd(241500, 2560, 160, 1440, 41, 48, 32, 3, 5, 597,
                        336),
                    # V 1..300 Hz, H 30..300 kHz with the 1.4 offsets
                    range_limits(1, 45, 30, 45, 600, offsets=0x0a,
                                 support=0x04, tail=cvt),
                    est3([18, 21, 26, 38]),
                    std_descriptor([std(1600, 3, 60), std(2048, 0, 60)]),
                ])


def v14_strings():
    """The name, serial and text descriptors need the other slots."""
    return base(vendor='VGT', product=0x0015, serial=7, week=12, year=2022,
                est=(0x20, 0, 0),
                descriptors=[
                    dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5, 600,
                        340),
                    text(0xfc, 'Hand built'),
                    text(0xff, 'SN14-0001'),
                    text(0xfe, 'viogpu corpus'),
                ])


def v12_square():
    return base(version=(1, 2), vendor='OLD', product=0x0102, week=20,
                year=1999, input_byte=0x08, size=(30, 30), features=0x0a,
                est=(0x20, 0x08, 0),
                stds=[std(1024, 0, 60), std(1280, 1, 60)],
                descriptors=[dtd(65000, 1024, 320, 768, 38, 24, 136, 3, 6,
                                 300, 225),
                             text(0xfc, 'Square 1.2')])


def cta_hdr():
    b0 = base(vendor='VGT', product=0x0861, serial=861, size=(120, 68),
              est=(0x20, 0, 0), stds=[std(1920, 3, 60)],
              descriptors=[dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5,
                               1200, 680),
                           range_limits(24, 120, 15, 255, 1200),
                           text(0xfc, 'HDR 8K TV')],
              extensions=1)
    svds = [0x90,  # VIC 16 native
            0x04, 0x1f, 0x5f, 0x61, 0x75, 0x76,
            0x81,  # VIC 1 native
            0xc2, 0xc7, 0xdb,  # VIC 194, 199, 219
            0x41]  # VIC 65
    blocks = (db(1, [0x09, 0x07, 0x07]) +  # audio: LPCM 2ch
              db(2, svds) +
              db(3, [0x03, 0x0c, 0x00, 0x10, 0x00]) +  # HDMI VSDB
              ext_db(0x0e, [0x66, 0xc4]) +  # 4:2:0 only: 102, 196
              ext_db(0x06, [0x0d, 0x01, 0x78, 0x50, 0x20]) +  # HDR
              ext_db(0x05, [0xc0, 0x80]))  # BT2020YCC/RGB, DCI-P3
    b1 = cta(blocks, dtds=[
        # VIC 5 as a DTD: 1920x1080i, 540 lines a field
        dtd(74250, 1920, 280, 540, 22, 88, 44, 2, 5, 1200, 680,
            interlaced=True),
        # 3840x2160@30 (VIC 95's timing)
        dtd(297000, 3840, 560, 2160, 90, 176, 88, 8, 10, 1200, 680),
    ], flags=0xf1)
    return b0 + b1


def cta_dtds_to_126():
    """A CTA block whose DTDs fill it exactly: six DTDs from byte 19, the
    last one ending at byte 126 (the checksum follows)."""
    b0 = base(vendor='VGT', product=0x0126, serial=126, size=(60, 34),
              descriptors=[dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5,
                               600, 340),
                           range_limits(24, 75, 15, 140, 600),
                           text(0xfc, 'DTDs to 126')],
              extensions=1)
    svds = [0x90, 0x04, 0x05, 0x01, 0x02, 0x03, 0x11, 0x12, 0x13, 0x14,
            0x1f, 0x20, 0x21, 0x22]  # 14 SVDs: 15 bytes of data blocks
    dtds = [
        dtd(25170, 640, 160, 480, 45, 16, 96, 10, 2, 600, 340),
        dtd(40000, 800, 256, 600, 28, 40, 128, 1, 4, 600, 340),
        dtd(65000, 1024, 320, 768, 38, 24, 136, 3, 6, 600, 340),
        dtd(108000, 1280, 408, 1024, 42, 48, 112, 1, 3, 600, 340),
        dtd(85500, 1366, 426, 768, 30, 70, 143, 3, 3, 600, 340),
        # The last DTD: bytes 109..126.
        dtd(119000, 1680, 160, 1050, 30, 48, 32, 3, 6, 600, 340),
    ]
    b1 = cta(db(2, svds), dtds=dtds, flags=0xf0)
    assert b1[2] == 19 and 19 + 6 * 18 == 127
    return b0 + b1


def displayid13():
    b0 = base(vendor='VGT', product=0x0013, serial=13,
              descriptors=[dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5,
                               600, 340),
                           text(0xfc, 'DisplayID 1.3')],
              extensions=1)
    prod = did_block(0x00, b'VGT' + le16(0x0013) + (13).to_bytes(4, 'little')
                     + bytes([1, 24, 0]))
    timings = did_block(0x03, did_timing(26850, 2560, 160, 48, 32, 1600,
                                         46, 3, 6, True, aspect=5) +
                        did_timing(15400, 1920, 160, 48, 32, 1200, 35, 3, 6,
                                   False, aspect=5))
    return b0 + displayid(0x13, 3, [prod, timings])


def displayid20():
    b0 = base(vendor='VGT', product=0x0020, serial=20,
              descriptors=[dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5,
                               600, 340),
                           text(0xfc, 'DisplayID 2.0')],
              extensions=1)
    # pixel clocks in kHz: 5120x2880@60 and 7680x4320@60 (reduced blanking)
    t7 = did_block(0x22, did_timing(924144, 5120, 80, 8, 32, 2880, 82, 54, 8,
                                    True) +
                   did_timing(2040242, 7680, 80, 8, 32, 4320, 62, 53, 8,
                              False))
    return b0 + displayid(0x20, 4, [t7])


def hf_eeodb():
    """An HDR TV whose byte 126 says 1 extension while the HDMI Forum EDID
    Extension Override Data Block (HDMI 2.1 10.3.6: the first data block
    of block 1, extended tag 0x78) says 3: blocks 2 and 3 carry
    2560x1080, 3840x1080 (CTA DTDs) and 3840x1600 (DisplayID)."""
    b0 = base(vendor='VGT', product=0xee0d, serial=2160, size=(120, 68),
              descriptors=[dtd(594000, 3840, 560, 2160, 90, 176, 88, 8, 10,
                               1200, 680),
                           range_limits(24, 120, 15, 255, 600),
                           text(0xfc, 'HF-EEODB TV')],
              extensions=1)
    blocks = (ext_db(0x78, [3]) +  # HF-EEODB: 3 extension blocks
              db(2, [0x90, 0x61, 0x5f]) +  # VIC 16 native, 97, 95
              ext_db(0x06, [0x0d, 0x01, 0x78, 0x50, 0x20]))  # HDR: PQ HLG
    b1 = cta(blocks, flags=0xf1)
    # CVT-RB-like: 60 Hz exactly to 10 kHz of pixel clock
    b2 = cta(db(2, [0x04]), dtds=[
        dtd(181380, 2560, 160, 1080, 31, 48, 32, 3, 10, 1200, 680),
        dtd(266640, 3840, 160, 1080, 31, 48, 32, 3, 10, 1200, 680),
    ], flags=0xf1)
    t1 = did_block(0x03, did_timing(39504, 3840, 160, 48, 32, 1600, 46, 3,
                                    6, False, aspect=4))
    b3 = displayid(0x13, 3, [t1])
    return b0 + b1 + b2 + b3


def bad_checksum():
    return base(vendor='BAD', product=1, serial=1, est=(0x20, 0x08, 0),
                descriptors=[dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5,
                                 600, 340),
                             text(0xfc, 'Bad checksum')],
                bad=True)


def ext_count_more():
    b0 = base(vendor='LIE', product=3, descriptors=[
        dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5, 600, 340),
        text(0xfc, 'Claims 3')], extensions=3)
    return b0 + cta(db(2, [0x90, 0x04]))


def ext_count_fewer():
    b0 = base(vendor='LIE', product=0, descriptors=[
        dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5, 600, 340),
        text(0xfc, 'Claims 0')], extensions=0)
    return b0 + cta(db(2, [0x90, 0x04, 0x61]))


def truncated():
    return cta_hdr()[:200]


def cta_bad_offsets():
    b0 = base(vendor='OFS', product=0x0bad, descriptors=[
        dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5, 600, 340),
        text(0xfc, 'Bad offsets')], extensions=2)
    # d beyond the block; the video data block still fits in 4..126
    b1 = cta(db(2, [0x90, 0x61]), d=200)
    # a data block that runs past d
    blocks = db(2, [0x04, 0x1f]) + bytes([0x4a, 0x01, 0x02])
    b2 = bytearray(cta(blocks, d=4 + len(blocks)))
    b2[2] = 4 + 3 + 2  # d inside the second block
    b2 = fix(bytes(b2))
    return b0 + b1 + b2


def displayid_bad():
    b0 = base(vendor='DID', product=0x0bad, descriptors=[
        dtd(148500, 1920, 280, 1080, 45, 88, 44, 4, 5, 600, 340),
        text(0xfc, 'Bad DisplayID')], extensions=2)
    t1 = did_block(0x03, did_timing(26850, 2560, 160, 48, 32, 1600, 46, 3,
                                    6, True, aspect=5))
    # a wrong section checksum
    b1 = displayid(0x13, 3, [t1], bad_section=True)
    # a data block longer than the section, and the section length past
    # the block
    over = bytes([0x03, 0x00, 120]) + did_timing(15400, 1920, 160, 48, 32,
                                                1200, 35, 3, 6, False)
    b2 = displayid(0x13, 3, [over], length=121)
    b2 = bytearray(b2)
    b2[2] = 200
    return b0 + b1 + fix(bytes(b2))


def garbage():
    out = bytearray()
    x = 0x12345678
    for _ in range(1024):
        x = (x * 1103515245 + 12345) & 0x7fffffff
        out.append((x >> 16) & 0xff)
    return bytes(out)


CORPUS = {
    'v13-analog': v13_analog,
    'v14-range': v14_range,
    'v14-strings': v14_strings,
    'v12-square': v12_square,
    'cta-hdr': cta_hdr,
    'cta-dtds-to-126': cta_dtds_to_126,
    'cta-hf-eeodb': hf_eeodb,
    'displayid13': displayid13,
    'displayid20': displayid20,
    'broken-bad-checksum': bad_checksum,
    'broken-truncated': truncated,
    'broken-ext-count-more': ext_count_more,
    'broken-ext-count-fewer': ext_count_fewer,
    'broken-cta-offsets': cta_bad_offsets,
    'broken-displayid': displayid_bad,
    'broken-garbage': garbage,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    for name, make in CORPUS.items():
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(make())


if __name__ == '__main__':
    main()
