"""subnet_info, binary views and same_subnet: random cross-check against ipaddress, edge cases where it is wrong."""

from __future__ import annotations

import ipaddress
import json
import random
from dataclasses import FrozenInstanceError, fields

import pytest

from netedu.addr import SubnetInfo, binary_parts, binary_view, same_subnet, subnet_info, usable_hosts
from netedu.errors import AddressError

KEYS = [
    "address", "prefix", "netmask", "wildcard", "network", "broadcast", "first_host", "last_host",
    "num_addresses", "usable_hosts", "ip_class", "private", "special",
]


def test_fields_are_the_json_keys_in_order():
    assert [f.name for f in fields(SubnetInfo)] == KEYS
    assert list(subnet_info("10.0.0.1/8").to_dict()) == KEYS


def test_frozen():
    info = subnet_info("10.0.0.1/8")
    with pytest.raises(FrozenInstanceError):
        info.prefix = 9  # type: ignore[misc]


def _random_pairs(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(n):
        prefix = i % 33  # every prefix /0-/32 equally often
        yield str(ipaddress.IPv4Address(rng.getrandbits(32))), prefix


def test_random_cross_check_with_ipaddress():
    """Where ipaddress is right: network, broadcast (/0-/30), netmask, hostmask, counts."""
    for address, prefix in _random_pairs(6000, seed=20261129):
        info = subnet_info(f"{address}/{prefix}")
        ref = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
        assert info.address == address
        assert info.prefix == prefix
        assert info.netmask == str(ref.netmask)
        assert info.wildcard == str(ref.hostmask)
        assert info.network == str(ref.network_address)
        assert info.num_addresses == ref.num_addresses
        if prefix <= 30:
            assert info.broadcast == str(ref.broadcast_address)
            assert info.first_host == str(ref.network_address + 1)
            assert info.last_host == str(ref.broadcast_address - 1)
            assert info.usable_hosts == ref.num_addresses - 2
            if prefix >= 20:  # small enough to count ipaddress's hosts() one by one
                assert info.usable_hosts == sum(1 for _ in ref.hosts())
        # the mask form of the same argument gives the same answer
        assert subnet_info(f"{address}/{ref.netmask}") == info
        assert subnet_info(address, prefix) == info


def test_binary_view_matches_the_bits():
    for address, prefix in _random_pairs(3000, seed=7):
        view = binary_view(address, prefix)
        assert view.count("|") == 1
        bits = view.replace(".", "").replace("|", "")
        assert bits == f"{int(ipaddress.IPv4Address(address)):032b}"
        assert view.replace(".", "").index("|") == prefix
        net, host = binary_parts(address, prefix)
        assert view == f"{net}|{host}"
        assert len(view) == 33 + 3 - (1 if prefix % 8 == 0 and 0 < prefix < 32 else 0)


@pytest.mark.parametrize(
    "prefix, view",
    [
        (0, "|11000000.10101000.00000001.10000010"),
        (1, "1|1000000.10101000.00000001.10000010"),
        (8, "11000000|10101000.00000001.10000010"),
        (26, "11000000.10101000.00000001.10|000010"),
        (31, "11000000.10101000.00000001.1000001|0"),
        (32, "11000000.10101000.00000001.10000010|"),
    ],
)
def test_binary_view_layout(prefix, view):
    assert binary_view("192.168.1.130", prefix) == view


# Where ipaddress is wrong or silent: the course's own rules.
EDGE_CASES = [
    # arg, broadcast, first, last, usable, class, private, special
    ("10.0.0.1/31", None, "10.0.0.0", "10.0.0.1", 2, "A", True, None),  # RFC 3021
    ("10.0.0.0/31", None, "10.0.0.0", "10.0.0.1", 2, "A", True, None),
    ("192.168.1.7/32", None, "192.168.1.7", "192.168.1.7", 1, "C", True, None),
    ("0.0.0.0/0", "255.255.255.255", "0.0.0.1", "255.255.255.254", 2**32 - 2, "A", False, "this network"),
    ("0.0.0.0/8", "0.255.255.255", "0.0.0.1", "0.255.255.254", 2**24 - 2, "A", False, "this network"),
    ("127.0.0.1", "127.255.255.255", "127.0.0.1", "127.255.255.254", 2**24 - 2, "A", False, "loopback"),
    ("169.254.1.1", "169.254.255.255", "169.254.0.1", "169.254.255.254", 65534, "B", False, "link-local"),
    ("100.64.0.1/10", "100.127.255.255", "100.64.0.1", "100.127.255.254", 2**22 - 2, "A", False, "shared address space"),
    ("100.63.255.255/10", "100.63.255.255", "100.0.0.1", "100.63.255.254", 2**22 - 2, "A", False, None),
    ("192.0.2.10", "192.0.2.255", "192.0.2.1", "192.0.2.254", 254, "C", False, "documentation"),
    ("198.51.100.1/24", "198.51.100.255", "198.51.100.1", "198.51.100.254", 254, "C", False, "documentation"),
    ("203.0.113.9/24", "203.0.113.255", "203.0.113.1", "203.0.113.254", 254, "C", False, "documentation"),
    ("198.18.0.1/15", "198.19.255.255", "198.18.0.1", "198.19.255.254", 2**17 - 2, "C", False, "benchmarking"),
    ("192.0.0.8/24", "192.0.0.255", "192.0.0.1", "192.0.0.254", 254, "C", False, "IETF protocol assignments"),
    ("224.0.0.251/32", None, "224.0.0.251", "224.0.0.251", 1, "D", False, "multicast"),
    ("239.255.255.250/4", "239.255.255.255", "224.0.0.1", "239.255.255.254", 2**28 - 2, "D", False, "multicast"),
    ("240.0.0.1/4", "255.255.255.255", "240.0.0.1", "255.255.255.254", 2**28 - 2, "E", False, "reserved"),
    ("255.255.255.255/32", None, "255.255.255.255", "255.255.255.255", 1, "E", False, "limited broadcast"),
    ("10.255.255.255", "10.255.255.255", "10.0.0.1", "10.255.255.254", 2**24 - 2, "A", True, None),
    ("172.16.0.0/12", "172.31.255.255", "172.16.0.1", "172.31.255.254", 2**20 - 2, "B", True, None),
    ("172.15.255.255", "172.15.255.255", "172.15.0.1", "172.15.255.254", 65534, "B", False, None),
    ("172.32.0.0", "172.32.255.255", "172.32.0.1", "172.32.255.254", 65534, "B", False, None),
    ("192.168.255.255", "192.168.255.255", "192.168.255.1", "192.168.255.254", 254, "C", True, None),
    ("192.169.0.1", "192.169.0.255", "192.169.0.1", "192.169.0.254", 254, "C", False, None),
    ("8.8.8.8", "8.255.255.255", "8.0.0.1", "8.255.255.254", 2**24 - 2, "A", False, None),
    ("128.0.0.1", "128.0.255.255", "128.0.0.1", "128.0.255.254", 65534, "B", False, None),
    ("191.255.0.1", "191.255.255.255", "191.255.0.1", "191.255.255.254", 65534, "B", False, None),
    ("223.255.255.1", "223.255.255.255", "223.255.255.1", "223.255.255.254", 254, "C", False, None),
]


@pytest.mark.parametrize("arg, broadcast, first, last, usable, cls, private, special", EDGE_CASES)
def test_edge_cases(arg, broadcast, first, last, usable, cls, private, special):
    info = subnet_info(arg)
    assert (info.broadcast, info.first_host, info.last_host, info.usable_hosts) == (broadcast, first, last, usable)
    assert (info.ip_class, info.private, info.special) == (cls, private, special)


def test_where_ipaddress_disagrees():
    """The pitfalls of DESIGN.md, shown against the stdlib so the test explains itself."""
    assert ipaddress.IPv4Address("127.0.0.1").is_private and not subnet_info("127.0.0.1").private
    assert ipaddress.IPv4Address("169.254.1.1").is_private and not subnet_info("169.254.1.1").private
    assert ipaddress.IPv4Address("192.0.2.1").is_private and not subnet_info("192.0.2.1").private
    assert not ipaddress.IPv4Address("100.64.0.1").is_private and not subnet_info("100.64.0.1").private
    assert subnet_info("100.64.0.1").special == "shared address space"
    assert ipaddress.IPv4Network("10.0.0.0/31").broadcast_address == ipaddress.IPv4Address("10.0.0.1")
    assert subnet_info("10.0.0.0/31").broadcast is None


def test_usable_hosts():
    assert [usable_hosts(p) for p in range(28, 33)] == [14, 6, 2, 2, 1]
    assert usable_hosts(0) == 2**32 - 2


@pytest.mark.parametrize(
    "arg, message",
    [
        ("10.0.300.1", "Octet 300 (> 255) not permitted in '10.0.300.1'"),
        ("10.0.300.1/8", "Octet 300 (> 255) not permitted in '10.0.300.1'"),
        ("10.0.0.0/33", "Prefix /33 (> 32) not permitted in '10.0.0.0/33': an IPv4 prefix is /0 to /32"),
        ("1.2.3.4/255.0.255.0", "Mask 255.0.255.0 not contiguous in '1.2.3.4/255.0.255.0': its bits 11111111.00000000.11111111.00000000 must be all ones, then all zeros"),
        ("1.2.3.4/", "Missing prefix after '/' in '1.2.3.4/': write a number 0-32 or a mask"),
        ("1.2.3.4/8/8", "Expected at most one '/' in '1.2.3.4/8/8', got 2"),
        ("1.2.3.4/x", "Expected a prefix like 24, '/24' or a mask like '255.255.255.0' in '1.2.3.4/x', got 'x'"),
        ("224.0.0.1", "Class D address '224.0.0.1' has no default mask (class D is multicast, never split into network and host): give a prefix, e.g. '224.0.0.1/32'"),
        ("250.1.2.3", "Class E address '250.1.2.3' has no default mask (class E is reserved, never split into network and host): give a prefix, e.g. '250.1.2.3/32'"),
        ("", "Expected an IPv4 address like '192.168.1.10', got an empty string"),
        (None, "Expected an address as text like '192.168.1.0/24', got NoneType None"),
    ],
)
def test_subnet_info_errors(arg, message):
    with pytest.raises(AddressError) as e:
        subnet_info(arg)
    assert str(e.value) == message


def test_prefix_twice():
    with pytest.raises(AddressError) as e:
        subnet_info("10.0.0.1/8", 16)
    assert str(e.value) == "Prefix given twice: '10.0.0.1/8' already has one, and prefix=16 was passed too"


def test_to_dict_is_json_ready():
    d = subnet_info("10.0.0.1/32").to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["broadcast"] is None and d["special"] is None


def test_table_and_binary_text():
    info = subnet_info("10.0.0.1/31")
    assert "Broadcast           none (/31: point-to-point, RFC 3021)" in info.table()
    assert info.binary().splitlines() == [
        "Address    00001010.00000000.00000000.0000000|1  10.0.0.1",
        "Netmask    11111111.11111111.11111111.1111111|0  255.255.255.254",
        "Network    00001010.00000000.00000000.0000000|0  10.0.0.0",
    ]


def test_same_subnet_random_cross_check():
    rng = random.Random(99)
    for _ in range(3000):
        p = rng.randint(0, 32)
        a = ipaddress.IPv4Address(rng.getrandbits(32))
        # half the time, a neighbour that differs only in the host bits
        b = ipaddress.IPv4Address(rng.getrandbits(32)) if rng.random() < 0.5 else ipaddress.IPv4Address(
            int(a) ^ (rng.getrandbits(32) & ((1 << (32 - p)) - 1))
        )
        want = ipaddress.IPv4Network((a, p), strict=False) == ipaddress.IPv4Network((b, p), strict=False)
        assert same_subnet(str(a), str(b), p) is want
        assert same_subnet(a, b, str(ipaddress.IPv4Network((0, p)).netmask)) is want


def test_same_subnet_errors():
    with pytest.raises(AddressError) as e:
        same_subnet("10.0.0.1", "10.0.0.2", "255.255.0.255")
    assert str(e.value) == "Mask 255.255.0.255 not contiguous: its bits 11111111.11111111.00000000.11111111 must be all ones, then all zeros"
