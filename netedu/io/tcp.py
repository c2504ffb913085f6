"""Real TCP sockets on loopback, and the kernel's view of them.

Chapters 07 and 08 show what Linux really does with a TCP connection. This
module holds the experiments they run, each on ``127.0.0.1`` with port 0, a
timeout on every socket, and every socket closed before it returns:

* :func:`socket_states` reads the kernel's table of TCP sockets with
  ``ss -tanoe`` (no root needed) and :func:`parse_ss` turns its text into
  :class:`SocketState` rows, with the timer of a socket in TIME-WAIT;
  :func:`psutil_states` reads the same table through :mod:`psutil`.
* :func:`lifecycle_experiment` walks real sockets through LISTEN, SYN-SENT,
  ESTABLISHED, FIN-WAIT-2, CLOSE-WAIT, LAST-ACK and TIME-WAIT.
* :func:`simultaneous_close_experiment` catches FIN-WAIT-1 and CLOSING.
* :func:`backlog_experiment` counts how many clients ``listen(n)`` admits.
* :func:`rebind_after_time_wait` shows "Address already in use" and the fix.
* :func:`time_long_and_short` times N requests over one connection and over N.
* :func:`send_msg` / :func:`recv_msg` frame messages with a 4-byte length,
  and :class:`ChunkyFramedEchoServer` is a peer that splits and merges bytes.

How the short-lived states are held still: a closing socket's FIN waits
behind data that the peer has no room to receive (a full receive buffer, a
*zero window*), so the state that lasts microseconds on loopback lasts until
the peer reads.

>>> rows = parse_ss("TIME-WAIT 0 0 127.0.0.1:40000 127.0.0.1:5000 timer:(timewait,59sec,0)")
>>> rows[0].state, rows[0].timer, rows[0].timer_seconds
('TIME-WAIT', 'timewait', 59.0)
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from netedu.io.servers import LOOPBACK, BackgroundServer
from netedu.io.tcp_servers import TcpEchoServer

__all__ = [
    "SocketState",
    "Observation",
    "BacklogResult",
    "parse_ss",
    "parse_duration",
    "socket_states",
    "psutil_states",
    "state_of",
    "wait_for_state",
    "connected_pair",
    "lifecycle_experiment",
    "simultaneous_close_experiment",
    "backlog_experiment",
    "time_wait_timer",
    "rebind_after_time_wait",
    "time_long_and_short",
    "send_msg",
    "recv_msg",
    "recv_exactly",
    "EchoServer",
    "ChunkyFramedEchoServer",
    "TIMEOUT",
]

TIMEOUT = 2.0  # seconds: every socket here gives up after this long

# ss prints a few states in short forms; RFC 793 spells them out.
_SS_NAMES = {"ESTAB": "ESTABLISHED", "SYN-RECV": "SYN-RECEIVED", "UNCONN": "CLOSED"}
# psutil uses the names of Linux's /proc/net/tcp.
_PSUTIL_NAMES = {
    "ESTABLISHED": "ESTABLISHED", "SYN_SENT": "SYN-SENT", "SYN_RECV": "SYN-RECEIVED",
    "FIN_WAIT1": "FIN-WAIT-1", "FIN_WAIT2": "FIN-WAIT-2", "TIME_WAIT": "TIME-WAIT",
    "CLOSE": "CLOSED", "CLOSE_WAIT": "CLOSE-WAIT", "LAST_ACK": "LAST-ACK", "LISTEN": "LISTEN",
    "CLOSING": "CLOSING", "NONE": "CLOSED",
}

Address = tuple[str, int]


@dataclass(frozen=True, kw_only=True)
class SocketState:
    """One row of the kernel's TCP table: state (RFC 793 spelling), addresses, queues, timer.

    ``peer`` is None for a listening socket. ``timer_seconds`` is what is left
    of the socket's timer (for TIME-WAIT: until the kernel frees it).

    >>> SocketState(state="LISTEN", local=("127.0.0.1", 5000)).peer is None
    True
    >>> SocketState(state="ESTAB", local=("127.0.0.1", 5000))
    Traceback (most recent call last):
    ...
    ValueError: state 'ESTAB' is not an RFC 793 state name (like 'ESTABLISHED', 'TIME-WAIT')
    """

    state: str
    local: Address
    peer: Address | None = None
    recv_q: int = 0
    send_q: int = 0
    timer: str | None = None
    timer_seconds: float | None = None
    inode: int = 0

    def __post_init__(self) -> None:
        if self.state not in _RFC793_STATES:
            raise ValueError(f"state {self.state!r} is not an RFC 793 state name "
                             "(like 'ESTABLISHED', 'TIME-WAIT')") from None


# RFC 793 sec. 3.2 names eleven states (CLOSED is the fictional one: no connection).
_RFC793_STATES = ("LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                  "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT", "CLOSED")

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(min|sec|ms|h)")
_UNITS = {"h": 3600.0, "min": 60.0, "sec": 1.0, "ms": 0.001}


def parse_duration(text: str) -> float:
    """Seconds in one of ``ss``'s timer durations (``59sec``, ``1min``, ``148ms``, ``1min2sec``).

    >>> parse_duration("1min2sec"), parse_duration("148ms"), parse_duration("59sec")
    (62.0, 0.148, 59.0)
    >>> parse_duration("soon")
    Traceback (most recent call last):
    ...
    ValueError: expected a duration like '59sec', '1min' or '148ms', got 'soon'
    """
    parts = _DURATION.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise ValueError(f"expected a duration like '59sec', '1min' or '148ms', got {text!r}") from None
    return round(sum(float(n) * _UNITS[unit] for n, unit in parts), 3)


def _split_address(text: str) -> Address | None:
    host, _, port = text.rpartition(":")
    if port == "*":
        return None
    return host.strip("[]"), int(port)


_TIMER = re.compile(r"timer:\(([a-z_]+),([^,)]+),\d+\)")
_INODE = re.compile(r"\bino:(\d+)")


def parse_ss(text: str) -> list[SocketState]:
    """Rows of ``ss -tanoe`` output (with or without its header line) as :class:`SocketState`.

    >>> out = '''State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
    ... LISTEN 0      1      127.0.0.1:5000     0.0.0.0:*     ino:1 sk:1
    ... ESTAB  0      0      127.0.0.1:5000     127.0.0.1:40000 ino:2 sk:2
    ... FIN-WAIT-2 0  0      127.0.0.1:40000    127.0.0.1:5000 timer:(timewait,1min,0) ino:0 sk:3'''
    >>> [(r.state, r.local[1], r.peer and r.peer[1], r.timer_seconds) for r in parse_ss(out)]
    [('LISTEN', 5000, None, None), ('ESTABLISHED', 5000, 40000, None), ('FIN-WAIT-2', 40000, 5000, 60.0)]
    >>> parse_ss("BOGUS 0 0 1.2.3.4:5 6.7.8.9:10")
    Traceback (most recent call last):
    ...
    ValueError: state 'BOGUS' is not an RFC 793 state name (like 'ESTABLISHED', 'TIME-WAIT')
    """
    rows: list[SocketState] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] == "State":
            continue
        state = _SS_NAMES.get(fields[0], fields[0])
        timer = _TIMER.search(line)
        inode = _INODE.search(line)
        rows.append(SocketState(
            state=state, recv_q=int(fields[1]), send_q=int(fields[2]),
            local=_split_address(fields[3]) or ("*", 0), peer=_split_address(fields[4]),
            timer=timer.group(1) if timer else None,
            timer_seconds=parse_duration(timer.group(2)) if timer else None,
            inode=int(inode.group(1)) if inode else 0,
        ))
    return rows


def socket_states(port: int | None = None, *, own: Iterable[socket.socket | Address] = ()) -> list[SocketState]:
    """The kernel's TCP sockets now (``ss -tanoe``), only those with ``port`` at either end if given.

    ``own`` keeps only the rows whose local address is one of these sockets'
    (or ``(host, port)`` pairs): a port number is not a connection's name, and
    sockets of other programs, even old ones left in TIME-WAIT by a server that
    had the same port a minute ago, may show up under it.

    Reading the table needs no root; inside ``tools/in-netns`` it shows only
    the namespace's own sockets.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(1)
    ...     [r.state for r in socket_states(s.getsockname()[1], own=[s])]
    ['LISTEN']
    >>> socket_states(port=70000)
    Traceback (most recent call last):
    ...
    ValueError: port must be 0-65535, got 70000
    """
    if port is not None and not 0 <= port <= 65535:
        raise ValueError(f"port must be 0-65535, got {port}") from None
    ss = shutil.which("ss") or ("/usr/sbin/ss" if os.path.exists("/usr/sbin/ss") else None)
    if ss is None:  # no iproute2: psutil reads the same table, without the timers
        rows = [SocketState(state=state, local=local, peer=peer) for state, local, peer in _psutil_rows()]
    else:
        out = subprocess.run([ss, "-tanoe"], capture_output=True, text=True, timeout=5, check=True).stdout
        rows = parse_ss(out)
    if port is not None:
        rows = [r for r in rows if r.local[1] == port or (r.peer is not None and r.peer[1] == port)]
    mine = {tuple(o.getsockname()[:2]) if isinstance(o, socket.socket) else tuple(o) for o in own}
    return [r for r in rows if r.local in mine] if mine else rows


def psutil_states(port: int) -> list[tuple[str, Address, Address | None]]:
    """The same table read with :mod:`psutil`: ``(state, local, peer)`` for sockets using ``port``.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(1)
    ...     [row[0] for row in psutil_states(s.getsockname()[1]) if row[1] == s.getsockname()]
    ['LISTEN']
    """
    found = [row for row in _psutil_rows() if row[1][1] == port or (row[2] is not None and row[2][1] == port)]
    return sorted(found, key=lambda row: (row[1][1], row[2] or ("", 0)))


def _psutil_rows() -> list[tuple[str, Address, Address | None]]:
    import psutil

    rows = []
    for c in psutil.net_connections(kind="tcp4"):
        local = (c.laddr.ip, c.laddr.port)
        peer = (c.raddr.ip, c.raddr.port) if c.raddr else None
        rows.append((_PSUTIL_NAMES.get(c.status, c.status), local, peer))
    return rows


def state_of(local: Address, peer: Address | None = None) -> str:
    """The state of the one socket with these addresses, or ``'CLOSED'`` when the kernel has none.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(1)
    ...     state_of(s.getsockname())
    'LISTEN'
    >>> state_of(("127.0.0.1", 1), ("127.0.0.1", 2))
    'CLOSED'
    """
    rows = [r for r in socket_states(local[1]) if r.local == tuple(local) and r.peer == (tuple(peer) if peer else None)]
    return rows[0].state if rows else "CLOSED"


def wait_for_state(local: Address, peer: Address | None, wanted: str, timeout: float = TIMEOUT) -> str:
    """Poll the kernel until the socket is in ``wanted`` (or ``timeout`` passes); return the last state seen.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(1)
    ...     wait_for_state(s.getsockname(), None, "LISTEN")
    'LISTEN'
    """
    deadline = time.monotonic() + timeout
    while True:
        state = state_of(local, peer)
        if state == wanted or time.monotonic() >= deadline:
            return state
        time.sleep(0.005)


def _listener(backlog: int = 1, reuse: bool = False) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if reuse:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((LOOPBACK, 0))
        s.listen(backlog)
        s.settimeout(TIMEOUT)
    except BaseException:
        s.close()
        raise
    return s


@contextmanager
def connected_pair(rcvbuf: int | None = None) -> Iterator[tuple[socket.socket, socket.socket, socket.socket]]:
    """``(listener, client, server)``: a connection on loopback, all three closed at the end.

    ``rcvbuf`` makes the client's receive buffer small (the kernel doubles it)
    so that a few kilobytes from the server fill it.

    >>> with connected_pair() as (listener, client, server):
    ...     _ = client.sendall(b"hi")
    ...     server.recv(10)
    b'hi'
    """
    with ExitStack() as stack:
        listener = stack.enter_context(_listener())
        client = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        if rcvbuf:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        client.settimeout(TIMEOUT)
        client.connect(listener.getsockname())
        server, _ = listener.accept()
        stack.enter_context(server)
        server.settimeout(TIMEOUT)
        yield listener, client, server


def _fill(sender: socket.socket) -> int:
    """Send until the peer's receive buffer and our send buffer are full; return the bytes queued."""
    sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    sender.setblocking(False)
    queued = 0
    try:
        while True:
            queued += sender.send(b"x" * 65536)
    except BlockingIOError:
        pass
    finally:
        sender.settimeout(TIMEOUT)
    return queued


def _drain(receiver: socket.socket) -> int:
    """Read until the peer's FIN (``recv`` returns ``b''``); return the bytes read."""
    total = 0
    while True:
        data = receiver.recv(65536)
        if not data:
            return total
        total += len(data)


@dataclass(frozen=True, kw_only=True)
class Observation:
    """What the kernel showed after one step of an experiment: each end's state.

    ``timer_seconds`` is the TIME-WAIT timer left, when a side is in TIME-WAIT
    (it varies, so notebooks print only the states).

    >>> Observation(step="listen()", client="CLOSED", server="LISTEN").line()
    'listen()                                  client: CLOSED        server: LISTEN'
    """

    step: str
    client: str
    server: str
    timer_seconds: float | None = None

    def line(self) -> str:
        """One fixed-width line: the step, then the state of each end."""
        return f"{self.step:<41} client: {self.client:<13} server: {self.server}"


def lifecycle_experiment() -> list[Observation]:
    """Walk a real connection through the states of RFC 793 and record each end's state.

    Steps: LISTEN; a second client against a full backlog (SYN-SENT); the
    handshake (ESTABLISHED twice); the client closes its sending side
    (FIN-WAIT-2 / CLOSE-WAIT); the server closes while its FIN waits behind
    data the client has no room for (LAST-ACK); the client reads to the end
    (TIME-WAIT on the client, which closed first; the server's socket is gone).

    >>> [(o.client, o.server) for o in lifecycle_experiment()][2:]
    [('ESTABLISHED', 'ESTABLISHED'), ('FIN-WAIT-2', 'CLOSE-WAIT'), ('FIN-WAIT-2', 'LAST-ACK'), ('TIME-WAIT', 'CLOSED')]
    """
    steps: list[Observation] = []
    with ExitStack() as stack:
        listener = stack.enter_context(_listener(backlog=0))  # Linux admits backlog+1 = 1
        laddr = listener.getsockname()
        steps.append(Observation(step="server: socket, bind, listen(0)", client="CLOSED",
                                 server=state_of(laddr)))
        client = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.settimeout(TIMEOUT)
        client.connect(laddr)  # completes: the accept queue has room for one
        caddr = client.getsockname()
        # a second client finds the accept queue full: its SYN is dropped
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as late:
            late.setblocking(False)
            late.connect_ex(laddr)
            state = wait_for_state(late.getsockname(), laddr, "SYN-SENT", 0.5)
            steps.append(Observation(step="another client: connect(), queue full", client=state,
                                     server=state_of(laddr)))
        server, _ = listener.accept()
        stack.enter_context(server)
        server.settimeout(TIMEOUT)
        steps.append(Observation(step="first client: connect(); server: accept()",
                                 client=state_of(caddr, laddr), server=state_of(laddr, caddr)))
        client.shutdown(socket.SHUT_WR)  # sends FIN, as close() does
        client_state = wait_for_state(caddr, laddr, "FIN-WAIT-2")
        if server.recv(100) != b"":
            raise RuntimeError("expected recv() == b'' after the client's FIN")
        steps.append(Observation(step="client: shutdown(SHUT_WR) -> FIN", client=client_state,
                                 server=wait_for_state(laddr, caddr, "CLOSE-WAIT")))
        _fill(server)  # the client does not read: its window closes
        server.close()  # FIN queued behind the data: LAST-ACK until the client reads
        steps.append(Observation(step="server: close() -> FIN (waits for room)",
                                 client=state_of(caddr, laddr),
                                 server=wait_for_state(laddr, caddr, "LAST-ACK")))
        _drain(client)  # reads the data, then the FIN; the client ACKs it
        client_state = wait_for_state(caddr, laddr, "TIME-WAIT")
        rows = [r for r in socket_states(caddr[1]) if r.local == caddr and r.state == "TIME-WAIT"]
        steps.append(Observation(step="client: reads to b'' -> ACK",
                                 client=client_state,
                                 server=wait_for_state(laddr, caddr, "CLOSED"),
                                 timer_seconds=rows[0].timer_seconds if rows else None))
    return steps


def simultaneous_close_experiment() -> list[Observation]:
    """Both ends close at once on a real connection: FIN-WAIT-1, CLOSING, then TIME-WAIT on both.

    The server's FIN is held behind data the client has no room for, so the
    server sits in FIN-WAIT-1; the client then closes, and its FIN reaches a
    server that has not had its own FIN acknowledged: CLOSING (RFC 793 sec. 3.5).

    >>> [(o.client, o.server) for o in simultaneous_close_experiment()]
    [('ESTABLISHED', 'FIN-WAIT-1'), ('FIN-WAIT-2', 'CLOSING'), ('TIME-WAIT', 'TIME-WAIT')]
    """
    steps: list[Observation] = []
    with connected_pair(rcvbuf=4096) as (listener, client, server):
        laddr, caddr = server.getsockname(), client.getsockname()
        _fill(server)
        server.shutdown(socket.SHUT_WR)
        steps.append(Observation(step="server: shutdown(SHUT_WR) -> FIN, queued",
                                 client=state_of(caddr, laddr),
                                 server=wait_for_state(laddr, caddr, "FIN-WAIT-1")))
        client.shutdown(socket.SHUT_WR)
        steps.append(Observation(step="client: shutdown(SHUT_WR) -> FIN, at once",
                                 client=wait_for_state(caddr, laddr, "FIN-WAIT-2"),
                                 server=wait_for_state(laddr, caddr, "CLOSING")))
        _drain(client)
        steps.append(Observation(step="client reads; both FINs are ACKed",
                                 client=wait_for_state(caddr, laddr, "TIME-WAIT"),
                                 server=wait_for_state(laddr, caddr, "TIME-WAIT")))
    return steps


@dataclass(frozen=True, kw_only=True)
class BacklogResult:
    """How many of ``clients`` connection attempts completed against ``listen(backlog)`` (no accept).

    >>> BacklogResult(backlog=1, states=("ESTABLISHED", "ESTABLISHED", "SYN-SENT")).completed
    2
    """

    backlog: int
    states: tuple[str, ...]

    @property
    def completed(self) -> int:
        """Clients whose handshake completed (ESTABLISHED on the client's side)."""
        return self.states.count("ESTABLISHED")

    @property
    def waiting(self) -> int:
        """Clients still sending SYNs (SYN-SENT): their SYNs are dropped, not refused."""
        return self.states.count("SYN-SENT")


def backlog_experiment(backlog: int, clients: int) -> BacklogResult:
    """Connect ``clients`` clients, one after the other, to ``listen(backlog)`` that never accepts.

    On Linux the backlog bounds the accept queue of *completed* connections,
    and the queue is full only when it holds more than ``backlog``: so
    ``backlog + 1`` complete; the SYNs of the others are dropped, and they wait
    in SYN-SENT (they would retry after 1 s, 3 s, ...; here they are closed).

    >>> backlog_experiment(1, 3).states
    ('ESTABLISHED', 'ESTABLISHED', 'SYN-SENT')
    >>> backlog_experiment(-1, 3)
    Traceback (most recent call last):
    ...
    ValueError: backlog must be 0-64 and clients 1-100, got backlog=-1, clients=3
    """
    if not (0 <= backlog <= 64 and 1 <= clients <= 100):
        raise ValueError(f"backlog must be 0-64 and clients 1-100, got backlog={backlog}, clients={clients}") from None
    with ExitStack() as stack:
        listener = stack.enter_context(_listener(backlog))
        laddr = listener.getsockname()
        mine: list[Address] = []
        for _ in range(clients):
            c = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            c.setblocking(False)
            c.connect_ex(laddr)
            mine.append(c.getsockname())
            wait_for_state(mine[-1], laddr, "ESTABLISHED", 0.1)  # let this handshake finish first
        # one last look at all of them (a dropped SYN is resent only after 1 s)
        table = {r.local: r.state for r in socket_states(laddr[1]) if r.peer == laddr}
        states = tuple(table.get(a, "CLOSED") for a in mine)
    return BacklogResult(backlog=backlog, states=states)


def time_wait_timer() -> float:
    """Close a real connection from the client first; return the seconds left on its TIME-WAIT timer.

    Linux holds TIME-WAIT for a fixed 60 s (``TCP_TIMEWAIT_LEN``), so right
    after the close ``ss -o`` shows about 59-60 s left.

    >>> 50 <= time_wait_timer() <= 60
    True
    """
    with connected_pair() as (listener, client, server):
        laddr, caddr = server.getsockname(), client.getsockname()
        client.shutdown(socket.SHUT_WR)
        server.recv(10)
        server.close()
        _drain(client)
        wait_for_state(caddr, laddr, "TIME-WAIT")
    rows = [r for r in socket_states(caddr[1]) if r.local == caddr and r.state == "TIME-WAIT"]
    if not rows or rows[0].timer_seconds is None:
        raise RuntimeError("no TIME-WAIT socket with a timer found after the close")
    return rows[0].timer_seconds


def rebind_after_time_wait(old_reuseaddr: bool, new_reuseaddr: bool) -> str:
    """Restart a server on its port while the old connection is in TIME-WAIT; return what bind() did.

    The server closes first (so its end of the connection waits in
    TIME-WAIT on the server's port), then a new listening socket binds the
    same port. Returns ``'ok'`` or the error, like ``'OSError: [Errno 98] Address already in use'``.
    On Linux the rebind works only when both the old and the new listening
    socket set SO_REUSEADDR.

    >>> rebind_after_time_wait(False, False)
    'OSError: [Errno 98] Address already in use'
    >>> rebind_after_time_wait(True, True)
    'ok'
    """
    with _listener(reuse=old_reuseaddr) as listener:
        laddr = listener.getsockname()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.settimeout(TIMEOUT)
            client.connect(laddr)
            caddr = client.getsockname()
            server, _ = listener.accept()
            with server:
                server.settimeout(TIMEOUT)
                server.shutdown(socket.SHUT_WR)  # the server closes first
                _drain(client)
            client.close()
            wait_for_state(laddr, caddr, "TIME-WAIT")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as again:
        if new_reuseaddr:
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            again.bind(laddr)
            again.listen(1)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            return f"{type(exc).__name__}: {exc}"
    return "ok"


class EchoServer(TcpEchoServer):
    """A TCP echo server: accepts one client at a time and sends back every byte until the client closes.

    ``served`` counts the clients served. It is :class:`netedu.io.tcp_servers.TcpEchoServer`
    with Nagle's algorithm off (TCP_NODELAY), so request/reply timings are not delayed.

    >>> with EchoServer() as srv, socket.create_connection(srv.address, timeout=2) as c:
    ...     c.sendall(b"ping")
    ...     c.recv(100)
    b'ping'
    """

    def __init__(self, backlog: int = 16) -> None:
        super().__init__(backlog=backlog, nodelay=True)


def time_long_and_short(requests: int = 200, size: int = 16) -> tuple[float, float]:
    """Seconds for ``requests`` request/reply exchanges over one connection, and over one connection each.

    >>> long, short = time_long_and_short(5)
    >>> 0 < long and 0 < short
    True
    >>> time_long_and_short(0)
    Traceback (most recent call last):
    ...
    ValueError: requests must be 1-5000, got 0
    """
    if not 1 <= requests <= 5000:
        raise ValueError(f"requests must be 1-5000, got {requests}") from None
    payload = b"r" * size
    with EchoServer() as srv:
        t0 = time.perf_counter()
        with socket.create_connection(srv.address, timeout=TIMEOUT) as c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for _ in range(requests):
                c.sendall(payload)
                recv_exactly(c, size)
        long = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(requests):
            with socket.create_connection(srv.address, timeout=TIMEOUT) as c:
                c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                c.sendall(payload)
                recv_exactly(c, size)
        short = time.perf_counter() - t0
    return long, short


# --- framing -----------------------------------------------------------------

_HEADER = struct.Struct("!I")  # 4-byte length, network byte order (big-endian)


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    """Read exactly ``n`` bytes, calling ``recv`` as often as needed (TCP may deliver them in pieces).

    Raises ConnectionError when the peer closes first.

    >>> a, b = socket.socketpair()
    >>> _ = a.sendall(b"abc"); _ = a.sendall(b"def"); a.close()
    >>> recv_exactly(b, 4), recv_exactly(b, 2)
    (b'abcd', b'ef')
    >>> recv_exactly(b, 1)
    Traceback (most recent call last):
    ...
    ConnectionError: the peer closed the connection after 0 of 1 bytes
    >>> b.close()
    """
    chunks: list[bytes] = []
    got = 0
    while got < n:
        data = sock.recv(min(n - got, 1 << 20))
        if not data:
            raise ConnectionError(f"the peer closed the connection after {got} of {n} bytes") from None
        chunks.append(data)
        got += len(data)
    return b"".join(chunks)


def send_msg(sock: socket.socket, data: bytes) -> None:
    """Send one message: its length as 4 bytes (big-endian), then its bytes.

    >>> a, b = socket.socketpair()
    >>> send_msg(a, b"hi"); b.recv(100)
    b'\\x00\\x00\\x00\\x02hi'
    >>> send_msg(a, "text")
    Traceback (most recent call last):
    ...
    TypeError: send_msg sends bytes, got str (encode text first, e.g. 'text'.encode())
    >>> a.close(); b.close()
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"send_msg sends bytes, got {type(data).__name__} "
                        f"(encode text first, e.g. {data!r}.encode())") from None
    sock.sendall(_HEADER.pack(len(data)) + bytes(data))


def recv_msg(sock: socket.socket) -> bytes | None:
    """Receive one message sent by :func:`send_msg`; None when the peer closed between messages.

    >>> a, b = socket.socketpair()
    >>> a.sendall(b"\\x00\\x00\\x00\\x03abc\\x00\\x00"); a.sendall(b"\\x00\\x01z"); a.close()
    >>> recv_msg(b), recv_msg(b), recv_msg(b)
    (b'abc', b'z', None)
    >>> b.close()
    """
    first = sock.recv(1)
    if not first:
        return None
    (length,) = _HEADER.unpack(first + recv_exactly(sock, _HEADER.size - 1))
    return recv_exactly(sock, length)


class ChunkyFramedEchoServer(BackgroundServer):
    """A peer that tests framing: it echoes length-prefixed messages, splitting and merging the bytes.

    Per connection it reads messages (with :func:`recv_msg`) until the client
    shuts down its sending side (``shutdown(SHUT_WR)``: its FIN), keeps them in
    ``received``, then sends all of them back framed
    as one byte stream cut at ``cuts`` positions (1-3 bytes, some inside a
    length prefix, some across message boundaries), each piece a separate
    segment a few milliseconds apart; then it closes the connection.

    >>> with ChunkyFramedEchoServer() as peer, socket.create_connection(peer.address, timeout=2) as c:
    ...     for m in (b"one", b"two", b""):
    ...         send_msg(c, m)
    ...     c.shutdown(socket.SHUT_WR)
    ...     recv_msg(c), recv_msg(c), recv_msg(c), recv_msg(c)
    (b'one', b'two', b'', None)
    """

    def __init__(self, pause: float = 0.003) -> None:
        super().__init__()
        self.pause = pause
        self.received: list[list[bytes]] = []
        self._lock = threading.Lock()

    def make_socket(self) -> socket.socket:
        """A TCP socket."""
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    def setup(self) -> None:
        """Listen."""
        self.sock.listen(8)

    def serve_once(self) -> None:
        """Serve one connection: read a batch, echo it in awkward pieces, close."""
        conn, _ = self.sock.accept()
        with conn:
            conn.settimeout(TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            batch: list[bytes] = []
            try:
                while True:
                    msg = recv_msg(conn)
                    if msg is None:
                        break
                    batch.append(msg)
            except (ConnectionError, socket.timeout, struct.error):
                pass
            with self._lock:
                self.received.append(batch)
            stream = b"".join(_HEADER.pack(len(m)) + m for m in batch)
            for piece in self.pieces(stream):
                conn.sendall(piece)
                time.sleep(self.pause)

    @staticmethod
    def pieces(stream: bytes) -> list[bytes]:
        """Cut ``stream`` into awkward pieces: 1, 2, 3, 61 bytes repeating, then 8191-byte pieces after 512 bytes.

        >>> ChunkyFramedEchoServer.pieces(bytes(range(12)))
        [b'\\x00', b'\\x01\\x02', b'\\x03\\x04\\x05', b'\\x06\\x07\\x08\\t\\n\\x0b']
        >>> [len(p) for p in ChunkyFramedEchoServer.pieces(bytes(20000))][-3:]
        [8191, 8191, 3082]
        """
        sizes = [1, 2, 3, 61]
        out: list[bytes] = []
        i = k = 0
        while i < len(stream):
            size = sizes[k % len(sizes)] if i < 512 else 8191
            out.append(stream[i:i + size])
            i += size
            k += 1
        return out
