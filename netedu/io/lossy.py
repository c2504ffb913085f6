"""A lossy link on loopback: a UDP relay that drops, duplicates and delays datagrams.

Put a :class:`LossyLink` between a client and a UDP server to see how a
protocol copes with a bad network. The client sends to ``link.address``
instead of the server's. Every datagram is dropped with probability ``loss``
(or ``loss_up`` / ``loss_down`` per direction), sent twice with probability
``duplicate``, and held for ``delay`` seconds; a seeded random generator makes
the same run drop the same datagrams.

The server may answer from a new port (TFTP does: its transfer ID). The link
then answers the client from a new port of its own, so the client sees the
same change of port as without the link.

>>> import socket
>>> from netedu.io.servers import BackgroundServer
>>> class Echo(BackgroundServer):
...     def make_socket(self):
...         return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
...     def serve_once(self):
...         data, peer = self.sock.recvfrom(100)
...         self.sock.sendto(data, peer)
>>> with Echo() as echo, LossyLink(echo.address, loss=0.0) as link:
...     with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
...         c.settimeout(2)
...         _ = c.sendto(b"ping", link.address)
...         c.recv(100)
b'ping'
>>> link.stats["up"]["forwarded"], link.stats["down"]["forwarded"]
(1, 1)
>>> LossyLink(("127.0.0.1", 9), loss=1.5)
Traceback (most recent call last):
...
ValueError: loss must be a probability between 0 and 1, got 1.5
"""

from __future__ import annotations

import heapq
import random
import selectors
import socket
import time
from dataclasses import dataclass
from typing import Any

from netedu.io.servers import LOOPBACK, POLL_INTERVAL, BackgroundServer

__all__ = ["LossyLink", "LinkEvent"]


@dataclass(frozen=True)
class LinkEvent:
    """What the link did with one datagram (kept when ``trace=True``).

    >>> print(LinkEvent(seq=1, direction="up", action="dropped", size=5, data=b"hello"))
        1 client -> server  dropped    5 bytes
    >>> print(LinkEvent(seq=2, direction="down", action="forwarded", size=5, data=b"hello"))
        2 client <- server  forwarded  5 bytes
    """

    seq: int  # order in which the link saw the datagrams
    direction: str  # "up" (client -> server) or "down" (server -> client)
    action: str  # "forwarded", "dropped" or "duplicated"
    size: int
    data: bytes

    def __str__(self) -> str:
        arrow = "->" if self.direction == "up" else "<-"
        return f"{self.seq:5d} client {arrow} server  {self.action:<10} {self.size} bytes"


def _probability(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability between 0 and 1, got {value!r}")
    return float(value)


class LossyLink(BackgroundServer):
    """A relay between clients and the UDP server at ``target`` that loses datagrams on purpose.

    ``stats`` counts, per direction ("up": towards the server, "down": towards
    the client), the datagrams forwarded, dropped and duplicated; with
    ``trace=True``, ``events`` lists each decision in order.

    >>> LossyLink(("127.0.0.1", 9), delay=-1)
    Traceback (most recent call last):
    ...
    ValueError: delay must be >= 0 seconds, got -1
    """

    def __init__(
        self,
        target: tuple[str, int],
        *,
        loss: float = 0.1,
        loss_up: float | None = None,
        loss_down: float | None = None,
        duplicate: float = 0.0,
        delay: float = 0.0,
        seed: int = 0,
        trace: bool = False,
        host: str = LOOPBACK,
    ) -> None:
        super().__init__(host, 0)
        _probability("loss", loss)
        self.loss_up = _probability("loss_up", loss if loss_up is None else loss_up)
        self.loss_down = _probability("loss_down", loss if loss_down is None else loss_down)
        self.duplicate = _probability("duplicate", duplicate)
        if delay < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {delay!r}")
        if not str(target[0]).startswith("127."):
            raise ValueError(f"a LossyLink relays to loopback only, not {target[0]!r}")
        self.delay = float(delay)
        self.target = (target[0], int(target[1]))
        self.trace = trace
        self.events: list[LinkEvent] = []
        self.stats = {d: {"forwarded": 0, "dropped": 0, "duplicated": 0} for d in ("up", "down")}
        self._rng = random.Random(seed)
        self._seq = 0
        self._sel: selectors.BaseSelector | None = None
        self._back: dict[tuple[str, int], socket.socket] = {}  # client -> socket facing the server
        self._front: dict[tuple[tuple[str, int], tuple[str, int]], socket.socket] = {}  # (client, server addr) -> socket facing the client
        self._pending: list[tuple[float, int, socket.socket, bytes, tuple[str, int]]] = []

    def make_socket(self) -> socket.socket:
        """The socket clients send their first datagram to."""
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def setup(self) -> None:
        """Register the front socket with the selector."""
        self._sel = selectors.DefaultSelector()
        self.sock.setblocking(False)
        self._sel.register(self.sock, selectors.EVENT_READ, ("front", None, self.target))

    def _new_socket(self) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((self.host, 0))
        s.setblocking(False)
        for opt in (socket.SO_RCVBUF, socket.SO_SNDBUF):
            try:
                s.setsockopt(socket.SOL_SOCKET, opt, 1 << 21)
            except OSError:  # pragma: no cover
                pass
        return s

    def _decide(self, direction: str, data: bytes) -> int:
        """How many copies to send: 0 (dropped), 1 or 2 (duplicated)."""
        self._seq += 1
        loss = self.loss_up if direction == "up" else self.loss_down
        copies = 1
        action = "forwarded"
        if loss and self._rng.random() < loss:
            copies, action = 0, "dropped"
        elif self.duplicate and self._rng.random() < self.duplicate:
            copies, action = 2, "duplicated"
        self.stats[direction][action] += 1
        if self.trace:
            self.events.append(LinkEvent(self._seq, direction, action, len(data), bytes(data)))
        return copies

    def _send(self, sock: socket.socket, data: bytes, addr: tuple[str, int], copies: int) -> None:
        for _ in range(copies):
            if self.delay:
                heapq.heappush(self._pending, (time.monotonic() + self.delay, self._seq, sock, data, addr))
                continue
            try:
                sock.sendto(data, addr)
            except OSError:
                pass

    def serve_once(self) -> None:
        """Wait for datagrams (or a delayed one's time) and relay them."""
        assert self._sel is not None
        wait = POLL_INTERVAL
        if self._pending:
            wait = max(0.0, min(wait, self._pending[0][0] - time.monotonic()))
        for key, _ in self._sel.select(wait):
            kind, client, server = key.data
            sock: socket.socket = key.fileobj  # type: ignore[assignment]
            while True:
                try:
                    data, addr = sock.recvfrom(65536)
                except (BlockingIOError, ConnectionRefusedError):
                    break
                except OSError:
                    break
                if kind == "front":  # from a client: towards `server`
                    c = addr if client is None else client
                    if client is not None and addr != client:
                        continue  # a stranger on a port that serves one client: ignore
                    back = self._back.get(c)
                    if back is None:
                        back = self._back[c] = self._new_socket()
                        self._sel.register(back, selectors.EVENT_READ, ("back", c, None))
                    self._send(back, data, server, self._decide("up", data))
                else:  # from the server (any port): towards the client, from a matching front port
                    c = client
                    front = self.sock if addr == self.target else self._front.get((c, addr))
                    if front is None:
                        front = self._front[(c, addr)] = self._new_socket()
                        self._sel.register(front, selectors.EVENT_READ, ("front", c, addr))
                    self._send(front, data, c, self._decide("down", data))
        now = time.monotonic()
        while self._pending and self._pending[0][0] <= now:
            _, _, s, data, addr = heapq.heappop(self._pending)
            try:
                s.sendto(data, addr)
            except OSError:
                pass

    def cleanup(self) -> None:
        """Close the relay's extra sockets."""
        if self._sel is not None:
            self._sel.close()
        for s in [*self._back.values(), *self._front.values()]:
            s.close()

    def describe(self) -> str:
        """A one-line summary of what the link did.

        >>> LossyLink(("127.0.0.1", 9)).describe()
        'up: 0 forwarded, 0 dropped, 0 duplicated; down: 0 forwarded, 0 dropped, 0 duplicated'
        """
        parts: list[str] = []
        for d in ("up", "down"):
            st: dict[str, Any] = self.stats[d]
            parts.append(f"{d}: {st['forwarded']} forwarded, {st['dropped']} dropped, {st['duplicated']} duplicated")
        return "; ".join(parts)
