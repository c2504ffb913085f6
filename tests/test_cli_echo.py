"""``netedu echo``: a real echo server process on loopback, driven by a client."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def _start(*args: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "netedu.cli", "echo", *args, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", first)
    assert m, first + proc.stderr.read()
    return proc, int(m.group(1))


def test_udp_echo_count():
    proc, port = _start("udp", "--count", "2")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.settimeout(5)
            for msg in (b"hello", "你好".encode("gb2312")):
                c.sendto(msg, ("127.0.0.1", port))
                assert c.recv(100) == msg
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert re.fullmatch(r"#1 5 bytes from 127\.0\.0\.1:\d+: b'hello'", lines[0])
    assert lines[1].startswith("#2 4 bytes from")


def test_tcp_echo_count():
    proc, port = _start("tcp", "--count", "1")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(b"abc")
            assert c.recv(10) == b"abc"
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "#1 3 bytes from" in out


@pytest.mark.parametrize("args, message", [
    (["udp", "--host", "192.168.1.201"], "netedu: netedu sockets stay on loopback (127.0.0.0/8): '192.168.1.201' is not a loopback address"),
    (["udp", "--port", "70000"], "netedu: --port must be from 0 to 65535, got 70000"),
    (["udp", "--count", "0"], "netedu: --count must be at least 1, got 0"),
])
def test_bad_arguments(args, message):
    r = subprocess.run([sys.executable, "-m", "netedu.cli", "echo", *args], capture_output=True, text=True, timeout=20)
    assert r.returncode == 2
    assert r.stderr.strip() == message
