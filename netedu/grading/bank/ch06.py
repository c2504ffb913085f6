"""Chapter 06 exercises (TFTP): packets with ``struct``, then downloaders over UDP.

* ``06.1`` ``make_rrq(filename, mode) -> bytes``: a read request built with ``struct``.
* ``06.2`` ``parse(packet) -> (opcode, block_or_code, payload_or_message)`` for DATA and ERROR.
* ``06.3`` ``download(server_address, filename) -> bytes`` from netedu's TFTP server on
  loopback: short and empty files, a size that is a multiple of 512, a missing file.
* ``06.4`` ``robust_download(server_address, filename) -> bytes`` through a relay that
  drops datagrams both ways.
* ``06.5`` (stretch) ``upload(server_address, filename, data) -> None``.

Each check calls the learner's function in a child process with a time limit
(:func:`~netedu.grading.registry.run_limited`), so a socket without a timeout
costs only the limit. The reference server runs in the parent, in a ``with``.

>>> from netedu.grading.registry import lookup
>>> [o.passed for o in lookup("06.1").run(lambda name, mode: b"")][:2]
[False, False]
>>> lookup("06.2").run("parse")[0].message
'expected a function parse(packet), got a str'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from netedu.grading.bank._support import case_outcome, function_exercise_runner
from netedu.grading.registry import CallResult, Outcome, run_limited

__all__ = ["FILES", "pattern", "expected_parse"]

CALL_LIMIT = 3.0  # seconds for one call on a clean link
LOSSY_LIMIT = 12.0  # seconds for one call through the lossy relay
DROP = 0.2  # fraction of datagrams the relay drops, each way
DUPLICATE = 0.1  # fraction of the others that it delivers twice


def pattern(size: int, salt: int = 0) -> bytes:
    """Bytes that differ from block to block, so a repeated or missing block shows.

    >>> pattern(6)
    b'\\x00\\x07\\x0e\\x15\\x1c#'
    >>> pattern(1024)[:512] == pattern(1024)[512:]
    False
    >>> pattern(-1)
    Traceback (most recent call last):
    ...
    ValueError: size must be 0 or more, got -1
    """
    if size < 0:
        raise ValueError(f"size must be 0 or more, got {size}")
    return bytes((i * 7 + i // 512 * 13 + salt) % 251 for i in range(size))


#: The files the download checks serve: name -> contents.
FILES: dict[str, bytes] = {
    "hello.txt": b"Hello from netedu's TFTP server!\n",
    "three-blocks.bin": pattern(1300, 1),
    "exact-1024.bin": pattern(1024, 2),
    "empty.txt": b"",
}


def _call_catching(fn: Callable[..., Any], *args: Any) -> tuple:
    """Run in the child: ``("value", v)`` or ``("raised", type name, is a ValueError, message)``."""
    try:
        return ("value", fn(*args))
    except Exception as exc:  # noqa: BLE001 - reported to the learner
        text = str(exc).strip().splitlines()
        return ("raised", type(exc).__name__, isinstance(exc, ValueError), text[0][:200] if text else "")


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compare_bytes(got: Any, want: bytes) -> str:
    """'' when equal, else what differs (sizes, the first differing byte)."""
    if not isinstance(got, (bytes, bytearray)):
        return f"expected bytes, but your function returned a {type(got).__name__}: {_short(got)}"
    got = bytes(got)
    if got == want:
        return ""
    if len(got) != len(want):
        return f"expected {len(want)} bytes, got {len(got)} bytes"
    first = next(i for i in range(len(want)) if got[i] != want[i])
    return f"expected {len(want)} bytes, got {len(got)} bytes that differ from byte {first} on"


# ---------------------------------------------------------------- 06.1
_RRQ_CASES = [
    ("test.jpg", "octet"),
    ("hello.txt", "octet"),
    ("a.txt", "netascii"),
    ("firmware/switch-v2.3.bin", "octet"),
    ("x", "octet"),
]


def _rrq_bytes(filename: str, mode: str) -> bytes:
    from netedu.codecs import tftp

    return tftp.encode(tftp.ReadRequest(filename=filename, mode=mode))


@function_exercise_runner("06.1", "Build a read request (RRQ) with struct",
                          signature="make_rrq(filename, mode)",
                          max_score=len(_RRQ_CASES) + 1, explain_placeholder=False)
def _ex_rrq(answer: Any) -> Iterator[Outcome]:
    for filename, mode in _RRQ_CASES:
        want = _rrq_bytes(filename, mode)
        name = f"make_rrq({filename!r}, {mode!r})"
        got = run_limited(answer, filename, mode, timeout=CALL_LIMIT)
        if not got.ok:
            yield case_outcome(name, False, f"{name}: expected {want!r}, but your function {got.describe()}",
                               "struct's 's' takes bytes: use filename.encode()")
            continue
        if isinstance(got.value, str):
            yield case_outcome(name, False,
                               f"{name}: expected bytes, but your function returned a str {_short(got.value)}",
                               "struct.pack returns bytes; do not decode the packet")
            continue
        ok = isinstance(got.value, (bytes, bytearray)) and bytes(got.value) == want
        hint = ""
        if not ok and isinstance(got.value, (bytes, bytearray)) and len(got.value) != len(want):
            hint = "build the format from len(name), e.g. f'!H{len(name)}sx{len(mode)}sx'; a fixed '8s' fits only 8-byte names"
        elif not ok:
            hint = "opcode 1 as 2 big-endian bytes ('!H'), the name, a 0 byte, the mode, a 0 byte"
        yield case_outcome(name, ok, f"{name}: expected {want!r}, got {_short(got.value, 80)}", hint)
    # Non-ASCII: RFC 1350 says netascii, so refusing is right; netedu (like most servers) sends UTF-8.
    name = "make_rrq('café.txt', 'octet') (not ASCII)"
    want = _rrq_bytes("café.txt", "octet")
    got = run_limited(_call_catching, answer, "café.txt", "octet", timeout=CALL_LIMIT)
    if got.ok and got.value[0] == "value":
        ok = isinstance(got.value[1], (bytes, bytearray)) and bytes(got.value[1]) == want
        yield case_outcome(name, ok, f"{name}: expected the UTF-8 request {want!r} or a ValueError, "
                                     f"got {_short(got.value[1], 80)}",
                           "'é'.encode() gives UTF-8 (2 bytes); 'é'.encode('ascii') raises UnicodeEncodeError, "
                           "a ValueError")
    elif got.ok:
        _, kind, is_value_error, text = got.value
        yield case_outcome(name, is_value_error,
                           f"{name}: expected the UTF-8 request or a ValueError (such as UnicodeEncodeError), "
                           f"but your function raised {kind}: {text}")
    else:
        yield case_outcome(name, False, f"{name}: your function {got.describe()}")


# ---------------------------------------------------------------- 06.2
def expected_parse(packet: bytes) -> tuple:
    """What ``parse(packet)`` should return, from netedu's codec.

    >>> expected_parse(b"\\x00\\x03\\x00\\x02abc")
    (3, 2, b'abc')
    >>> expected_parse(b"\\x00\\x05\\x00\\x01nope\\x00")
    (5, 1, 'nope')
    >>> expected_parse(b"\\x00\\x04\\x00\\x01")
    Traceback (most recent call last):
    ...
    ValueError: expected a DATA or ERROR packet, got ACK block=1
    """
    from netedu.codecs import tftp

    msg = tftp.decode(packet)
    if isinstance(msg, tftp.Data):
        return (3, msg.block, msg.data)
    if isinstance(msg, tftp.Error):
        return (5, int(msg.code), msg.message)
    raise ValueError(f"expected a DATA or ERROR packet, got {tftp.describe_message(msg)}")


def _parse_cases() -> list[tuple[str, bytes]]:
    from netedu.codecs import tftp

    e = tftp.encode
    return [
        ("DATA block 1, 5 bytes", e(tftp.Data(block=1, data=b"hello"))),
        ("DATA block 2, 512 bytes", e(tftp.Data(block=2, data=pattern(512, 3)))),
        ("DATA block 65535", e(tftp.Data(block=65535, data=b"last before wrap"))),
        ("DATA with 0 bytes (the end)", e(tftp.Data(block=7, data=b""))),
        ("DATA whose bytes contain NUL", e(tftp.Data(block=3, data=b"\x00\x01\x00\x00"))),
        ("ERROR 1 File not found", e(tftp.Error(code=1, message="File not found"))),
        ("ERROR 0 with a custom message", e(tftp.Error(code=0, message="disk on fire"))),
        ("ERROR 2 with an empty message", e(tftp.Error(code=2, message=""))),
    ]


@function_exercise_runner("06.2", "Parse a DATA or ERROR packet",
                          signature="parse(packet)",
                          max_score=8, explain_placeholder=False)
def _ex_parse(answer: Any) -> Iterator[Outcome]:
    for name, packet in _parse_cases():
        want = expected_parse(packet)
        got = run_limited(answer, packet, timeout=CALL_LIMIT)
        if not got.ok:
            yield case_outcome(name, False, f"{name}: expected {_short(want)}, but your function {got.describe()}",
                               "struct.unpack('!HH', packet[:4]) gives the opcode and the block number or error code")
            continue
        value = got.value
        ok = isinstance(value, (tuple, list)) and len(value) == 3 and tuple(value) == want \
            and type(value[2]) is type(want[2])
        hint = ""
        if not ok:
            if want[0] == 5 and isinstance(value, (tuple, list)) and len(value) == 3 and isinstance(value[2], bytes):
                hint = "an ERROR's message is text: decode the bytes before the final 0 byte"
            elif want[0] == 5:
                hint = "the message runs from byte 4 to the 0 byte that ends it (not included)"
            else:
                hint = "a DATA packet's payload is everything after byte 4, even 0 bytes, as bytes"
        yield case_outcome(name, ok, f"{name}: expected {_short(want)}, got {_short(value)}", hint)


# ---------------------------------------------------------------- servers
@contextlib.contextmanager
def _serving(files: dict[str, bytes], **options: Any) -> Iterator[Any]:
    """netedu's TFTP server on loopback serving ``files`` from a temporary folder."""
    from netedu.io.tftp import TftpServer

    with tempfile.TemporaryDirectory(prefix="netedu-06-") as folder:
        for name, content in files.items():
            Path(folder, name).write_bytes(content)
        with TftpServer(folder, **options) as server:
            yield server, Path(folder)


def _download_outcome(answer: Any, address: tuple[str, int], filename: str, content: bytes, limit: float,
                      robust: bool) -> Outcome:
    size = len(content)
    name = f"{filename} ({size} bytes)"
    got = run_limited(answer, address, filename, timeout=limit)
    if not got.ok:
        return case_outcome(name, False,
                            f"{name}: expected the file's {size} bytes, but your function {got.describe()}",
                            _download_hint(size, robust, got.error or "", None))
    problem = _compare_bytes(got.value, content)
    return case_outcome(name, not problem, f"{name}: {problem}", _download_hint(size, robust, "", got.value))


def _download_hint(size: int, robust: bool, error: str, value: Any) -> str:
    waited = "timed out" in error or "Timeout" in error or "timeout" in error
    if robust and isinstance(value, (bytes, bytearray)) and len(value) > size:
        return "a block arrived twice: keep a DATA block only if its number is the one you expect (but ACK it anyway)"
    if waited and robust:
        return ("on a time-out, resend your last packet (the RRQ, or your last ACK) instead of giving up; "
                "give up only after many tries")
    if waited or (isinstance(value, (bytes, bytearray)) and len(value) < size):
        if size == 0 or size % 512 == 0:
            return ("when the size is a multiple of 512 (or 0) the server ends with a DATA packet of 0 bytes: "
                    "keep reading until a DATA packet is shorter than 516 bytes")
        return "send each ACK to the address the DATA came from (the server's new port), not to the first address"
    return "collect the bytes after the 4-byte header of each DATA block, in order"


@function_exercise_runner("06.3", "Download a file from netedu's TFTP server",
                          signature="download(server_address, filename)",
                          max_score=len(FILES) + 1, explain_placeholder=False)
def _ex_download(answer: Any) -> Iterator[Outcome]:
    with _serving(FILES) as (server, _):
        outcomes = [_download_outcome(answer, server.address, filename, content, CALL_LIMIT, robust=False)
                    for filename, content in FILES.items()]
        yield from outcomes
        yield _missing_outcome(answer, server.address, any(o.passed for o in outcomes))


_ONCE_IT_WORKS = ("raising is right here, but your function raises for every file: "
                  "this case counts once a download works")


def _missing_outcome(answer: Any, address: tuple[str, int], works: bool) -> Outcome:
    name = "missing.txt (no such file)"
    got = run_limited(_call_catching, answer, address, "missing.txt", timeout=CALL_LIMIT)
    return _refusal_outcome(name, got, error_code=1, works=works, waiting_is_wrong=True)


def _refusal_outcome(name: str, got: CallResult, *, error_code: int, works: bool, waiting_is_wrong: bool,
                     transfer: str = "a download") -> Outcome:
    """Judge a call (run through :func:`_call_catching`) that should raise on the server's ERROR ``error_code``.

    Raising counts only once ``works`` (a transfer of the same exercise passed); with
    ``waiting_is_wrong`` a time-out raised after waiting does not count either.
    """
    hint = "on an ERROR packet (opcode 5), raise an exception with the server's message"
    if not got.ok:
        return case_outcome(name, False, f"{name}: expected an exception, but your function {got.describe()}", hint)
    if got.value[0] == "value":
        return case_outcome(name, False, f"{name}: expected an exception (the server answers ERROR {error_code}), "
                                         f"but your function returned {_short(got.value[1])}", hint)
    _, kind, _, text = got.value
    if waiting_is_wrong and (kind in ("TimeoutError", "timeout") or "timed out" in text):
        return case_outcome(name, False, f"{name}: your function raised {kind}: {text}, after waiting; "
                                         f"the server had answered at once with ERROR {error_code}", hint)
    if kind == "NotImplementedError" or not works:
        return case_outcome(name, False, f"{name}: {_ONCE_IT_WORKS.replace('a download', transfer)}", hint)
    return case_outcome(name, True)


# ---------------------------------------------------------------- 06.4
#: (file name, contents, seed of the link's random drops). With seed 1 the link drops the very
#: first datagram, the RRQ, so a downloader must resend it.
LOSSY_CASES: list[tuple[str, bytes, int]] = [
    ("lossy-small.txt", b"The request of this download is lost on the way.\n", 1),
    ("lossy-20-blocks.bin", pattern(20 * 512 + 100, 4), 6),
    ("lossy-exact-2048.bin", pattern(2048, 5), 7),
]


@contextlib.contextmanager
def _lossy(address: tuple[str, int], seed: int) -> Iterator[tuple[str, int]]:
    """A relay in front of ``address`` that drops DROP of the datagrams each way and duplicates some."""
    from netedu.io.lossy import LossyLink

    with LossyLink(address, loss=DROP, duplicate=DUPLICATE, seed=seed) as link:
        yield link.address


@function_exercise_runner("06.4", "Download through a link that loses packets",
                          signature="robust_download(server_address, filename)",
                          max_score=len(LOSSY_CASES), explain_placeholder=False)
def _ex_robust(answer: Any) -> Iterator[Outcome]:
    files = {name: content for name, content, _ in LOSSY_CASES}
    with _serving(files, timeout=0.2, retries=30) as (server, _):
        for filename, content, seed in LOSSY_CASES:
            with _lossy(server.address, seed) as relay:
                yield _download_outcome(answer, relay, filename, content, LOSSY_LIMIT, robust=True)


# ---------------------------------------------------------------- 06.5
UPLOADS: dict[str, bytes] = {
    "up-short.txt": b"uploaded by a learner\n",
    "up-exact-1024.bin": pattern(1024, 6),
    "up-three-blocks.bin": pattern(1300, 7),
}


@function_exercise_runner("06.5", "Upload a file (stretch)",
                          signature="upload(server_address, filename, data)",
                          max_score=len(UPLOADS) + 1, explain_placeholder=False)
def _ex_upload(answer: Any) -> Iterator[Outcome]:
    with _serving({"exists.txt": b"already here\n"}, allow_write=True) as (server, folder):
        works = False
        for filename, content in UPLOADS.items():
            name = f"{filename} ({len(content)} bytes)"
            got = run_limited(answer, server.address, filename, content, timeout=CALL_LIMIT)
            if not got.ok:
                yield case_outcome(name, False, f"{name}: your function {got.describe()}",
                                   "send WRQ, wait for ACK 0 from the server's new port, "
                                   "then DATA 1, 2, ... each ACKed")
                continue
            stored = _wait_for_file(folder / filename)
            problem = "the file was not stored on the server" if stored is None else _compare_bytes(stored, content)
            hint = ("end with a DATA shorter than 512 bytes: a file of 1024 bytes needs a last DATA of 0 bytes"
                    if len(content) % 512 == 0 else "wait for each block's ACK before sending the next")
            works = works or not problem
            yield case_outcome(name, not problem, f"{name}: on the server, {problem}", hint)
        name = "exists.txt (the server refuses to overwrite)"
        got = run_limited(_call_catching, answer, server.address, "exists.txt", b"new\n", timeout=CALL_LIMIT)
        yield _refusal_outcome(name, got, error_code=6, works=works, waiting_is_wrong=False, transfer="an upload")


def _wait_for_file(path: Path) -> bytes | None:
    """The stored file once the server has finished writing it (it renames into place)."""
    import time

    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if path.exists():
            try:
                return path.read_bytes()
            except OSError:
                pass
        time.sleep(0.02)
    return None if not os.path.exists(path) else path.read_bytes()
