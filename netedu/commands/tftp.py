"""``netedu tftp``: serve a folder over TFTP, or get and put files.

::

    netedu tftp serve --root DIR [--host 127.0.0.1] [--port N] [--allow-write]
                      [--allow-overwrite] [--max-blksize N]
    netedu tftp get HOST[:PORT] REMOTE [LOCAL]   [--blksize N] [--windowsize N] [--timeout S] [--retries N]
    netedu tftp put HOST[:PORT] LOCAL [REMOTE]   (same options)

The server logs one line per transfer on stderr. ``get`` and ``put`` show a
progress bar when stderr is a terminal, and exit 1 with one ``netedu:`` line
when the transfer fails (a failed download leaves no file behind).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_PORT = 69  # RFC 1350 sec. 4: requests go to the well-known port 69


def parse_hostport(text: str) -> tuple[str, int]:
    """Split ``HOST[:PORT]``; the port defaults to 69.

    >>> parse_hostport("127.0.0.1:6969")
    ('127.0.0.1', 6969)
    >>> parse_hostport("localhost")
    ('localhost', 69)
    >>> parse_hostport("127.0.0.1:x")
    Traceback (most recent call last):
    ...
    ValueError: bad port 'x' in '127.0.0.1:x': expected a number 1-65535
    """
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, DEFAULT_PORT
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"bad port {port!r} in {text!r}: expected a number 1-65535")
    if not host:
        raise ValueError(f"no host in {text!r}: expected HOST[:PORT]")
    return host, int(port)


def progress_bar(stream: Any = None, width: int = 30) -> Any:
    """A ``progress(done, total)`` callback drawing a bar on ``stream`` (stderr).

    >>> import io
    >>> out = io.StringIO()
    >>> bar = progress_bar(out, width=10)
    >>> bar(512, 1024)
    >>> out.getvalue()
    '\\r[#####     ]  50%  512 of 1024 bytes'
    """
    stream = stream or sys.stderr

    def show(done: int, total: int | None) -> None:
        if total:
            frac = min(done / total, 1.0)
            filled = int(frac * width)
            stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {frac:4.0%}  {done} of {total} bytes")
        else:
            stream.write(f"\r{done} bytes")
        stream.flush()

    return show


def _serve(args: argparse.Namespace) -> int:
    import logging
    import time
    from pathlib import Path

    from netedu.io.tftp import TftpServer

    root = Path(args.root).expanduser()
    if not root.is_dir():
        print(f"netedu: --root {str(root)!r} is not a folder", file=sys.stderr)
        return 2
    try:
        server = TftpServer(
            root, host=args.host, port=args.port, allow_write=args.allow_write,
            allow_overwrite=args.allow_overwrite, max_blksize=args.max_blksize,
            on_log=lambda line: print(line, file=sys.stderr, flush=True), allow_remote=True,
        )
    except ValueError as exc:
        print(f"netedu: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("netedu.tftp").propagate = False
    try:
        server.start()
    except OSError as exc:
        print(f"netedu: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    host, port = server.address
    writes = "uploads allowed" + (" (overwriting)" if args.allow_overwrite else "") if args.allow_write else "read-only"
    print(f"netedu: serving {root} over TFTP on {host}:{port}, {writes}; Ctrl-C stops", file=sys.stderr, flush=True)
    try:
        while server.running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _transfer(args: argparse.Namespace) -> int:
    from pathlib import Path

    from netedu.errors import PacketError
    from netedu.io.tftp import TransferError, tftp_get, tftp_put

    try:
        host, port = parse_hostport(args.server)
    except ValueError as exc:
        print(f"netedu: {exc}", file=sys.stderr)
        return 2
    progress = progress_bar() if sys.stderr.isatty() else None
    opts = dict(blksize=args.blksize, windowsize=args.windowsize, timeout=args.timeout, retries=args.retries, mode=args.mode, progress=progress)
    try:
        if args.action == "get":
            local = Path(args.local if args.local else Path(args.remote).name or "download")
            if local.is_dir():
                local = local / (Path(args.remote).name or "download")
            stats = tftp_get(host, port, args.remote, local, **opts)  # type: ignore[arg-type]
            where = f"into {local}"
        else:
            local = Path(args.local)
            if not local.is_file():
                print(f"netedu: no such file: {str(local)!r}", file=sys.stderr)
                return 2
            stats = tftp_put(host, port, local, args.remote or local.name, **opts)  # type: ignore[arg-type]
            where = f"as {args.remote or local.name!r}"
    except PacketError as exc:  # a bad option value, e.g. --blksize 4
        if progress:
            sys.stderr.write("\n")
        print(f"netedu: {exc}", file=sys.stderr)
        return 2
    except TransferError as exc:
        if progress:
            sys.stderr.write("\n")
        print(f"netedu: {args.action} failed: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if progress:
            sys.stderr.write("\n")
        print(f"netedu: {args.action} failed: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if progress:
        sys.stderr.write("\n")
    print(f"netedu: {args.action} {stats.filename!r} {where}: {stats.bytes} bytes in {stats.seconds:.3f} s ({stats.rate:.2f} MB/s)",
          file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``netedu tftp ...``.

    Bad input prints one ``netedu:`` line on stderr and returns 2, before any
    socket is made.

    >>> p = argparse.ArgumentParser(prog="netedu"); register(p.add_subparsers())
    >>> run(p.parse_args(["tftp", "get", "127.0.0.1:x", "f.txt"]))
    2
    >>> run(p.parse_args(["tftp", "serve", "--root", "/no/such/folder"]))
    2
    """
    if args.action == "serve":
        return _serve(args)
    if args.action in ("get", "put"):
        return _transfer(args)
    args.tftp_parser.print_help()
    return 2


def _positive(kind: type, low: float, high: float | None = None) -> Any:
    def check(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"{low}-{high}" if high is not None else f">= {low}"
            raise argparse.ArgumentTypeError(f"{value} out of range: expected {bound}")
        return value

    return check


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``netedu tftp`` (serve, get, put) to the command's parser.

    >>> p = argparse.ArgumentParser(prog="netedu"); register(p.add_subparsers())
    >>> a = p.parse_args(["tftp", "get", "127.0.0.1:6969", "a.txt", "--blksize", "1428"])
    >>> a.action, a.server, a.remote, a.local, a.blksize
    ('get', '127.0.0.1:6969', 'a.txt', None, 1428)
    """
    p = sub.add_parser("tftp", help="serve a folder over TFTP, or get and put files")
    p.set_defaults(func=run, action=None, tftp_parser=p)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    s = actions.add_parser("serve", help="serve the files of a folder (read-only unless --allow-write)")
    s.add_argument("--root", required=True, help="the folder to serve; nothing outside it is reachable")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=_positive(int, 0, 65535), default=DEFAULT_PORT, help="port (default 69; 0 picks a free one)")
    s.add_argument("--allow-write", action="store_true", help="accept uploads (WRQ)")
    s.add_argument("--allow-overwrite", action="store_true", help="let uploads replace existing files")
    s.add_argument("--max-blksize", type=_positive(int, 8, 65464), default=65464, help="largest block size granted (8-65464)")

    for name, first, second, helps in (
        ("get", "remote", "local", ("file to download", "where to save it (default: its name, here)")),
        ("put", "local", "remote", ("file to upload", "name on the server (default: the local name)")),
    ):
        t = actions.add_parser(name, help=f"{name} one file")
        t.add_argument("server", metavar="HOST[:PORT]", help="the server (port 69 by default)")
        t.add_argument(first, metavar=first.upper(), help=helps[0])
        t.add_argument(second, metavar=second.upper(), nargs="?", help=helps[1])
        t.add_argument("--blksize", type=_positive(int, 8, 65464), default=512, help="block size, RFC 2348 (default 512)")
        t.add_argument("--windowsize", type=_positive(int, 1, 65535), default=1, help="blocks per ACK, RFC 7440 (default 1)")
        t.add_argument("--timeout", type=_positive(float, 0.01, 255), default=1.0, help="seconds before a resend (default 1)")
        t.add_argument("--retries", type=_positive(int, 0, 100), default=5, help="resends before giving up (default 5)")
        t.add_argument("--mode", choices=("octet", "netascii"), default="octet", help="transfer mode (default octet)")
