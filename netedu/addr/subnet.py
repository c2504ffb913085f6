"""Subnet information, the binary view of network and host bits, and the same-subnet test.

:func:`subnet_info` is what the ``netedu subnet`` command and the subnet
calculator widget show. It is built on ``ipaddress`` where that is right
(network, netmask, counts) and on the course's own rules where it is not:

* ``/31`` has no broadcast and 2 usable hosts (RFC 3021, point-to-point links);
* ``/32`` is one host, with no broadcast;
* ``private`` is exactly RFC 1918 (``ipaddress.is_private`` is not).

The binary view writes the 32 bits in dotted groups of 8 and puts a ``|``
between the network bits and the host bits; when the boundary falls between
two octets the ``|`` takes the place of the dot:

>>> binary_view("192.168.1.130", 26)
'11000000.10101000.00000001.10|000010'
>>> binary_view("192.168.1.130", 24)
'11000000.10101000.00000001|10000010'
>>> print(subnet_info("192.168.1.130/26").table())
Address             192.168.1.130
Prefix              /26
Netmask             255.255.255.192
Wildcard            0.0.0.63
Network             192.168.1.128
Broadcast           192.168.1.191
First host          192.168.1.129
Last host           192.168.1.190
Addresses           64
Usable hosts        62
Class               C
Private (RFC 1918)  yes
Special             -
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from ipaddress import IPv4Address

from netedu.addr.classes import address_class, is_rfc1918, special_label
from netedu.addr.parse import _address, _prefix, _split_arg, dotted_binary, prefix_to_mask
from netedu.errors import AddressError

__all__ = [
    "SubnetInfo",
    "subnet_info",
    "binary_view",
    "binary_parts",
    "same_subnet",
    "usable_hosts",
]


def usable_hosts(prefix: int) -> int:
    """Hosts a subnet of this prefix can number: 2**(32-p) - 2, but 2 for /31 and 1 for /32.

    >>> [usable_hosts(p) for p in (24, 30, 31, 32)]
    [254, 2, 2, 1]
    >>> usable_hosts(40)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /40 (> 32) not permitted: an IPv4 prefix is /0 to /32
    """
    p = _prefix(prefix, None)
    if p == 32:
        return 1
    if p == 31:  # RFC 3021: both addresses of a point-to-point /31 are hosts
        return 2
    return 2 ** (32 - p) - 2


@dataclass(frozen=True, kw_only=True)
class SubnetInfo:
    """Everything about one address and prefix; the fields are the JSON keys, in order.

    Addresses are dotted-quad strings; ``broadcast`` is None for /31 and /32.

    >>> info = subnet_info("10.1.2.3/31")
    >>> info.broadcast, info.first_host, info.last_host, info.usable_hosts
    (None, '10.1.2.2', '10.1.2.3', 2)
    >>> SubnetInfo(address="10.0.0.1", prefix=33, netmask="", wildcard="", network="", broadcast=None,
    ...            first_host="", last_host="", num_addresses=0, usable_hosts=0, ip_class="A",
    ...            private=True, special=None)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /33 (> 32) not permitted: an IPv4 prefix is /0 to /32
    """

    address: str
    prefix: int
    netmask: str
    wildcard: str
    network: str
    broadcast: str | None
    first_host: str
    last_host: str
    num_addresses: int
    usable_hosts: int
    ip_class: str
    private: bool
    special: str | None

    def __post_init__(self) -> None:
        _prefix(self.prefix, None)
        if self.ip_class not in ("A", "B", "C", "D", "E"):
            raise AddressError(f"Class must be one of A-E, got {self.ip_class!r}") from None

    def to_dict(self) -> dict[str, object]:
        """The fields as a JSON-ready dict, keys in the documented order.

        >>> list(subnet_info("10.0.0.1/8").to_dict())[:4]
        ['address', 'prefix', 'netmask', 'wildcard']
        """
        return dataclasses.asdict(self)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs as shown in the table and the widget.

        >>> subnet_info("10.0.0.1/32").rows()[5]
        ('Broadcast', 'none (/32: a single host)')
        """
        if self.broadcast is not None:
            bcast = self.broadcast
        elif self.prefix == 31:
            bcast = "none (/31: point-to-point, RFC 3021)"
        else:
            bcast = "none (/32: a single host)"
        return [
            ("Address", self.address),
            ("Prefix", f"/{self.prefix}"),
            ("Netmask", self.netmask),
            ("Wildcard", self.wildcard),
            ("Network", self.network),
            ("Broadcast", bcast),
            ("First host", self.first_host),
            ("Last host", self.last_host),
            ("Addresses", str(self.num_addresses)),
            ("Usable hosts", str(self.usable_hosts)),
            ("Class", self.ip_class),
            ("Private (RFC 1918)", "yes" if self.private else "no"),
            ("Special", self.special or "-"),
        ]

    def table(self) -> str:
        """The fields as aligned text, one per line (see the module docstring).

        >>> subnet_info("8.8.8.8").table().splitlines()[1]
        'Prefix              /8'
        """
        rows = self.rows()
        width = max(len(label) for label, _ in rows) + 2
        return "\n".join(f"{label:<{width}}{value}" for label, value in rows)

    def binary(self) -> str:
        """The AND of address and mask, in binary, with ``|`` between network and host bits.

        >>> print(subnet_info("192.168.1.130/26").binary())
        Address    11000000.10101000.00000001.10|000010  192.168.1.130
        Netmask    11111111.11111111.11111111.11|000000  255.255.255.192
        Network    11000000.10101000.00000001.10|000000  192.168.1.128
        Broadcast  11000000.10101000.00000001.10|111111  192.168.1.191
        """
        lines = [("Address", self.address), ("Netmask", self.netmask), ("Network", self.network)]
        if self.broadcast is not None:
            lines.append(("Broadcast", self.broadcast))
        return "\n".join(
            f"{label:<10} {binary_view(value, self.prefix)}  {value}" for label, value in lines
        )


def subnet_info(arg: str, prefix: int | str | None = None) -> SubnetInfo:
    """Subnet information for ``'A.B.C.D/P'``, ``'A.B.C.D/M.M.M.M'`` or a bare address.

    A bare address gets its classful default mask (A: /8, B: /16, C: /24);
    classes D and E have none, so they need a prefix. ``prefix`` may be given
    separately (an int, ``'/24'`` or a mask) instead of in ``arg``.

    >>> subnet_info("172.16.5.4").network, subnet_info("172.16.5.4").prefix
    ('172.16.0.0', 16)
    >>> subnet_info("192.168.1.130", "255.255.255.192").broadcast
    '192.168.1.191'
    >>> subnet_info("10.0.0.0/33")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /33 (> 32) not permitted in '10.0.0.0/33': an IPv4 prefix is /0 to /32
    >>> subnet_info("1.2.3.4/255.0.255.0")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Mask 255.0.255.0 not contiguous in '1.2.3.4/255.0.255.0': its bits 11111111.00000000.11111111.00000000 must be all ones, then all zeros
    >>> subnet_info("224.0.0.1")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Class D address '224.0.0.1' has no default mask (class D is multicast, never split into network and host): give a prefix, e.g. '224.0.0.1/32'
    """
    if isinstance(arg, IPv4Address):
        arg = str(arg)
    addr_text, pre_text = _split_arg(arg)
    where = arg.strip()
    if pre_text is not None and prefix is not None:
        raise AddressError(
            f"Prefix given twice: {where!r} already has one, and prefix={prefix!r} was passed too"
        ) from None
    address = _address(addr_text)
    cls = address_class(address)
    if pre_text is not None:
        p = _prefix(pre_text, where)
    elif prefix is not None:
        p = _prefix(prefix, None)
    else:
        if cls.default_prefix is None:
            kind = "multicast" if cls.name == "D" else "reserved"
            raise AddressError(
                f"Class {cls.name} address {str(address)!r} has no default mask "
                f"(class {cls.name} is {kind}, never split into network and host): "
                f"give a prefix, e.g. '{address}/32'"
            ) from None
        p = cls.default_prefix
    mask = int(prefix_to_mask(p))
    wildcard = (~mask) & 0xFFFFFFFF
    net = int(address) & mask
    last = net | wildcard
    if p == 32:
        broadcast, first, final = None, net, net
    elif p == 31:  # RFC 3021
        broadcast, first, final = None, net, last
    else:
        broadcast, first, final = last, net + 1, last - 1
    return SubnetInfo(
        address=str(address),
        prefix=p,
        netmask=str(IPv4Address(mask)),
        wildcard=str(IPv4Address(wildcard)),
        network=str(IPv4Address(net)),
        broadcast=None if broadcast is None else str(IPv4Address(broadcast)),
        first_host=str(IPv4Address(first)),
        last_host=str(IPv4Address(final)),
        num_addresses=2 ** (32 - p),
        usable_hosts=usable_hosts(p),
        ip_class=cls.name,
        private=is_rfc1918(address),
        special=special_label(address),
    )


def binary_parts(address: str | IPv4Address, prefix: int | str) -> tuple[str, str]:
    """The dotted binary of ``address`` cut into (network bits, host bits).

    Dots inside each part are kept; a dot that falls exactly on the boundary
    is dropped, so ``network + '|' + host`` is :func:`binary_view`.

    >>> binary_parts("192.168.1.130", 26)
    ('11000000.10101000.00000001.10', '000010')
    >>> binary_parts("10.0.0.1", 8)
    ('00001010', '00000000.00000000.00000001')
    >>> binary_parts("10.0.0.1", 0)
    ('', '00001010.00000000.00000000.00000001')
    >>> binary_parts("10.0.0.1", "/36")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /36 (> 32) not permitted: an IPv4 prefix is /0 to /32
    """
    p = _prefix(prefix, None)
    dotted = dotted_binary(_address(address))
    cut = p + (p // 8 if p < 32 else 3)  # characters before the boundary, dots included
    network, host = dotted[:cut], dotted[cut:]
    if network.endswith("."):
        network = network[:-1]
    if host.startswith("."):
        host = host[1:]
    return network, host


def binary_view(address: str | IPv4Address, prefix: int | str) -> str:
    """The 32 bits of ``address`` in dotted groups, ``|`` between network and host bits.

    >>> binary_view("10.0.0.1", 8)
    '00001010|00000000.00000000.00000001'
    >>> binary_view("10.0.0.1", 32)
    '00001010.00000000.00000000.00000001|'
    >>> binary_view("10.0.0.1", "255.255.0.0")
    '00001010.00000000|00000000.00000001'
    >>> binary_view("10.0.0.256", 8)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Octet 256 (> 255) not permitted in '10.0.0.256'
    """
    network, host = binary_parts(address, prefix)
    return f"{network}|{host}"


def same_subnet(a: str | IPv4Address, b: str | IPv4Address, prefix_or_mask: int | str) -> bool:
    """True when ``a`` and ``b`` have the same network bits (address AND mask) under the prefix.

    >>> same_subnet("192.168.1.10", "192.168.1.200", 24)
    True
    >>> same_subnet("192.168.1.10", "192.168.1.200", "255.255.255.128")
    False
    >>> same_subnet("192.168.1.10", "192.168.1.x", 24)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Octet 'x' in '192.168.1.x' is not a decimal number: use only the digits 0-9
    """
    mask = int(prefix_to_mask(_prefix(prefix_or_mask, None)))
    return (int(_address(a)) & mask) == (int(_address(b)) & mask)


