#!/usr/bin/env python3
"""RFC 6455 conformance of `evapo serve`'s WebSocket endpoint, spoken byte by byte.

Autobahn's fuzzing client runs only under Python 2, so this test writes the frames itself:
unmasked client frames, reserved bits, unknown opcodes, fragmented and oversized control frames,
invalid UTF-8 (whole and across fragments), oversized messages, bad close codes and reasons, ping
and pong, the closing handshake. Each case runs on its own connection to a real `evapo serve`
watching a task that stays in progress (its weather sources answer nothing); the expected close
codes are RFC 6455's (1002 protocol error, 1007 invalid data, 1009 too big). After every case the
server must still answer /healthz, and one observer connection opened first must still be open
(it answers a ping) at the end. Prints the case table; exits 1 on any mismatch.

Usage: websocket_conformance.py --evapo build/ci/apps/evapo/evapo
"""
import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

DEADLINE_S = 30.0  # generous: CI is a loaded 2-core machine


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length=None, extended=None):
    """One client frame. `length` announces a length other than the payload's; `extended`
    forces the 16-bit (126) or 64-bit (127) length form."""
    n = len(payload) if length is None else length
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    mask_bit = 0x80 if mask else 0
    form = extended or (0 if n < 126 else 126 if n < 65536 else 127)
    if form == 0:
        head = bytes([first, mask_bit | n])
    elif form == 126:
        head = bytes([first, mask_bit | 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, mask_bit | 127]) + struct.pack(">Q", n)
    if mask:
        key = os.urandom(4)
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


def close_payload(code, reason=b""):
    return struct.pack(">H", code) + reason


class Connection:
    """A raw WebSocket client connection on /ws/task_status/{id}."""

    def __init__(self, port, task_id):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_S)
        self.buffer = b""
        request = (
            f"GET /ws/task_status/{task_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("closed during the handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError("handshake refused: " + head.decode(errors="replace"))

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            pass  # the server may already have failed the connection

    def _need(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        out, self.buffer = self.buffer[:count], self.buffer[count:]
        return out

    def next_frame(self, timeout=DEADLINE_S):
        """(opcode, payload) of the next server frame; raises EOFError / socket.timeout."""
        self.sock.settimeout(timeout)
        b0, b1 = self._need(2)
        if b1 & 0x80:
            raise RuntimeError("the server masked a frame")
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack(">H", self._need(2))
        elif n == 127:
            (n,) = struct.unpack(">Q", self._need(8))
        return b0 & 0x0F, self._need(n)

    def close_code(self):
        """Reads until the server's close frame: its code (None if the TCP connection ended
        without one, 'open' if nothing came). Task events (text frames) are skipped."""
        try:
            while True:
                opcode, payload = self.next_frame()
                if opcode == 0x8:
                    return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
        except EOFError:
            return None
        except (socket.timeout, TimeoutError):
            return "open"
        except ConnectionResetError:
            return None

    def pong_for(self, payload):
        """Sends a ping and waits for its pong (pongs of earlier pings are skipped): True when it
        came, False when the connection ended or nothing came."""
        self.send(frame(0x9, payload))
        try:
            while True:
                opcode, data = self.next_frame()
                if opcode == 0xA and data == payload:
                    return True
                if opcode == 0x8:
                    return False
        except (EOFError, ConnectionResetError, socket.timeout, TimeoutError):
            return False

    def close(self):
        self.sock.close()


def stays_open(conn):
    return "open" if conn.pong_for(b"still-there") else "closed"


CASES = [
    # (name, frames to send, expected: the server's close code (a tuple: any of them), or "open"
    # when the connection must stay up)
    ("unmasked client frame", [frame(0x1, b"hello", mask=False)], 1002),
    ("RSV1 without an extension", [frame(0x1, b"hello", rsv=4)], 1002),
    ("RSV2 set", [frame(0x1, b"hello", rsv=2)], 1002),
    ("RSV3 set", [frame(0x1, b"hello", rsv=1)], 1002),
    ("reserved data opcode 0x3", [frame(0x3, b"x")], 1002),
    ("reserved control opcode 0xB", [frame(0xB, b"x")], 1002),
    ("fragmented ping (FIN=0)", [frame(0x9, b"abc", fin=False)], 1002),
    ("ping with 126-byte payload", [frame(0x9, b"p" * 126)], 1002),
    ("continuation without a start", [frame(0x0, b"orphan")], 1002),
    ("text frame inside a fragmented message",
     [frame(0x1, b"part", fin=False), frame(0x1, b"again")], 1002),
    # Over the size limit as well as malformed: either reason fails the connection.
    ("64-bit length with the top bit set", [frame(0x1, b"", length=1 << 63, extended=127)],
     (1002, 1009)),
    ("invalid UTF-8 in a text frame", [frame(0x1, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xed\xa0\x80")],
     1007),
    ("invalid UTF-8 across fragments",
     [frame(0x1, b"\xce\xba\xe1", fin=False), frame(0x0, b"\xff\xfe")], 1007),
    ("overlong UTF-8 encoding", [frame(0x1, b"\xc0\xaf")], 1007),
    ("message over the 4 KB limit", [frame(0x1, b"a" * 5000)], 1009),
    ("fragments adding up over the limit",
     [frame(0x2, b"b" * 3000, fin=False), frame(0x0, b"b" * 3000)], 1009),
    ("frame announcing 2^40 bytes", [frame(0x2, b"", length=1 << 40, extended=127)], 1009),
    ("close code 999", [frame(0x8, close_payload(999))], 1002),
    ("close code 1004 (reserved)", [frame(0x8, close_payload(1004))], 1002),
    ("close code 1005 (never sent)", [frame(0x8, close_payload(1005))], 1002),
    ("close code 1006 (never sent)", [frame(0x8, close_payload(1006))], 1002),
    ("close code 1015 (never sent)", [frame(0x8, close_payload(1015))], 1002),
    ("close code 2999 (unassigned)", [frame(0x8, close_payload(2999))], 1002),
    # RFC 6455 defines no code above 4999 (Autobahn 7.13: informational): refused or echoed.
    ("close code 5000 (undefined)", [frame(0x8, close_payload(5000))], (1002, 5000)),
    ("close with a 1-byte payload", [frame(0x8, b"\x03")], 1002),
    # Autobahn 7.5.1 accepts a protocol error or an invalid-data close here.
    ("close reason not UTF-8", [frame(0x8, close_payload(1000, b"\xff\xfe"))], (1007, 1002)),
    ("ping answered with the same payload", [], "pong"),
    ("close 1000: the closing handshake", [frame(0x8, close_payload(1000, b"bye"))], 1000),
    # A valid close is answered with a close frame: the code echoed, or a plain 1000.
    ("close 3000 (registered range)", [frame(0x8, close_payload(3000))], (3000, 1000)),
    ("close 4999 (private range)", [frame(0x8, close_payload(4999))], (4999, 1000)),
    ("empty close (answered without a code: 1005)", [frame(0x8, b"")], (1005, 1000)),
    ("unsolicited pong is ignored", [frame(0xA, b"nobody asked")], "open"),
    ("binary message is ignored", [frame(0x2, b"\x00\x01\x02")], "open"),
    ("valid fragmented text with a ping between",
     [frame(0x1, b"\xce\xba\xe1", fin=False), frame(0x9, b"mid"), frame(0x0, b"\xbd\xb9")],
     "open"),
]


def http_get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=DEADLINE_S) as r:
            return r.status
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return 0


def submit(port):
    body = json.dumps({"latitude": 39.5, "longitude": -118.8, "start_date": "2015-01-01",
                       "end_date": "2015-01-10", "elevation_m": 1200}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/eto/calculations",
                                     data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=DEADLINE_S) as answer:
        return json.load(answer)["task_id"]


def silent_upstream():
    """A TCP listener that accepts and never answers: the task waits on its sources."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    return listener


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evapo", required=True)
    args = parser.parse_args()

    upstream = silent_upstream()
    base = f"http://127.0.0.1:{upstream.getsockname()[1]}"
    env = dict(os.environ)
    for name in ("NASA_POWER", "OPEN_METEO_ARCHIVE", "OPEN_METEO_FORECAST", "MET_NORWAY", "NWS",
                 "ELEVATION"):
        env[f"EVAPO_{name}_URL"] = base
    env["EVAPO_HTTP_TIMEOUT_MS"] = "600000"
    data_dir = tempfile.mkdtemp(prefix="evapo_ws_conformance_")
    server = subprocess.Popen(
        [args.evapo, "serve", "--port", "0", "--data-dir", data_dir, "--rate-limit", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    port = None
    start = time.time()
    while port is None and time.time() - start < 60:
        line = server.stdout.readline()
        if not line:
            break
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = int(found.group(1))
    if port is None:
        print("evapo serve did not start", file=sys.stderr)
        server.kill()
        return 1
    # Drain the server's output so that its log never blocks it.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()

    failures = 0
    try:
        task_id = submit(port)
        observer = Connection(port, task_id)
        print(f"{'case':<45} {'expected':>9} {'got':>9}  server")
        for name, frames, expected in CASES:
            conn = Connection(port, task_id)
            for data in frames:
                conn.send(data)
            if expected == "open":
                got = stays_open(conn)
            elif expected == "pong":
                got = "pong" if conn.pong_for(b"\x00echo me\xff" * 10) else "none"
            else:
                got = conn.close_code()
            conn.close()
            alive = server.poll() is None and http_get(port, "/healthz") == 200
            ok = (got in expected if isinstance(expected, tuple) else got == expected) and alive
            failures += 0 if ok else 1
            shown = "/".join(map(str, expected)) if isinstance(expected, tuple) else str(expected)
            print(f"{name:<45} {shown:>9} {got!s:>9}  {'up' if alive else 'DOWN'}"
                  f"{'' if ok else '   <-- FAIL'}")
        observer_state = stays_open(observer)
        print(f"{'observer connection opened first':<45} {'open':>9} {observer_state:>9}")
        failures += 0 if observer_state == "open" else 1
        observer.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            server.kill()
        upstream.close()
    print(f"{len(CASES) + 1 - failures} of {len(CASES) + 1} as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
