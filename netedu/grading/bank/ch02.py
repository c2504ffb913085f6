"""Chapter 02 exercises: classes, network and broadcast addresses, hosts, subnets, VLSM.

* ``02.1`` ``address_class(address)``: "A" to "E";
* ``02.2`` ``network_address(address, prefix)``: the address AND the mask;
* ``02.3`` ``broadcast_address(address, prefix)``: every host bit set to 1;
* ``02.4`` ``usable_hosts(prefix)``: host addresses in a /prefix (RFC 3021 for /31);
* ``02.5`` ``same_subnet(a, b, mask)``: True when both are in one subnet;
* ``02.6`` ``split_network(network, n)``: n equal subnets for n departments;
* ``02.7`` ``vlsm_plan(network, needs)``: a variable-length subnet plan;
* ``02.8`` the last class C address (a value, stored as a digest).

The reference functions here use the standard :mod:`ipaddress` only.

>>> from netedu.grading.registry import lookup
>>> all(o.passed for o in lookup("02.4").run(usable_hosts_reference))
True
>>> lookup("02.8").run("233.255.255.254")[0].passed
False
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

from netedu.grading.registry import Case, a_type, answer_digest, function_exercise, value_exercise

__all__ = [
    "address_class_reference",
    "network_address_reference",
    "broadcast_address_reference",
    "usable_hosts_reference",
    "same_subnet_reference",
    "split_network_reference",
    "vlsm_plan_reference",
]


def _case(fn: str, *args: Any, hint: str = "", grading_only: bool = False) -> Case:
    shown = ", ".join(repr(a) for a in args)
    return Case(args=args, name=f"{fn}({shown})", hint=hint, grading_only=grading_only)


def _as_text(got: Any, want: Any) -> bool:
    return str(got).strip() == str(want)


def _random_address(rng: random.Random) -> str:
    return str(ipaddress.IPv4Address(rng.getrandbits(32)))


# -- 02.1 ------------------------------------------------------------------------------------

def address_class_reference(address: str) -> str:
    """The class (A-E) of an IPv4 address, from the leading bits of its first octet.

    >>> [address_class_reference(a) for a in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "224.0.0.5", "250.0.0.1")]
    ['A', 'B', 'C', 'D', 'E']
    """
    first = int(ipaddress.IPv4Address(address)) >> 24
    if first < 128:
        return "A"
    if first < 192:
        return "B"
    if first < 224:
        return "C"
    if first < 240:
        return "D"
    return "E"


def _random_classes(rng: random.Random) -> list[Case]:
    return [_case("address_class", _random_address(rng), grading_only=True) for _ in range(8)]


function_exercise(
    "02.1", "The class of an address", reference=address_class_reference, compare=_as_text,
    cases=[
        _case("address_class", "10.0.0.1", hint="class A: the first bit is 0 (first octet 0-127)"),
        _case("address_class", "127.0.0.1", hint="127 is still class A (its top bit is 0), kept for loopback"),
        _case("address_class", "128.0.0.1", hint="class B starts where the first two bits are 10: octet 128"),
        _case("address_class", "191.255.255.255", hint="class B ends at first octet 191 (10111111)"),
        _case("address_class", "192.168.1.1", hint="class C: the first three bits are 110 (192-223)"),
        _case("address_class", "223.255.255.254",
              hint="class C ends at 223 (11011111); the notes' 233 is a typo"),
        _case("address_class", "224.0.0.1", hint="class D (multicast) starts with 1110: 224-239"),
        _case("address_class", "240.0.0.1", hint="class E starts with 1111: 240-255"),
    ],
    random_cases=_random_classes, n_random=8, seed=2,
)


# -- 02.2 and 02.3 ---------------------------------------------------------------------------

def network_address_reference(address: str, prefix: int) -> str:
    """The network address: the address AND the mask of ``prefix`` ones.

    >>> network_address_reference("192.168.1.77", 26)
    '192.168.1.64'
    """
    return str(ipaddress.IPv4Network(f"{address}/{prefix}", strict=False).network_address)


def broadcast_address_reference(address: str, prefix: int) -> str:
    """The broadcast address: the network address with every host bit set to 1.

    >>> broadcast_address_reference("192.168.1.77", 26)
    '192.168.1.127'
    """
    return str(ipaddress.IPv4Network(f"{address}/{prefix}", strict=False).broadcast_address)


def _random_pairs(fn: str) -> Any:
    def make(rng: random.Random) -> list[Case]:
        return [_case(fn, _random_address(rng), rng.randint(8, 30), grading_only=True) for _ in range(8)]
    return make


function_exercise(
    "02.2", "The network address by AND", reference=network_address_reference, compare=_as_text,
    cases=[
        _case("network_address", "192.168.1.77", 24, hint="a /24 keeps the first three octets, the last becomes 0"),
        _case("network_address", "10.20.30.40", 8, hint="a /8 keeps only the first octet"),
        _case("network_address", "172.16.200.9", 20,
              hint="/20: the third octet keeps its top 4 bits (200 AND 240)"),
        _case("network_address", "192.168.1.77", 26, hint="/26: the last octet AND 192"),
        _case("network_address", "192.168.1.0", 24, hint="a network address is its own network"),
        _case("network_address", "255.255.255.255", 30, hint="the last octet AND 252"),
    ],
    random_cases=_random_pairs("network_address"), n_random=8, seed=3,
)

function_exercise(
    "02.3", "The broadcast address", reference=broadcast_address_reference, compare=_as_text,
    cases=[
        _case("broadcast_address", "192.168.1.77", 24, hint="a /24: the last octet becomes 255"),
        _case("broadcast_address", "10.20.30.40", 8, hint="a /8: the last three octets become 255"),
        _case("broadcast_address", "172.16.200.9", 20,
              hint="/20: the third octet is (200 AND 240) OR 15"),
        _case("broadcast_address", "192.168.1.77", 26, hint="/26 blocks are 64 wide: 64 + 63"),
        _case("broadcast_address", "127.0.0.1", 8,
              hint="the loopback network's broadcast is the address the chapter 05 demos use"),
        _case("broadcast_address", "0.0.0.1", 30, hint="a /30 block is 4 addresses wide"),
    ],
    random_cases=_random_pairs("broadcast_address"), n_random=8, seed=4,
)


# -- 02.4 ------------------------------------------------------------------------------------

def usable_hosts_reference(prefix: int) -> int:
    """How many host addresses a /prefix has: 2**(32-prefix) - 2, but 2 for /31 (RFC 3021) and 1 for /32.

    >>> [usable_hosts_reference(p) for p in (24, 30, 31, 32)]
    [254, 2, 2, 1]
    """
    if prefix == 32:
        return 1
    if prefix == 31:
        return 2  # RFC 3021: a point-to-point link has no network or broadcast address
    return 2 ** (32 - prefix) - 2


function_exercise(
    "02.4", "Usable hosts for a prefix", reference=usable_hosts_reference,
    cases=[
        _case("usable_hosts", 24, hint="2 ** 8 addresses, minus the network and the broadcast address"),
        _case("usable_hosts", 16, hint="2 ** 16 - 2"),
        _case("usable_hosts", 8, hint="the notes write 1677214: it is 2 ** 24 - 2 = 16777214"),
        _case("usable_hosts", 26, hint="a /26 has 64 addresses"),
        _case("usable_hosts", 30, hint="a /30 has 4 addresses: 2 for hosts"),
        _case("usable_hosts", 31, hint="RFC 3021: a /31 point-to-point link uses both addresses"),
        _case("usable_hosts", 32, hint="a /32 is one host"),
        _case("usable_hosts", 0, hint="/0 is the whole address space: 2 ** 32 - 2"),
    ] + [_case("usable_hosts", p, grading_only=True) for p in (1, 12, 20, 29)],
)


# -- 02.5 ------------------------------------------------------------------------------------

def same_subnet_reference(a: str, b: str, mask: str) -> bool:
    """True when ``a`` AND ``mask`` equals ``b`` AND ``mask``.

    >>> same_subnet_reference("192.168.1.10", "192.168.1.200", "255.255.255.0")
    True
    >>> same_subnet_reference("192.168.1.10", "192.168.1.200", "255.255.255.128")
    False
    """
    m = int(ipaddress.IPv4Address(mask))
    return int(ipaddress.IPv4Address(a)) & m == int(ipaddress.IPv4Address(b)) & m


def _random_same(rng: random.Random) -> list[Case]:
    cases = []
    for _ in range(8):
        prefix = rng.randint(8, 30)
        mask = str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)
        a = rng.getrandbits(32)
        b = a ^ rng.getrandbits(32 - prefix + rng.choice((0, 0, 2)))
        cases.append(_case("same_subnet", str(ipaddress.IPv4Address(a)), str(ipaddress.IPv4Address(b)), mask,
                           grading_only=True))
    return cases


function_exercise(
    "02.5", "Same subnet or not", reference=same_subnet_reference, compare=lambda got, want: got is want,
    cases=[
        _case("same_subnet", "192.168.1.10", "192.168.1.200", "255.255.255.0",
              hint="AND each address with the mask and compare the two results"),
        _case("same_subnet", "192.168.1.10", "192.168.2.10", "255.255.255.0",
              hint="the third octets differ, and the mask keeps the third octet"),
        _case("same_subnet", "192.168.1.10", "192.168.1.200", "255.255.255.128",
              hint="with mask .128 the last octet's top bit counts: 10 < 128 <= 200"),
        _case("same_subnet", "10.1.2.3", "10.200.0.1", "255.0.0.0", hint="a /8 compares the first octet only"),
        _case("same_subnet", "172.16.5.1", "172.16.9.1", "255.255.248.0",
              hint="248 keeps the top 5 bits of the third octet: 5 AND 248 vs 9 AND 248"),
        _case("same_subnet", "172.16.5.1", "172.16.6.1", "255.255.248.0", hint="5 AND 248 = 6 AND 248 = 0"),
    ],
    random_cases=_random_same, n_random=8, seed=5,
)


# -- 02.6 ------------------------------------------------------------------------------------

def split_network_reference(network: str, n: int) -> list[str] | None:
    """The first ``n`` of the equal subnets made by borrowing the fewest host bits; None if impossible.

    >>> split_network_reference("192.168.1.0/24", 3)
    ['192.168.1.0/26', '192.168.1.64/26', '192.168.1.128/26']
    >>> split_network_reference("192.168.1.0/30", 8) is None
    True
    """
    net = ipaddress.IPv4Network(network)
    bits = max(0, (n - 1).bit_length())
    if net.prefixlen + bits > 32:
        return None
    return [str(s) for s in list(net.subnets(prefixlen_diff=bits))[:n]]


def _as_list_of_text(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    return isinstance(got, (list, tuple)) and [str(g).strip() for g in got] == want


function_exercise(
    "02.6", "Split a network for N departments", reference=split_network_reference, compare=_as_list_of_text,
    cases=[
        _case("split_network", "192.168.1.0/24", 4, hint="4 = 2 ** 2: borrow 2 host bits, so /26"),
        _case("split_network", "192.168.1.0/24", 3, hint="3 needs 2 borrowed bits too; return only the first 3"),
        _case("split_network", "10.0.0.0/8", 2, hint="2 subnets: borrow 1 bit, /9; the second starts at 10.128.0.0"),
        _case("split_network", "172.16.0.0/16", 5, hint="5 needs 3 bits (2 ** 3 = 8 >= 5): /19, 8192 wide"),
        _case("split_network", "192.168.1.0/24", 1, hint="one department keeps the whole network"),
        _case("split_network", "192.168.1.0/30", 8,
              hint="8 needs 3 more bits, but a /30 has only 2 host bits: return None"),
        _case("split_network", "10.10.0.0/16", 16, grading_only=True),
        _case("split_network", "192.168.100.0/22", 6, grading_only=True),
        _case("split_network", "192.168.0.0/29", 9, grading_only=True),
    ],
)


# -- 02.7 ------------------------------------------------------------------------------------

def vlsm_plan_reference(network: str, needs: dict[str, int]) -> dict[str, str] | None:
    """A VLSM plan: largest need first (ties in the order given), each the smallest block that fits.

    Blocks are placed one after another from the start of ``network``; None when they do not fit.

    >>> vlsm_plan_reference("192.168.1.0/24", {"lab": 20, "office": 100, "link": 2})
    {'office': '192.168.1.0/25', 'lab': '192.168.1.128/27', 'link': '192.168.1.160/30'}
    >>> vlsm_plan_reference("192.168.1.0/28", {"big": 100}) is None
    True
    """
    net = ipaddress.IPv4Network(network)
    start = int(net.network_address)
    end = int(net.broadcast_address) + 1
    plan: dict[str, str] = {}
    for name, hosts in sorted(needs.items(), key=lambda kv: -kv[1]):
        host_bits = 2
        while 2 ** host_bits - 2 < hosts:
            host_bits += 1
        size = 2 ** host_bits
        if start % size:
            start += size - start % size
        if start + size > end:
            return None
        plan[name] = f"{ipaddress.IPv4Address(start)}/{32 - host_bits}"
        start += size
    return plan


def _plan_equal(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    return isinstance(got, dict) and {str(k): str(v).strip() for k, v in got.items()} == want


function_exercise(
    "02.7", "A VLSM plan", reference=vlsm_plan_reference, compare=_plan_equal,
    cases=[
        _case("vlsm_plan", "192.168.1.0/24", {"sales": 50, "it": 20, "hr": 10},
              hint="sales needs 64 addresses (/26), it 32 (/27), hr 16 (/28), placed one after another"),
        _case("vlsm_plan", "192.168.1.0/24", {"lab": 20, "office": 100, "link": 2},
              hint="largest first: office gets the first /25, whatever the order in the dict"),
        _case("vlsm_plan", "10.0.0.0/24", {"a": 62, "b": 62, "c": 62, "d": 62},
              hint="62 hosts fit a /26 exactly (64 - 2)"),
        _case("vlsm_plan", "10.0.0.0/24", {"a": 63},
              hint="63 hosts do not fit a /26 (62 usable): it needs a /25"),
        _case("vlsm_plan", "192.168.1.0/28", {"big": 100},
              hint="a /28 has 16 addresses: the plan does not fit, return None"),
        _case("vlsm_plan", "172.16.0.0/22", {"x": 300, "y": 200, "z": 100, "p2p": 2}, grading_only=True),
        _case("vlsm_plan", "192.168.8.0/24", {"a": 100, "b": 100, "c": 2}, grading_only=True),
    ],
)


# -- 02.8 ------------------------------------------------------------------------------------

def _dotted(value: Any) -> str:
    return str(ipaddress.IPv4Address(str(value).strip()))


def _dotted_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected an address as a string like '10.0.0.1', got {a_type(value)}"
    return None


value_exercise(
    "02.8", "The last class C address", points=1,
    digest="7b3bd696680e6018dc4f2a0c6bc08f0ab46e49851966c4837a1c8f473d81dbc4",
    normalize=_dotted, validate=_dotted_problem,
    hint="class C is every address whose first three bits are 110; write the largest one in binary first",
)
