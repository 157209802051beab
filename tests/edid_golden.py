#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Golden comparison of our EDID decoder with edid-decode.

    edid_golden.py EDID_DUMP EDID_DECODE FILE

Runs our decoder (tests/edid_dump, the canonical text of
tools/edid_text.c) and edid-decode on the same bytes, extracts the facts
both print and compares them: manufacturer, product code, serial number,
manufacture date, version, input type, monitor name and serial/text
strings, display size, range limits, extension count, which checksums are
bad, the detailed timings (size, interlace and refresh to the mHz), the
DisplayID timings (the same), the established and standard timings (size
and refresh to the hertz), the CTA revision, VICs (in order, with native
and 4:2:0-only flags), HDR EOTFs, metadata types and luminance bytes, and
colorimetry.

edid-decode is given exactly the blocks our decoder looks at: the base
block and the extensions byte 126 claims (or an HDMI Forum EDID Extension
Override Data Block, when it claims more), as far as the file holds whole
blocks (edid-decode refuses a length that is not a multiple of 128 and
decodes every block it is given, claimed or not).

A few files differ on purpose (hostile input where the two decoders make
different but defensible choices); KNOWN lists those facts with the
reason, and for them our answer must be a subset of edid-decode's (we may
decode less, never invent).  Exit 0 all equal, 1 a difference, 77 when
edid-decode is not installed (skip).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

KNOWN = {
    'broken-cta-offsets': {
        'cta-vics': 'a data block overruns the DTD offset: edid-decode '
                    'decodes its bytes anyway (even the one at the offset, '
                    'which belongs to the DTD area); we drop the block '
                    'whole and say so in a diagnostic',
        'cta-timings': 'the same overrunning video data block',
    },
}

TIMING = re.compile(
    r'^\s*(?P<type>DMT 0x[0-9a-f]+|IBM|Apple|CVT|GTF|VIC\s+\d+|DTD(\s+\d+)?)'
    r'\s*:\s+(?P<w>\d+)x(?P<h>\d+)(?P<i>i?)\s+(?P<hz>[\d.]+) Hz'
    r'(?P<rest>.*)$')


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors='replace')
    return p.returncode, p.stdout, p.stderr


def meaningful(data):
    """The bytes our decoder looks at (see edid.h)."""
    if len(data) < 128 or data[:8] != bytes([0, 255, 255, 255, 255, 255,
                                             255, 0]):
        return data
    blocks = min(1 + max(data[126], hf_eeodb(data)), len(data) // 128)
    return data[:128 * blocks]


def hf_eeodb(data):
    """The HDMI Forum EDID Extension Override Data Block's count (HDMI 2.1
    10.3.6): bytes 4-6 of block 1, a CTA-861 rev >= 3 block; 0 if none."""
    if len(data) < 256 or data[126] == 0:
        return 0
    x = data[128:256]
    if x[0] != 0x02 or x[1] < 3 or x[2] < 7:
        return 0
    if x[4] >> 5 != 7 or x[4] & 0x1f < 2 or x[5] != 0x78:
        return 0
    return x[6]


def parse_ours(text):
    f = {'ok': True, 'vics': [], 'timings': []}
    for line in text.splitlines():
        key, _, val = line.partition(': ')
        if key == 'error':
            f['ok'] = False
        elif key == 'vic':
            parts = val.split()
            f['vics'].append((int(parts[0]), 'native' in parts,
                              'ycbcr420-only' in parts))
        elif key == 'timing':
            m = re.match(r'(\d+)x(\d+)(i?)@(\d+)\.(\d+) .* sources (\S+)',
                         val)
            w, h, i, hz, frac, sources = m.groups()
            f['timings'].append((int(w), int(h), i == 'i',
                                 int(hz) * 1000 + int(frac),
                                 sources.split(',')))
        elif key not in ('diag',):
            f[key] = val.rstrip() if val else ''
    return f


def parse_theirs(text):
    f = {'ok': 'No EDID header found' not in text, 'est': [], 'std': [],
         'dtd': [], 'did': [], 'vics': [], 'vic_timings': [],
         'eotfs': set(), 'colorimetry': set(), 'bad_checksums': [],
         'did_bad': False, 'hdr_lum': []}
    block, block_name = -1, ''
    section = subsection = ''
    eotf_names = {
        'Traditional gamma - SDR luminance range': 'sdr',
        'Traditional gamma - HDR luminance range': 'hdr',
        'SMPTE ST2084': 'pq',
        'Hybrid Log-Gamma': 'hlg',
    }
    colorimetry = {'xvYCC601', 'xvYCC709', 'sYCC601', 'opYCC601', 'opRGB',
                   'BT2020cYCC', 'BT2020YCC', 'BT2020RGB', 'sRGB', 'ICtCp',
                   'ST2113RGB'}
    vdbs = ('Video Data Block', 'YCbCr 4:2:0 Video Data Block')
    for line in text.splitlines():
        m = re.match(r'^Block (\d+), (.*):$', line)
        if m:
            block, block_name = int(m.group(1)), m.group(2)
            section = subsection = ''
            continue
        if line.startswith('Failures:') or line.startswith('Warnings:'):
            break
        if re.match(r'^Checksum: 0x[0-9a-f]+ \(should be', line):
            f['bad_checksums'].append(block)
            continue
        if re.match(r'^  Checksum: 0x[0-9a-f]+ \(should be', line):
            f['did_bad'] = True
            continue
        t = TIMING.match(line)
        if t:
            hz = round(float(t.group('hz')) * 1000)
            entry = (int(t.group('w')), int(t.group('h')),
                     t.group('i') == 'i', hz)
            typ = t.group('type')
            if typ.startswith('VIC') and section in vdbs:
                f['vics'].append((int(typ.split()[1]),
                                  '(native)' in t.group('rest'),
                                  section == vdbs[1]))
                f['vic_timings'].append(entry)
            elif typ.startswith('DTD') and 'DisplayID' in block_name:
                f['did'].append(entry)
            elif typ.startswith('DTD'):
                f['dtd'].append(entry)
            elif section.startswith('Established') or \
                    subsection == 'Established timings III':
                f['est'].append(entry)
            elif section == 'Standard Timings' or \
                    subsection == 'Standard Timing Identifications':
                f['std'].append(entry)
            continue
        s = line.strip()
        indent = len(line) - len(line.lstrip(' '))
        if s.endswith(':'):
            if indent == 2:
                section, subsection = s[:-1], ''
            elif indent == 4:
                subsection = s[:-1]
            continue
        kv = re.match(r'^([^:]+): (.*)$', s)
        if section == 'HDR Static Metadata Data Block' and s in eotf_names:
            f['eotfs'].add(eotf_names[s])
        elif section == 'HDR Static Metadata Data Block' and \
                s == 'Static metadata type 1':
            f['hdr_types'] = 1
        elif section == 'Colorimetry Data Block':
            if s in colorimetry:
                f['colorimetry'].add(s)
            elif s == 'Default':
                f['colorimetry'].add('defaultRGB')
            elif s.startswith('Gamut Boundary Description Metadata '
                              'Profile P0'):
                f['colorimetry'].add('MD0')
        elif kv:
            k, v = kv.groups()
            if k.startswith('Desired content') and 'luminance' in k:
                f['hdr_lum'].append(int(v.split()[0]))
            elif block != 0:
                if k == 'Revision' and 'CTA' in block_name:
                    f.setdefault('cta-revision', v)
                elif k == 'Version' and 'DisplayID' in block_name:
                    f.setdefault('displayid-version', v)
                elif k == 'EDID Extension Block Count':
                    f['hf-eeodb'] = v
            elif k == 'Manufacturer':
                f['vendor'] = v
            elif k == 'Model':
                f['product'] = v
            elif k == 'Serial Number':
                f['serial'] = v
            elif k == 'Made in':
                mm = re.match(r'week (\d+) of (\d+)', v)
                f['made'] = ('week %s of %s' % mm.groups()) if mm else v
            elif k == 'Model year':
                f['made'] = 'model year ' + v
            elif k == 'EDID Structure Version & Revision':
                f['edid'] = v
            elif k == 'Maximum image size':
                mm = re.match(r'(\d+) cm x (\d+) cm', v)
                f['size-cm'] = '%sx%s' % mm.groups()
            elif k == 'Display Product Name':
                f.setdefault('name', v.strip("'").rstrip())
            elif k == 'Display Product Serial Number':
                f.setdefault('serial-text', v.strip("'").rstrip())
            elif k == 'Alphanumeric Data String':
                f.setdefault('text', v.strip("'").rstrip())
            elif k.startswith('Monitor ranges'):
                mm = re.match(r'(\d+)-(\d+) Hz V, (\d+)-(\d+) kHz H'
                              r'(, max dotclock (\d+) MHz)?', v)
                f['range'] = '%s-%s Hz V, %s-%s kHz H, max %s MHz' % (
                    mm.group(1), mm.group(2), mm.group(3), mm.group(4),
                    mm.group(6) or '0')
            elif k == 'Extension blocks':
                f['extensions'] = v
        elif s == 'Digital display' and block == 0:
            f['input'] = 'digital'
        elif s == 'Analog display' and block == 0:
            f['input'] = 'analog'
    return f


def near(a, b, tol):
    return a[:3] == b[:3] and abs(a[3] - b[3]) <= tol


def same_set(ours, theirs, tol):
    """Both ways: every entry has a partner within tol mHz."""
    missing = [t for t in theirs if not any(near(o, t, tol) for o in ours)]
    extra = [o for o in ours if not any(near(o, t, tol) for t in theirs)]
    return missing, extra


def fmt(t):
    return '%ux%u%s@%.3f' % (t[0], t[1], 'i' if t[2] else '', t[3] / 1000)


def compare(name, ours, theirs):
    known = KNOWN.get(name, {})
    facts = 0
    diffs = []
    notes = []

    def fact(key, a, b, count=1):
        nonlocal facts
        facts += count
        if a != b:
            if key in known:
                notes.append('%s: ours %r, edid-decode %r (known: %s)' %
                             (key, a, b, known[key]))
            else:
                diffs.append('%s: ours %r, edid-decode %r' % (key, a, b))

    def timing_set(key, ours_t, theirs_t, tol):
        nonlocal facts
        ours_t = sorted(set(ours_t))
        theirs_t = sorted(set(theirs_t))
        missing, extra = same_set(ours_t, theirs_t, tol)
        facts += max(len(ours_t), len(theirs_t))
        if missing or extra:
            msg = '%s: only edid-decode %s, only ours %s' % (
                key, [fmt(t) for t in missing], [fmt(t) for t in extra])
            if key in known and not extra:
                notes.append(msg + ' (known: %s)' % known[key])
            else:
                diffs.append(msg)

    fact('decodes', ours['ok'], theirs['ok'])
    if not ours['ok'] or not theirs['ok']:
        return facts, diffs, notes
    for key in ('edid', 'vendor', 'product', 'made', 'size-cm', 'input'):
        fact(key, ours.get(key), theirs.get(key))
    fact('serial', ours.get('serial'), theirs.get('serial', '0'))
    for key in ('name', 'serial-text', 'text'):
        fact(key, ours.get(key, ''), theirs.get(key, ''))
    ours_range = ours.get('range')
    if ours_range:
        ours_range = ours_range.split(', support')[0]
    fact('range', ours_range, theirs.get('range'))
    fact('extensions', ours['extensions'].split()[0],
         theirs.get('extensions', '0'))
    fact('hf-eeodb', ours.get('hf-eeodb'), theirs.get('hf-eeodb'))
    bad = ours['bad-checksums']
    fact('bad-checksums',
         [] if bad == 'none' else [int(x) for x in bad.split()],
         theirs['bad_checksums'])

    def src(s):
        return [t[:4] for t in ours['timings'] if s in t[4]]

    def hz(ts):
        return [(w, h, i, (r + 500) // 1000 * 1000) for w, h, i, r in ts]

    timing_set('detailed', src('detailed'), theirs['dtd'], 1)
    timing_set('established', hz(src('established')), hz(theirs['est']), 0)
    timing_set('standard', hz(src('standard')), hz(theirs['std']), 0)
    timing_set('displayid', src('displayid'), theirs['did'], 1)

    cta = 'cta' in ours
    fact('has-cta', cta, 'cta-revision' in theirs)
    if cta:
        fact('cta-revision', ours['cta'].split()[1],
             theirs.get('cta-revision'))
        fact('cta-vics', ours['vics'], theirs['vics'],
             max(len(ours['vics']), len(theirs['vics'])))
        # VIC timings come from our table: compare with edid-decode's
        timing_set('cta-timings', src('cta-vic'), theirs['vic_timings'], 1)
        if 'hdr-eotfs' in ours or theirs['eotfs']:
            fact('hdr-eotfs', set(ours.get('hdr-eotfs', '').split()),
                 theirs['eotfs'])
            fact('hdr-metadata-types',
                 int(ours.get('hdr-metadata-types', '0'), 16),
                 theirs.get('hdr_types', 0))
            fact('hdr-luminance',
                 [int(x) for x in ours.get('hdr-luminance', '').split()],
                 theirs['hdr_lum'])
        if 'colorimetry' in ours or theirs['colorimetry']:
            fact('colorimetry', set(ours.get('colorimetry', '').split()[1:]),
                 theirs['colorimetry'])
    did = ours.get('displayid')
    fact('has-displayid', did is not None, 'displayid-version' in theirs)
    if did:
        fact('displayid-version', did.split(',')[0].split()[1],
             theirs.get('displayid-version'))
        fact('displayid-checksum-bad', did.endswith('bad'), theirs['did_bad'])
    return facts, diffs, notes


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    dump, decoder, path = sys.argv[1:]
    name = os.path.basename(path)[:-4]
    if not shutil.which(decoder):
        print('edid-decode not installed: skipped')
        return 77
    with open(path, 'rb') as fh:
        data = fh.read()
    rc, out_ours, err = run([dump, path])
    if rc not in (0, 1):
        print('edid_dump failed (%d): %s' % (rc, err))
        return 1
    with tempfile.NamedTemporaryFile(suffix='.bin') as tmp:
        tmp.write(meaningful(data))
        tmp.flush()
        _, out_theirs, err_theirs = run([decoder, '-s', '--skip-sha',
                                         tmp.name])
    ours = parse_ours(out_ours)
    theirs = parse_theirs(out_theirs + err_theirs)
    facts, diffs, notes = compare(name, ours, theirs)
    for n in notes:
        print('known difference: ' + n)
    if diffs:
        for d in diffs:
            print('DIFFERENT ' + d)
        print('%s: %d facts compared, %d different' % (name, facts,
                                                       len(diffs)))
        print('--- ours\n' + out_ours)
        return 1
    print('%s: %d facts compared, all equal%s' % (
        name, facts, ' (%d known differences)' % len(notes) if notes else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
