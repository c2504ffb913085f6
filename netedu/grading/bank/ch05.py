"""Chapter 05 exercises (broadcast on loopback).

* ``05.1`` the exception Python raises when a socket without ``SO_BROADCAST``
  sends to a broadcast address (its name);
* ``05.2`` ``announce(port, text)``: broadcast ``text`` (UTF-8) to
  ``127.255.255.255:port``;
* ``05.3`` ``collect(sock, n) -> dict``: on a broadcast receiver, collect what
  ``n`` senders announce (each repeats itself) as ``{sender_port: text}``.

>>> from netedu.grading.registry import lookup
>>> lookup("05.1").run("permissionerror")[0].passed
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from netedu.grading.bank._support import function_exercise_runner, problem_outcome
from netedu.grading.registry import Outcome, a_type, run_limited, value_exercise
from netedu.io.udp import broadcast_receiver, broadcast_sender, recv_all, send_broadcast

__all__ = ["COLLECT_CASES"]

COLLECT_CASES = [
    ("3 senders", ["alice online", "bob online", "carol online"]),
    ("1 sender", ["server ready"]),
    ("5 senders, one in Chinese", ["n1", "n2", "你好", "n4", "n5"]),
]


def _exception_name(answer: Any) -> str:
    if isinstance(answer, type) and issubclass(answer, BaseException):
        return answer.__name__
    if isinstance(answer, BaseException):
        return type(answer).__name__
    return str(answer).strip().split(":")[0].split(".")[-1]


value_exercise("05.1", "The error of a broadcast without SO_BROADCAST",
               digest="3f8585acbbb63f62fea6dd06eac152ece9beb697c48eb8036d7818e0d0a5fa84",
               normalize=_exception_name,
               hint="try it: a socket without SO_BROADCAST, sendto(b'x', ('127.255.255.255', port)), "
                    "and print type(e).__name__")


@function_exercise_runner("05.2", "Announce on the loopback broadcast address",
                          signature="announce(port, text)", max_score=2)
def _announce(answer: Any) -> Iterator[Outcome]:
    for text in ("hello, everyone", "大家好"):
        name = f"announce(port, {text!r})"
        with broadcast_receiver() as a, broadcast_receiver(a.getsockname()[1]) as b:
            got = run_limited(answer, a.getsockname()[1], text, timeout=2.0)
            heard = [[d.data for d in recv_all(r, quiet=0.1)] for r in (a, b)]
        want = text.encode("utf-8")
        if not got.ok:
            msg = f"{name} {got.describe()}"
            hint = ("PermissionError? set SO_BROADCAST: s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)"
                    if "PermissionError" in (got.error or "") else "sendto(text.encode('utf-8'), ('127.255.255.255', port))")
        elif not heard[0] or not heard[1]:
            msg = f"{name}: the receivers on 127.255.255.255 heard nothing"
            hint = "send to ('127.255.255.255', port), the loopback broadcast address"
        elif heard[0][0] != want:
            msg = f"{name}: expected {want!r}, the receivers heard {heard[0][0]!r}"
            hint = "encode the text with utf-8"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)


def _announcers(port: int, texts: list[str], stop: threading.Event, ports: list[int]) -> None:
    senders = [broadcast_sender() for _ in texts]
    try:
        for s in senders:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
        for _round in range(40):  # every sender repeats itself, interleaved, until the check stops
            for s, t in zip(senders, texts):
                for _twice in range(2):  # each announces twice in a row: a receiver must de-duplicate
                    send_broadcast(s, t.encode("utf-8"), port)
            if stop.wait(0.05):
                return
    finally:
        for s in senders:
            s.close()


@function_exercise_runner("05.3", "Collect the announcements of several senders",
                          signature="collect(sock, n)", max_score=len(COLLECT_CASES))
def _collect(answer: Any) -> Iterator[Outcome]:
    for label, texts in COLLECT_CASES:
        name = f"collect(sock, {len(texts)}): {label}"
        stop = threading.Event()
        ports: list[int] = []
        with broadcast_receiver() as sock:
            t = threading.Thread(target=_announcers, args=(sock.getsockname()[1], texts, stop, ports), daemon=True)
            t.start()
            got = run_limited(answer, sock, len(texts), timeout=3.0)
            stop.set()
            t.join(3)
        want = dict(zip(ports, texts))
        if not got.ok:
            msg = f"{name} {got.describe()}"
            hint = "loop until your dict has n senders; each recvfrom gives (data, (host, port))"
        elif not isinstance(got.value, dict):
            msg = f"{name}: expected a dict {{sender_port: text}}, got {a_type(got.value)}"
            hint = "result[addr[1]] = data.decode('utf-8')"
        elif got.value != want:
            msg = f"{name}: expected {len(want)} senders {sorted(want.values())}, got {got.value!r}"
            hint = "key by the sender's port (addr[1]); each sender repeats itself, so stop at n distinct ports"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)
