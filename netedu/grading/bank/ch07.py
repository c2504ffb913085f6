"""Chapter 07 exercises: a sequential TCP echo server, length-prefixed framing, the byte stream.

The socket checks start netedu's own peers on loopback in the parent process
and run the learner's function in a child (:func:`run_limited`), so a
function that blocks or loops forever costs a few seconds and a message.

>>> from netedu.grading.registry import lookup
>>> [o.passed for o in lookup("07.4").run([b"helloworld", b""])]
[True]
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from netedu.grading.bank._support import case_outcome, function_exercise_runner, problem_outcome
from netedu.grading.registry import CallResult, Outcome, answer_digest, run_limited, value_exercise
from netedu.io import tcp

__all__: list[str] = []

_CLIENT_TIMEOUT = 2.0


def _preview(data: bytes | None, limit: int = 24) -> str:
    if data is None:
        return "None"
    if len(data) <= limit:
        return repr(data)
    return f"{len(data)} bytes starting {data[:limit]!r}"


def _drive_clients(address: tuple[str, int], batches: list[list[bytes]], results: list[tuple[bytes, bool, str]]) -> None:
    """Connect one client per batch, one after the other: send its pieces, half-close, read to the end."""
    for pieces in batches:
        got = bytearray()
        closed = False
        problem = ""
        try:
            with socket.create_connection(address, timeout=_CLIENT_TIMEOUT) as c:
                for piece in pieces:
                    c.sendall(piece)
                    time.sleep(0.01)
                c.shutdown(socket.SHUT_WR)
                while True:
                    data = c.recv(65536)
                    if not data:
                        closed = True
                        break
                    got += data
        except socket.timeout:
            problem = "timed out waiting for the server"
        except OSError:
            problem = "the server closed or reset the connection before the client had sent everything"
        results.append((bytes(got), closed, problem))


_ECHO_CASES = [
    ("one client", [[b"hello"]]),
    ("three clients, one after the other", [[b"first"], [b"sec", b"ond"], [b"x" * 30000, b"y" * 20000]]),
]


@function_exercise_runner("07.1", "A TCP echo server for several clients, one after the other",
                          signature="serve(listening_sock, n_clients)", max_score=4, explain_placeholder=False)
def _echo_server(answer: Any) -> Iterator[Outcome]:
    for name, batches in _ECHO_CASES:
        results: list[tuple[bytes, bool, str]] = []
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            listener.settimeout(3.0)
            driver = threading.Thread(target=_drive_clients, args=(listener.getsockname(), batches, results),
                                      daemon=True)
            driver.start()
            call = run_limited(answer, listener, len(batches), timeout=2.0 + 1.0 * len(batches))
        # the listener is closed now: clients still queued are reset at once instead of waiting
        driver.join(_CLIENT_TIMEOUT * 2 * len(batches) + 1)
        wrong = ""
        for i, pieces in enumerate(batches, 1):
            sent = b"".join(pieces)
            if i > len(results):
                wrong = f"client {i} of {len(batches)} never got its turn"
                break
            got, closed, problem = results[i - 1]
            if problem:
                wrong = f"client {i} of {len(batches)}: {problem} (got back {_preview(got)} of {_preview(sent)})"
                break
            if got != sent:
                wrong = f"client {i} of {len(batches)} sent {_preview(sent)} but got back {_preview(got)}"
                break
        yield problem_outcome(f"{name}: every byte echoed", wrong,
                              "loop on recv until it returns b'' (the client closed), send back with sendall, "
                              "then close the connected socket and accept the next")
        returned = call.ok
        msg = "" if returned else (f"serve(listener, {len(batches)}) {call.describe()}; it should return "
                                   f"after serving {len(batches)} client(s)")
        yield case_outcome(f"{name}: returns after the last client", returned, msg,
                           "use for _ in range(n_clients): around accept(), not while True")


def _framing_exchange(send: Callable[[socket.socket, bytes], None], recv: Callable[[socket.socket], Any],
                      address: tuple[str, int], messages: list[bytes]) -> list[Any]:
    """Run in the child: send the messages with ``send``, half-close, read the echoes with ``recv``."""
    with socket.create_connection(address, timeout=_CLIENT_TIMEOUT) as c:
        for m in messages:
            send(c, m)
        c.shutdown(socket.SHUT_WR)
        return [recv(c) for _ in range(len(messages) + 1)]


_FRAMING_CASES = [
    ("two short messages", [b"hello", b"world"]),
    ("an empty message and UTF-8", [b"", "你好".encode(), b"\x00\x01\x02"]),
    ("one message larger than a recv", [b"a" * 5, b"z" * 70000, b"end"]),
]


def _message_list(items: list[Any]) -> str:
    return "[" + ", ".join(_preview(x) if isinstance(x, (bytes, type(None))) else repr(x) for x in items) + "]"


def _exchange(send: Callable[[socket.socket, bytes], None], recv: Callable[[socket.socket], Any],
              messages: list[bytes]) -> tuple[CallResult, list[bytes]]:
    """Run :func:`_framing_exchange` in a child against a peer that splits and merges bytes.

    Returns the call's result and the messages the peer read from its last connection.
    """
    with tcp.ChunkyFramedEchoServer() as peer:
        call = run_limited(_framing_exchange, send, recv, peer.address, messages, timeout=3.0)
    return call, (peer.received[-1] if peer.received else [])  # read once the peer's thread has stopped


@function_exercise_runner("07.2", "send_msg: a 4-byte length, then the bytes",
                          signature="send_msg(sock, data)", max_score=3, explain_placeholder=False)
def _send_msg(answer: Any) -> Iterator[Outcome]:
    for name, messages in _FRAMING_CASES:
        call, received = _exchange(answer, tcp.recv_msg, messages)
        ok = call.ok and received == messages
        if ok:
            msg = ""
        elif not call.ok:
            msg = f"sending {_message_list(messages)}: your send_msg {call.describe()}"
        else:
            msg = (f"sending {_message_list(messages)}, a reader of 4-byte big-endian lengths "
                   f"got {_message_list(received)}")
        yield case_outcome(name, ok, msg, "struct.pack('!I', len(data)) + data, sent with sendall")


@function_exercise_runner("07.3", "recv_msg: whole messages from a peer that splits and merges bytes",
                          signature="recv_msg(sock)", max_score=3, explain_placeholder=False)
def _recv_msg(answer: Any) -> Iterator[Outcome]:
    for name, messages in _FRAMING_CASES:
        call, _ = _exchange(tcp.send_msg, answer, messages)
        want = [*messages, None]
        ok = call.ok and call.value == want
        if ok:
            msg = ""
        elif not call.ok:
            msg = f"receiving {_message_list(messages)} (in pieces of 1, 2, 3, 61 bytes): your recv_msg {call.describe()}"
        else:
            got = call.value if isinstance(call.value, list) else [call.value]
            msg = (f"receiving {_message_list(messages)} then the peer's close: expected {_message_list(want)}, "
                   f"got {_message_list(got)}")
        yield case_outcome(name, ok, msg, "loop on recv until you have 4 bytes, then until you have the whole "
                                          "message; return None if the very first recv returns b''")


def _validate_list(answer: Any) -> str | None:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(x, bytes) for x in answer):
        return f"expected a list of bytes objects like [b'...', b'...'], got {answer!r}"
    return None


value_exercise(
    "07.4", "What successive recv(4096) calls return",
    digest="4b3eb40ec2721d69b323f6bd60f57c366dc73c8ffdd592c6c78f82ac1bebeeec",
    normalize=list, validate=_validate_list,
    hint="TCP keeps the order of the bytes, not the boundaries of the sends; "
         "and once the peer has closed, recv returns at once",
)
