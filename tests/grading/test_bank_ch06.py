"""Bank ch06 (TFTP): right answers get full marks; wrong ones, errors and hangs get 0 with a message.

The learner functions below are written the way a learner would, with plain
``socket`` and ``struct``. Socket checks start netedu's TFTP server (and, for
06.4, a lossy relay) on loopback; each call runs in a child with a time limit.
"""

from __future__ import annotations

import socket
import struct
import time

import pytest

from netedu.grading.bank import ch06
from netedu.grading.registry import lookup


@pytest.fixture(autouse=True)
def short_limits(monkeypatch):
    # Right answers need well under a second per call; keep hangs cheap in tests.
    monkeypatch.setattr(ch06, "CALL_LIMIT", 1.5)
    monkeypatch.setattr(ch06, "LOSSY_LIMIT", 8.0)


def score(exercise_id, answer):
    outcomes = lookup(exercise_id).run(answer)
    return sum(o.points for o in outcomes), lookup(exercise_id).max_score, outcomes


def failed(outcomes):
    return [o for o in outcomes if not o.passed]


# ---------------------------------------------------------------- learner-style answers
def make_rrq(filename, mode):
    name = filename.encode("ascii")
    m = mode.encode("ascii")
    return struct.pack(f"!H{len(name)}sx{len(m)}sx", 1, name, m)


def make_rrq_utf8(filename, mode):
    return struct.pack("!H", 1) + filename.encode() + b"\0" + mode.encode() + b"\0"


def make_rrq_fixed_8(filename, mode):  # the notes' format
    return struct.pack("!H8sb5sb", 1, filename.encode(), 0, mode.encode(), 0)


def make_rrq_latin1(filename, mode):
    return struct.pack("!H", 1) + filename.encode("latin-1") + b"\0" + mode.encode() + b"\0"


def make_rrq_str(filename, mode):  # Python 2 habits
    return "\x00\x01" + filename + "\x00" + mode + "\x00"


def make_rrq_little_endian(filename, mode):
    return struct.pack("<H", 1) + filename.encode() + b"\0" + mode.encode() + b"\0"


def make_rrq_no_nul(filename, mode):
    return struct.pack("!H", 1) + filename.encode() + mode.encode()


def parse(packet):
    opcode, number = struct.unpack("!HH", packet[:4])
    if opcode == 3:
        return (opcode, number, packet[4:])
    end = packet.index(b"\0", 4)
    return (opcode, number, packet[4:end].decode())


def parse_bytes_message(packet):
    opcode, number = struct.unpack("!HH", packet[:4])
    return (opcode, number, packet[4:] if opcode == 3 else packet[4:-1])


def parse_keeps_nul(packet):
    opcode, number = struct.unpack("!HH", packet[:4])
    return (opcode, number, packet[4:] if opcode == 3 else packet[4:].decode())


def parse_splits_on_nul(packet):
    opcode, number = struct.unpack("!HH", packet[:4])
    payload = packet[4:].split(b"\0")[0]
    return (opcode, number, payload if opcode == 3 else payload.decode())


def _download(server_address, filename, *, to_tid=True, keep_duplicates=False, resend=False,
              stop_on_full=False, errors=True, timeout=0.3):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        last, dest = make_rrq(filename, "octet"), server_address
        sock.sendto(last, dest)
        chunks, expected, tid, tries = [], 1, None, 0
        while True:
            try:
                packet, peer = sock.recvfrom(65536)
            except socket.timeout:
                tries += 1
                if not resend or tries > 25:
                    raise TimeoutError("timed out") from None
                sock.sendto(last, dest)
                continue
            tid = tid or peer
            if peer != tid:
                continue
            tries = 0
            opcode, number = struct.unpack("!HH", packet[:4])
            if opcode == 5:
                if errors:
                    raise FileNotFoundError(packet[4:-1].decode())
                return b""
            if number == expected or keep_duplicates:
                chunks.append(packet[4:])
                expected = (number + 1) % 65536
            last, dest = struct.pack("!HH", 4, number), (tid if to_tid else server_address)
            sock.sendto(last, dest)
            if (stop_on_full and len(packet) <= 516) or len(packet) < 516:
                return b"".join(chunks)


def download(server_address, filename):
    return _download(server_address, filename)


def robust_download(server_address, filename):
    return _download(server_address, filename, resend=True)


def download_acks_to_listen_port(server_address, filename):
    return _download(server_address, filename, to_tid=False)


def download_returns_on_error(server_address, filename):
    return _download(server_address, filename, errors=False)


def download_stops_after_first(server_address, filename):
    return _download(server_address, filename, stop_on_full=True)


def robust_download_keeps_duplicates(server_address, filename):
    return _download(server_address, filename, resend=True, keep_duplicates=True)


def download_blocks_forever(server_address, filename):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:  # no timeout: the classic hang
        sock.bind(("127.0.0.1", 0))  # waits for an answer to a request it never sent
        return sock.recvfrom(65536)[0]


def spin(*args):
    while True:
        pass


def upload(server_address, filename, data):
    name = filename.encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        sock.sendto(struct.pack("!H", 2) + name + b"\0octet\0", server_address)
        block, tid = 0, None
        while True:
            packet, peer = sock.recvfrom(65536)
            tid = tid or peer
            opcode, number = struct.unpack("!HH", packet[:4])
            if opcode == 5:
                raise PermissionError(packet[4:-1].decode())
            if opcode != 4 or number != block:
                continue
            chunk_len = len(data) - (block - 1) * 512 if block else 512
            if block and chunk_len < 512:
                return None
            block += 1
            sock.sendto(struct.pack("!HH", 3, block) + data[(block - 1) * 512:block * 512], tid)


def upload_without_final_empty_block(server_address, filename, data):
    name = filename.encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        sock.sendto(struct.pack("!H", 2) + name + b"\0octet\0", server_address)
        packet, tid = sock.recvfrom(65536)
        if struct.unpack("!H", packet[:2])[0] == 5:
            raise PermissionError(packet[4:-1].decode())
        chunks = [data[i:i + 512] for i in range(0, len(data), 512)] or [b""]
        for block, chunk in enumerate(chunks, 1):
            sock.sendto(struct.pack("!HH", 3, block) + chunk, tid)
            sock.recvfrom(65536)
        return None


# ---------------------------------------------------------------- 06.1
@pytest.mark.parametrize("answer", [make_rrq, make_rrq_utf8], ids=["ascii-refuses", "utf8"])
def test_rrq_right_answers_get_full_marks(answer):
    got, best, outcomes = score("06.1", answer)
    assert got == best == 6, failed(outcomes)


def test_rrq_fixed_format_fails_other_lengths():
    got, _, outcomes = score("06.1", make_rrq_fixed_8)
    bad = {o.name for o in failed(outcomes)}
    assert "make_rrq('test.jpg', 'octet')" not in bad  # 8 bytes: the notes' format is right for it
    assert "make_rrq('hello.txt', 'octet')" in bad
    o = next(o for o in outcomes if o.name == "make_rrq('hello.txt', 'octet')")
    assert o.message == ("make_rrq('hello.txt', 'octet'): expected b'\\x00\\x01hello.txt\\x00octet\\x00', "
                         "got b'\\x00\\x01hello.tx\\x00octet\\x00'")
    assert o.hint.startswith("build the format from len(name)")
    short = next(o for o in outcomes if o.name == "make_rrq('x', 'octet')")
    assert short.hint.startswith("build the format from len(name)")
    assert got < 6


@pytest.mark.parametrize(
    "answer, points",
    [(make_rrq_latin1, 5), (make_rrq_str, 0), (make_rrq_little_endian, 0), (make_rrq_no_nul, 0)],
    ids=["latin1", "str", "little-endian", "no-nul"],
)
def test_rrq_wrong_answers(answer, points):
    got, _, outcomes = score("06.1", answer)
    assert got == points
    assert all(o.message for o in failed(outcomes))


def test_rrq_messages_for_str_latin1_and_hang(monkeypatch):
    _, _, outcomes = score("06.1", make_rrq_str)
    assert outcomes[0].message.startswith("make_rrq('test.jpg', 'octet'): expected bytes, but your function returned a str")
    _, _, outcomes = score("06.1", make_rrq_latin1)
    (o,) = failed(outcomes)
    assert o.message.startswith("make_rrq('café.txt', 'octet') (not ASCII): expected the UTF-8 request")
    assert "UnicodeEncodeError" in o.hint
    monkeypatch.setattr(ch06, "CALL_LIMIT", 0.3)
    got, _, outcomes = score("06.1", spin)
    assert got == 0 and "did not return in time" in outcomes[0].message


def test_rrq_not_a_function():
    (o,) = lookup("06.1").run(b"\x00\x01")
    assert (o.points, o.message) == (0, "expected a function make_rrq(filename, mode), got a bytes")


# ---------------------------------------------------------------- 06.2
def test_parse_right_answer():
    got, best, outcomes = score("06.2", parse)
    assert got == best == 8, failed(outcomes)


@pytest.mark.parametrize(
    "answer, points, hint",
    [
        (parse_bytes_message, 5, "an ERROR's message is text: decode the bytes before the final 0 byte"),
        (parse_keeps_nul, 5, "the message runs from byte 4 to the 0 byte that ends it (not included)"),
        (parse_splits_on_nul, 6, "a DATA packet's payload is everything after byte 4, even 0 bytes, as bytes"),
    ],
)
def test_parse_wrong_answers(answer, points, hint):
    got, _, outcomes = score("06.2", answer)
    assert got == points
    assert {o.hint for o in failed(outcomes)} == {hint}


def test_parse_error_and_hang(monkeypatch):
    got, _, outcomes = score("06.2", lambda packet: struct.unpack("!HHH", packet))
    assert got == 0
    assert outcomes[0].message.startswith("DATA block 1, 5 bytes: expected (3, 1, b'hello'), but your function raised error")
    monkeypatch.setattr(ch06, "CALL_LIMIT", 0.3)
    started = time.monotonic()
    got, _, outcomes = score("06.2", spin)
    assert got == 0 and "did not return in time" in outcomes[-1].message
    assert time.monotonic() - started < 8 * 0.3 + 3


# ---------------------------------------------------------------- 06.3
def test_download_right_answer():
    got, best, outcomes = score("06.3", download)
    assert got == best == 5, failed(outcomes)


def test_download_acks_to_the_listen_port_fail():
    got, _, outcomes = score("06.3", download_acks_to_listen_port)
    bad = {o.name: o for o in failed(outcomes)}
    # a one-block file needs no ACK to arrive; the others stall
    assert set(bad) == {"three-blocks.bin (1300 bytes)", "exact-1024.bin (1024 bytes)"}
    o = bad["three-blocks.bin (1300 bytes)"]
    assert o.message == "three-blocks.bin (1300 bytes): expected the file's 1300 bytes, but your function raised TimeoutError: timed out"
    assert o.hint == "send each ACK to the address the DATA came from (the server's new port), not to the first address"
    assert got == 3


def test_download_stopping_early_and_ignoring_errors():
    got, _, outcomes = score("06.3", download_stops_after_first)
    bad = {o.name: o for o in failed(outcomes)}
    assert set(bad) == {"three-blocks.bin (1300 bytes)", "exact-1024.bin (1024 bytes)"}
    assert bad["exact-1024.bin (1024 bytes)"].message == "exact-1024.bin (1024 bytes): expected 1024 bytes, got 512 bytes"
    assert "multiple of 512" in bad["exact-1024.bin (1024 bytes)"].hint
    got, _, outcomes = score("06.3", download_returns_on_error)
    (o,) = failed(outcomes)
    assert o.message == ("missing.txt (no such file): expected an exception (the server answers ERROR 1), "
                         "but your function returned b''")
    assert got == 4


def test_download_that_hangs_costs_only_the_limit(monkeypatch):
    monkeypatch.setattr(ch06, "CALL_LIMIT", 0.5)
    started = time.monotonic()
    got, _, outcomes = score("06.3", download_blocks_forever)
    elapsed = time.monotonic() - started
    assert got == 0
    assert "did not return in time (an endless loop, or a socket without a timeout?)" in outcomes[0].message
    assert elapsed < 5 * 0.5 + 3


def test_download_not_a_function():
    (o,) = lookup("06.3").run(None)
    assert o.message == "expected a function download(server_address, filename), got a NoneType"


# ---------------------------------------------------------------- 06.4
def test_robust_download_right_answer():
    got, best, outcomes = score("06.4", robust_download)
    assert got == best == 3, failed(outcomes)


def test_robust_download_needs_resending_and_no_duplicates():
    got, _, outcomes = score("06.4", download)  # never resends: the lost RRQ stalls it
    first = outcomes[0]
    assert not first.passed and first.name == "lossy-small.txt (49 bytes)"
    assert first.hint.startswith("on a time-out, resend your last packet")
    got2, _, outcomes2 = score("06.4", robust_download_keeps_duplicates)
    assert got2 < 3
    assert any("arrived twice" in o.hint for o in failed(outcomes2))


# ---------------------------------------------------------------- 06.5
def test_upload_right_answer():
    got, best, outcomes = score("06.5", upload)
    assert got == best == 4, failed(outcomes)


def test_upload_without_the_final_empty_block():
    got, _, outcomes = score("06.5", upload_without_final_empty_block)
    bad = {o.name: o for o in failed(outcomes)}
    assert "up-exact-1024.bin (1024 bytes)" in bad
    assert "a last DATA of 0 bytes" in bad["up-exact-1024.bin (1024 bytes)"].hint
    assert got < 4


def test_upload_spin_scores_zero(monkeypatch):
    monkeypatch.setattr(ch06, "CALL_LIMIT", 0.3)
    got, _, outcomes = score("06.5", spin)
    assert got == 0
    assert all(o.message for o in outcomes)


def always_raises(*args):
    raise RuntimeError("TFTP error 1: File not found")


def not_implemented(*args):
    raise NotImplementedError("Exercise: write your code here")


@pytest.mark.parametrize("exercise_id", ["06.1", "06.2", "06.3", "06.4", "06.5"])
@pytest.mark.parametrize("answer", [always_raises, not_implemented], ids=["raises", "not-implemented"])
def test_a_function_that_only_raises_scores_zero(exercise_id, answer):
    got, _, outcomes = score(exercise_id, answer)
    assert got == 0
    assert all(o.message for o in outcomes)
    if exercise_id == "06.3":
        assert outcomes[-1].message == ("missing.txt (no such file): raising is right here, but your function raises "
                                        "for every file: this case counts once a download works")
