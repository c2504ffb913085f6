"""netedu.io.tftp over real loopback sockets: netedu, curl and tftp-hpa against each other.

Run inside ``tools/in-netns`` (the README's test command does), so nothing can
leave the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

import pytest

from netedu.codecs.tftp import Error, ErrorCode, decode, encode, ReadRequest, WriteRequest
from netedu.io.lossy import LossyLink
from netedu.io.tftp import TftpServer, TransferError, safe_path, tftp_get, tftp_put, window_limit

pytestmark = pytest.mark.netns

# Installed by tools/ensure-system-deps (make test); a missing one fails its tests by name.
CURL = shutil.which("curl") or "curl (missing: apt-get install curl)"
TFTP = shutil.which("tftp") or "tftp (missing: apt-get install tftp-hpa)"
IN_TFTPD = "/usr/sbin/in.tftpd" if os.path.exists("/usr/sbin/in.tftpd") else shutil.which("in.tftpd")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    (r / "sub").mkdir(parents=True)
    (r / "small.txt").write_bytes(b"hello, tftp\n")
    (r / "empty.bin").write_bytes(b"")
    (r / "exact.bin").write_bytes(os.urandom(1024))  # 2 x 512: ends with an empty block
    (r / "a.bin").write_bytes(os.urandom(200_000))
    (r / "sub" / "inner.txt").write_bytes(b"inside\n")
    (r / "text.txt").write_bytes(b"line one\nline two\r\nend\n")
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    (r / "link-out").symlink_to(outside)
    (r / "dir-out").symlink_to(tmp_path)
    (r / "link-in").symlink_to(r / "small.txt")
    return r


@pytest.fixture
def server(root: Path):
    lines: list[str] = []
    with TftpServer(root, allow_write=True, timeout=0.2, retries=3, on_log=lines.append) as srv:
        srv.lines = lines  # type: ignore[attr-defined]
        yield srv


def raw_socket() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(2)
    return s


def ask(server, packet: bytes):
    """Send one datagram to the request port; return the decoded answer."""
    with raw_socket() as s:
        s.sendto(packet, server.address)
        data, _ = s.recvfrom(4096)
        return decode(data)


def wait_records(server, n: int, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while len(server.records) < n and time.monotonic() < end:
        time.sleep(0.01)


# -- netedu client against netedu server ---------------------------------------

# a.bin at blksize 8 would be 25,000 blocks: the rollover tests cover long transfers.
@pytest.mark.parametrize("name,blksize,window", [
    (name, blksize, window)
    for name in ["small.txt", "empty.bin", "exact.bin", "a.bin", "sub/inner.txt", "link-in"]
    for blksize, window in [(512, 1), (1468, 1), (1468, 8), (65464, 4), (8, 16)]
    if not (blksize == 8 and name == "a.bin")
])
def test_get_identical(server, root, name, blksize, window):
    stats = tftp_get(*server.address, name, blksize=blksize, windowsize=window)
    assert stats.data == (root / name).read_bytes()
    assert stats.bytes == len(stats.data)


def test_get_to_a_file_and_progress(server, root, tmp_path):
    seen = []
    out = tmp_path / "out.bin"
    stats = tftp_get(*server.address, "a.bin", out, blksize=1468, progress=lambda d, t: seen.append((d, t)))
    assert out.read_bytes() == (root / "a.bin").read_bytes()
    assert stats.data is None and stats.options == {"blksize": 1468, "tsize": 200_000}
    assert seen[-1] == (200_000, 200_000) and len(seen) >= 3
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_put_is_atomic_and_refuses_overwrite(server, root, tmp_path):
    payload = os.urandom(70_000)
    stats = tftp_put(*server.address, payload, "up.bin", blksize=1000, windowsize=4)
    assert stats.bytes == 70_000
    assert (root / "up.bin").read_bytes() == payload
    with pytest.raises(TransferError) as info:
        tftp_put(*server.address, b"other", "up.bin")
    assert info.value.code == ErrorCode.FILE_EXISTS
    assert str(info.value) == "TFTP error 6 (FILE_EXISTS): File already exists: 'up.bin' (start the server with --allow-overwrite)"
    assert (root / "up.bin").read_bytes() == payload
    local = tmp_path / "local.bin"
    local.write_bytes(payload[:1024])
    tftp_put(*server.address, local)  # remote name defaults to the local one
    assert (root / "local.bin").read_bytes() == payload[:1024]
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == []


def test_overwrite_when_allowed(root):
    (root / "old.bin").write_bytes(b"old")
    with TftpServer(root, allow_write=True, allow_overwrite=True) as srv:
        tftp_put(*srv.address, b"new contents", "old.bin")
    assert (root / "old.bin").read_bytes() == b"new contents"


def test_writes_off_by_default(root):
    with TftpServer(root) as srv:
        with pytest.raises(TransferError) as info:
            tftp_put(*srv.address, b"x", "new.bin")
    assert info.value.code == ErrorCode.ACCESS_VIOLATION
    assert info.value.message == "Access violation: this server does not accept uploads (start it with --allow-write)"
    assert not (root / "new.bin").exists()


def test_failed_upload_leaves_nothing(server, root):
    with raw_socket() as s:
        s.sendto(encode(WriteRequest(filename="half.bin")), server.address)
        data, tid = s.recvfrom(100)
        assert data == b"\x00\x04\x00\x00"
        s.sendto(b"\x00\x03\x00\x01" + bytes(512), tid)
        assert s.recvfrom(100)[0] == b"\x00\x04\x00\x01"
        # then silence: the server resends its ACK, gives up and removes the temporary file
        wait_records(server, 1)
    assert server.records[0].ok is False and "timed out" in server.records[0].error
    assert sorted(p.name for p in root.iterdir()) == sorted(["sub", "small.txt", "empty.bin", "exact.bin", "a.bin", "text.txt", "link-out", "dir-out", "link-in"])


def test_failed_download_leaves_nothing(server, tmp_path):
    out = tmp_path / "x.bin"
    with pytest.raises(TransferError) as info:
        tftp_get(*server.address, "missing.bin", out)
    assert str(info.value) == "TFTP error 1 (FILE_NOT_FOUND): File not found: 'missing.bin'"
    with pytest.raises(TransferError) as info:
        tftp_get("127.0.0.1", free_port(), "a.bin", out, timeout=0.05, retries=2)
    assert str(info.value) == "TFTP error 0 (NOT_DEFINED): timed out: no answer after 2 retransmissions"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root", "secret.txt"]


def test_netascii(server, root, tmp_path):
    stats = tftp_get(*server.address, "text.txt", mode="netascii")
    assert stats.data == (root / "text.txt").read_bytes()
    assert stats.bytes == len((root / "text.txt").read_bytes()) + 3 + 1  # 3 LF -> CR LF, 1 CR -> CR NUL
    tftp_put(*server.address, b"a\nb\n", "t2.txt", mode="netascii")
    assert (root / "t2.txt").read_bytes() == b"a\nb\n"


# -- safety ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name,message",
    [
        ("../secret.txt", "Access violation: '../secret.txt' goes outside the served folder ('..' is not allowed)"),
        ("sub/../../secret.txt", "Access violation: 'sub/../../secret.txt' goes outside the served folder ('..' is not allowed)"),
        ("/etc/passwd", "Access violation: '/etc/passwd' is an absolute path: name a file inside the served folder"),
        ("link-out", "Access violation: 'link-out' leads outside the served folder (through a symbolic link)"),
        ("dir-out/secret.txt", "Access violation: 'dir-out/secret.txt' leads outside the served folder (through a symbolic link)"),
        ("sub", "Access violation: 'sub' is not a regular file"),
        ("..\\secret.txt", "Access violation: '..\\\\secret.txt' contains a backslash"),
    ],
)
def test_paths_outside_the_root_are_refused(server, name, message):
    with pytest.raises(TransferError) as info:
        tftp_get(*server.address, name)
    assert info.value.code == ErrorCode.ACCESS_VIOLATION
    assert info.value.message == message


def test_writes_outside_the_root_are_refused(server, tmp_path):
    for name in ("../evil.txt", "dir-out/evil.txt", "link-out"):
        with pytest.raises(TransferError) as info:
            tftp_put(*server.address, b"evil", name)
        assert info.value.code in (ErrorCode.ACCESS_VIOLATION, ErrorCode.FILE_EXISTS)
    assert not (tmp_path / "evil.txt").exists()
    assert (tmp_path / "secret.txt").read_bytes() == b"secret"


def test_safe_path_refuses_nul():
    with pytest.raises(PermissionError) as info:
        safe_path(Path("/srv"), "a\0b")
    assert str(info.value) == "'a\\x00b' contains a NUL byte"


MALFORMED = [
    (b"", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: empty packet: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)"),
    (b"\x00\x09junk", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: unknown TFTP opcode 9 in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)"),
    (b"\x00\x01a.bin", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: missing NUL byte after the filename starting at byte 2: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)"),
    (b"\x00\x01a.bin\x00octet", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: missing NUL byte after the filename starting at byte 8: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)"),
    (b"\x00\x01a.bin\x00binary\x00", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: unknown mode 'binary' in bytes 8-14: expected netascii, octet or mail (RFC 1350 sec. 5)"),
    (b"\x00\x01" + b"n" * 1000 + b"\x00octet\x00", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: RRQ of 1009 bytes is oversize: at most 512 (RFC 2347 sec. 2)"),
    (b"\x00\x01a.bin\x00octet\x00blksize\x00abc\x00", ErrorCode.OPTION_REFUSED, "Option refused: option blksize='abc' is not a whole number: expected 8-65464 (RFC 2348)"),
    (b"\x00\x01a.bin\x00octet\x00windowsize\x000\x00", ErrorCode.OPTION_REFUSED, "Option refused: option windowsize=0 out of range: expected 1-65535 (RFC 7440)"),
    (b"\x00\x01\xc3\x28\x00octet\x00", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: string in bytes 2-3 is not valid UTF-8 text: b'\\xc3('"),
    (b"\x00\x01a.bin\x00mail\x00", ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: mode 'mail' is obsolete (RFC 1350)"),
    (b"\x00\x04\x00\x01", ErrorCode.UNKNOWN_TID, "Expected a read or write request (RRQ/WRQ) on this port, got opcode 4 ACK"),
    (b"\x00\x06blksize\x00512\x00", ErrorCode.ILLEGAL_OPERATION, "Expected a read or write request (RRQ/WRQ) on this port, got opcode 6 OACK"),
]


def test_malformed_requests_are_answered_while_a_transfer_goes_on(server, root):
    big = os.urandom(3_000_000)
    (root / "big.bin").write_bytes(big)
    result = {}
    t = threading.Thread(target=lambda: result.update(stats=tftp_get(*server.address, "big.bin", blksize=1468)))
    t.start()
    answers = [ask(server, packet) for packet, _, _ in MALFORMED]
    t.join(30)
    assert result["stats"].data == big
    assert answers == [Error(code=code, message=msg) for _, code, msg in MALFORMED]
    assert tftp_get(*server.address, "small.txt").data == b"hello, tftp\n"  # still serving


def test_stranger_gets_error_5_and_the_transfer_goes_on(server, root):
    with raw_socket() as client, raw_socket() as stranger:
        client.sendto(encode(ReadRequest(filename="exact.bin")), server.address)
        first, tid = client.recvfrom(600)
        assert first[:4] == b"\x00\x03\x00\x01" and tid != server.address  # a new port: the server's TID
        stranger.sendto(b"\x00\x04\x00\x01", tid)
        answer, src = stranger.recvfrom(600)
        assert src == tid
        assert decode(answer) == Error(code=5, message="Unknown transfer ID: this port serves another transfer")
        client.sendto(b"\x00\x04\x00\x01", tid)
        second, _ = client.recvfrom(600)
        client.sendto(b"\x00\x04\x00\x02", tid)
        third, _ = client.recvfrom(600)
        client.sendto(b"\x00\x04\x00\x03", tid)
        assert first[4:] + second[4:] + third[4:] == (root / "exact.bin").read_bytes()
        assert third == b"\x00\x03\x00\x03"  # 1024 = 2 x 512: an empty third block
    wait_records(server, 1)
    assert server.records[0].ok


def test_duplicate_acks_do_not_double_the_data(root):
    (root / "five.bin").write_bytes(os.urandom(512 * 4 + 100))
    with TftpServer(root, timeout=5.0) as srv, raw_socket() as c:
        c.sendto(encode(ReadRequest(filename="five.bin")), srv.address)
        got = []
        tid = None
        c.settimeout(1.0)  # well before the server's own timer (5 s) would resend
        try:
            while True:
                data, tid = c.recvfrom(600)
                got.append(data)
                ack = b"\x00\x04" + data[2:4]
                for _ in range(3):  # every ACK three times
                    c.sendto(ack, tid)
        except socket.timeout:
            pass
    assert [struct.unpack("!H", d[2:4])[0] for d in got] == [1, 2, 3, 4, 5]  # each DATA once


def test_concurrent_transfers(server, root):
    files = {f"c{i}.bin": os.urandom(50_000 + i * 1000) for i in range(8)}
    for name, payload in files.items():
        (root / name).write_bytes(payload)
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def get(name: str, i: int) -> None:
        try:
            results[name] = tftp_get(*server.address, name, blksize=[512, 1468, 8192][i % 3], windowsize=1 + i % 4).data
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=get, args=(n, i)) for i, n in enumerate(files)]
    threads += [threading.Thread(target=lambda i=i: tftp_put(*server.address, os.urandom(30_000), f"u{i}.bin")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and results == files
    wait_records(server, 12)
    assert len(server.records) == 12 and all(r.ok for r in server.records)
    assert all((root / f"u{i}.bin").stat().st_size == 30_000 for i in range(4))


@pytest.mark.parametrize("window", [1, 8])
def test_identical_over_a_link_dropping_10_percent_each_way(root, window):
    payload = os.urandom(40_000)
    (root / "lossy.bin").write_bytes(payload)
    with TftpServer(root, allow_write=True, timeout=0.02, retries=100) as srv, LossyLink(srv.address, loss=0.1, seed=window) as link:
        stats = tftp_get(*link.address, "lossy.bin", blksize=1024, windowsize=window, timeout=0.02, retries=100)
        assert stats.data == payload
        tftp_put(*link.address, payload, "back.bin", blksize=1024, windowsize=window, timeout=0.02, retries=100)
        assert (root / "back.bin").read_bytes() == payload
    assert link.stats["up"]["dropped"] > 0 and link.stats["down"]["dropped"] > 0


def test_log_line_per_transfer(server):
    tftp_get(*server.address, "small.txt")
    with pytest.raises(TransferError):
        tftp_get(*server.address, "nope")
    wait_records(server, 2)
    lines = sorted(server.lines)
    assert len(lines) == 2
    assert "RRQ 'small.txt' 12 bytes in " in lines[0] + lines[1]
    assert any(line.endswith("FAILED: File not found: 'nope'") for line in lines)


def test_window_limit_fits_the_buffer():
    assert window_limit(512, 212_992) == 138
    assert window_limit(65464, 212_992) == 3


def test_server_binds_loopback_only(root):
    with pytest.raises(ValueError) as info:
        TftpServer(root, host="0.0.0.0")
    assert str(info.value) == "netedu servers bind loopback only (127.0.0.0/8), not '0.0.0.0'"


# -- interoperability: curl, tftp-hpa ----------------------------------------------

@pytest.mark.parametrize("blksize", [None, 512, 1468, 65464])
def test_curl_downloads_from_netedu(server, root, tmp_path, blksize):
    out = tmp_path / "curl.bin"
    cmd = [CURL, "-s", "-S", "--max-time", "20", "-o", str(out)]
    if blksize:
        cmd += ["--tftp-blksize", str(blksize)]
    subprocess.run(cmd + [f"tftp://{server.address[0]}:{server.address[1]}/a.bin"], check=True)
    assert out.read_bytes() == (root / "a.bin").read_bytes()


def test_curl_rollover_past_65535_blocks(server, root, tmp_path):
    payload = os.urandom(8 * 66_000 + 5)  # 66,001 blocks of 8 bytes: the block number wraps
    (root / "roll.bin").write_bytes(payload)
    out = tmp_path / "roll.bin"
    subprocess.run([CURL, "-s", "-S", "--max-time", "30", "-o", str(out), "--tftp-blksize", "8",
                    f"tftp://127.0.0.1:{server.address[1]}/roll.bin"], check=True)
    assert out.read_bytes() == payload


def test_curl_uploads_and_missing_file(server, root, tmp_path):
    src = tmp_path / "from-curl.bin"
    src.write_bytes(os.urandom(10_000))
    subprocess.run([CURL, "-s", "-S", "--max-time", "20", "-T", str(src), f"tftp://127.0.0.1:{server.address[1]}/from-curl.bin"], check=True)
    wait_records(server, 1)
    assert (root / "from-curl.bin").read_bytes() == src.read_bytes()
    r = subprocess.run([CURL, "-s", "--max-time", "20", "-o", str(tmp_path / "n"), f"tftp://127.0.0.1:{server.address[1]}/nope"])
    assert r.returncode == 68  # curl: "TFTP: File Not Found"


def test_tftp_hpa_client_with_netedu_server(server, root, tmp_path):
    port = str(server.address[1])
    r = subprocess.run([TFTP, "127.0.0.1", port, "-m", "binary", "-c", "get", "a.bin", str(tmp_path / "hpa.bin")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "hpa.bin").read_bytes() == (root / "a.bin").read_bytes()
    (tmp_path / "up.txt").write_bytes(b"from tftp-hpa\n" * 100)
    r = subprocess.run([TFTP, "127.0.0.1", port, "-m", "binary", "-c", "put", str(tmp_path / "up.txt"), "hpa-up.txt"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    wait_records(server, 2)
    assert (root / "hpa-up.txt").read_bytes() == b"from tftp-hpa\n" * 100
    r = subprocess.run([TFTP, "127.0.0.1", port, "-m", "ascii", "-c", "get", "text.txt", str(tmp_path / "t.txt")],
                       capture_output=True, text=True, timeout=30)
    assert (tmp_path / "t.txt").read_bytes() == (root / "text.txt").read_bytes()
    r = subprocess.run([TFTP, "127.0.0.1", port, "-m", "binary", "-c", "get", "../secret.txt", str(tmp_path / "s")],
                       capture_output=True, text=True, timeout=30)
    assert "Access violation" in r.stdout + r.stderr


def hpa_cannot_run() -> str:
    """Why in.tftpd cannot serve here, or ''. It drops privileges with initgroups() and exits if that fails."""
    if os.geteuid() != 0:
        return "in.tftpd needs root: it exits when it cannot drop privileges (initgroups)"
    try:
        if Path("/proc/self/setgroups").read_text().strip() == "deny":
            return ("in.tftpd exits in a user namespace that denies setgroups ('unshare -r'): "
                    "run as root with 'unshare -n' (see tools/in-netns)")
    except OSError:
        pass
    return ""


@pytest.fixture
def hpa_server(tmp_path):
    """tftp-hpa's in.tftpd on a socket we bind to 127.0.0.1 port 0 (inetd style, on its stdin).

    Handing it the socket avoids its name lookup of ``--address 127.0.0.1:PORT``,
    which fails in a loopback-only namespace (getaddrinfo's AI_ADDRCONFIG ignores lo).
    """
    if IN_TFTPD is None:
        pytest.fail("no in.tftpd: install Debian's tftpd-hpa (tools/ensure-system-deps does)")
    reason = hpa_cannot_run()
    if reason:
        pytest.fail(reason)
    root = tmp_path / "hpa-root"
    root.mkdir()
    (root / "h.bin").write_bytes(os.urandom(300_000))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        cmd = [IN_TFTPD, "--secure", "--create", "--blocksize", "65464", str(root)]
        if os.geteuid() == 0:
            cmd[1:1] = ["--user", "root"]
        proc = subprocess.Popen(cmd, stdin=sock.fileno(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield root, port
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.mark.parametrize("blksize,window", [(512, 1), (1468, 1), (65464, 1), (1468, 16)])
def test_netedu_client_with_tftp_hpa_server(hpa_server, blksize, window):
    root, port = hpa_server
    stats = tftp_get("127.0.0.1", port, "h.bin", blksize=blksize, windowsize=window)
    assert stats.data == (root / "h.bin").read_bytes()
    assert stats.options.get("windowsize", 1) in (1, window)  # tftp-hpa may not know RFC 7440


def test_netedu_client_errors_and_upload_with_tftp_hpa_server(hpa_server, tmp_path):
    root, port = hpa_server
    with pytest.raises(TransferError) as info:
        tftp_get("127.0.0.1", port, "nope.bin", tmp_path / "nope.bin")
    assert info.value.code == ErrorCode.FILE_NOT_FOUND
    assert not (tmp_path / "nope.bin").exists()
    payload = os.urandom(100_000)
    tftp_put("127.0.0.1", port, payload, "put.bin", blksize=1468)
    assert (root / "put.bin").read_bytes() == payload


def test_client_answers_a_stranger_with_error_5_and_goes_on():
    """A fake server: the first answer fixes its TID; DATA from another port gets ERROR 5."""
    with raw_socket() as listen, raw_socket() as tid, raw_socket() as stranger:
        result = {}
        t = threading.Thread(target=lambda: result.update(s=tftp_get("127.0.0.1", listen.getsockname()[1], "f", timeout=1)))
        t.start()
        req, client = listen.recvfrom(600)
        assert decode(req) == ReadRequest(filename="f")
        tid.sendto(b"\x00\x03\x00\x01" + b"a" * 512, client)
        assert tid.recvfrom(100)[0] == b"\x00\x04\x00\x01"
        stranger.sendto(b"\x00\x03\x00\x02" + b"evil", client)
        answer, src = stranger.recvfrom(600)
        assert src == client
        assert decode(answer) == Error(code=5, message="Unknown transfer ID: this port serves another transfer")
        tid.sendto(b"\x00\x03\x00\x02" + b"b" * 10, client)
        assert tid.recvfrom(100)[0] == b"\x00\x04\x00\x02"
        t.join(5)
    assert result["s"].data == b"a" * 512 + b"b" * 10


def test_client_refuses_a_short_file_announced_longer():
    with raw_socket() as listen, raw_socket() as tid:
        result = {}

        def get():
            try:
                tftp_get("127.0.0.1", listen.getsockname()[1], "f", progress=lambda d, t: None, timeout=1)
            except TransferError as exc:
                result["e"] = str(exc)

        t = threading.Thread(target=get)
        t.start()
        req, client = listen.recvfrom(600)
        assert decode(req) == ReadRequest(filename="f", options={"tsize": 0})
        tid.sendto(b"\x00\x06tsize\x001000\x00", client)
        assert tid.recvfrom(100)[0] == b"\x00\x04\x00\x00"
        tid.sendto(b"\x00\x03\x00\x01" + b"x" * 10, client)
        t.join(5)
    assert result["e"] == "TFTP error 0 (NOT_DEFINED): short file: 10 bytes received, the server announced 1000 (tsize)"


def test_trace_lists_the_packets_of_a_live_transfer(server):
    stats = tftp_get(*server.address, "exact.bin", trace=True)
    assert [(e.what, e.packet) for e in stats.log] == [
        ("sent", "RRQ 'exact.bin' octet"),
        ("received", "DATA block=1 (512 bytes)"),
        ("sent", "ACK block=1"),
        ("received", "DATA block=2 (512 bytes)"),
        ("sent", "ACK block=2"),
        ("received", "DATA block=3 (0 bytes)"),
        ("sent", "ACK block=3"),
    ]
    assert all(0 <= e.time < 5 for e in stats.log)
    up = tftp_put(*server.address, b"abc", "traced.bin", trace=True)
    assert [e.packet for e in up.log] == ["WRQ 'traced.bin' octet", "ACK block=0", "DATA block=1 (3 bytes)", "ACK block=1"]


def test_an_error_packet_is_not_answered(server):
    with raw_socket() as s:
        s.settimeout(0.3)
        s.sendto(encode(Error(code=0, message="hello?")), server.address)
        with pytest.raises(socket.timeout):
            s.recvfrom(100)
    assert tftp_get(*server.address, "small.txt").data == b"hello, tftp\n"
