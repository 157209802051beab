#!/usr/bin/env python3
"""A minimal VNC (RFB 3.8) client that asks the server to resize the
desktop, as a VNC viewer does when its window is resized.

usage: vnc_resize.py [--gap SECONDS] HOST PORT WIDTH HEIGHT [WIDTH HEIGHT ...]

It announces the ExtendedDesktopSize pseudo-encoding, then sends one
SetDesktopSize message per size, SECONDS apart (default 1; a small gap
is a window being dragged). QEMU turns each into a UI-info change that virtio-gpu reports
to the guest as VIRTIO_GPU_EVENT_DISPLAY."""
import socket
import struct
import sys
import time

EXTENDED_DESKTOP_SIZE = -308


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("server closed the connection")
        buf += chunk
    return buf


def connect(host, port, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        try:
            return socket.create_connection((host, port), timeout=5)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def handshake(s):
    version = recv_exact(s, 12)
    if not version.startswith(b"RFB "):
        raise RuntimeError("not an RFB server: %r" % version)
    s.sendall(b"RFB 003.008\n")
    n = recv_exact(s, 1)[0]
    types = recv_exact(s, n)
    if 1 not in types:
        raise RuntimeError("server wants authentication: %r" % types)
    s.sendall(b"\x01")  # security type None
    if struct.unpack(">I", recv_exact(s, 4))[0] != 0:
        raise RuntimeError("security handshake failed")
    s.sendall(b"\x01")  # ClientInit: shared
    w, h = struct.unpack(">HH", recv_exact(s, 4))
    recv_exact(s, 16)  # pixel format
    name_len = struct.unpack(">I", recv_exact(s, 4))[0]
    recv_exact(s, name_len)
    return w, h


def set_encodings(s, encodings):
    s.sendall(struct.pack(">BxH", 2, len(encodings)) +
              b"".join(struct.pack(">i", e) for e in encodings))


def set_desktop_size(s, w, h):
    # type 251, padding, width, height, 1 screen, padding,
    # screen: id, x, y, width, height, flags
    s.sendall(struct.pack(">BxHHBx", 251, w, h, 1) +
              struct.pack(">IHHHHI", 0, 0, 0, w, h, 0))


def main():
    args = sys.argv[1:]
    gap = 1.0
    if len(args) >= 2 and args[0] == "--gap":
        gap = float(args[1])
        args = args[2:]
    if len(args) < 4 or len(args) % 2 == 1:
        print(__doc__, file=sys.stderr)
        return 2
    host, port = args[0], int(args[1])
    sizes = [(int(args[i]), int(args[i + 1]))
             for i in range(2, len(args), 2)]
    s = connect(host, port)
    w, h = handshake(s)
    print("vnc: connected, desktop %dx%d" % (w, h), flush=True)
    set_encodings(s, [0, EXTENDED_DESKTOP_SIZE])
    for (nw, nh) in sizes:
        time.sleep(gap)
        set_desktop_size(s, nw, nh)
        print("vnc: asked for %dx%d" % (nw, nh), flush=True)
    time.sleep(1.0)
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
