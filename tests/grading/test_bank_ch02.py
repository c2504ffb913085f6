"""Chapter 02 bank: references, right answers, the notes' mistakes, errors and loops."""

from __future__ import annotations

import ipaddress
import time

import pytest

from netedu.grading.bank import ch02
from netedu.grading.registry import lookup

REFERENCES = {
    "02.1": ch02.address_class_reference,
    "02.2": ch02.network_address_reference,
    "02.3": ch02.broadcast_address_reference,
    "02.4": ch02.usable_hosts_reference,
    "02.5": ch02.same_subnet_reference,
    "02.6": ch02.split_network_reference,
    "02.7": ch02.vlsm_plan_reference,
}


def score(exercise_id, answer):
    outcomes = lookup(exercise_id).run(answer)
    return sum(o.points for o in outcomes), outcomes


@pytest.mark.parametrize("exercise_id", sorted(REFERENCES))
def test_reference_gets_full_marks_at_grading(exercise_id, monkeypatch):
    monkeypatch.setenv("NETEDU_GRADING", "1")
    got, outcomes = score(exercise_id, REFERENCES[exercise_id])
    assert got == lookup(exercise_id).max_score and all(o.passed for o in outcomes)


@pytest.mark.parametrize("exercise_id", sorted(REFERENCES))
def test_errors_give_zero_and_a_message(exercise_id):
    got, outcomes = score(exercise_id, lambda *a: 1 / 0)
    assert got == 0 and all("raised ZeroDivisionError" in o.message for o in outcomes)


def test_notes_typo_233_is_caught():
    def notes_class(address):
        first = int(address.split(".")[0])
        return "A" if first < 128 else "B" if first < 192 else "C" if first <= 233 else "D"

    got, outcomes = score("02.1", notes_class)
    assert not all(o.passed for o in outcomes)
    assert "address_class('224.0.0.1'): expected 'D', but your function returned 'C'" in [o.message for o in outcomes]


def test_ipaddress_objects_are_accepted():
    got, _ = score("02.2", lambda a, p: ipaddress.ip_network(f"{a}/{p}", strict=False).network_address)
    assert got == 6


def test_usable_hosts_without_rfc3021():
    got, outcomes = score("02.4", lambda p: 2 ** (32 - p) - 2)
    assert got == 6
    assert {o.name for o in outcomes if not o.passed} == {"usable_hosts(31)", "usable_hosts(32)"}


def test_same_subnet_must_return_a_bool():
    got, outcomes = score("02.5", lambda a, b, m: int(ch02.same_subnet_reference(a, b, m)))
    assert got == 0
    assert outcomes[0].message == ("same_subnet('192.168.1.10', '192.168.1.200', '255.255.255.0'): "
                                   "expected True, but your function returned 1")


def test_split_network_and_vlsm_edge_cases():
    assert ch02.split_network_reference("10.0.0.0/8", 1) == ["10.0.0.0/8"]
    assert ch02.vlsm_plan_reference("10.0.0.0/24", {"a": 63}) == {"a": "10.0.0.0/25"}
    got, outcomes = score("02.7", lambda net, needs: {k: "0.0.0.0/0" for k in needs})
    assert got == 0 and outcomes[0].hint


def test_vlsm_without_largest_first_loses_points():
    def naive(network, needs):
        plan, start = {}, int(ipaddress.IPv4Network(network).network_address)
        for name, hosts in needs.items():
            bits = max(2, (hosts + 1).bit_length())
            plan[name] = f"{ipaddress.IPv4Address(start)}/{32 - bits}"
            start += 2 ** bits
        return plan

    got, _ = score("02.7", naive)
    assert 0 < got < 5


def test_last_class_c_value():
    assert lookup("02.8").run("223.255.255.255")[0].passed
    assert lookup("02.8").run(" 223.255.255.255 ")[0].passed
    o = lookup("02.8").run("223.255.255.256")[0]
    assert not o.passed and o.message.startswith("could not read the answer '223.255.255.256'")
    assert lookup("02.8").run(223)[0].message == "expected an address as a string like '10.0.0.1', got an int"


def test_endless_loop_costs_one_timeout():
    def spin(*args):
        while True:
            pass

    t = time.monotonic()
    got, outcomes = score("02.3", spin)
    assert got == 0 and time.monotonic() - t < 6
    assert "did not return in time" in outcomes[0].message
