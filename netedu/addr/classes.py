"""Address classes A-E, the RFC 1918 private blocks and the special-purpose ranges.

These are the course's own tables. The stdlib's ``ipaddress.is_private`` is
*not* RFC 1918: it is also true for 127/8, 169.254/16, 192.0.2/24 and more,
and false for 100.64/10, so the course does not use it.

Classes (RFC 791 sec. 3.2; classful addressing was replaced by CIDR, RFC 4632,
but the words are still used) are decided by the leading bits of the first octet:

>>> [classify(a).ip_class for a in ("10.1.1.1", "172.16.0.1", "192.168.1.1", "224.0.0.9", "240.0.0.1")]
['A', 'B', 'C', 'D', 'E']
>>> print(class_table_text())
Class  Leading bits  First address    Last address     Default mask      Networks  Hosts per network  Use
A      0             0.0.0.0          127.255.255.255  255.0.0.0 /8           128           16777214  unicast (large networks)
B      10            128.0.0.0        191.255.255.255  255.255.0.0 /16      16384              65534  unicast (medium networks)
C      110           192.0.0.0        223.255.255.255  255.255.255.0 /24  2097152                254  unicast (small networks)
D      1110          224.0.0.0        239.255.255.255  none                     -                  -  multicast
E      1111          240.0.0.0        255.255.255.255  none                     -                  -  reserved (experimental)
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netedu.addr.parse import parse_address
from netedu.errors import AddressError

__all__ = [
    "AddressClass",
    "AddressClassInfo",
    "SpecialRange",
    "CLASS_TABLE",
    "PRIVATE_RANGES",
    "SPECIAL_RANGES",
    "address_class",
    "is_rfc1918",
    "special_label",
    "classify",
    "class_table_text",
    "special_ranges_text",
]


@dataclass(frozen=True, kw_only=True)
class AddressClass:
    """One row of the classful table (RFC 791 sec. 3.2, RFC 1112 sec. 4 for D and E).

    ``networks`` counts every value of the network bits (class A: 2**7 = 128,
    of which 0 and 127 are special, so 126 are usable for hosts);
    ``hosts_per_network`` leaves out the network and broadcast addresses.

    >>> CLASS_TABLE[0].name, CLASS_TABLE[0].default_prefix, CLASS_TABLE[0].hosts_per_network
    ('A', 8, 16777214)
    >>> AddressClass(name="F", leading_bits="11111", first="0.0.0.0", last="0.0.0.0", default_prefix=None, use="")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Class name must be one of A-E, got 'F'
    """

    name: str
    leading_bits: str
    first: str
    last: str
    default_prefix: int | None
    use: str

    def __post_init__(self) -> None:
        if self.name not in ("A", "B", "C", "D", "E"):
            raise AddressError(f"Class name must be one of A-E, got {self.name!r}") from None

    @property
    def default_mask(self) -> str | None:
        """The classful default netmask, or None for D and E.

        >>> CLASS_TABLE[1].default_mask, CLASS_TABLE[3].default_mask
        ('255.255.0.0', None)
        """
        if self.default_prefix is None:
            return None
        return str(IPv4Address((0xFFFFFFFF << (32 - self.default_prefix)) & 0xFFFFFFFF))

    @property
    def networks(self) -> int | None:
        """How many networks the class has: 2 to the number of free network bits.

        >>> [c.networks for c in CLASS_TABLE]
        [128, 16384, 2097152, None, None]
        """
        if self.default_prefix is None:
            return None
        return 2 ** (self.default_prefix - len(self.leading_bits))

    @property
    def hosts_per_network(self) -> int | None:
        """Usable hosts in one classful network: 2**host_bits - 2.

        >>> [c.hosts_per_network for c in CLASS_TABLE]
        [16777214, 65534, 254, None, None]
        """
        if self.default_prefix is None:
            return None
        return 2 ** (32 - self.default_prefix) - 2

    def to_dict(self) -> dict[str, object]:
        """The row as a JSON-ready dict.

        >>> CLASS_TABLE[2].to_dict()["first"]
        '192.0.0.0'
        """
        return {
            "class": self.name,
            "leading_bits": self.leading_bits,
            "first": self.first,
            "last": self.last,
            "default_prefix": self.default_prefix,
            "default_mask": self.default_mask,
            "networks": self.networks,
            "hosts_per_network": self.hosts_per_network,
            "use": self.use,
        }


CLASS_TABLE: tuple[AddressClass, ...] = (
    AddressClass(name="A", leading_bits="0", first="0.0.0.0", last="127.255.255.255", default_prefix=8, use="unicast (large networks)"),
    AddressClass(name="B", leading_bits="10", first="128.0.0.0", last="191.255.255.255", default_prefix=16, use="unicast (medium networks)"),
    AddressClass(name="C", leading_bits="110", first="192.0.0.0", last="223.255.255.255", default_prefix=24, use="unicast (small networks)"),
    AddressClass(name="D", leading_bits="1110", first="224.0.0.0", last="239.255.255.255", default_prefix=None, use="multicast"),
    AddressClass(name="E", leading_bits="1111", first="240.0.0.0", last="255.255.255.255", default_prefix=None, use="reserved (experimental)"),
)


@dataclass(frozen=True, kw_only=True)
class SpecialRange:
    """A special-purpose block with its short label and the RFC that defines it.

    >>> SPECIAL_RANGES[0].label, str(SPECIAL_RANGES[0].network), SPECIAL_RANGES[0].rfc
    ('limited broadcast', '255.255.255.255/32', 'RFC 919, RFC 8190')
    >>> SpecialRange(network=IPv4Network("10.0.0.0/8"), label="", rfc="RFC 1918")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A special range needs a label, got ''
    """

    network: IPv4Network
    label: str
    rfc: str

    def __post_init__(self) -> None:
        if not self.label:
            raise AddressError(f"A special range needs a label, got {self.label!r}") from None


# RFC 1918 sec. 3: the three private blocks, and only these.
PRIVATE_RANGES: tuple[IPv4Network, ...] = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
)

# The special-purpose registry (RFC 6890 and the RFCs named). Looked up in this
# order, so the /32 limited broadcast wins over the 240/4 block around it.
SPECIAL_RANGES: tuple[SpecialRange, ...] = (
    SpecialRange(network=IPv4Network("255.255.255.255/32"), label="limited broadcast", rfc="RFC 919, RFC 8190"),
    SpecialRange(network=IPv4Network("0.0.0.0/8"), label="this network", rfc="RFC 1122 sec. 3.2.1.3"),
    SpecialRange(network=IPv4Network("127.0.0.0/8"), label="loopback", rfc="RFC 1122 sec. 3.2.1.3"),
    SpecialRange(network=IPv4Network("169.254.0.0/16"), label="link-local", rfc="RFC 3927"),
    SpecialRange(network=IPv4Network("100.64.0.0/10"), label="shared address space", rfc="RFC 6598"),
    SpecialRange(network=IPv4Network("192.0.0.0/24"), label="IETF protocol assignments", rfc="RFC 6890"),
    SpecialRange(network=IPv4Network("192.0.2.0/24"), label="documentation", rfc="RFC 5737 (TEST-NET-1)"),
    SpecialRange(network=IPv4Network("198.51.100.0/24"), label="documentation", rfc="RFC 5737 (TEST-NET-2)"),
    SpecialRange(network=IPv4Network("203.0.113.0/24"), label="documentation", rfc="RFC 5737 (TEST-NET-3)"),
    SpecialRange(network=IPv4Network("198.18.0.0/15"), label="benchmarking", rfc="RFC 2544"),
    SpecialRange(network=IPv4Network("224.0.0.0/4"), label="multicast", rfc="RFC 5771"),
    SpecialRange(network=IPv4Network("240.0.0.0/4"), label="reserved", rfc="RFC 1112 sec. 4"),
)


def address_class(address: str | IPv4Address) -> AddressClass:
    """Return the class (a row of :data:`CLASS_TABLE`) of an address, by its leading bits.

    >>> address_class("127.0.0.1").name
    'A'
    >>> address_class("223.255.255.255").name
    'C'
    >>> address_class("300.1.1.1")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Octet 300 (> 255) not permitted in '300.1.1.1'
    """
    first = int(parse_address(address)) >> 24
    if first < 0b10000000:
        return CLASS_TABLE[0]
    if first < 0b11000000:
        return CLASS_TABLE[1]
    if first < 0b11100000:
        return CLASS_TABLE[2]
    if first < 0b11110000:
        return CLASS_TABLE[3]
    return CLASS_TABLE[4]


def is_rfc1918(address: str | IPv4Address) -> bool:
    """True exactly inside 10/8, 172.16/12 and 192.168/16 (RFC 1918 sec. 3).

    >>> is_rfc1918("172.31.255.255"), is_rfc1918("172.32.0.0"), is_rfc1918("127.0.0.1")
    (True, False, False)
    >>> is_rfc1918("10.0.0")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected 4 octets in '10.0.0', got 3
    """
    a = parse_address(address)
    return any(a in net for net in PRIVATE_RANGES)


def special_label(address: str | IPv4Address) -> str | None:
    """The short label of the special-purpose block holding ``address``, or None.

    >>> special_label("127.0.0.1"), special_label("100.64.0.1"), special_label("8.8.8.8")
    ('loopback', 'shared address space', None)
    >>> special_label("255.255.255.255"), special_label("250.0.0.1")
    ('limited broadcast', 'reserved')
    >>> special_label("")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected an IPv4 address like '192.168.1.10', got an empty string
    """
    a = parse_address(address)
    for row in SPECIAL_RANGES:
        if a in row.network:
            return row.label
    return None


@dataclass(frozen=True, kw_only=True)
class AddressClassInfo:
    """What :func:`classify` says about one address.

    >>> info = classify("169.254.10.1")
    >>> info.ip_class, info.leading_bits, info.default_prefix, info.private, info.special
    ('B', '10', 16, False, 'link-local')
    >>> AddressClassInfo(address=IPv4Address("1.1.1.1"), ip_class="Z", leading_bits="0", default_prefix=8, private=False, special=None)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Class must be one of A-E, got 'Z'
    """

    address: IPv4Address
    ip_class: str
    leading_bits: str
    default_prefix: int | None
    private: bool
    special: str | None

    def __post_init__(self) -> None:
        if self.ip_class not in ("A", "B", "C", "D", "E"):
            raise AddressError(f"Class must be one of A-E, got {self.ip_class!r}") from None

    @property
    def default_mask(self) -> str | None:
        """The classful default mask, or None for classes D and E.

        >>> classify("10.0.0.1").default_mask
        '255.0.0.0'
        """
        return CLASS_TABLE["ABCDE".index(self.ip_class)].default_mask


def classify(address: str | IPv4Address) -> AddressClassInfo:
    """Class (by the leading bits), default prefix, RFC 1918 flag and special label of an address.

    >>> classify("192.168.1.130")
    AddressClassInfo(address=IPv4Address('192.168.1.130'), ip_class='C', leading_bits='110', default_prefix=24, private=True, special=None)
    >>> classify("224.0.0.251").default_prefix is None
    True
    >>> classify("1.2.3.4.5")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected 4 octets in '1.2.3.4.5', got 5
    """
    a = parse_address(address)
    cls = address_class(a)
    return AddressClassInfo(
        address=a,
        ip_class=cls.name,
        leading_bits=cls.leading_bits,
        default_prefix=cls.default_prefix,
        private=is_rfc1918(a),
        special=special_label(a),
    )


def class_table_text() -> str:
    """The class table as aligned text (see the module docstring for the output).

    >>> class_table_text().splitlines()[1].split()[:4]
    ['A', '0', '0.0.0.0', '127.255.255.255']
    """
    head = f"{'Class':<6} {'Leading bits':<13} {'First address':<16} {'Last address':<16} {'Default mask':<17} {'Networks':>8} {'Hosts per network':>18}  Use"
    lines = [head]
    for c in CLASS_TABLE:
        mask = f"{c.default_mask} /{c.default_prefix}" if c.default_prefix is not None else "none"
        nets = "-" if c.networks is None else str(c.networks)
        hosts = "-" if c.hosts_per_network is None else str(c.hosts_per_network)
        lines.append(
            f"{c.name:<6} {c.leading_bits:<13} {c.first:<16} {c.last:<16} {mask:<17} {nets:>8} {hosts:>18}  {c.use}"
        )
    return "\n".join(lines)


def special_ranges_text() -> str:
    """The private blocks and the special-purpose ranges as aligned text, with their RFCs.

    >>> print(special_ranges_text().splitlines()[0])
    Block               First            Last             Label                      RFC
    >>> special_ranges_text().splitlines()[1].split()[:3]
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255']
    """
    rows = [(net, "private", "RFC 1918") for net in PRIVATE_RANGES]
    rows += [(r.network, r.label, r.rfc) for r in sorted(SPECIAL_RANGES, key=lambda r: r.network)]
    lines = [f"{'Block':<19} {'First':<16} {'Last':<16} {'Label':<26} RFC"]
    for net, label, rfc in rows:
        lines.append(
            f"{str(net):<19} {str(net.network_address):<16} {str(net.broadcast_address):<16} {label:<26} {rfc}"
        )
    return "\n".join(lines)
