"""Background servers that a notebook runs safely inside a ``with`` block.

A server binds 127.0.0.1 and port 0 (the OS picks a free port), polls with a
short socket timeout so that it notices when it is asked to stop, and is
stopped and joined when the ``with`` block ends, even after an exception.

Subclasses implement :meth:`BackgroundServer.make_socket` and
:meth:`BackgroundServer.serve_once`.

>>> import socket
>>> class Hello(BackgroundServer):
...     def make_socket(self):
...         return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
...     def serve_once(self):
...         data, peer = self.sock.recvfrom(2048)
...         self.sock.sendto(b"hello " + data, peer)
>>> with Hello() as srv, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
...     c.settimeout(2)
...     _ = c.sendto(b"you", srv.address)
...     c.recv(100)
b'hello you'
>>> srv.running
False
"""

from __future__ import annotations

import socket
import threading
from typing import Any

__all__ = ["BackgroundServer", "LOOPBACK", "POLL_INTERVAL"]

LOOPBACK = "127.0.0.1"
POLL_INTERVAL = 0.05  # seconds a server blocks before it checks whether to stop


class BackgroundServer:
    """Base class: a socket served by a daemon thread between ``start()`` and ``stop()``.

    ``address`` is the ``(host, port)`` the server is bound to, known once started.
    Errors in ``serve_once`` other than a time-out are kept in ``errors``
    (one line each) and do not stop the server.

    >>> BackgroundServer(host="10.0.0.1")
    Traceback (most recent call last):
    ...
    ValueError: netedu servers bind loopback only (127.0.0.0/8), not '10.0.0.1'
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0) -> None:
        if not host.startswith("127."):
            raise ValueError(f"netedu servers bind loopback only (127.0.0.0/8), not {host!r}")
        self.host = host
        self.port = port
        self.sock: socket.socket = None  # type: ignore[assignment]
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- for subclasses -------------------------------------------------
    def make_socket(self) -> socket.socket:
        """Create (not bind) the server's socket."""
        raise NotImplementedError

    def setup(self) -> None:
        """Called once after bind (``listen`` for TCP, for example)."""

    def serve_once(self) -> None:
        """Serve one step; may block up to the socket's timeout."""
        raise NotImplementedError

    def cleanup(self) -> None:
        """Called once in the server thread after the loop ends."""

    # -- life cycle -------------------------------------------------------
    @property
    def address(self) -> tuple[str, int]:
        """The bound ``(host, port)``."""
        host, port = self.sock.getsockname()[:2]
        return host, port

    @property
    def running(self) -> bool:
        """True while the server thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "BackgroundServer":
        """Bind, then serve in a daemon thread; returns self."""
        self.sock = self.make_socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.host, self.port))
        self.sock.settimeout(POLL_INTERVAL)
        self.setup()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.serve_once()
                except socket.timeout:
                    continue
                except OSError as exc:
                    if self._stop.is_set():
                        break
                    self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            self.cleanup()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop, wait for it, and close the socket."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.sock is not None:
            self.sock.close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
