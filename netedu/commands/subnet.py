"""``netedu subnet``: the subnet calculator on the command line.

Each ARG is ``A.B.C.D/P``, ``A.B.C.D/M.M.M.M`` or a bare address (the
classful default mask for classes A-C; classes D and E have none, so they
need a prefix). The human output is a table and the 32-bit binary view, with
``|`` between the network and the host bits. With ``--json`` each ARG gives
one JSON object on its own line, in order, with exactly the keys of
:class:`netedu.addr.SubnetInfo`. A bad ARG prints one line on stderr
(``netedu: argument N: what is wrong, in which text``); the other ARGs are still
answered, and the exit status is 2.

>>> main(["192.168.1.130/26", "10.0.300.1", "--json"])  # doctest: +NORMALIZE_WHITESPACE
{"address": "192.168.1.130", "prefix": 26, "netmask": "255.255.255.192", "wildcard": "0.0.0.63", "network": "192.168.1.128", "broadcast": "192.168.1.191", "first_host": "192.168.1.129", "last_host": "192.168.1.190", "num_addresses": 64, "usable_hosts": 62, "ip_class": "C", "private": true, "special": null}
2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["register", "run", "main"]


def run(args: argparse.Namespace) -> int:
    """Answer every ARG in ``args.args``; return 2 if any was bad, else 0.

    Errors go to stderr (the doctest shows stdout only).

    >>> run(argparse.Namespace(args=["10.0.0.1/31"], json=True))
    {"address": "10.0.0.1", "prefix": 31, "netmask": "255.255.255.254", "wildcard": "0.0.0.1", "network": "10.0.0.0", "broadcast": null, "first_host": "10.0.0.0", "last_host": "10.0.0.1", "num_addresses": 2, "usable_hosts": 2, "ip_class": "A", "private": true, "special": null}
    0
    >>> run(argparse.Namespace(args=["10.0.0.0/33"], json=True))
    2
    """
    import json

    from netedu.addr import subnet_info
    from netedu.errors import AddressError

    status = 0
    printed = False
    out: list[str] = []
    for i, arg in enumerate(args.args, start=1):
        try:
            info = subnet_info(arg)
        except AddressError as exc:
            # Flush what came before, so stdout and stderr stay in ARG order on a terminal.
            if out:
                sys.stdout.write("".join(out))
                sys.stdout.flush()
                out.clear()
            print(f"netedu: argument {i}: {exc}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            out.append(json.dumps(info.to_dict()) + "\n")
        else:
            sep = "\n" if printed else ""
            out.append(f"{sep}{info.address}/{info.prefix}\n{info.table()}\n\n{info.binary()}\n")
        printed = True
        if len(out) >= 1000:
            sys.stdout.write("".join(out))
            out.clear()
    sys.stdout.write("".join(out))
    sys.stdout.flush()
    return status


def main(argv: Sequence[str]) -> int:
    """Run ``netedu subnet`` with ``argv`` (the words after ``subnet``); return the exit status.

    >>> main(["8.8.8.8", "--json"])
    {"address": "8.8.8.8", "prefix": 8, "netmask": "255.0.0.0", "wildcard": "0.255.255.255", "network": "8.0.0.0", "broadcast": "8.255.255.255", "first_host": "8.0.0.1", "last_host": "8.255.255.254", "num_addresses": 16777216, "usable_hosts": 16777214, "ip_class": "A", "private": false, "special": null}
    0
    """
    parser = argparse.ArgumentParser(prog="netedu")
    sub = parser.add_subparsers()
    register(sub)
    return int(run(parser.parse_args(["subnet", *argv])))


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``netedu subnet`` to the command's parser.

    >>> p = argparse.ArgumentParser(prog="netedu"); register(p.add_subparsers())
    >>> p.parse_args(["subnet", "10.0.0.1/8", "--json"]).json
    True
    """
    p = sub.add_parser(
        "subnet",
        help="subnet calculator: network, broadcast, hosts, class and binary view of addresses",
        description=(
            "Subnet calculator. Each ARG is A.B.C.D/P, A.B.C.D/M.M.M.M or a bare address "
            "(classful default mask for classes A-C). Prints a table and the binary view, "
            "or with --json one JSON object per ARG per line."
        ),
    )
    p.add_argument("args", nargs="+", metavar="ARG", help="address with prefix or mask, e.g. 192.168.1.130/26")
    p.add_argument("--json", action="store_true", help="one JSON object per ARG, one per line")
    p.set_defaults(func=run)
