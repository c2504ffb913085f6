"""Reading IPv4 addresses, prefixes, masks and networks from text, with errors that teach.

Every function here is pure (text in, value out) and raises
:class:`netedu.errors.AddressError` (a ``ValueError``) with one line that says
what was expected, what was found and where.

>>> parse_address("192.168.1.10")
IPv4Address('192.168.1.10')
>>> parse_prefix("255.255.255.0")
24
>>> parse_address("10.0.300.1")
Traceback (most recent call last):
...
netedu.errors.AddressError: Octet 300 (> 255) not permitted in '10.0.300.1'
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network

from netedu.errors import AddressError

__all__ = [
    "parse_address",
    "parse_prefix",
    "parse_network",
    "prefix_to_mask",
    "mask_to_prefix",
    "dotted_binary",
]

_DIGITS = frozenset("0123456789")


def _address(text: object, what: str = "address") -> IPv4Address:
    """Parse ``text`` as a dotted-quad; ``what`` names it in messages ("address", "mask")."""
    if isinstance(text, IPv4Address):
        return text
    if not isinstance(text, str):
        raise AddressError(
            f"Expected an IPv4 {what} as text like '192.168.1.10', got {type(text).__name__} {text!r}"
        ) from None
    s = text.strip()
    if not s:
        raise AddressError(f"Expected an IPv4 {what} like '192.168.1.10', got an empty string") from None
    parts = s.split(".")
    if len(parts) != 4:
        raise AddressError(f"Expected 4 octets in {s!r}, got {len(parts)}") from None
    for i, part in enumerate(parts, start=1):
        if part == "":
            raise AddressError(
                f"Empty octet {i} in {s!r}: each of the 4 octets needs a number 0-255 between the dots"
            ) from None
        if not set(part) <= _DIGITS:
            raise AddressError(
                f"Octet {part!r} in {s!r} is not a decimal number: use only the digits 0-9"
            ) from None
        if len(part) > 1 and part[0] == "0":
            raise AddressError(
                f"Leading zero in octet {part!r} of {s!r} not permitted: "
                f"write {int(part)} (some tools read a leading 0 as octal)"
            ) from None
        if int(part) > 255:
            raise AddressError(f"Octet {int(part)} (> 255) not permitted in {s!r}") from None
    return IPv4Address(s)


def parse_address(text: str | IPv4Address) -> IPv4Address:
    """Read a dotted-quad IPv4 address such as ``'192.168.1.10'``.

    An :class:`ipaddress.IPv4Address` is returned unchanged. Spaces around the
    text are ignored.

    >>> parse_address(" 10.0.0.1 ")
    IPv4Address('10.0.0.1')
    >>> parse_address("10.0.1")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected 4 octets in '10.0.1', got 3
    >>> parse_address("10.010.0.1")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Leading zero in octet '010' of '10.010.0.1' not permitted: write 10 (some tools read a leading 0 as octal)
    >>> parse_address("10..0.1")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Empty octet 2 in '10..0.1': each of the 4 octets needs a number 0-255 between the dots
    >>> parse_address("10.0.0.x")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Octet 'x' in '10.0.0.x' is not a decimal number: use only the digits 0-9
    """
    return _address(text)


def prefix_to_mask(prefix: int) -> IPv4Address:
    """Return the netmask of a prefix length: ``prefix`` ones followed by zeros.

    >>> prefix_to_mask(26)
    IPv4Address('255.255.255.192')
    >>> prefix_to_mask(0), prefix_to_mask(32)
    (IPv4Address('0.0.0.0'), IPv4Address('255.255.255.255'))
    >>> prefix_to_mask(33)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /33 (> 32) not permitted: an IPv4 prefix is /0 to /32
    """
    p = parse_prefix(prefix)
    return IPv4Address((0xFFFFFFFF << (32 - p)) & 0xFFFFFFFF)


def dotted_binary(address: str | IPv4Address | int) -> str:
    """Write an address (or a 32-bit int) as four groups of 8 bits.

    >>> dotted_binary("192.168.1.130")
    '11000000.10101000.00000001.10000010'
    >>> dotted_binary(0xFFFFFF00)
    '11111111.11111111.11111111.00000000'
    >>> dotted_binary("1.2.3")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected 4 octets in '1.2.3', got 3
    """
    value = address if isinstance(address, int) and not isinstance(address, bool) else int(_address(address))
    bits = f"{value:032b}"
    return ".".join(bits[i : i + 8] for i in range(0, 32, 8))


def mask_to_prefix(mask: str | IPv4Address) -> int:
    """Return the prefix length of a contiguous netmask such as ``'255.255.255.192'``.

    >>> mask_to_prefix("255.255.255.192")
    26
    >>> mask_to_prefix("255.0.255.0")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Mask 255.0.255.0 not contiguous: its bits 11111111.00000000.11111111.00000000 must be all ones, then all zeros
    """
    return _mask_prefix(mask, where=None)


def _mask_prefix(mask: str | IPv4Address, where: str | None) -> int:
    value = int(_address(mask, "mask"))
    ones = 32 - (((~value) & 0xFFFFFFFF).bit_length())
    expected = (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF
    if value != expected:
        text = str(IPv4Address(value))
        loc = f" in {where!r}" if where else ""
        hint = ""
        inverted = (~value) & 0xFFFFFFFF
        if _contiguous(inverted):
            hint = f" ({text} looks like a wildcard; the mask would be {IPv4Address(inverted)})"
        raise AddressError(
            f"Mask {text} not contiguous{loc}: its bits {dotted_binary(value)} "
            f"must be all ones, then all zeros{hint}"
        ) from None
    return ones


def _contiguous(value: int) -> bool:
    ones = 32 - (((~value) & 0xFFFFFFFF).bit_length())
    return value == (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF


def _prefix(value: object, where: str | None) -> int:
    loc = f" in {where!r}" if where else ""
    if isinstance(value, bool):
        raise AddressError(f"Expected a prefix length 0-32, got {value!r}") from None
    if isinstance(value, int):
        if value > 32:
            raise AddressError(f"Prefix /{value} (> 32) not permitted{loc}: an IPv4 prefix is /0 to /32") from None
        if value < 0:
            raise AddressError(f"Prefix /{value} (< 0) not permitted{loc}: an IPv4 prefix is /0 to /32") from None
        return value
    if isinstance(value, IPv4Address):
        return _mask_prefix(value, where)
    if not isinstance(value, str):
        raise AddressError(
            f"Expected a prefix like 24, '/24' or a mask like '255.255.255.0', got {type(value).__name__} {value!r}"
        ) from None
    s = value.strip()
    if s.startswith("/"):
        s = s[1:].strip()
    if not s:
        raise AddressError(f"Missing prefix after '/'{loc}: write a number 0-32 or a mask") from None
    if set(s) <= _DIGITS:
        return _prefix(int(s), where)
    if "." in s:
        return _mask_prefix(s, where)
    raise AddressError(
        f"Expected a prefix like 24, '/24' or a mask like '255.255.255.0'{loc}, got {s!r}"
    ) from None


def parse_prefix(text_or_int: int | str | IPv4Address) -> int:
    """Read a prefix length: ``24``, ``'24'``, ``'/24'`` or a netmask ``'255.255.255.0'``.

    A mask must be contiguous (ones, then zeros); a prefix is 0 to 32.

    >>> parse_prefix(24), parse_prefix("/24"), parse_prefix("255.255.255.0")
    (24, 24, 24)
    >>> parse_prefix("/33")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /33 (> 32) not permitted: an IPv4 prefix is /0 to /32
    >>> parse_prefix("255.0.255.0")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Mask 255.0.255.0 not contiguous: its bits 11111111.00000000.11111111.00000000 must be all ones, then all zeros
    >>> parse_prefix("0.0.0.255")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Mask 0.0.0.255 not contiguous: its bits 00000000.00000000.00000000.11111111 must be all ones, then all zeros (0.0.0.255 looks like a wildcard; the mask would be 255.255.255.0)
    """
    return _prefix(text_or_int, None)


def _split_arg(arg: object, what: str = "an address") -> tuple[str, str | None]:
    """Split ``'A.B.C.D/P'`` into its address and prefix texts (prefix None when bare)."""
    if not isinstance(arg, str):
        raise AddressError(
            f"Expected {what} as text like '192.168.1.0/24', got {type(arg).__name__} {arg!r}"
        ) from None
    s = arg.strip()
    if s.count("/") > 1:
        raise AddressError(f"Expected at most one '/' in {s!r}, got {s.count('/')}") from None
    if "/" in s:
        addr, _, pre = s.partition("/")
        if not pre.strip():
            raise AddressError(f"Missing prefix after '/' in {s!r}: write a number 0-32 or a mask") from None
        return addr, pre
    return s, None


def parse_network(text: str | IPv4Network, *, strict: bool = True) -> IPv4Network:
    """Read a network such as ``'192.168.1.0/24'`` or ``'10.0.0.0/255.0.0.0'``.

    With ``strict`` (the default) the host bits must be zero, because a network
    is named by its first address; ``strict=False`` clears them instead.

    >>> parse_network("192.168.1.0/255.255.255.0")
    IPv4Network('192.168.1.0/24')
    >>> parse_network("192.168.1.77/24", strict=False)
    IPv4Network('192.168.1.0/24')
    >>> parse_network("192.168.1.77/24")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Host bits set in '192.168.1.77/24': the network is 192.168.1.0/24
    >>> parse_network("192.168.1.0")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected a network like '192.168.1.0/24' (address/prefix), got '192.168.1.0'
    """
    if isinstance(text, IPv4Network):
        return text
    addr_text, pre_text = _split_arg(text, "a network")
    if pre_text is None:
        raise AddressError(
            f"Expected a network like '192.168.1.0/24' (address/prefix), got {str(text).strip()!r}"
        ) from None
    address = _address(addr_text)
    prefix = _prefix(pre_text, str(text).strip())
    net = ipaddress.IPv4Network((int(address), prefix), strict=False)
    if strict and net.network_address != address:
        raise AddressError(
            f"Host bits set in {str(text).strip()!r}: the network is {net}"
        ) from None
    return net
