"""Splitting, prefix_for_hosts, VLSM planning and summarising."""

from __future__ import annotations

import ipaddress
import random

import pytest

from netedu.addr import prefix_for_hosts, split_network, summarize, supernet, vlsm_plan
from netedu.errors import AddressError


def test_split_by_count_rounds_up_to_a_power_of_two():
    for count, prefix in [(1, 24), (2, 25), (3, 26), (4, 26), (5, 27), (8, 27), (9, 28), (256, 32)]:
        subnets = split_network("192.168.1.0/24", count=count)
        assert all(s.prefixlen == prefix for s in subnets)
        assert len(subnets) == 2 ** (prefix - 24)
        assert subnets == list(ipaddress.IPv4Network("192.168.1.0/24").subnets(new_prefix=prefix))


def test_split_by_prefix():
    assert [str(s) for s in split_network(ipaddress.IPv4Network("10.0.0.0/30"), new_prefix="/31")] == ["10.0.0.0/31", "10.0.0.2/31"]
    assert split_network("10.0.0.0/24", new_prefix=24) == [ipaddress.IPv4Network("10.0.0.0/24")]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"count": 300}, "Cannot split 192.168.1.0/24 into 300 subnets: that needs 9 more prefix bits, /33, but a prefix stops at /32"),
        ({"count": 0}, "count must be a whole number >= 1, got 0"),
        ({"new_prefix": 20}, "New prefix /20 is shorter than /24 of 192.168.1.0/24: splitting makes longer prefixes (/24 to /32)"),
        ({}, "Give exactly one of count= (how many subnets) or new_prefix= (their size)"),
        ({"count": 2, "new_prefix": 25}, "Give exactly one of count= (how many subnets) or new_prefix= (their size)"),
    ],
)
def test_split_errors(kwargs, message):
    with pytest.raises(AddressError) as e:
        split_network("192.168.1.0/24", **kwargs)
    assert str(e.value) == message


def test_split_refuses_huge_lists():
    with pytest.raises(AddressError) as e:
        split_network("10.0.0.0/8", new_prefix=32)
    assert str(e.value) == "Splitting 10.0.0.0/8 into /32 gives 16777216 subnets, more than 65536 to list: use a shorter prefix"


def test_prefix_for_hosts_against_formula():
    for hosts in range(1, 5000):
        p = prefix_for_hosts(hosts)
        assert 2 ** (32 - p) - 2 >= hosts
        assert p == 30 or 2 ** (32 - p - 1) - 2 < hosts
    assert prefix_for_hosts(2**32 - 2) == 0
    with pytest.raises(AddressError) as e:
        prefix_for_hosts(2**32)
    assert str(e.value) == "4294967296 hosts do not fit in IPv4 (at most 4294967294 in a /0)"


def test_vlsm_plan_classic_example():
    plan = vlsm_plan("192.168.10.0/24", {"A": 60, "B": 28, "C": 12, "WAN1": 2, "WAN2": 2})
    assert [(r.name, str(r.subnet), r.usable, r.waste) for r in plan.rows] == [
        ("A", "192.168.10.0/26", 62, 2),
        ("B", "192.168.10.64/27", 30, 2),
        ("C", "192.168.10.96/28", 14, 2),
        ("WAN1", "192.168.10.112/30", 2, 0),
        ("WAN2", "192.168.10.116/30", 2, 0),
    ]
    assert plan.total_waste == 6
    assert [str(n) for n in plan.free] == ["192.168.10.120/29", "192.168.10.128/25"]
    assert plan.table().splitlines()[0].split() == ["Name", "Hosts", "Subnet", "Mask", "Usable", "Waste"]


def test_vlsm_plan_random_properties():
    rng = random.Random(11)
    for _ in range(300):
        counts = [rng.randint(1, 300) for _ in range(rng.randint(1, 6))]
        try:
            plan = vlsm_plan("10.20.0.0/21", counts)
        except AddressError as e:
            assert str(e).startswith("Does not fit: 10.20.0.0/21 has 2048 addresses")
            continue
        nets = [r.subnet for r in plan.rows]
        assert sorted((r.hosts for r in plan.rows), reverse=True) == [r.hosts for r in plan.rows]
        for r in plan.rows:
            assert r.subnet.subnet_of(ipaddress.IPv4Network("10.20.0.0/21"))
            assert r.subnet.prefixlen == prefix_for_hosts(r.hosts)
        for i, a in enumerate(nets):
            for b in nets[i + 1:]:
                assert not a.overlaps(b)
        covered = sum(n.num_addresses for n in nets) + sum(n.num_addresses for n in plan.free)
        assert covered == 2048


@pytest.mark.parametrize(
    "counts, message",
    [
        ([200, 100], "Does not fit: 192.168.1.0/24 has 256 addresses, the LANs need 384 (LAN1 200 hosts -> /24, LAN2 100 hosts -> /25)"),
        ([], "A VLSM plan needs at least one LAN"),
        ([10, 0], "LAN 'LAN2' needs a whole number of hosts >= 1, got 0"),
        ({"x": "5"}, "LAN 'x' needs a whole number of hosts >= 1, got '5'"),
        ("50", "Expected a list of host counts or a dict name -> hosts, got str"),
    ],
)
def test_vlsm_errors(counts, message):
    with pytest.raises(AddressError) as e:
        vlsm_plan("192.168.1.0/24", counts)
    assert str(e.value) == message


def test_summarize_and_supernet():
    nets = ["192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"]
    assert summarize(nets) == [ipaddress.IPv4Network("192.168.0.0/22")]
    assert supernet(nets) == ipaddress.IPv4Network("192.168.0.0/22")
    assert summarize(["10.0.0.0/24", "10.0.2.0/24"]) == [ipaddress.IPv4Network("10.0.0.0/24"), ipaddress.IPv4Network("10.0.2.0/24")]
    assert supernet(["10.0.0.0/24", "10.0.2.0/24"]) == ipaddress.IPv4Network("10.0.0.0/22")
    assert supernet(["10.0.0.0/8", "192.168.0.0/16"]) == ipaddress.IPv4Network("0.0.0.0/0")
    assert supernet(["10.1.2.0/24"]) == ipaddress.IPv4Network("10.1.2.0/24")


def test_supernet_random_is_smallest_cover():
    rng = random.Random(3)
    for _ in range(500):
        nets = [ipaddress.IPv4Network((rng.getrandbits(32), p), strict=False) for p in (rng.randint(8, 32) for _ in range(3))]
        s = supernet(nets)
        assert all(n.subnet_of(s) for n in nets)
        if s.prefixlen < 32:  # neither half of s covers them all, so no smaller network does
            for half in s.subnets(prefixlen_diff=1):
                assert not all(n.subnet_of(half) for n in nets)


def test_summarize_errors():
    with pytest.raises(AddressError) as e:
        summarize("10.0.0.0/8")
    assert str(e.value) == "Expected a list of networks like ['10.0.0.0/24', '10.0.1.0/24'], got a single network"
