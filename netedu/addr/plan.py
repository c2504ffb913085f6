"""Planning address space: splitting a network, VLSM, and summarising routes.

* :func:`split_network` cuts a network into equal subnets, by count or by prefix;
* :func:`prefix_for_hosts` is the longest prefix (smallest subnet) that holds N hosts;
* :func:`vlsm_plan` gives each LAN a subnet just big enough, largest first,
  and shows the waste (variable-length subnet masks, RFC 1878, RFC 4632);
* :func:`summarize` merges networks into the fewest covering blocks, and
  :func:`supernet` finds the single smallest network that covers them all.

>>> [str(n) for n in split_network("192.168.1.0/24", count=4)]
['192.168.1.0/26', '192.168.1.64/26', '192.168.1.128/26', '192.168.1.192/26']
>>> print(vlsm_plan("192.168.1.0/24", {"Sales": 50, "Lab": 20, "Link": 2}).table())
Name   Hosts  Subnet           Mask             Usable  Waste
Sales     50  192.168.1.0/26   255.255.255.192      62     12
Lab       20  192.168.1.64/27  255.255.255.224      30     10
Link       2  192.168.1.96/30  255.255.255.252       2      0
Free: 192.168.1.100/30, 192.168.1.104/29, 192.168.1.112/28, 192.168.1.128/25
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netedu.addr.parse import _prefix, parse_network
from netedu.addr.subnet import usable_hosts
from netedu.errors import AddressError

__all__ = [
    "MAX_SUBNETS",
    "split_network",
    "prefix_for_hosts",
    "VlsmRow",
    "VlsmPlan",
    "vlsm_plan",
    "summarize",
    "supernet",
]

# A notebook cell must stay quick: a split that would list more subnets stops with an error.
MAX_SUBNETS = 65536


def split_network(
    network: str | IPv4Network, *, count: int | None = None, new_prefix: int | str | None = None
) -> list[IPv4Network]:
    """Split ``network`` into ``count`` equal subnets, or into subnets of ``new_prefix``.

    ``count`` is rounded up to a power of two (each extra prefix bit doubles the
    number of subnets): 5 subnets need 3 bits, which give 8.

    >>> [str(n) for n in split_network("10.0.0.0/8", new_prefix=10)]
    ['10.0.0.0/10', '10.64.0.0/10', '10.128.0.0/10', '10.192.0.0/10']
    >>> len(split_network("192.168.0.0/24", count=5))
    8
    >>> split_network("192.168.1.0/30", count=8)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Cannot split 192.168.1.0/30 into 8 subnets: that needs 3 more prefix bits, /33, but a prefix stops at /32
    >>> split_network("192.168.1.0/24", new_prefix=16)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: New prefix /16 is shorter than /24 of 192.168.1.0/24: splitting makes longer prefixes (/24 to /32)
    """
    net = parse_network(network)
    if (count is None) == (new_prefix is None):
        raise AddressError("Give exactly one of count= (how many subnets) or new_prefix= (their size)") from None
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise AddressError(f"count must be a whole number >= 1, got {count!r}") from None
        bits = (count - 1).bit_length()
        target = net.prefixlen + bits
        if target > 32:
            raise AddressError(
                f"Cannot split {net} into {count} subnets: that needs {bits} more prefix bits, "
                f"/{target}, but a prefix stops at /32"
            ) from None
    else:
        target = _prefix(new_prefix, None)
        if target < net.prefixlen:
            raise AddressError(
                f"New prefix /{target} is shorter than /{net.prefixlen} of {net}: "
                f"splitting makes longer prefixes (/{net.prefixlen} to /32)"
            ) from None
    n = 2 ** (target - net.prefixlen)
    if n > MAX_SUBNETS:
        raise AddressError(
            f"Splitting {net} into /{target} gives {n} subnets, more than {MAX_SUBNETS} to list: "
            f"use a shorter prefix"
        ) from None
    return list(net.subnets(new_prefix=target))


def prefix_for_hosts(hosts: int) -> int:
    """The longest prefix whose subnet holds ``hosts`` hosts (2**h - 2 >= hosts).

    This is the classic rule, with network and broadcast addresses set aside,
    so 2 hosts get a /30 (a /31 point-to-point link, RFC 3021, is a choice the
    planner does not make for you).

    >>> [prefix_for_hosts(n) for n in (1, 2, 3, 50, 62, 63, 254, 255)]
    [30, 30, 29, 26, 26, 25, 24, 23]
    >>> prefix_for_hosts(0)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A host count must be a whole number >= 1, got 0
    """
    if isinstance(hosts, bool) or not isinstance(hosts, int) or hosts < 1:
        raise AddressError(f"A host count must be a whole number >= 1, got {hosts!r}") from None
    h = max(2, (hosts + 1).bit_length())  # smallest h with 2**h - 2 >= hosts
    if hosts + 2 > 2**h:
        h += 1
    if h > 32:
        raise AddressError(f"{hosts} hosts do not fit in IPv4 (at most {2**32 - 2} in a /0)") from None
    return 32 - h


@dataclass(frozen=True, kw_only=True)
class VlsmRow:
    """One LAN of a VLSM plan: the hosts asked for, the subnet given, the waste.

    >>> row = vlsm_plan("10.0.0.0/24", [100]).rows[0]
    >>> row.name, str(row.subnet), row.usable, row.waste
    ('LAN1', '10.0.0.0/25', 126, 26)
    >>> VlsmRow(name="x", hosts=10, subnet=IPv4Network("10.0.0.0/30"))
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Subnet 10.0.0.0/30 has 2 usable hosts, fewer than the 10 asked for 'x'
    """

    name: str
    hosts: int
    subnet: IPv4Network

    def __post_init__(self) -> None:
        if self.usable < self.hosts:
            raise AddressError(
                f"Subnet {self.subnet} has {self.usable} usable hosts, fewer than the {self.hosts} asked for {self.name!r}"
            ) from None

    @property
    def usable(self) -> int:
        """Usable hosts of the subnet.

        >>> VlsmRow(name="a", hosts=3, subnet=IPv4Network("10.0.0.0/29")).usable
        6
        """
        return usable_hosts(self.subnet.prefixlen)

    @property
    def waste(self) -> int:
        """Usable addresses that no host asked for.

        >>> VlsmRow(name="a", hosts=3, subnet=IPv4Network("10.0.0.0/29")).waste
        3
        """
        return self.usable - self.hosts

    def to_dict(self) -> dict[str, object]:
        """The row as a JSON-ready dict.

        >>> VlsmRow(name="a", hosts=3, subnet=IPv4Network("10.0.0.0/29")).to_dict()
        {'name': 'a', 'hosts': 3, 'subnet': '10.0.0.0/29', 'netmask': '255.255.255.248', 'usable': 6, 'waste': 3}
        """
        return {
            "name": self.name,
            "hosts": self.hosts,
            "subnet": str(self.subnet),
            "netmask": str(self.subnet.netmask),
            "usable": self.usable,
            "waste": self.waste,
        }


@dataclass(frozen=True, kw_only=True)
class VlsmPlan:
    """A VLSM plan: the network that was cut, the rows (largest first) and the free blocks.

    >>> plan = vlsm_plan("10.0.0.0/24", [60, 60])
    >>> plan.total_waste, [str(n) for n in plan.free]
    (4, ['10.0.0.128/25'])
    >>> VlsmPlan(network=IPv4Network("10.0.0.0/24"), rows=(), free=())
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A VLSM plan needs at least one LAN
    """

    network: IPv4Network
    rows: tuple[VlsmRow, ...]
    free: tuple[IPv4Network, ...]

    def __post_init__(self) -> None:
        if not self.rows:
            raise AddressError("A VLSM plan needs at least one LAN") from None

    @property
    def total_waste(self) -> int:
        """Sum of the rows' waste.

        >>> vlsm_plan("10.0.0.0/24", [1]).total_waste
        1
        """
        return sum(r.waste for r in self.rows)

    def to_dicts(self) -> list[dict[str, object]]:
        """The rows as JSON-ready dicts.

        >>> vlsm_plan("10.0.0.0/24", {"a": 2}).to_dicts()[0]["subnet"]
        '10.0.0.0/30'
        """
        return [r.to_dict() for r in self.rows]

    def table(self) -> str:
        """The plan as aligned text, with the free blocks on the last line.

        >>> print(vlsm_plan("10.0.0.0/29", [5]).table())
        Name  Hosts  Subnet       Mask             Usable  Waste
        LAN1      5  10.0.0.0/29  255.255.255.248       6      1
        Free: none
        """
        name_w = max(4, *(len(r.name) for r in self.rows))
        sub_w = max(6, *(len(str(r.subnet)) for r in self.rows))
        lines = [f"{'Name':<{name_w}}  {'Hosts':>5}  {'Subnet':<{sub_w}}  {'Mask':<15}  {'Usable':>6}  {'Waste':>5}"]
        for r in self.rows:
            lines.append(
                f"{r.name:<{name_w}}  {r.hosts:>5}  {str(r.subnet):<{sub_w}}  {str(r.subnet.netmask):<15}  {r.usable:>6}  {r.waste:>5}"
            )
        lines.append("Free: " + (", ".join(str(n) for n in self.free) or "none"))
        return "\n".join(lines)


def vlsm_plan(network: str | IPv4Network, host_counts: Sequence[int] | Mapping[str, int]) -> VlsmPlan:
    """Give each LAN the smallest subnet that holds its hosts, largest LAN first.

    A list names the LANs ``LAN1``, ``LAN2``... in the order given; a dict
    uses its keys. Equal sizes keep their given order. Subnets are taken one
    after another from the start of ``network``; largest first keeps every
    subnet aligned on its own size.

    >>> [str(r.subnet) for r in vlsm_plan("172.16.0.0/22", [100, 500, 20]).rows]
    ['172.16.0.0/23', '172.16.2.0/25', '172.16.2.128/27']
    >>> vlsm_plan("192.168.1.0/24", [200, 100])
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Does not fit: 192.168.1.0/24 has 256 addresses, the LANs need 384 (LAN1 200 hosts -> /24, LAN2 100 hosts -> /25)
    """
    net = parse_network(network)
    if isinstance(host_counts, Mapping):
        items = [(str(k), v) for k, v in host_counts.items()]
    elif isinstance(host_counts, (str, bytes)) or not isinstance(host_counts, Iterable):
        raise AddressError(
            f"Expected a list of host counts or a dict name -> hosts, got {type(host_counts).__name__}"
        ) from None
    else:
        items = [(f"LAN{i}", v) for i, v in enumerate(host_counts, start=1)]
    if not items:
        raise AddressError("A VLSM plan needs at least one LAN") from None
    for name, hosts in items:
        if isinstance(hosts, bool) or not isinstance(hosts, int) or hosts < 1:
            raise AddressError(f"LAN {name!r} needs a whole number of hosts >= 1, got {hosts!r}") from None
    order = sorted(items, key=lambda item: -item[1])  # sorted() is stable: ties keep their order
    sizes = [(name, hosts, prefix_for_hosts(hosts)) for name, hosts in order]
    need = sum(2 ** (32 - p) for _, _, p in sizes)
    if need > net.num_addresses:
        detail = ", ".join(f"{name} {hosts} hosts -> /{p}" for name, hosts, p in sizes)
        raise AddressError(
            f"Does not fit: {net} has {net.num_addresses} addresses, the LANs need {need} ({detail})"
        ) from None
    rows = []
    start = int(net.network_address)
    for name, hosts, p in sizes:
        rows.append(VlsmRow(name=name, hosts=hosts, subnet=IPv4Network((start, p))))
        start += 2 ** (32 - p)
    end = int(net.broadcast_address)
    free: tuple[IPv4Network, ...] = ()
    if start <= end:
        free = tuple(ipaddress.summarize_address_range(IPv4Address(start), IPv4Address(end)))
    return VlsmPlan(network=net, rows=tuple(rows), free=free)


def _networks(networks: Iterable[str | IPv4Network]) -> list[IPv4Network]:
    if isinstance(networks, (str, IPv4Network)):
        raise AddressError(
            "Expected a list of networks like ['10.0.0.0/24', '10.0.1.0/24'], got a single network"
        ) from None
    nets = [parse_network(n) for n in networks]
    if not nets:
        raise AddressError("Expected at least one network, got an empty list") from None
    return nets


def summarize(networks: Iterable[str | IPv4Network]) -> list[IPv4Network]:
    """Merge networks into the fewest blocks that cover exactly the same addresses.

    >>> [str(n) for n in summarize(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])]
    ['10.0.0.0/23', '10.0.2.0/24']
    >>> summarize(["10.0.0.0/24", "10.0.1.5/24"])
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Host bits set in '10.0.1.5/24': the network is 10.0.1.0/24
    """
    return list(ipaddress.collapse_addresses(_networks(networks)))


def supernet(networks: Iterable[str | IPv4Network]) -> IPv4Network:
    """The smallest single network that covers every network given (it may cover more).

    >>> supernet(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])
    IPv4Network('10.0.0.0/22')
    >>> supernet(["192.168.1.0/24", "192.168.2.0/24"])
    IPv4Network('192.168.0.0/22')
    >>> supernet([])
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected at least one network, got an empty list
    """
    nets = _networks(networks)
    low = min(int(n.network_address) for n in nets)
    high = max(int(n.broadcast_address) for n in nets)
    p = 32 - (low ^ high).bit_length()
    return IPv4Network((low, p), strict=False)
