"""Classes A-E, RFC 1918 and the special ranges, checked against the test's own independent rules."""

from __future__ import annotations

import ipaddress
import random

import pytest

from netedu.addr import CLASS_TABLE, PRIVATE_RANGES, SPECIAL_RANGES, class_table_text, classify, is_rfc1918, special_label
from netedu.errors import AddressError


def reference_class(first_octet: int) -> str:
    """By the leading bits of the first octet (RFC 791 sec. 3.2), written independently."""
    bits = f"{first_octet:08b}"
    if bits.startswith("0"):
        return "A"
    if bits.startswith("10"):
        return "B"
    if bits.startswith("110"):
        return "C"
    if bits.startswith("1110"):
        return "D"
    return "E"


def test_class_boundaries():
    for first in range(256):
        assert classify(f"{first}.1.2.3").ip_class == reference_class(first)
    assert [c.name for c in CLASS_TABLE] == list("ABCDE")
    for c in CLASS_TABLE:
        assert classify(c.first).ip_class == c.name == classify(c.last).ip_class


def test_class_table_counts():
    counts = {c.name: (c.leading_bits, c.default_prefix, c.networks, c.hosts_per_network) for c in CLASS_TABLE}
    assert counts == {
        "A": ("0", 8, 128, 16_777_214),
        "B": ("10", 16, 16_384, 65_534),
        "C": ("110", 24, 2_097_152, 254),
        "D": ("1110", None, None, None),
        "E": ("1111", None, None, None),
    }
    assert CLASS_TABLE[3].to_dict()["default_mask"] is None
    text = class_table_text()
    assert len(text.splitlines()) == 6 and "2097152" in text


def test_rfc1918_random_against_networks():
    blocks = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
    assert list(PRIVATE_RANGES) == blocks
    rng = random.Random(5)
    for _ in range(5000):
        a = ipaddress.IPv4Address(rng.getrandbits(32))
        assert is_rfc1918(a) is any(a in b for b in blocks)
    for edge, want in [("9.255.255.255", False), ("10.0.0.0", True), ("172.15.255.255", False), ("172.16.0.0", True),
                       ("172.31.255.255", True), ("172.32.0.0", False), ("192.167.255.255", False),
                       ("192.168.0.0", True), ("192.169.0.0", False)]:
        assert is_rfc1918(edge) is want, edge


@pytest.mark.parametrize(
    "address, label",
    [
        ("0.0.0.0", "this network"), ("0.255.255.255", "this network"), ("1.0.0.0", None),
        ("127.0.0.1", "loopback"), ("126.255.255.255", None), ("128.0.0.0", None),
        ("169.254.0.0", "link-local"), ("169.253.255.255", None), ("169.255.0.0", None),
        ("100.64.0.0", "shared address space"), ("100.127.255.255", "shared address space"), ("100.128.0.0", None),
        ("100.63.255.255", None),
        ("192.0.0.9", "IETF protocol assignments"),
        ("192.0.2.0", "documentation"), ("198.51.100.255", "documentation"), ("203.0.113.7", "documentation"),
        ("192.0.3.0", None),
        ("198.18.0.0", "benchmarking"), ("198.19.255.255", "benchmarking"), ("198.20.0.0", None),
        ("224.0.0.0", "multicast"), ("239.255.255.255", "multicast"),
        ("240.0.0.0", "reserved"), ("255.255.255.254", "reserved"), ("255.255.255.255", "limited broadcast"),
        ("10.0.0.1", None), ("8.8.8.8", None),
    ],
)
def test_special_labels(address, label):
    assert special_label(address) == label
    assert classify(address).special == label


def test_every_special_range_cites_an_rfc():
    for row in SPECIAL_RANGES:
        assert row.rfc.startswith("RFC "), row


def test_classify_fields():
    info = classify("10.1.2.3")
    assert (info.ip_class, info.leading_bits, info.default_prefix, info.default_mask, info.private, info.special) == (
        "A", "0", 8, "255.0.0.0", True, None)
    assert classify("230.1.1.1").default_mask is None


def test_classify_error():
    with pytest.raises(AddressError) as e:
        classify("10.0.0.256")
    assert str(e.value) == "Octet 256 (> 255) not permitted in '10.0.0.256'"
