"""Chapter 04 exercises (UDP), checked against netedu's own peers on loopback.

* ``04.1`` ``ask(server, message) -> bytes | None``: send one datagram, return the
  reply, or None when none comes within a second;
* ``04.2`` ``serve(sock, n) -> int``: an echo server that answers ``n`` datagrams on
  the socket it is given and returns how many it answered;
* ``04.3`` ``reassemble(sock, n) -> bytes``: receive ``n`` numbered datagrams
  (``b"<seq>:<data>"``) that arrive out of order and join their data in order.

Each check starts its peer in this process (an echo server, a client thread,
a reordering sender), then calls the learner's function in a child process
with a time limit (:func:`~netedu.grading.registry.run_limited`): a socket
without a timeout or an endless loop costs that limit and a message.

>>> from netedu.grading.registry import lookup
>>> lookup("04.1").run("ask")[0].message
'expected a function ask(server, message), got a str'
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

from netedu.grading.bank._support import function_exercise_runner, problem_outcome
from netedu.grading.registry import Outcome, run_limited
from netedu.io.servers import LOOPBACK
from netedu.io.udp import UdpEchoServer, UdpSink, lossy_sendto, numbered, udp_socket

__all__ = ["ASK_LIMIT", "SERVE_CASES", "REASSEMBLE_CASES", "reference_reassemble"]

ASK_LIMIT = 4.0  # seconds a learner's call may take (the silent-server case needs about 1)
PREFIX = b"echo: "

SERVE_CASES = [
    ("3 datagrams", [b"one", b"two", b"three"]),
    ("1 datagram", [b"only"]),
    ("5 datagrams, some in gb2312", [b"a", "你好".encode("gb2312"), b"", b"x" * 1000, b"end"]),
]

REASSEMBLE_CASES = [
    ("5 words, shuffled", [b"UDP ", b"keeps ", b"no ", b"order ", b"itself"], 1),
    ("12 pieces, shuffled", [b"%02d|" % i for i in range(12)], 7),
    ("1 piece", [b"alone"], 0),
]


def reference_reassemble(datagrams: list[bytes]) -> bytes:
    """Join numbered datagrams by their sequence number.

    >>> reference_reassemble([b"1:lo", b"0:hel"])
    b'hello'
    """
    parts = {}
    for d in datagrams:
        head, _, data = d.partition(b":")
        parts[int(head)] = data
    return b"".join(parts[i] for i in sorted(parts))


@function_exercise_runner("04.1", "Send a datagram and return the reply (with a timeout)",
                          signature="ask(server, message)", max_score=3)
def _ask(answer: Any) -> Iterator[Outcome]:
    for message in (b"hello", "你好".encode("gb2312")):
        name = f"ask(echo server, {message!r})"
        with UdpEchoServer(prefix=PREFIX) as echo:
            got = run_limited(answer, echo.address, message, timeout=ASK_LIMIT)
            arrived = echo.wait_for(1, timeout=0.2)
        want = PREFIX + message
        if not got.ok:
            msg = f"{name} {got.describe()}"
            hint = "sendto(message, server), then recvfrom(1024) on the same socket"
        elif arrived == 0:
            msg, hint = f"{name}: the server received nothing", "send to the address you are given"
        elif got.value != want:
            msg = f"{name}: expected the server's reply {want!r}, got {got.value!r}"
            hint = "return the bytes you received, not the message you sent"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)
    name = "ask(a server that never answers, b'anyone?')"
    with UdpSink() as sink:
        got = run_limited(answer, sink.address, b"anyone?", timeout=ASK_LIMIT)
    if got.timed_out:
        msg = f"{name} {got.describe()}"
        hint = "sock.settimeout(1) before recvfrom, and catch socket.timeout (TimeoutError)"
    elif not got.ok:
        msg, hint = f"{name} {got.describe()}", "catch the time-out (socket.timeout) and return None"
    elif got.value is not None:
        msg, hint = f"{name}: expected None, got {got.value!r}", "no reply within a second: return None"
    else:
        msg = hint = ""
    yield problem_outcome(name, msg, hint)


def _client(server: tuple[str, int], messages: list[bytes], replies: list[Any]) -> None:
    with udp_socket(timeout=1.5) as c:
        for m in messages:
            c.sendto(m, server)
            try:
                data, src = c.recvfrom(65_535)
            except socket.timeout:
                replies.append(None)
                return
            replies.append((data, src[:2]))


@function_exercise_runner("04.2", "An echo server that answers n datagrams",
                          signature="serve(sock, n)", max_score=len(SERVE_CASES))
def _serve(answer: Any) -> Iterator[Outcome]:
    for label, messages in SERVE_CASES:
        name = f"serve(sock, {len(messages)}): {label}"
        replies: list[Any] = []
        with udp_socket(bind=(LOOPBACK, 0)) as sock:
            addr = sock.getsockname()
            client = threading.Thread(target=_client, args=(addr, messages, replies), daemon=True)
            client.start()
            got = run_limited(answer, sock, len(messages), timeout=2.0 + 0.5 * len(messages))
            client.join(3)
        if not got.ok:
            msg, hint = f"{name} {got.describe()}", "loop n times: recvfrom(65535), then sendto(data, addr)"
            if got.timed_out or (got.error or "").startswith(("TimeoutError", "timeout")):
                hint = "stop after n datagrams: a further recvfrom waits for a datagram that never comes"
        elif len(replies) < len(messages) or None in replies:
            msg = f"{name}: the client got {len([r for r in replies if r])} of {len(messages)} replies"
            hint = "answer each datagram, and stop after n"
        elif any(r[0] != m for r, m in zip(replies, messages)):
            i = next(i for i, (r, m) in enumerate(zip(replies, messages)) if r[0] != m)
            msg = f"{name}: datagram {i + 1} was {messages[i]!r}, the reply was {replies[i][0]!r}"
            hint = "send back exactly the bytes you received (recvfrom(65535) for big ones)"
        elif any(r[1] != addr for r in replies):
            msg = f"{name}: replies came from another port, not from the socket the client sent to"
            hint = "reply with sock.sendto on the socket you were given"
        elif got.value != len(messages):
            msg = f"{name}: echoed all, but returned {got.value!r} instead of the count {len(messages)}"
            hint = "count the datagrams you answered, like the notes' num"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)


@function_exercise_runner("04.3", "Reassemble numbered datagrams that arrive out of order",
                          signature="reassemble(sock, n)", max_score=len(REASSEMBLE_CASES))
def _reassemble(answer: Any) -> Iterator[Outcome]:
    for label, pieces, seed in REASSEMBLE_CASES:
        name = f"reassemble(sock, {len(pieces)}): {label}"
        datagrams = [numbered(i, p) for i, p in enumerate(pieces)]
        with udp_socket(bind=(LOOPBACK, 0)) as sock, udp_socket() as sender:
            order = lossy_sendto(sender, datagrams, sock.getsockname(), reorder=True, seed=seed)
            got = run_limited(answer, sock, len(pieces), timeout=3.0)
        want = b"".join(pieces)
        if not got.ok:
            msg = f"{name} {got.describe()}"
            hint = "receive exactly n datagrams, split each at the first b':'"
        elif got.value != want:
            arrived = ", ".join(str(i) for i in order)
            msg = f"{name}: datagrams arrived in the order {arrived}; expected {want!r}, got {got.value!r}"
            hint = "keep a dict {seq: data}, then join the data sorted by seq (int, not bytes)"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)
