"""The ``netedu`` command: everything a learner or teacher runs outside a notebook.

Each subcommand lives in its own module under :mod:`netedu.commands` and
provides ``register(subparsers)``; the modules import their heavy parts only
when the subcommand runs, so ``netedu --help`` is quick.

Exit status: 0 on success, 2 for bad input (a bad argument, a missing file),
1 when an operation fails (a transfer that did not complete, for example).
Errors go to stderr as one line that starts with ``netedu:``.

>>> main(["--version"])
netedu 0.1.0
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from netedu import __version__
from netedu.commands import COMMAND_MODULES


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one ``netedu:`` line on stderr, with exit status 2.

    >>> _Parser(prog="netedu subnet").error("the following arguments are required: ARG")
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        """Print ``netedu: <command>: <message> (see --help)`` and exit with status 2."""
        command = self.prog.removeprefix("netedu").strip()
        where = f"{command}: " if command else ""
        help_hint = f"netedu {command} --help" if command else "netedu --help"
        print(f"netedu: {where}{message} (see '{help_hint}')", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``netedu`` command.

    >>> parser = build_parser()
    >>> sorted(parser._subparsers._group_actions[0].choices)[:3]
    ['check', 'echo', 'grade']
    """
    import importlib

    parser = _Parser(
        prog="netedu",
        description="netedu: a Jupyter course in computer networking, and its tools.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"netedu.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``netedu`` command with ``argv`` and return its exit status.

    >>> main(["subnet", "10.0.300.1"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    if args.version:
        print(f"netedu {__version__}")
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("netedu: interrupted", file=sys.stderr)
        return 130


def error(message: str) -> None:
    """Print one learner-facing error line on stderr.

    >>> import contextlib, io
    >>> buf = io.StringIO()
    >>> with contextlib.redirect_stderr(buf):
    ...     error("no such file: 'x.ipynb'")
    >>> buf.getvalue()
    "netedu: no such file: 'x.ipynb'\\n"
    """
    print(f"netedu: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
