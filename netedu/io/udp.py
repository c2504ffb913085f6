"""UDP on loopback: sockets with time-outs, peers that run in a ``with`` block, and honest demos.

Chapters 04 and 05 use these helpers so that every experiment stays on
``127.0.0.1`` (or the loopback broadcast address ``127.255.255.255``), has a
timeout on every socket, and stops its peers when the ``with`` block ends:

* :func:`udp_socket` makes a datagram socket with a timeout (and binds it, on
  loopback only, when asked);
* :class:`UdpEchoServer` answers each datagram with the same bytes and counts
  them, like the notes' echo server (echo服务器);
* :class:`UdpSink` records what arrives without answering;
* :func:`burst_loss` overflows a small receive buffer to show real loss, and
  :func:`lossy_sendto` is a *simulated* bad network (drops and reorders, by seed);
* :func:`broadcast_sender`, :func:`broadcast_receiver` and :func:`send_broadcast`
  broadcast on loopback only; :func:`multicast_sender` and
  :func:`multicast_receiver` use a multicast group on the loopback interface.

>>> with UdpEchoServer() as srv, udp_socket() as c:
...     _ = c.sendto(b"ping", srv.address)
...     c.recvfrom(100)[0], srv.wait_for(1)
(b'ping', 1)
>>> udp_socket(bind=("192.168.1.201", 8080))
Traceback (most recent call last):
...
ValueError: netedu sockets stay on loopback (127.0.0.0/8): '192.168.1.201' is not a loopback address
"""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from netedu.io.servers import LOOPBACK, BackgroundServer

__all__ = [
    "TIMEOUT",
    "MAX_UDP_PAYLOAD",
    "BROADCAST_LOOPBACK",
    "MULTICAST_GROUP",
    "Datagram",
    "BurstResult",
    "check_loopback",
    "udp_socket",
    "recv_all",
    "UdpEchoServer",
    "UdpSink",
    "burst_loss",
    "lossy_sendto",
    "numbered",
    "parse_numbered",
    "broadcast_sender",
    "broadcast_receiver",
    "send_broadcast",
    "multicast_sender",
    "multicast_receiver",
]

TIMEOUT = 2.0  # seconds: a socket made here gives up after this long
# 65,535 (the IPv4 total-length field) - 20 (IPv4 header) - 8 (UDP header); RFC 791, RFC 768.
MAX_UDP_PAYLOAD = 65_507
BROADCAST_LOOPBACK = "127.255.255.255"  # the broadcast address of 127.0.0.0/8 on Linux's lo
MULTICAST_GROUP = "239.255.0.1"  # administratively scoped (RFC 2365): never routed off-site


def check_loopback(host: str) -> str:
    """Return ``host`` if it is a loopback address (127.x.y.z or ``localhost``); else raise.

    >>> check_loopback("127.0.0.1")
    '127.0.0.1'
    >>> check_loopback("<broadcast>")
    Traceback (most recent call last):
    ...
    ValueError: netedu sockets stay on loopback (127.0.0.0/8): '<broadcast>' is not a loopback address
    """
    if host == "localhost":
        return LOOPBACK
    parts = host.split(".") if isinstance(host, str) else []
    if len(parts) == 4 and parts[0] == "127" and all(p.isdigit() and int(p) <= 255 for p in parts):
        return host
    raise ValueError(f"netedu sockets stay on loopback (127.0.0.0/8): {host!r} is not a loopback address") from None


def udp_socket(timeout: float = TIMEOUT, bind: tuple[str, int] | None = None) -> socket.socket:
    """A UDP socket (``AF_INET``, ``SOCK_DGRAM``) with a timeout, bound on loopback if asked.

    >>> with udp_socket(bind=("127.0.0.1", 0)) as s:
    ...     s.gettimeout(), s.getsockname()[0]
    (2.0, '127.0.0.1')
    >>> udp_socket(timeout=None)
    Traceback (most recent call last):
    ...
    ValueError: every netedu socket needs a timeout in seconds (> 0), got None
    """
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"every netedu socket needs a timeout in seconds (> 0), got {timeout!r}") from None
    if bind is not None:
        check_loopback(bind[0])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    if bind is not None:
        try:
            s.bind(bind)
        except OSError:
            s.close()
            raise
    return s


@dataclass(frozen=True)
class Datagram:
    """One received datagram: its bytes and the ``(host, port)`` it came from.

    >>> Datagram(b"hi", ("127.0.0.1", 5000)).line()
    "2 bytes from 127.0.0.1:5000: b'hi'"
    """

    data: bytes
    source: tuple[str, int]

    def line(self) -> str:
        """One printable line: length, source and the bytes."""
        return f"{len(self.data)} bytes from {self.source[0]}:{self.source[1]}: {self.data!r}"


def recv_all(sock: socket.socket, quiet: float = 0.2, bufsize: int = 65_535) -> list[Datagram]:
    """Read datagrams until none arrives for ``quiet`` seconds; restores the socket's timeout.

    >>> with udp_socket(bind=("127.0.0.1", 0)) as r, udp_socket() as s:
    ...     for word in (b"a", b"b"):
    ...         _ = s.sendto(word, r.getsockname())
    ...     [d.data for d in recv_all(r)]
    [b'a', b'b']
    """
    old = sock.gettimeout()
    sock.settimeout(quiet)
    out: list[Datagram] = []
    try:
        while True:
            try:
                data, src = sock.recvfrom(bufsize)
            except socket.timeout:
                break
            out.append(Datagram(data, src[:2]))
    finally:
        sock.settimeout(old)
    return out


class _Recorder(BackgroundServer):
    """Shared parts of the UDP servers: a UDP socket, a record and a counter."""

    def __init__(self, host: str = LOOPBACK, port: int = 0, bufsize: int = 65_535) -> None:
        super().__init__(host=check_loopback(host), port=port)
        self.bufsize = bufsize
        self.received: list[Datagram] = []
        self._cond = threading.Condition()

    def make_socket(self) -> socket.socket:
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    @property
    def count(self) -> int:
        """How many datagrams have arrived so far."""
        return len(self.received)

    def _record(self, data: bytes, peer: tuple[str, int]) -> None:
        with self._cond:
            self.received.append(Datagram(data, peer[:2]))
            self._cond.notify_all()

    def wait_for(self, n: int, timeout: float = TIMEOUT) -> int:
        """Wait until ``n`` datagrams have arrived or ``timeout`` passes; return the count."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.received) >= n, timeout)
            return len(self.received)


class UdpEchoServer(_Recorder):
    """Echo server (回显服务器): sends every datagram back to its sender and counts them.

    ``lines`` holds the notes' report, one line per datagram: which number it
    was, where it came from and what it said (the notes printed it; a thread
    in a notebook should not, so it is kept for the cell to print).
    ``prefix`` is put before each echo (empty by default).

    >>> with UdpEchoServer(prefix=b"echo: ") as srv, udp_socket() as c:
    ...     _ = c.sendto(b"hi", srv.address)
    ...     _ = c.recvfrom(100)
    ...     _ = srv.wait_for(1)
    >>> srv.count, srv.lines[0].split(" to ")[0]
    (1, 'echoed datagram #1 (2 bytes)')
    >>> UdpEchoServer(host="0.0.0.0")
    Traceback (most recent call last):
    ...
    ValueError: netedu sockets stay on loopback (127.0.0.0/8): '0.0.0.0' is not a loopback address
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0, prefix: bytes = b"", bufsize: int = 65_535) -> None:
        super().__init__(host=host, port=port, bufsize=bufsize)
        self.prefix = prefix
        self.lines: list[str] = []

    def serve_once(self) -> None:
        """Receive one datagram, send it back (after ``prefix``) and record it.

        ``start()`` calls it in a loop; with nothing to read it raises
        ``TimeoutError`` after the socket's timeout, which the loop ignores.

        >>> srv = UdpEchoServer()
        >>> srv.sock = srv.make_socket(); srv.sock.bind(("127.0.0.1", 0)); srv.sock.settimeout(2)
        >>> with udp_socket() as c:
        ...     _ = c.sendto(b"hi", srv.address)
        ...     srv.serve_once()
        ...     c.recvfrom(100)[0]
        b'hi'
        >>> srv.count, srv.lines[0].split(" to ")[0]
        (1, 'echoed datagram #1 (2 bytes)')
        >>> srv.sock.settimeout(0.01)
        >>> srv.serve_once()
        Traceback (most recent call last):
        ...
        TimeoutError: timed out
        >>> srv.sock.close()
        """
        data, peer = self.sock.recvfrom(self.bufsize)
        self.sock.sendto(self.prefix + data, peer)
        self.lines.append(f"echoed datagram #{len(self.received) + 1} ({len(data)} bytes) to "
                          f"{peer[0]}:{peer[1]}: {data!r}")
        self._record(data, peer)


class UdpSink(_Recorder):
    """A receiver that records every datagram and never answers (a 'recorder').

    ``rcvbuf`` sets ``SO_RCVBUF`` (Linux doubles the number it is given).

    >>> with UdpSink() as sink, udp_socket() as c:
    ...     for i in range(3):
    ...         _ = c.sendto(b"n%d" % i, sink.address)
    ...     sink.wait_for(3), [d.data for d in sink.received]
    (3, [b'n0', b'n1', b'n2'])
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0, bufsize: int = 65_535, rcvbuf: int | None = None) -> None:
        super().__init__(host=host, port=port, bufsize=bufsize)
        self.rcvbuf = rcvbuf

    def setup(self) -> None:
        """Set ``SO_RCVBUF`` to ``rcvbuf``, if given; ``start()`` calls it once, after bind.

        >>> sink = UdpSink(rcvbuf=4096)
        >>> sink.sock = sink.make_socket()
        >>> sink.setup()
        >>> sink.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)  # Linux doubles it
        8192
        >>> sink.sock.close()
        """
        if self.rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)

    def serve_once(self) -> None:
        """Receive one datagram and record it; never answer.

        ``start()`` calls it in a loop; with nothing to read it raises
        ``TimeoutError`` after the socket's timeout, which the loop ignores.

        >>> sink = UdpSink()
        >>> sink.sock = sink.make_socket(); sink.sock.bind(("127.0.0.1", 0)); sink.sock.settimeout(2)
        >>> with udp_socket() as c:
        ...     _ = c.sendto(b"x", sink.address)
        ...     sink.serve_once()
        >>> sink.received  # doctest: +ELLIPSIS
        [Datagram(data=b'x', source=('127.0.0.1', ...))]
        >>> sink.sock.settimeout(0.01)
        >>> sink.serve_once()
        Traceback (most recent call last):
        ...
        TimeoutError: timed out
        >>> sink.sock.close()
        """
        data, peer = self.sock.recvfrom(self.bufsize)
        self._record(data, peer)


@dataclass(frozen=True)
class BurstResult:
    """What :func:`burst_loss` saw: how many were sent, which numbers arrived, the buffer size.

    >>> r = BurstResult(sent=3, arrived=(0, 2), rcvbuf=2304)
    >>> r.lost, r.in_order
    (1, True)
    """

    sent: int
    arrived: tuple[int, ...]
    rcvbuf: int

    @property
    def lost(self) -> int:
        """Datagrams sent that never arrived."""
        return self.sent - len(self.arrived)

    @property
    def in_order(self) -> bool:
        """True if the ones that arrived came in increasing order."""
        return list(self.arrived) == sorted(self.arrived)


def burst_loss(count: int = 200, size: int = 1000, rcvbuf: int = 4096) -> BurstResult:
    """Send ``count`` numbered datagrams at once to a receiver with a small buffer that is not reading yet.

    Real loss, no simulation: the kernel drops what does not fit in the
    receiver's buffer (``SO_RCVBUF``) and tells nobody. The sender's
    ``sendto`` succeeds every time.

    >>> r = burst_loss(count=100, size=1000)
    >>> r.sent, 0 < len(r.arrived) < 100, r.lost > 0
    (100, True, True)
    >>> burst_loss(count=0)
    Traceback (most recent call last):
    ...
    ValueError: count must be between 1 and 100000, got 0
    """
    if not 1 <= count <= 100_000:
        raise ValueError(f"count must be between 1 and 100000, got {count}") from None
    if not 4 <= size <= MAX_UDP_PAYLOAD:
        raise ValueError(f"size must be between 4 and {MAX_UDP_PAYLOAD}, got {size}") from None
    with udp_socket() as rx, udp_socket() as tx:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        rx.bind((LOOPBACK, 0))
        for i in range(count):
            tx.sendto(i.to_bytes(4, "big") * (size // 4), rx.getsockname())
        arrived = tuple(int.from_bytes(d.data[:4], "big") for d in recv_all(rx, quiet=0.1))
        return BurstResult(sent=count, arrived=arrived, rcvbuf=rx.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))


def lossy_sendto(sock: socket.socket, payloads: Sequence[bytes], dest: tuple[str, int], *,
                 drop: float = 0.0, reorder: bool = False, seed: int = 0) -> list[int]:
    """SIMULATION of a bad network: send ``payloads`` with some dropped and the rest shuffled.

    On loopback the kernel almost never drops or reorders, so this sender does
    it on purpose, deterministically for a given ``seed``. Returns the indexes
    in the order they were really sent.

    >>> with udp_socket(bind=("127.0.0.1", 0)) as r, udp_socket() as s:
    ...     order = lossy_sendto(s, [b"0", b"1", b"2", b"3"], r.getsockname(), reorder=True, seed=1)
    ...     [d.data for d in recv_all(r)] == [b"%d" % i for i in order]
    True
    >>> lossy_sendto(None, [b"x"], ("127.0.0.1", 9), drop=1.5)
    Traceback (most recent call last):
    ...
    ValueError: drop is a probability from 0 to 1, got 1.5
    """
    if not 0.0 <= drop <= 1.0:
        raise ValueError(f"drop is a probability from 0 to 1, got {drop}") from None
    check_loopback(dest[0])
    rng = random.Random(seed)
    order = [i for i in range(len(payloads)) if rng.random() >= drop]
    if reorder:
        rng.shuffle(order)
    for i in order:
        sock.sendto(payloads[i], dest)
    return order


def numbered(seq: int, data: bytes) -> bytes:
    """Prefix ``data`` with its sequence number as text and a colon: ``b"3:..."``.

    >>> numbered(3, b"abc")
    b'3:abc'
    >>> numbered(-1, b"")
    Traceback (most recent call last):
    ...
    ValueError: a sequence number is an int >= 0, got -1
    """
    if not isinstance(seq, int) or seq < 0:
        raise ValueError(f"a sequence number is an int >= 0, got {seq!r}") from None
    return b"%d:" % seq + data


def parse_numbered(datagram: bytes) -> tuple[int, bytes]:
    """Split a :func:`numbered` datagram into ``(seq, data)``.

    >>> parse_numbered(b"12:hello:world")
    (12, b'hello:world')
    >>> parse_numbered(b"hello")
    Traceback (most recent call last):
    ...
    ValueError: expected b'<number>:<data>', got b'hello'
    """
    head, sep, rest = datagram.partition(b":")
    if not sep or not head.isdigit():
        raise ValueError(f"expected b'<number>:<data>', got {datagram[:40]!r}") from None
    return int(head), rest


def broadcast_sender(timeout: float = TIMEOUT, allow: bool = True) -> socket.socket:
    """A UDP socket allowed to broadcast (``SO_BROADCAST`` = 1), or not if ``allow`` is False.

    >>> with broadcast_sender() as s:
    ...     s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST)
    1
    """
    s = udp_socket(timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1 if allow else 0)
    return s


def broadcast_receiver(port: int = 0, timeout: float = TIMEOUT, host: str = BROADCAST_LOOPBACK) -> socket.socket:
    """A UDP socket that receives broadcasts sent to ``127.255.255.255:port``.

    Bound to the broadcast address itself (not ``''``), so it hears loopback
    broadcasts and nothing from a LAN. ``SO_REUSEADDR`` and ``SO_REUSEPORT``
    let several receivers share the port; each gets its own copy.
    A socket bound to ``127.0.0.1`` would NOT receive them.

    >>> with broadcast_receiver() as a, broadcast_receiver(a.getsockname()[1]) as b, broadcast_sender() as s:
    ...     _ = send_broadcast(s, b"hello all", a.getsockname()[1])
    ...     a.recv(100), b.recv(100)
    (b'hello all', b'hello all')
    >>> broadcast_receiver(host="192.168.1.255")
    Traceback (most recent call last):
    ...
    ValueError: netedu sockets stay on loopback (127.0.0.0/8): '192.168.1.255' is not a loopback address
    """
    if host != "":
        check_loopback(host)
    s = udp_socket(timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        s.bind((host, port))
    except OSError:
        s.close()
        raise
    return s


def send_broadcast(sock: socket.socket, data: bytes, port: int, address: str = BROADCAST_LOOPBACK) -> int:
    """Send ``data`` to the loopback broadcast address; refuses any other destination.

    >>> with broadcast_sender() as s:
    ...     send_broadcast(s, b"x", 9, address="<broadcast>")
    Traceback (most recent call last):
    ...
    ValueError: netedu broadcasts only to 127.255.255.255 (loopback), not '<broadcast>'
    """
    if address != BROADCAST_LOOPBACK:
        raise ValueError(f"netedu broadcasts only to {BROADCAST_LOOPBACK} (loopback), not {address!r}") from None
    return sock.sendto(data, (address, port))


def multicast_sender(ttl: int = 0, timeout: float = TIMEOUT) -> socket.socket:
    """A UDP socket that sends multicast out of the loopback interface only.

    ``IP_MULTICAST_IF`` = 127.0.0.1 picks the interface, ``IP_MULTICAST_TTL``
    = 0 keeps datagrams on this host, ``IP_MULTICAST_LOOP`` = 1 delivers them
    to local members.

    >>> with multicast_sender() as s:
    ...     s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL)
    0
    >>> multicast_sender(ttl=5)
    Traceback (most recent call last):
    ...
    ValueError: netedu keeps multicast on this host: ttl must be 0 or 1, got 5
    """
    if ttl not in (0, 1):
        raise ValueError(f"netedu keeps multicast on this host: ttl must be 0 or 1, got {ttl}") from None
    s = udp_socket(timeout)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(LOOPBACK))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    return s


def multicast_receiver(group: str = MULTICAST_GROUP, port: int = 0, timeout: float = TIMEOUT) -> socket.socket:
    """A UDP socket bound to ``(group, port)`` that joined ``group`` on the loopback interface.

    >>> with multicast_receiver() as r, multicast_sender() as s:
    ...     _ = s.sendto(b"to the group", (MULTICAST_GROUP, r.getsockname()[1]))
    ...     r.recv(100)
    b'to the group'
    >>> multicast_receiver("10.0.0.1")
    Traceback (most recent call last):
    ...
    ValueError: '10.0.0.1' is not a multicast group (224.0.0.0/4)
    """
    first = group.split(".")[0]
    if not (first.isdigit() and 224 <= int(first) <= 239):
        raise ValueError(f"{group!r} is not a multicast group (224.0.0.0/4)") from None
    s = udp_socket(timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((group, port))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(group) + socket.inet_aton(LOOPBACK))
    except OSError:
        s.close()
        raise
    return s
