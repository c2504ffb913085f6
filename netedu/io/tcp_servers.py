"""TCP servers that run in the background inside a ``with`` block, on loopback.

:class:`TcpEchoServer` accepts clients one after another (an iterative
server: the second client waits in the listen queue until the first has
closed) and sends back every byte it receives. Other chapters and the
NetAssist widget's TCP mode use it as a peer.

>>> import socket
>>> with TcpEchoServer() as srv, socket.create_connection(srv.address, timeout=2) as c:
...     c.sendall(b"hello")
...     c.recv(100)
b'hello'
>>> TcpEchoServer(host="0.0.0.0")
Traceback (most recent call last):
...
ValueError: netedu servers bind loopback only (127.0.0.0/8), not '0.0.0.0'
"""

from __future__ import annotations

import socket

from netedu.io.servers import LOOPBACK, POLL_INTERVAL, BackgroundServer

__all__ = ["TcpEchoServer"]


class TcpEchoServer(BackgroundServer):
    """An iterative TCP echo server: one client at a time, every byte sent back.

    ``clients`` counts accepted connections, ``served`` the connections
    finished, ``bytes_echoed`` the bytes sent back; ``prefix`` is put before
    each chunk echoed (empty by default); ``nodelay`` turns off Nagle's
    algorithm (TCP_NODELAY) on each connection, for request/reply timings.

    >>> with TcpEchoServer(prefix=b">") as srv:
    ...     for word in (b"a", b"b"):
    ...         with socket.create_connection(srv.address, timeout=2) as c:
    ...             c.sendall(word)
    ...             _ = c.recv(10)
    ...     srv.clients
    2
    """

    def __init__(
        self, host: str = LOOPBACK, port: int = 0, prefix: bytes = b"", backlog: int = 5, *, nodelay: bool = False
    ) -> None:
        super().__init__(host=host, port=port)
        self.prefix = prefix
        self.backlog = backlog
        self.nodelay = nodelay
        self.clients = 0
        self.served = 0
        self.bytes_echoed = 0

    def make_socket(self) -> socket.socket:
        """Create (not bind) the server's TCP socket (``AF_INET``, ``SOCK_STREAM``).

        >>> with TcpEchoServer().make_socket() as s:
        ...     s.family.name, s.type.name
        ('AF_INET', 'SOCK_STREAM')
        """
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    def setup(self) -> None:
        """Turn the bound socket into a listening one, with a queue of ``backlog`` clients.

        ``start()`` calls it once, after bind.

        >>> srv = TcpEchoServer(backlog=1)
        >>> srv.sock = srv.make_socket(); srv.sock.bind(("127.0.0.1", 0))
        >>> srv.setup()
        >>> srv.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        1
        >>> srv.sock.close()
        """
        self.sock.listen(self.backlog)

    def serve_once(self) -> None:
        """Accept one client and echo its bytes until it closes (or the server is stopped).

        ``start()`` calls it in a loop; with no client waiting it raises
        ``TimeoutError`` after the socket's timeout, which the loop ignores.

        >>> srv = TcpEchoServer()
        >>> srv.sock = srv.make_socket(); srv.sock.bind(("127.0.0.1", 0)); srv.setup()
        >>> srv.sock.settimeout(2)
        >>> with socket.create_connection(srv.address, timeout=2) as c:
        ...     c.sendall(b"hi"); c.shutdown(socket.SHUT_WR)
        ...     srv.serve_once()
        ...     c.recv(10)
        b'hi'
        >>> srv.clients, srv.served, srv.bytes_echoed
        (1, 1, 2)
        >>> srv.sock.settimeout(0.01)
        >>> srv.serve_once()
        Traceback (most recent call last):
        ...
        TimeoutError: timed out
        >>> srv.sock.close()
        """
        conn, _peer = self.sock.accept()
        self.clients += 1
        with conn:
            try:
                conn.settimeout(POLL_INTERVAL)
                if self.nodelay:
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65_536)
                    except socket.timeout:
                        continue
                    except OSError:
                        return
                    if not data:
                        return
                    conn.sendall(self.prefix + data)
                    self.bytes_echoed += len(data)
            finally:
                self.served += 1
