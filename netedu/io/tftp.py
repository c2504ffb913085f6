"""TFTP over real UDP sockets: a server for many concurrent transfers, and a client.

The protocol lives in :mod:`netedu.protocols.tftp`; this module only moves its
datagrams, keeps the clock, and touches files. Each transfer gets its own
socket, so its own port: the transfer ID (TID) of RFC 1350 sec. 4. A datagram
from any other port is answered with ERROR 5 and the transfer goes on.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as root:
...     _ = (pathlib.Path(root) / "hello.txt").write_bytes(b"hello, world\\n")
...     with TftpServer(root) as server:
...         stats = tftp_get(*server.address, "hello.txt")
...         try:
...             tftp_get(*server.address, "../etc/passwd")
...         except TransferError as exc:
...             print(exc)
TFTP error 2 (ACCESS_VIOLATION): Access violation: '../etc/passwd' goes outside the served folder ('..' is not allowed)
>>> stats.data, stats.bytes
(b'hello, world\\n', 13)
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from netedu.codecs.tftp import (
    MAX_BLKSIZE,
    Error,
    ErrorCode,
    OptionError,
    ReadRequest,
    WriteRequest,
    decode,
    from_netascii,
    to_netascii,
)
from netedu.errors import PacketError
from netedu.io.servers import LOOPBACK, POLL_INTERVAL, BackgroundServer
from netedu.protocols.tftp import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ClientTransfer,
    LogEntry,
    ServerTransfer,
    TransferError,
    error_packet,
)

__all__ = ["TftpServer", "TransferRecord", "TransferStats", "tftp_get", "tftp_put", "TransferError", "window_limit", "safe_path"]

log = logging.getLogger("netedu.tftp")

_READ_BUFFER = 1 << 18  # bytes read from disk at a time: one system call per many blocks
_UDP_OVERHEAD = 1024  # bytes the kernel charges per queued datagram beyond its payload (estimate)


def window_limit(blksize: int, rcvbuf: int) -> int:
    """The largest window whose DATA fits in a receive buffer of ``rcvbuf`` bytes.

    A window bigger than the receiver's buffer loses datagrams even on loopback.

    >>> window_limit(1468, 425984)
    170
    >>> window_limit(65464, 425984)
    6
    >>> window_limit(8, 0)
    Traceback (most recent call last):
    ...
    ValueError: rcvbuf must be > 0 bytes, got 0
    """
    if rcvbuf <= 0:
        raise ValueError(f"rcvbuf must be > 0 bytes, got {rcvbuf}")
    return max(1, min(65535, rcvbuf // (blksize + 4 + _UDP_OVERHEAD)))


def _big_buffers(sock: socket.socket, size: int = 4 << 20) -> int:
    """Ask for large socket buffers (the kernel caps them); return the receive buffer granted."""
    for opt in (socket.SO_RCVBUF, socket.SO_SNDBUF):
        try:
            sock.setsockopt(socket.SOL_SOCKET, opt, size)
        except OSError:  # pragma: no cover - refused: keep the default
            pass
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def safe_path(root: Path, filename: str) -> Path:
    """The file under ``root`` that ``filename`` names, or ``PermissionError`` with the reason.

    Refused: absolute names, ``..``, NUL bytes, backslashes, and names whose real
    path (after symlinks) is outside ``root``.

    >>> safe_path(Path("/srv/tftp"), "boot/pxelinux.0")
    PosixPath('/srv/tftp/boot/pxelinux.0')
    >>> safe_path(Path("/srv/tftp"), "/etc/passwd")
    Traceback (most recent call last):
    ...
    PermissionError: '/etc/passwd' is an absolute path: name a file inside the served folder
    """
    if "\0" in filename:
        raise PermissionError(f"{filename!r} contains a NUL byte")
    if filename.startswith("/"):
        raise PermissionError(f"{filename!r} is an absolute path: name a file inside the served folder")
    if "\\" in filename:
        raise PermissionError(f"{filename!r} contains a backslash")
    parts = filename.split("/")
    if ".." in parts:
        raise PermissionError(f"{filename!r} goes outside the served folder ('..' is not allowed)")
    if not filename or all(p in ("", ".") for p in parts):
        raise PermissionError(f"{filename!r} names no file")
    root_real = Path(os.path.realpath(root))
    path = root_real.joinpath(*[p for p in parts if p not in ("", ".")])
    real = Path(os.path.realpath(path))
    if real != root_real and root_real not in real.parents:
        raise PermissionError(f"{filename!r} leads outside the served folder (through a symbolic link)")
    return path


@dataclass
class TransferRecord:
    """What a server remembers of one transfer (one log line).

    >>> r = TransferRecord(("127.0.0.1", 4000), "WRQ", "up.txt")
    >>> r.ok, r.bytes, r.rate, r.options
    (False, 0, 0.0, {})
    >>> TransferRecord(("127.0.0.1", 4000), "RRQ")
    Traceback (most recent call last):
    ...
    TypeError: TransferRecord.__init__() missing 1 required positional argument: 'filename'
    """

    peer: tuple[str, int]
    kind: str  # "RRQ" or "WRQ"
    filename: str
    bytes: int = 0
    seconds: float = 0.0
    ok: bool = False
    error: str = ""
    options: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Megabytes (10^6 bytes) per second."""
        return self.bytes / self.seconds / 1e6 if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The log line: peer, file, bytes, time, rate, outcome.

        >>> TransferRecord(("127.0.0.1", 4000), "RRQ", "a.bin", 2_000_000, 0.5, True).line()
        "127.0.0.1:4000 RRQ 'a.bin' 2000000 bytes in 0.500 s (4.00 MB/s) ok"
        """
        outcome = "ok" if self.ok else f"FAILED: {self.error}"
        return (
            f"{self.peer[0]}:{self.peer[1]} {self.kind} {self.filename!r} {self.bytes} bytes "
            f"in {self.seconds:.3f} s ({self.rate:.2f} MB/s) {outcome}"
        )


def _set_timeout(sock: socket.socket, seconds: float) -> None:
    """A receive timeout kept by the kernel (SO_RCVTIMEO) on a blocking socket.

    ``settimeout`` would make Python poll() before every recv and send: two
    system calls more per packet. With SO_RCVTIMEO a recv that waits too long
    raises ``BlockingIOError`` instead of ``socket.timeout``.
    """
    seconds = max(seconds, 0.0005)
    sec = int(seconds)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, _TIMEVAL.pack(sec, int((seconds - sec) * 1e6)))


_TIMEVAL = struct.Struct("@ll")


def _drive(
    sock: socket.socket,
    peer: tuple[str, int] | None,
    machine: ServerTransfer | ClientTransfer,
    first: list[bytes],
    stop: threading.Event | None = None,
    progress: Callable[[int, int | None], Any] | None = None,
    initial: tuple[str, int] | None = None,
    on_done: Callable[[list[bytes]], list[bytes]] | None = None,
) -> tuple[str, int] | None:
    """Move datagrams between ``sock`` and ``machine`` until the transfer is over.

    ``peer`` is the other end's (host, port). A client passes None and the
    server's request address as ``initial``: the first answer from that host
    fixes the server's TID (RFC 1350 sec. 4); until then resends go to ``initial``.
    ``on_done(packets)`` runs when the transfer completes, before its last
    packets go out, and returns what to send instead (the server stores an
    upload before it sends the final ACK).
    """
    monotonic = time.monotonic
    send = sock.sendto
    recv = sock.recvfrom
    receive = machine.receive
    timeout = machine.timeout
    sends_data = machine._sends_data
    if sends_data:
        bufsize = 1024  # ACKs and ERRORs only
    else:
        bufsize = max(machine.blksize, int(machine.request.options.get("blksize", 512))) + 5
    sock.settimeout(None)  # blocking, with the kernel's timeout instead (see _set_timeout)
    _set_timeout(sock, timeout)
    for d in first:
        send(d, peer if peer is not None else initial)
    short = False
    next_progress = 0
    while not machine.finished:
        try:
            data, addr = recv(bufsize)
        except (socket.timeout, BlockingIOError, ConnectionRefusedError):
            now = monotonic()
            deadline = machine.next_timeout()
            if deadline is not None and now >= deadline:
                for d in machine.handle_timeout(now):
                    send(d, peer if peer is not None else initial)
            if stop is not None and stop.is_set():
                raise TransferError(0, "server stopped")
            deadline = machine.next_timeout()
            if deadline is not None:
                _set_timeout(sock, deadline - monotonic())
                short = True
            continue
        if addr != peer:
            if peer is None and initial is not None and addr[0] == initial[0]:
                peer = addr  # RFC 1350 sec. 4: the server's first answer chooses its TID
            else:
                # RFC 1350 sec. 4: a stranger gets ERROR 5; our transfer goes on
                try:
                    send(error_packet(ErrorCode.UNKNOWN_TID, "Unknown transfer ID: this port serves another transfer"), addr)
                except OSError:
                    pass
                continue
        now = monotonic()
        out = receive(data, now)
        if on_done is not None and machine.done:
            out = on_done(out)
            on_done = None
        if out:
            for d in out:
                send(d, peer)
            if short or machine.timeout != timeout:  # back to the full timeout (or the negotiated one)
                timeout = machine.timeout
                _set_timeout(sock, timeout)
                short = False
        else:
            # nothing to send (a block inside a window, a duplicate, junk): the kernel's timeout
            # is not moved for each packet (a system call); the timer is checked here instead
            deadline = machine.next_timeout()
            if deadline is not None and now >= deadline:
                for d in machine.handle_timeout(now):
                    send(d, peer)
        if progress is not None and machine.bytes >= next_progress:
            progress(machine.bytes, machine.tsize)
            next_progress = machine.bytes + (1 << 16)
    if progress is not None:
        progress(machine.bytes, machine.tsize)
    return peer


class TftpServer(BackgroundServer):
    """A TFTP server for the files under ``root``, run in a ``with`` block.

    Reads are always allowed; writes only with ``allow_write`` and, over an
    existing file, only with ``allow_overwrite``. Uploads go to a temporary file
    that is renamed into place once complete, so a failed upload leaves nothing.
    Each transfer runs in its own thread with its own socket. One line per
    transfer goes to the ``netedu.tftp`` logger, to ``on_log`` if given, and to
    ``records``.

    >>> TftpServer("/no/such/folder")
    Traceback (most recent call last):
    ...
    NotADirectoryError: TFTP root '/no/such/folder' is not a folder
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        host: str = LOOPBACK,
        port: int = 0,
        allow_write: bool = False,
        allow_overwrite: bool = False,
        max_blksize: int = MAX_BLKSIZE,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        max_transfers: int = 256,
        on_log: Callable[[str], Any] | None = None,
        allow_remote: bool = False,
    ) -> None:
        super().__init__(LOOPBACK, port)
        if host != LOOPBACK:
            if not host.startswith("127.") and not allow_remote:
                raise ValueError(f"netedu servers bind loopback only (127.0.0.0/8), not {host!r}")
            self.host = host
        self.root = Path(root)
        if not self.root.is_dir():
            raise NotADirectoryError(f"TFTP root {str(root)!r} is not a folder")
        if not 8 <= max_blksize <= MAX_BLKSIZE:
            raise ValueError(f"max_blksize={max_blksize} out of range: expected 8-65464 (RFC 2348)")
        self.allow_write = allow_write
        self.allow_overwrite = allow_overwrite
        self.max_blksize = max_blksize
        self.timeout = timeout
        self.retries = retries
        self.max_transfers = max_transfers
        self.on_log = on_log
        self.records: list[TransferRecord] = []
        self._active: dict[tuple[str, int], threading.Thread] = {}
        self._lock = threading.Lock()

    def make_socket(self) -> socket.socket:
        """The well-known port's socket: it only receives requests."""
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def serve_once(self) -> None:
        """Receive one request and start its transfer thread (or answer an ERROR)."""
        data, peer = self.sock.recvfrom(4096)
        with self._lock:
            for p in [p for p, t in self._active.items() if not t.is_alive()]:
                del self._active[p]
            if peer in self._active:
                return  # the same client resent its request: its transfer already answers
            busy = len(self._active) >= self.max_transfers
        try:
            request = decode(data)
        except OptionError as exc:
            self._reply(peer, ErrorCode.OPTION_REFUSED, f"Option refused: {exc}")
            return
        except PacketError as exc:
            self._reply(peer, ErrorCode.ILLEGAL_OPERATION, f"Illegal TFTP operation: {exc}")
            return
        if isinstance(request, Error):
            return  # RFC 1350 sec. 7: an ERROR is not acknowledged; answering one could loop
        if not isinstance(request, (ReadRequest, WriteRequest)):
            self._reply(
                peer, ErrorCode.ILLEGAL_OPERATION if request.opcode != 3 and request.opcode != 4 else ErrorCode.UNKNOWN_TID,
                f"Expected a read or write request (RRQ/WRQ) on this port, got opcode {int(request.opcode)} {request.opcode.name}",
            )
            return
        if busy:
            self._reply(peer, ErrorCode.NOT_DEFINED, "Server busy: too many transfers, try again later")
            return
        thread = threading.Thread(target=self._transfer, args=(request, peer), name=f"tftp-{peer[1]}", daemon=True)
        with self._lock:
            self._active[peer] = thread
        thread.start()

    def _reply(self, peer: tuple[str, int], code: int, message: str) -> None:
        try:
            self.sock.sendto(error_packet(code, message[:400]), peer)
        except OSError:  # pragma: no cover
            pass

    def _emit(self, record: TransferRecord) -> None:
        with self._lock:
            self.records.append(record)
        line = record.line()
        log.info(line)
        if self.on_log is not None:
            self.on_log(line)

    def _open(self, request: ReadRequest | WriteRequest) -> tuple[Path, BinaryIO | bytes, int | None]:
        """Check the request against the root and the permissions; raise TransferError to refuse."""
        if request.mode == "mail":
            raise TransferError(ErrorCode.ILLEGAL_OPERATION, "Illegal TFTP operation: mode 'mail' is obsolete (RFC 1350)")
        try:
            path = safe_path(self.root, request.filename)
        except PermissionError as exc:
            raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: {exc}") from None
        if isinstance(request, ReadRequest):
            if not path.exists():
                raise TransferError(ErrorCode.FILE_NOT_FOUND, f"File not found: {request.filename!r}")
            if not path.is_file():
                raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: {request.filename!r} is not a regular file")
            try:
                if request.mode == "netascii":
                    data = to_netascii(path.read_bytes())
                    return path, data, len(data)
                f = open(path, "rb", buffering=_READ_BUFFER)
            except OSError as exc:
                raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: cannot read {request.filename!r}: {exc.strerror}") from None
            return path, f, os.fstat(f.fileno()).st_size
        if not self.allow_write:
            raise TransferError(ErrorCode.ACCESS_VIOLATION, "Access violation: this server does not accept uploads (start it with --allow-write)")
        if path.exists() and not self.allow_overwrite:
            raise TransferError(ErrorCode.FILE_EXISTS, f"File already exists: {request.filename!r} (start the server with --allow-overwrite)")
        if path.exists() and not path.is_file():
            raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: {request.filename!r} is not a regular file")
        if not path.parent.is_dir():
            raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: no folder for {request.filename!r}")
        try:
            tmp = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False)
        except OSError as exc:
            raise TransferError(ErrorCode.ACCESS_VIOLATION, f"Access violation: cannot write: {exc.strerror}") from None
        return path, tmp, None  # type: ignore[return-value]

    def _transfer(self, request: ReadRequest | WriteRequest, peer: tuple[str, int]) -> None:
        kind = "RRQ" if isinstance(request, ReadRequest) else "WRQ"
        record = TransferRecord(peer, kind, request.filename)
        start = time.monotonic()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        fileobj: Any = None
        emitted = False
        try:
            sock.bind((self.host, 0))  # a new port: this transfer's TID (RFC 1350 sec. 4)
            rcvbuf = _big_buffers(sock) if ("windowsize" in request.options or "blksize" in request.options) else 0
            try:
                path, fileobj, size = self._open(request)
            except TransferError as exc:
                sock.sendto(error_packet(exc.code, exc.message), peer)
                record.error = exc.message
                return
            blk = min(int(request.options.get("blksize", 512)), self.max_blksize)
            kwargs: dict[str, Any] = dict(
                max_blksize=self.max_blksize, timeout=self.timeout, retries=self.retries,
                max_windowsize=window_limit(blk, rcvbuf) if rcvbuf else 65535,
            )
            if kind == "RRQ":
                machine = ServerTransfer(request, source=fileobj, size=size, **kwargs)
            elif request.mode == "netascii":
                machine = ServerTransfer(request, **kwargs)
            else:
                machine = ServerTransfer(request, sink=fileobj, **kwargs)
            record.options = dict(machine.options)
            committed: list[str] = []

            def commit(out: list[bytes]) -> list[bytes]:
                # store the upload before the final ACK, so a client that saw it finds the file
                try:
                    if request.mode == "netascii":
                        fileobj.write(from_netascii(bytes(machine.received or b"")))
                    fileobj.close()
                    self._commit(Path(fileobj.name), path)
                except TransferError as exc:
                    committed.append(exc.message)
                    return [error_packet(exc.code, exc.message)]
                except OSError as exc:
                    committed.append(f"cannot store the file: {exc.strerror}")
                    return [error_packet(ErrorCode.DISK_FULL, f"Disk full or allocation exceeded: {exc.strerror}")]
                committed.append("")
                return out

            try:
                first = machine.start(time.monotonic())
                if kind == "WRQ" and machine.done:  # pragma: no cover - a WRQ is never done at start
                    first = commit(first)
                _drive(sock, peer, machine, first, self._stop, on_done=commit if kind == "WRQ" else None)
            except TransferError as exc:  # the server is stopping: tell the client
                record.error = exc.message
                try:
                    sock.sendto(error_packet(ErrorCode.NOT_DEFINED, "Server shutting down"), peer)
                except OSError:
                    pass
                return
            finally:
                record.bytes = machine.bytes
            if not machine.done:
                err = machine.error
                record.error = f"ERROR {int(err.code)}: {err.message}" if err is not None else "failed"
                return
            if kind == "WRQ" and (not committed or committed[0]):
                record.error = committed[0] if committed else "not stored"
                return
            record.ok = True
            if kind == "WRQ":  # dally: if our last ACK is lost, the client sends the last DATA again
                record.seconds = time.monotonic() - start
                self._emit(record)
                emitted = True
                self._dally(sock, peer, machine)
        except OSError as exc:
            record.error = f"{type(exc).__name__}: {exc}"
        finally:
            if not record.seconds:
                record.seconds = time.monotonic() - start
            if fileobj is not None and not isinstance(fileobj, bytes):
                fileobj.close()
                if kind == "WRQ" and not record.ok:
                    try:
                        os.unlink(fileobj.name)  # a failed upload leaves nothing behind
                    except OSError:
                        pass
            sock.close()
            if not emitted:
                self._emit(record)

    def _commit(self, tmp: Path, path: Path) -> None:
        """Move a complete upload into place, atomically."""
        if self.allow_overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite
        except FileExistsError:
            os.unlink(tmp)
            raise TransferError(ErrorCode.FILE_EXISTS, f"File already exists: {path.name!r}") from None
        os.unlink(tmp)

    def _dally(self, sock: socket.socket, peer: tuple[str, int], machine: ServerTransfer) -> None:
        end = time.monotonic() + min(self.timeout * 2, 3.0)
        while not self._stop.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            sock.settimeout(min(left, POLL_INTERVAL * 4))
            try:
                data, addr = sock.recvfrom(machine.blksize + 5)
            except (socket.timeout, ConnectionRefusedError):
                continue
            if addr == peer:
                for d in machine.receive(data, time.monotonic()):
                    sock.sendto(d, peer)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting requests, end running transfers, and wait for their threads."""
        super().stop(timeout)
        with self._lock:
            threads = list(self._active.values())
        end = time.monotonic() + timeout
        for t in threads:
            t.join(max(0.0, end - time.monotonic()))


@dataclass
class TransferStats:
    """The outcome of a client transfer.

    >>> s = TransferStats("f.bin", 1024, 0.25, 3, 1, {"blksize": 512}, ("127.0.0.1", 6969))
    >>> s.blocks, s.retransmissions, s.data, s.log
    (3, 1, None, [])
    >>> s.rate
    0.004096
    """

    filename: str
    bytes: int
    seconds: float
    blocks: int
    retransmissions: int
    options: dict[str, int]
    peer: tuple[str, int]
    data: bytes | None = None  # the file, when tftp_get was not given a local path
    log: list[LogEntry] = field(default_factory=list)  # with trace=True: each packet, times from the start

    @property
    def rate(self) -> float:
        """Megabytes (10^6 bytes) per second.

        >>> TransferStats("f", 3_000_000, 1.5, 5860, 0, {}, ("127.0.0.1", 1)).rate
        2.0
        """
        return self.bytes / self.seconds / 1e6 if self.seconds > 0 else 0.0


def _relative(log: list[LogEntry], start: float) -> list[LogEntry]:
    return [e._replace(time=max(0.0, e.time - start)) for e in log]


def _client_transfer(host: str, port: int, machine: ClientTransfer, progress: Any) -> tuple[str, int]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        if "windowsize" in machine.request.options or "blksize" in machine.request.options:
            _big_buffers(sock)
        sock.settimeout(machine.timeout)
        host = socket.gethostbyname(host)
        peer = _drive(sock, None, machine, machine.start(time.monotonic()), None, progress, (host, port))
    if not machine.done:
        err = machine.error
        if err is None:  # pragma: no cover
            raise TransferError(0, "transfer did not complete")
        raise TransferError(int(err.code), err.message)
    assert peer is not None
    return peer


def _window_for(blksize: int, windowsize: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        return min(windowsize, window_limit(blksize, _big_buffers(s)))


def tftp_get(
    host: str,
    port: int,
    remote: str,
    local: str | os.PathLike[str] | None = None,
    *,
    blksize: int = 512,
    windowsize: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    mode: str = "octet",
    progress: Callable[[int, int | None], Any] | None = None,
    trace: bool = False,
) -> TransferStats:
    """Download ``remote`` from the server at ``host:port``; return :class:`TransferStats`.

    With ``local`` the file is written there (through a temporary file renamed
    only once complete, so a failed download leaves nothing); without it the
    bytes are in ``stats.data``. Options are only sent when they differ from
    the RFC 1350 defaults. ``progress(done, total)`` is called as blocks arrive.
    With ``trace=True``, ``stats.log`` lists every packet sent and received.
    Raises :class:`TransferError` when the server refuses or stops answering.

    >>> tftp_get("127.0.0.1", 9, "x", blksize=4)
    Traceback (most recent call last):
    ...
    netedu.codecs.tftp.OptionError: option blksize=4 out of range: expected 8-65464 (RFC 2348)
    """
    win = _window_for(blksize, windowsize) if windowsize > 1 else 1
    tmp: Any = None
    sink: Any = None
    if local is not None:
        local = Path(local)
        tmp = tempfile.NamedTemporaryFile(dir=local.parent if str(local.parent) else ".", prefix=f".{local.name}.", suffix=".part", delete=False)
        sink = tmp if mode == "octet" else None
    try:
        machine = ClientTransfer.read(
            remote, mode=mode, blksize=blksize if blksize != 512 else None, windowsize=win if win != 1 else None,
            tsize=progress is not None, sink=sink, timeout=timeout, retries=retries, trace=trace,
        )
        start = time.monotonic()
        peer = _client_transfer(host, port, machine, progress)
        seconds = time.monotonic() - start
        if "tsize" in machine.options and machine.bytes != machine.tsize:  # never call a short file complete
            raise TransferError(0, f"short file: {machine.bytes} bytes received, the server announced {machine.tsize} (tsize)")
        data = None
        if sink is None:
            data = bytes(machine.received or b"")
            if mode == "netascii":
                data = from_netascii(data)
        if tmp is not None:
            if data is not None:
                tmp.write(data)
                data = None
            tmp.close()
            os.replace(tmp.name, local)  # type: ignore[arg-type]
            tmp = None
        return TransferStats(
            remote, machine.bytes, seconds, machine.blocks, machine.retransmissions, machine.options, peer, data,
            _relative(machine.log, start),
        )
    finally:
        if tmp is not None:  # failed: remove the partial download
            tmp.close()
            try:
                os.unlink(tmp.name)
            except OSError:
                pass


def tftp_put(
    host: str,
    port: int,
    local: str | os.PathLike[str] | bytes,
    remote: str | None = None,
    *,
    blksize: int = 512,
    windowsize: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    mode: str = "octet",
    progress: Callable[[int, int | None], Any] | None = None,
    trace: bool = False,
) -> TransferStats:
    """Upload ``local`` (a path, or bytes) as ``remote`` to the server at ``host:port``.

    ``remote`` defaults to the local file's name. Raises :class:`TransferError`
    when the server refuses (for example ERROR 6, file exists) or stops answering.

    >>> tftp_put("127.0.0.1", 9, b"data")
    Traceback (most recent call last):
    ...
    ValueError: tftp_put needs a remote name when local is bytes
    """
    if isinstance(local, (bytes, bytearray)):
        if remote is None:
            raise ValueError("tftp_put needs a remote name when local is bytes")
        source: Any = bytes(local)
        size = len(source)
        closer = None
    else:
        path = Path(local)
        remote = remote or path.name
        if mode == "netascii":
            source = to_netascii(path.read_bytes())
            size = len(source)
            closer = None
        else:
            source = closer = open(path, "rb")
            size = os.fstat(source.fileno()).st_size
    if mode == "netascii" and isinstance(source, bytes) and isinstance(local, (bytes, bytearray)):
        source = to_netascii(source)
        size = len(source)
    try:
        win = _window_for(blksize, windowsize) if windowsize > 1 else 1
        machine = ClientTransfer.write(
            remote, source, mode=mode, blksize=blksize if blksize != 512 else None,
            windowsize=win if win != 1 else None, size=size if progress is not None else None,
            timeout=timeout, retries=retries, trace=trace,
        )
        machine.tsize = size
        start = time.monotonic()
        peer = _client_transfer(host, port, machine, progress)
        return TransferStats(
            remote, machine.bytes, time.monotonic() - start, machine.blocks, machine.retransmissions, machine.options, peer,
            None, _relative(machine.log, start),
        )
    finally:
        if closer is not None:
            closer.close()
