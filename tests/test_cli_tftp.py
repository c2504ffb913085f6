"""``netedu tftp serve|get|put``: the command a person runs, end to end on loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netedu.cli import main
from netedu.commands.tftp import parse_hostport
from netedu.io.tftp import TftpServer

pytestmark = pytest.mark.netns


@pytest.fixture
def served(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.bin").write_bytes(os.urandom(100_000))
    with TftpServer(root, allow_write=True, timeout=0.2) as srv:
        yield root, f"127.0.0.1:{srv.address[1]}"


def test_get_and_put(served, tmp_path, capsys, monkeypatch):
    root, where = served
    monkeypatch.chdir(tmp_path)
    assert main(["tftp", "get", where, "a.bin"]) == 0
    assert (tmp_path / "a.bin").read_bytes() == (root / "a.bin").read_bytes()
    err = capsys.readouterr().err
    assert re.fullmatch(r"netedu: get 'a\.bin' into a\.bin: 100000 bytes in \d+\.\d{3} s \(\d+\.\d\d MB/s\)\n", err)
    assert "\r[" not in err  # no progress bar when stderr is not a terminal
    assert main(["tftp", "get", where, "a.bin", "copy.bin", "--blksize", "1468", "--windowsize", "8"]) == 0
    assert (tmp_path / "copy.bin").read_bytes() == (root / "a.bin").read_bytes()
    assert main(["tftp", "put", where, "copy.bin", "uploaded.bin", "--blksize", "1000"]) == 0
    assert (root / "uploaded.bin").read_bytes() == (root / "a.bin").read_bytes()
    capsys.readouterr()


def test_failures_are_one_line_and_exit_1(served, tmp_path, capsys, monkeypatch):
    root, where = served
    monkeypatch.chdir(tmp_path)
    assert main(["tftp", "get", where, "missing.bin"]) == 1
    assert capsys.readouterr().err == "netedu: get failed: TFTP error 1 (FILE_NOT_FOUND): File not found: 'missing.bin'\n"
    assert not (tmp_path / "missing.bin").exists()  # no partial download left behind
    (tmp_path / "x.bin").write_bytes(b"x")
    assert main(["tftp", "put", where, "x.bin", "a.bin"]) == 1
    assert capsys.readouterr().err == (
        "netedu: put failed: TFTP error 6 (FILE_EXISTS): File already exists: 'a.bin' (start the server with --allow-overwrite)\n"
    )
    assert main(["tftp", "get", "127.0.0.1:9", "a.bin", "--timeout", "0.05", "--retries", "1"]) == 1
    assert capsys.readouterr().err == "netedu: get failed: TFTP error 0 (NOT_DEFINED): timed out: no answer after 1 retransmissions\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", "x.bin"]


def test_bad_input_exits_2(served, tmp_path, capsys, monkeypatch):
    _, where = served
    monkeypatch.chdir(tmp_path)
    assert main(["tftp", "get", "127.0.0.1:port", "a.bin"]) == 2
    assert capsys.readouterr().err == "netedu: bad port 'port' in '127.0.0.1:port': expected a number 1-65535\n"
    assert main(["tftp", "put", where, "no-such-file"]) == 2
    assert capsys.readouterr().err == "netedu: no such file: 'no-such-file'\n"
    assert main(["tftp", "get", where, "a.bin", "--blksize", "4"]) == 2
    assert "argument --blksize: 4 out of range: expected 8-65464" in capsys.readouterr().err
    assert main(["tftp", "serve", "--root", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"netedu: --root {str(tmp_path / 'nope')!r} is not a folder\n"
    assert main(["tftp"]) == 2
    capsys.readouterr()


def test_parse_hostport():
    assert parse_hostport("127.0.0.1") == ("127.0.0.1", 69)
    assert parse_hostport("127.0.0.1:1069") == ("127.0.0.1", 1069)
    with pytest.raises(ValueError):
        parse_hostport(":69")


def test_serve_logs_one_line_per_transfer_and_stops_on_ctrl_c(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "hello.txt").write_bytes(b"hello\n")
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "netedu.cli", "tftp", "serve", "--root", str(root), "--port", "0", "--allow-write"],
            stderr=err, stdout=subprocess.DEVNULL,
        )
    try:
        port = None
        for _ in range(200):
            m = re.search(r"on 127\.0\.0\.1:(\d+)", log.read_text())
            if m:
                port = m.group(1)
                break
            time.sleep(0.05)
        assert port, log.read_text()
        out = tmp_path / "got.txt"
        assert main(["tftp", "get", f"127.0.0.1:{port}", "hello.txt", str(out)]) == 0
        assert out.read_bytes() == b"hello\n"
        assert main(["tftp", "get", f"127.0.0.1:{port}", "../x"]) == 1
        for _ in range(100):
            if log.read_text().count("RRQ") == 2:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    lines = log.read_text().splitlines()
    assert lines[0] == f"netedu: serving {root} over TFTP on 127.0.0.1:{port}, uploads allowed; Ctrl-C stops"
    assert re.fullmatch(r"127\.0\.0\.1:\d+ RRQ 'hello\.txt' 6 bytes in \d+\.\d{3} s \(\d+\.\d\d MB/s\) ok", lines[1])
    assert re.fullmatch(
        r"127\.0\.0\.1:\d+ RRQ '\.\./x' 0 bytes in \d+\.\d{3} s \(0\.00 MB/s\) FAILED: Access violation: '\.\./x' goes outside the served folder \('\.\.' is not allowed\)",
        lines[2],
    )
