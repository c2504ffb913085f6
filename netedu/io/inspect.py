"""Show a socket's local and remote address, and what ``ss`` says about its port.

:func:`describe` reads a socket's own view (``getsockname``/``getpeername``);
:func:`parse_ss` turns the text of ``ss -tuanp`` into :class:`SsRow` rows,
:func:`ss_rows` runs ``ss`` and keeps the rows of one port (with a
:mod:`psutil` fallback when ``ss`` is missing), and :func:`show` prints both.

>>> rows = parse_ss('udp UNCONN 0 0 127.0.0.1:40000 0.0.0.0:* users:(("python",pid=7,fd=5))')
>>> rows[0].netid, rows[0].local, rows[0].process
('udp', '127.0.0.1:40000', 'python')
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from dataclasses import dataclass

__all__ = ["SocketInfo", "SsRow", "describe", "parse_ss", "ss_rows", "psutil_rows", "show"]

_PROCESS = re.compile(r'users:\(\("([^"]*)"')


@dataclass(frozen=True)
class SocketInfo:
    """A socket's kind and its two ends, as the socket itself reports them.

    >>> SocketInfo("AF_INET", "SOCK_DGRAM", ("127.0.0.1", 5000), None).line()
    'AF_INET SOCK_DGRAM local 127.0.0.1:5000 remote (none: not connected)'
    """

    family: str
    type: str
    local: tuple[str, int] | None
    remote: tuple[str, int] | None

    def line(self) -> str:
        """One printable line."""
        loc = f"{self.local[0]}:{self.local[1]}" if self.local else "(none)"
        if self.local == ("0.0.0.0", 0):
            loc = "0.0.0.0:0 (not bound yet)"
        rem = f"{self.remote[0]}:{self.remote[1]}" if self.remote else "(none: not connected)"
        return f"{self.family} {self.type} local {loc} remote {rem}"


def describe(sock: socket.socket) -> SocketInfo:
    """Read a socket's family, type, local and remote address.

    >>> with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    ...     describe(s).line()
    'AF_INET SOCK_DGRAM local 0.0.0.0:0 (not bound yet) remote (none: not connected)'
    >>> describe("not a socket")
    Traceback (most recent call last):
    ...
    TypeError: expected a socket.socket, got a str
    """
    if not isinstance(sock, socket.socket):
        raise TypeError(f"expected a socket.socket, got a {type(sock).__name__}") from None
    try:
        local = sock.getsockname()
        local = (local[0], local[1]) if isinstance(local, tuple) else None
    except OSError:
        local = None
    try:
        remote = sock.getpeername()
        remote = (remote[0], remote[1]) if isinstance(remote, tuple) else None
    except OSError:
        remote = None
    return SocketInfo(sock.family.name, sock.type.name, local, remote)


@dataclass(frozen=True)
class SsRow:
    """One row of ``ss -tuanp``: protocol, state, queues, the two ends and the process name.

    >>> r = SsRow("udp", "UNCONN", 0, 0, "127.0.0.1:9001", "0.0.0.0:*")
    >>> r.local_port, r.peer_port
    (9001, None)
    >>> r.line()
    'udp   UNCONN       0      0  127.0.0.1:9001         0.0.0.0:*'
    >>> r.state = "ESTAB"
    Traceback (most recent call last):
    ...
    dataclasses.FrozenInstanceError: cannot assign to field 'state'
    """

    netid: str
    state: str
    recv_q: int
    send_q: int
    local: str
    peer: str
    process: str = ""

    @property
    def local_port(self) -> int | None:
        """The port after the last colon of ``local`` (None for ``*``)."""
        tail = self.local.rsplit(":", 1)[-1]
        return int(tail) if tail.isdigit() else None

    @property
    def peer_port(self) -> int | None:
        """The port after the last colon of ``peer`` (None for ``*``)."""
        tail = self.peer.rsplit(":", 1)[-1]
        return int(tail) if tail.isdigit() else None

    def line(self) -> str:
        """One printable line, like ``ss`` prints it (without the pid)."""
        return f"{self.netid:<5} {self.state:<7} {self.recv_q:>6} {self.send_q:>6}  {self.local:<22} {self.peer:<22} {self.process}".rstrip()


def parse_ss(text: str) -> list[SsRow]:
    """Parse the output of ``ss -tuanp`` (header lines are skipped).

    >>> out = '''Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
    ... tcp   ESTAB  0      0      127.0.0.1:5000     127.0.0.1:40000'''
    >>> r = parse_ss(out)[0]
    >>> r.state, r.local_port, r.peer_port, r.process
    ('ESTAB', 5000, 40000, '')
    """
    rows = []
    for raw in text.splitlines():
        parts = raw.split()
        if len(parts) < 6 or parts[0] == "Netid" or not parts[2].isdigit():
            continue
        m = _PROCESS.search(raw)
        rows.append(SsRow(parts[0], parts[1], int(parts[2]), int(parts[3]), parts[4], parts[5],
                          m.group(1) if m else ""))
    return rows


def psutil_rows(port: int) -> list[SsRow]:
    """The sockets of this machine on ``port``, read through :mod:`psutil` (no ``ss`` needed).

    >>> with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    ...     s.bind(("127.0.0.1", 0))
    ...     "udp" in [r.netid for r in psutil_rows(s.getsockname()[1])]  # (a TCP socket may share the number)
    True
    """
    import psutil

    rows = []
    for c in psutil.net_connections(kind="inet"):
        if not c.laddr or (c.laddr.port != port and not (c.raddr and c.raddr.port == port)):
            continue
        netid = "tcp" if c.type == socket.SOCK_STREAM else "udp"
        state = c.status if c.status != "NONE" else "UNCONN"
        peer = f"{c.raddr.ip}:{c.raddr.port}" if c.raddr else "0.0.0.0:*"
        rows.append(SsRow(netid, state, 0, 0, f"{c.laddr.ip}:{c.laddr.port}", peer))
    return rows


def ss_rows(port: int) -> list[SsRow]:
    """The rows of ``ss -tuanp`` whose local or peer port is ``port``; psutil if ``ss`` is missing.

    >>> with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    ...     s.bind(("127.0.0.1", 0))
    ...     [(r.netid, r.state) for r in ss_rows(s.getsockname()[1])]
    [('udp', 'UNCONN')]
    >>> ss_rows(70000)
    Traceback (most recent call last):
    ...
    ValueError: a port is a number from 1 to 65535, got 70000
    """
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError(f"a port is a number from 1 to 65535, got {port!r}") from None
    exe = shutil.which("ss")
    if exe is None:
        return psutil_rows(port)
    out = subprocess.run([exe, "-tuanp"], capture_output=True, text=True, timeout=10).stdout
    return [r for r in parse_ss(out) if port in (r.local_port, r.peer_port)]


def show(sock: socket.socket) -> str:
    """The socket's own view, then what ``ss`` says about its local port, as text to print.

    >>> with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    ...     s.bind(("127.0.0.1", 0))
    ...     text = show(s).replace(str(s.getsockname()[1]), "PORT")
    >>> print(text.splitlines()[0])
    socket: AF_INET SOCK_DGRAM local 127.0.0.1:PORT remote (none: not connected)
    >>> text.splitlines()[1].split()[:5]
    ['ss:', 'udp', 'UNCONN', '0', '0']
    """
    info = describe(sock)
    lines = [f"socket: {info.line()}"]
    if info.local and info.local[1]:
        rows = ss_rows(info.local[1])
        lines += [f"ss:     {r.line()}" for r in rows] or ["ss:     (no row for this port)"]
    else:
        lines.append("ss:     (not bound: the OS has not given it a port yet)")
    return "\n".join(lines)
