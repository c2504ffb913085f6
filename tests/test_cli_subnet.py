"""``netedu subnet`` as a learner runs it, checked against an independent reference.

The reference below is written from the RFCs with the stdlib's ``ipaddress``
only for the arithmetic it gets right (network, netmask, hostmask, broadcast,
counts); classes, RFC 1918, the special ranges, /31 and /32 are the test's own.
"""

from __future__ import annotations

import ipaddress
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NETEDU = ROOT / ".venv" / "bin" / "netedu"
KEYS = [
    "address", "prefix", "netmask", "wildcard", "network", "broadcast", "first_host", "last_host",
    "num_addresses", "usable_hosts", "ip_class", "private", "special",
]

# Independent tables (RFC 1918 sec. 3; RFC 6890 and the RFCs it lists), as (first, last, label).
RFC1918 = [("10.0.0.0", "10.255.255.255"), ("172.16.0.0", "172.31.255.255"), ("192.168.0.0", "192.168.255.255")]
SPECIAL = [
    ("255.255.255.255", "255.255.255.255", "limited broadcast"),
    ("0.0.0.0", "0.255.255.255", "this network"),
    ("127.0.0.0", "127.255.255.255", "loopback"),
    ("169.254.0.0", "169.254.255.255", "link-local"),
    ("100.64.0.0", "100.127.255.255", "shared address space"),
    ("192.0.0.0", "192.0.0.255", "IETF protocol assignments"),
    ("192.0.2.0", "192.0.2.255", "documentation"),
    ("198.51.100.0", "198.51.100.255", "documentation"),
    ("203.0.113.0", "203.0.113.255", "documentation"),
    ("198.18.0.0", "198.19.255.255", "benchmarking"),
    ("224.0.0.0", "239.255.255.255", "multicast"),
    ("240.0.0.0", "255.255.255.254", "reserved"),
]


def _int(a: str) -> int:
    return int(ipaddress.IPv4Address(a))


def ref_class(value: int) -> str:
    first = value >> 24
    return "A" if first <= 127 else "B" if first <= 191 else "C" if first <= 223 else "D" if first <= 239 else "E"


def reference(address: str, prefix: int | None) -> dict[str, object]:
    value = _int(address)
    cls = ref_class(value)
    if prefix is None:
        prefix = {"A": 8, "B": 16, "C": 24}[cls]
    net = ipaddress.IPv4Network((value, prefix), strict=False)
    if prefix == 32:
        broadcast, first, last, usable = None, net.network_address, net.network_address, 1
    elif prefix == 31:  # RFC 3021
        broadcast, first, last, usable = None, net.network_address, net.broadcast_address, 2
    else:
        broadcast, first, last, usable = (
            str(net.broadcast_address), net.network_address + 1, net.broadcast_address - 1, net.num_addresses - 2,
        )
    special = next((label for lo, hi, label in SPECIAL if _int(lo) <= value <= _int(hi)), None)
    return {
        "address": address,
        "prefix": prefix,
        "netmask": str(net.netmask),
        "wildcard": str(net.hostmask),
        "network": str(net.network_address),
        "broadcast": broadcast,
        "first_host": str(first),
        "last_host": str(last),
        "num_addresses": 2 ** (32 - prefix),
        "usable_hosts": usable,
        "ip_class": cls,
        "private": any(_int(lo) <= value <= _int(hi) for lo, hi in RFC1918),
        "special": special,
    }


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = [str(NETEDU)] if NETEDU.exists() else [sys.executable, "-m", "netedu.cli"]
    return subprocess.run([*exe, "subnet", *args], capture_output=True, text=True, timeout=120)


def random_args(n: int, seed: int) -> list[tuple[str, str, int | None]]:
    """(ARG as typed, address, prefix or None for bare), every prefix /0-/32 and all three forms."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        address = str(ipaddress.IPv4Address(rng.getrandbits(32)))
        prefix = i % 33
        form = rng.randrange(3)
        if form == 0:
            out.append((f"{address}/{prefix}", address, prefix))
        elif form == 1:
            out.append((f"{address}/{ipaddress.IPv4Network((0, prefix)).netmask}", address, prefix))
        elif ref_class(_int(address)) in "ABC":
            out.append((address, address, None))
        else:
            out.append((f"{address}/{prefix}", address, prefix))
    return out


def test_json_agrees_with_the_reference_on_random_args():
    cases = random_args(4000, seed=20261129)
    result = run("--json", *(arg for arg, _, _ in cases))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(cases)
    for line, (arg, address, prefix) in zip(lines, cases):
        got = json.loads(line)
        assert list(got) == KEYS, arg
        assert got == reference(address, prefix), arg


EDGE = [
    "10.0.0.1/31", "10.0.0.0/31", "192.168.1.7/32", "0.0.0.0/0", "255.255.255.255/0", "0.0.0.0",
    "224.0.0.1/4", "224.0.0.251/32", "239.255.255.255/8", "240.0.0.1/4", "255.255.255.255/32",
    "127.0.0.1", "127.255.255.255/8", "169.254.0.1", "169.254.255.255/16", "100.64.0.1/10",
    "100.127.255.255/10", "100.128.0.0/10", "192.0.2.1", "198.51.100.200/24", "203.0.113.0/24",
    "198.18.5.5/15", "192.0.0.1", "10.0.0.0", "172.16.0.1", "172.31.255.255/12", "172.32.0.1",
    "192.168.0.1/16", "192.169.0.1", "8.8.8.8/255.255.255.0", "1.2.3.4/255.255.255.254",
]


def test_json_edge_cases():
    result = run("--json", *EDGE)
    assert result.returncode == 0, result.stderr
    got = [json.loads(line) for line in result.stdout.splitlines()]
    want = []
    for arg in EDGE:
        address, _, pre = arg.partition("/")
        prefix = None if not pre else ipaddress.IPv4Network(f"0.0.0.0/{pre}").prefixlen
        want.append(reference(address, prefix))
    assert got == want
    by_arg = dict(zip(EDGE, got))
    assert by_arg["10.0.0.1/31"]["broadcast"] is None and by_arg["10.0.0.1/31"]["usable_hosts"] == 2
    assert by_arg["192.168.1.7/32"]["usable_hosts"] == 1
    assert by_arg["127.0.0.1"]["private"] is False and by_arg["127.0.0.1"]["special"] == "loopback"
    assert by_arg["100.64.0.1/10"]["special"] == "shared address space"
    assert by_arg["224.0.0.1/4"]["ip_class"] == "D" and by_arg["240.0.0.1/4"]["ip_class"] == "E"


def test_bad_args_one_stderr_line_each_others_answered():
    result = run("--json", "192.168.1.130/26", "10.0.300.1", "10.0.0.0/33", "8.8.8.8", "1.2.3.4/255.0.255.0", "224.0.0.1")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "netedu: argument 2: Octet 300 (> 255) not permitted in '10.0.300.1'",
        "netedu: argument 3: Prefix /33 (> 32) not permitted in '10.0.0.0/33': an IPv4 prefix is /0 to /32",
        "netedu: argument 5: Mask 255.0.255.0 not contiguous in '1.2.3.4/255.0.255.0': its bits "
        "11111111.00000000.11111111.00000000 must be all ones, then all zeros",
        "netedu: argument 6: Class D address '224.0.0.1' has no default mask (class D is multicast, never split "
        "into network and host): give a prefix, e.g. '224.0.0.1/32'",
    ]
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert got == [reference("192.168.1.130", 26), reference("8.8.8.8", None)]


@pytest.mark.parametrize(
    "arg, message",
    [
        ("10.0.1", "Expected 4 octets in '10.0.1', got 3"),
        ("10.01.0.1/8", "Leading zero in octet '01' of '10.01.0.1' not permitted: write 1 (some tools read a leading 0 as octal)"),
        ("10.0.0.1/", "Missing prefix after '/' in '10.0.0.1/': write a number 0-32 or a mask"),
        ("250.0.0.1", "Class E address '250.0.0.1' has no default mask (class E is reserved, never split into network and host): give a prefix, e.g. '250.0.0.1/32'"),
    ],
)
def test_single_bad_arg(arg, message):
    result = run(arg)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"netedu: argument 1: {message}\n"


def test_random_mix_of_good_and_bad_args_keeps_order():
    rng = random.Random(8)
    good = random_args(500, seed=9)
    bad = ["10.0.300.1", "1.2.3.4/33", "1.2.3.4/255.0.255.0", "224.1.1.1", "1.2.3", "a.b.c.d", "1.2.3.4/24/1"]
    args: list[tuple[str, dict[str, object] | None]] = []
    for arg, address, prefix in good:
        args.append((arg, reference(address, prefix)))
        if rng.random() < 0.1:
            args.append((rng.choice(bad), None))
    result = run("--json", *(a for a, _ in args))
    assert result.returncode == 2
    assert [json.loads(line) for line in result.stdout.splitlines()] == [r for _, r in args if r is not None]
    errors = result.stderr.splitlines()
    assert [int(e.split()[2].rstrip(":")) for e in errors] == [i for i, (_, r) in enumerate(args, 1) if r is None]
    assert all(e.startswith("netedu: argument ") for e in errors)


def test_human_output_has_table_and_binary_view():
    result = run("192.168.1.130/26")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "192.168.1.130/26"
    assert "Netmask             255.255.255.192" in lines
    assert "Broadcast           192.168.1.191" in lines
    assert "Address    11000000.10101000.00000001.10|000010  192.168.1.130" in lines
    assert "Network    11000000.10101000.00000001.10|000000  192.168.1.128" in lines


def test_no_args_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "the following arguments are required: ARG" in result.stderr
