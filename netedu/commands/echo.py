"""``netedu echo udp|tcp``: an echo server on loopback for testing a client from a terminal.

It prints one line per datagram (or per chunk for TCP) and runs until Ctrl-C,
or until ``--count`` messages have been echoed. It binds 127.0.0.1 (or another
127.x address) only; ``--port 0`` lets the OS choose and prints the port.

>>> import argparse
>>> p = argparse.ArgumentParser(); sub = p.add_subparsers()
>>> register(sub)
>>> a = p.parse_args(["echo", "udp", "--count", "2"])
>>> a.protocol, a.port, a.host, a.count
('udp', 9001, '127.0.0.1', 2)
"""

from __future__ import annotations

import argparse
import sys


def _fail(msg: str, code: int) -> int:
    print(f"netedu: {msg}", file=sys.stderr)
    return code


def _udp(args: argparse.Namespace) -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.5)
        try:
            s.bind((args.host, args.port))
        except OSError as exc:
            return _fail(f"cannot bind UDP {args.host}:{args.port}: {exc.strerror or exc}", 1)
        host, port = s.getsockname()[:2]
        print(f"UDP echo server on {host}:{port} (Ctrl-C to stop)", flush=True)
        n = 0
        while args.count is None or n < args.count:
            try:
                data, peer = s.recvfrom(65_535)
            except socket.timeout:
                continue
            s.sendto(data, peer)
            n += 1
            print(f"#{n} {len(data)} bytes from {peer[0]}:{peer[1]}: {data!r}", flush=True)
    return 0


def _tcp(args: argparse.Namespace) -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(0.5)
        try:
            s.bind((args.host, args.port))
        except OSError as exc:
            return _fail(f"cannot bind TCP {args.host}:{args.port}: {exc.strerror or exc}", 1)
        s.listen(5)
        host, port = s.getsockname()[:2]
        print(f"TCP echo server on {host}:{port}, one client at a time (Ctrl-C to stop)", flush=True)
        n = 0
        while args.count is None or n < args.count:
            try:
                conn, peer = s.accept()
            except socket.timeout:
                continue
            print(f"client {peer[0]}:{peer[1]} connected", flush=True)
            with conn:
                conn.settimeout(30)
                while args.count is None or n < args.count:
                    try:
                        data = conn.recv(65_536)
                    except (socket.timeout, OSError):
                        break
                    if not data:
                        break
                    conn.sendall(data)
                    n += 1
                    print(f"#{n} {len(data)} bytes from {peer[0]}:{peer[1]}: {data!r}", flush=True)
            print(f"client {peer[0]}:{peer[1]} closed", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the echo server chosen by ``args``; 0 on Ctrl-C or after ``--count``.

    A bad ``--host``, ``--port`` or ``--count`` prints one ``netedu:`` line on
    stderr and returns 2 before any socket is made; a port that cannot be bound returns 1.

    >>> run(argparse.Namespace(protocol="udp", host="10.0.0.1", port=9001, count=None))
    2
    >>> run(argparse.Namespace(protocol="tcp", host="127.0.0.1", port=9001, count=0))
    2
    """
    from netedu.io.udp import check_loopback

    try:
        check_loopback(args.host)
    except ValueError as exc:
        return _fail(str(exc), 2)
    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be from 0 to 65535, got {args.port}", 2)
    if args.count is not None and args.count < 1:
        return _fail(f"--count must be at least 1, got {args.count}", 2)
    try:
        return _udp(args) if args.protocol == "udp" else _tcp(args)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``netedu echo udp|tcp`` to the command's parser.

    >>> p = argparse.ArgumentParser(prog="netedu"); register(p.add_subparsers())
    >>> a = p.parse_args(["echo", "tcp", "--port", "0"])
    >>> a.protocol, a.port, a.func is run
    ('tcp', 0, True)
    """
    p = sub.add_parser("echo", help="run a UDP or TCP echo server on loopback (like the notes' echo服务器)")
    p.add_argument("protocol", choices=["udp", "tcp"], help="udp: echo each datagram; tcp: echo each client's bytes")
    p.add_argument("--port", type=int, default=9001, help="port to bind (default 9001, as in the notes; 0: the OS chooses)")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    p.add_argument("--count", type=int, default=None, help="stop after echoing this many messages")
    p.set_defaults(func=run)
