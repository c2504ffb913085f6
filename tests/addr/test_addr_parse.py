"""Parsing addresses, prefixes, masks and networks: values and exact learner-facing messages."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from netedu.addr import dotted_binary, mask_to_prefix, parse_address, parse_network, parse_prefix, prefix_to_mask
from netedu.errors import AddressError


@pytest.mark.parametrize("text", ["0.0.0.0", "255.255.255.255", "192.168.1.10", " 10.0.0.1 ", "1.2.3.4\n"])
def test_parse_address_accepts(text):
    assert parse_address(text) == IPv4Address(text.strip())


def test_parse_address_passes_address_through():
    a = IPv4Address("1.2.3.4")
    assert parse_address(a) is a


@pytest.mark.parametrize(
    "text, message",
    [
        ("10.0.300.1", "Octet 300 (> 255) not permitted in '10.0.300.1'"),
        ("256.1.1.1", "Octet 256 (> 255) not permitted in '256.1.1.1'"),
        ("10.0.1", "Expected 4 octets in '10.0.1', got 3"),
        ("1.2.3.4.5", "Expected 4 octets in '1.2.3.4.5', got 5"),
        ("10", "Expected 4 octets in '10', got 1"),
        ("10..0.1", "Empty octet 2 in '10..0.1': each of the 4 octets needs a number 0-255 between the dots"),
        ("10.0.0.", "Empty octet 4 in '10.0.0.': each of the 4 octets needs a number 0-255 between the dots"),
        (".10.0.0", "Empty octet 1 in '.10.0.0': each of the 4 octets needs a number 0-255 between the dots"),
        ("10.0.0.x", "Octet 'x' in '10.0.0.x' is not a decimal number: use only the digits 0-9"),
        ("10.0.0.-1", "Octet '-1' in '10.0.0.-1' is not a decimal number: use only the digits 0-9"),
        ("10.0.0.0x1", "Octet '0x1' in '10.0.0.0x1' is not a decimal number: use only the digits 0-9"),
        ("10.0. 0.1", "Octet ' 0' in '10.0. 0.1' is not a decimal number: use only the digits 0-9"),
        ("1.2.3.\u0661", "Octet '\u0661' in '1.2.3.\u0661' is not a decimal number: use only the digits 0-9"),
        ("192.168.010.1", "Leading zero in octet '010' of '192.168.010.1' not permitted: write 10 (some tools read a leading 0 as octal)"),
        ("00.0.0.0", "Leading zero in octet '00' of '00.0.0.0' not permitted: write 0 (some tools read a leading 0 as octal)"),
        ("", "Expected an IPv4 address like '192.168.1.10', got an empty string"),
        ("   ", "Expected an IPv4 address like '192.168.1.10', got an empty string"),
        (3232235777, "Expected an IPv4 address as text like '192.168.1.10', got int 3232235777"),
        (None, "Expected an IPv4 address as text like '192.168.1.10', got NoneType None"),
    ],
)
def test_parse_address_errors(text, message):
    with pytest.raises(AddressError) as e:
        parse_address(text)
    assert str(e.value) == message
    assert isinstance(e.value, ValueError)
    assert e.value.__suppress_context__


@pytest.mark.parametrize(
    "value, prefix",
    [(0, 0), (24, 24), (32, 32), ("24", 24), ("/24", 24), (" /8 ", 8), ("255.255.255.0", 24),
     ("/255.255.255.192", 26), ("0.0.0.0", 0), ("255.255.255.255", 32), ("255.254.0.0", 15),
     (IPv4Address("255.255.0.0"), 16)],
)
def test_parse_prefix_accepts(value, prefix):
    assert parse_prefix(value) == prefix


@pytest.mark.parametrize(
    "value, message",
    [
        (33, "Prefix /33 (> 32) not permitted: an IPv4 prefix is /0 to /32"),
        ("/33", "Prefix /33 (> 32) not permitted: an IPv4 prefix is /0 to /32"),
        (-1, "Prefix /-1 (< 0) not permitted: an IPv4 prefix is /0 to /32"),
        ("-1", "Expected a prefix like 24, '/24' or a mask like '255.255.255.0', got '-1'"),
        ("abc", "Expected a prefix like 24, '/24' or a mask like '255.255.255.0', got 'abc'"),
        ("/", "Missing prefix after '/': write a number 0-32 or a mask"),
        (True, "Expected a prefix length 0-32, got True"),
        (24.0, "Expected a prefix like 24, '/24' or a mask like '255.255.255.0', got float 24.0"),
        ("255.0.255.0", "Mask 255.0.255.0 not contiguous: its bits 11111111.00000000.11111111.00000000 must be all ones, then all zeros"),
        ("255.255.255.1", "Mask 255.255.255.1 not contiguous: its bits 11111111.11111111.11111111.00000001 must be all ones, then all zeros"),
        ("0.0.0.255", "Mask 0.0.0.255 not contiguous: its bits 00000000.00000000.00000000.11111111 must be all ones, then all zeros (0.0.0.255 looks like a wildcard; the mask would be 255.255.255.0)"),
        ("255.255.256.0", "Octet 256 (> 255) not permitted in '255.255.256.0'"),
        ("255.255.0", "Expected 4 octets in '255.255.0', got 3"),
    ],
)
def test_parse_prefix_errors(value, message):
    with pytest.raises(AddressError) as e:
        parse_prefix(value)
    assert str(e.value) == message


def test_every_contiguous_mask_round_trips():
    for p in range(33):
        mask = prefix_to_mask(p)
        assert mask == IPv4Network(f"0.0.0.0/{p}").netmask
        assert parse_prefix(str(mask)) == p == mask_to_prefix(mask)


def test_dotted_binary():
    assert dotted_binary("255.0.128.1") == "11111111.00000000.10000000.00000001"
    assert dotted_binary(1) == "00000000.00000000.00000000.00000001"


@pytest.mark.parametrize(
    "text, message",
    [
        ("192.168.1.77/24", "Host bits set in '192.168.1.77/24': the network is 192.168.1.0/24"),
        ("192.168.1.0", "Expected a network like '192.168.1.0/24' (address/prefix), got '192.168.1.0'"),
        ("192.168.1.0/24/8", "Expected at most one '/' in '192.168.1.0/24/8', got 2"),
        ("192.168.1.0/", "Missing prefix after '/' in '192.168.1.0/': write a number 0-32 or a mask"),
        ("10.0.0.0/40", "Prefix /40 (> 32) not permitted in '10.0.0.0/40': an IPv4 prefix is /0 to /32"),
        (24, "Expected a network as text like '192.168.1.0/24', got int 24"),
    ],
)
def test_parse_network_errors(text, message):
    with pytest.raises(AddressError) as e:
        parse_network(text)
    assert str(e.value) == message


def test_parse_network_values():
    assert parse_network("10.0.0.0/255.0.0.0") == IPv4Network("10.0.0.0/8")
    assert parse_network("10.9.9.9/8", strict=False) == IPv4Network("10.0.0.0/8")
    n = IPv4Network("1.0.0.0/8")
    assert parse_network(n) is n
