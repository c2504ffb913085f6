"""Chapter 01 bank: right answers get full marks; wrong ones, errors and loops get 0 and a message."""

from __future__ import annotations

import socket
import time

import pytest

from netedu.grading.bank.ch01 import canonical_layer, port_range_reference
from netedu.grading.registry import lookup

LAYERS = {"HTTP": "application", "DNS": "application", "TFTP": "application", "TCP": "transport",
          "UDP": "transport", "IP": "network", "ICMP": "network", "Ethernet": "link"}
PORTS = {"HTTP": 80, "HTTPS": 443, "FTP": 21, "SSH": 22, "DNS": 53, "TFTP": 69}


def score(exercise_id, answer):
    outcomes = lookup(exercise_id).run(answer)
    return sum(o.points for o in outcomes), outcomes


def test_layers_full_marks_in_english_and_chinese():
    assert score("01.1", LAYERS)[0] == 8
    chinese = dict(LAYERS, IP="网际层", Ethernet="网络接口层", TCP="传输层")
    assert score("01.1", {k.lower(): v.upper() for k, v in chinese.items()})[0] == 8


def test_layers_wrong_and_missing():
    got, outcomes = score("01.1", dict(LAYERS, ICMP="transport", ARP="link", Ethernet=None) | {"TCP": "transport"})
    assert got == 6
    bad = {o.name: o.message for o in outcomes if not o.passed}
    assert bad == {"ICMP": "ICMP: 'transport' is not right", "Ethernet": "Ethernet: None is not right"}
    got, outcomes = score("01.1", {"HTTP": "application"})
    assert got == 1 and outcomes[1].message == "DNS: no entry in your dict" and outcomes[1].hint


def test_layers_placeholder():
    _, outcomes = score("01.1", ...)
    assert outcomes[0].message == 'expected a dict like {"HTTP": "application", ...}, got nothing yet (replace the ...)'


def test_ports():
    assert score("01.2", PORTS)[0] == 6
    assert score("01.2", {k: str(v) for k, v in PORTS.items()})[0] == 6
    got, outcomes = score("01.2", dict(PORTS, HTTPS=8443, TFTP="sixty-nine", SSH=True))
    assert got == 3
    assert [o.name for o in outcomes if not o.passed] == ["HTTPS", "SSH", "TFTP"]


@pytest.mark.parametrize("answer, message", [
    (["Ethernet", "IP", "UDP", "TFTP"], ""),
    (("ethernet ii", "IPv4", " udp", "TFTP"), ""),
    (["TFTP", "UDP", "IP", "Ethernet"], "not the right answer: got ['TFTP', 'UDP', 'IP', 'Ethernet']"),
    (["Ethernet", "IP", "UDP"], "expected 4 header names (one per layer), got 3"),
    ("Ethernet, IP, UDP, TFTP", "expected a list of header names like ['...', '...'], got str"),
])
def test_encapsulation(answer, message):
    o = lookup("01.3").run(answer)[0]
    assert o.message == message
    assert o.passed == (message == "")


def test_port_range_reference_edges():
    assert [port_range_reference(p) for p in (0, 1023, 1024, 49151, 49152, 65535, 65536, -1)] == [
        "well-known", "well-known", "registered", "registered", "dynamic", "dynamic", "invalid", "invalid"]
    assert canonical_layer(" Data-Link layer ") == "link"


def test_port_range_notes_version_loses_points(monkeypatch):
    def from_the_notes(port):  # dynamic from 1024, as the notes say
        if 0 <= port <= 1023:
            return "well-known"
        return "dynamic" if port <= 65535 else "invalid"

    got, outcomes = score("01.4", from_the_notes)
    assert got < 9
    assert any("RFC 6335" in o.hint for o in outcomes if not o.passed)
    monkeypatch.setenv("NETEDU_GRADING", "1")
    assert score("01.4", port_range_reference)[0] == lookup("01.4").max_score == 15


def test_port_range_errors_and_loops_never_hang():
    t = time.monotonic()
    _, outcomes = score("01.4", lambda p: int("x"))
    assert outcomes[0].message.startswith("port_range(80): expected 'well-known', but your function raised ValueError")

    def blocked(port):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.recv(10)

    got, outcomes = score("01.4", blocked)
    assert got == 0 and "socket without a timeout" in outcomes[0].message
    assert time.monotonic() - t < 10
