"""Subnet calculator, subnetting trainer and VLSM planner, driven without a browser."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

import pytest

from netedu.addr import questions, subnet_info
from netedu.widgets.subnet import (
    HOST_COLOUR,
    NET_COLOUR,
    SubnetCalculator,
    SubnettingTrainer,
    VlsmPlanner,
    calculator_view,
    feedback_html,
    parse_lans,
    vlsm_view,
)
from netedu.errors import AddressError


def cell(table_html: str, label: str) -> str:
    m = re.search(rf"<th>{re.escape(label)}</th><td>([^<]*)</td>", table_html)
    assert m, f"no {label} row in {table_html}"
    return m.group(1)


def test_importing_netedu_widgets_is_lazy():
    code = "import sys, netedu.widgets as w; print('ipywidgets' in sys.modules); w.SubnetCalculator; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_package_exports():
    import netedu.widgets as w

    assert w.SubnetCalculator is SubnetCalculator and w.SubnettingTrainer is SubnettingTrainer
    assert w.VlsmPlanner is VlsmPlanner
    with pytest.raises(AttributeError):
        w.Nope  # noqa: B018


def test_calculator_initial_state_and_classes():
    c = SubnetCalculator(address="192.168.1.130", prefix=26)
    assert "netedu-subnet-calculator" in c._dom_classes
    assert "netedu-subnet-table" in c.table._dom_classes
    assert "netedu-binary" in c.binary._dom_classes
    assert "netedu-subnet-error" in c.error._dom_classes
    assert c.mask.value == "255.255.255.192"
    assert cell(c.table.value, "Netmask") == "255.255.255.192"
    assert cell(c.table.value, "Broadcast") == "192.168.1.191"
    assert c.error.value == ""
    assert f'<span class="netedu-net-bits" style="background:{NET_COLOUR}">11000000.10101000.00000001.10</span>|' in c.binary.value
    assert f'<span class="netedu-host-bits" style="background:{HOST_COLOUR}">000010</span>' in c.binary.value


def test_slider_updates_mask_table_and_binary():
    c = SubnetCalculator(address="192.168.1.130", prefix=26)
    for p in range(33):
        c.prefix.value = p
        info = subnet_info("192.168.1.130", p)
        assert c.mask.value == info.netmask
        assert cell(c.table.value, "Netmask") == info.netmask
        assert c.info == info
    c.prefix.value = 24
    assert cell(c.table.value, "Broadcast") == "192.168.1.255"
    c.prefix.value = 31
    assert cell(c.table.value, "Broadcast") == "none (/31: point-to-point, RFC 3021)"


def test_mask_box_updates_slider():
    c = SubnetCalculator()
    c.mask.value = "255.255.240.0"
    assert c.prefix.value == 20
    assert cell(c.table.value, "Network") == "192.168.0.0"
    c.mask.value = "/28"
    assert c.prefix.value == 28


def test_bad_inputs_show_the_error_in_place_then_recover():
    c = SubnetCalculator()
    c.address.value = "10.0.300.1"
    assert c.error.value == (
        '<span style="color:#b00020;font-family:monospace">Octet 300 (&gt; 255) not permitted in \'10.0.300.1\'</span>'
    )
    assert c.table.value == "" and c.binary.value == "" and c.info is None
    c.address.value = "10.0.3.1"
    assert c.error.value == "" and cell(c.table.value, "Network") == "10.0.3.0"
    c.mask.value = "255.0.255.0"
    assert "Mask 255.0.255.0 not contiguous" in c.error.value and c.table.value == ""
    assert c.prefix.value == 26  # the slider keeps its last good value
    c.prefix.value = 8  # moving the slider rewrites the mask and clears the error
    assert c.mask.value == "255.0.0.0" and c.error.value == ""
    c.address.value = "224.0.0.1/4"
    assert "Prefix given twice" in c.error.value


def test_calculator_view_is_pure():
    v = calculator_view("172.16.5.4", 16)
    assert v.info == subnet_info("172.16.5.4/16") and v.error == ""
    assert cell(v.table_html, "Class") == "B"
    assert calculator_view("172.16.5.4", 40).error == "Prefix /40 (> 32) not permitted: an IPv4 prefix is /0 to /32"


def test_trainer_right_then_wrong_and_score():
    t = SubnettingTrainer(seed=0)
    for cls in ("netedu-trainer-question", "netedu-trainer-feedback", "netedu-trainer-score"):
        assert any(cls in w._dom_classes for w in (t.question, t.feedback, t.score))
    assert "netedu-trainer-answer" in t.answer._dom_classes
    assert "netedu-trainer-check" in t.check_button._dom_classes
    first = t.current
    assert t.question.value.startswith("<b>Question 1.</b>")
    t.answer.value = t.current.answer
    t.check_button.click()
    assert t.feedback.value.startswith("<b>Correct.</b>")
    assert t.score.value == "Score: 1 / 1"
    t.check_button.click()  # checking again does not count twice
    assert t.score.value == "Score: 1 / 1"
    t.next_button.click()
    assert t.current != first and t.answer.value == "" and t.feedback.value == ""
    assert t.question.value.startswith("<b>Question 2.</b>")
    t.answer.value = "0.0.0.0 - nonsense"
    t.check_button.click()
    assert t.feedback.value.startswith("<b>Not quite.</b>")
    assert "<pre>" in t.feedback.value  # the worked answer
    assert t.score.value == "Score: 1 / 2"
    t.answer.value = t.current.answer  # a second try is judged, but not scored
    t.check_button.click()
    assert t.feedback.value.startswith("<b>Correct.</b>") and t.score.value == "Score: 1 / 2"


def test_trainer_follows_the_seeded_series():
    t = SubnettingTrainer(seed=42)
    want = list(itertools.islice(questions(42), 10))
    got = []
    for _ in range(10):
        got.append(t.current)
        t.next_question()
    assert got == want


def test_feedback_shows_binary_for_address_questions():
    q = next(q for q in questions(1) if q.kind == "network")
    ok, text = feedback_html(q, "1.1.1.1")
    assert not ok and "|" in text and q.answer in text


def test_vlsm_planner():
    v = VlsmPlanner(network="192.168.1.0/24", lans="Sales: 50\nLab: 20\nLink: 2")
    assert "netedu-vlsm-table" in v.table._dom_classes
    assert [str(r.subnet) for r in v.plan.rows] == ["192.168.1.0/26", "192.168.1.64/27", "192.168.1.96/30"]
    assert "<td>192.168.1.96/30</td>" in v.table.value and v.error.value == ""
    v.lans.value = "Sales: 500"
    assert v.plan is None and "Does not fit" in v.error.value and v.table.value == ""
    v.network.value = "192.168.0.0/22"
    assert v.plan is not None and v.error.value == ""


def test_parse_lans_and_vlsm_view():
    assert parse_lans("A=3\n\nB: 4\n5") == {"A": 3, "B": 4, "LAN3": 5}
    with pytest.raises(AddressError) as e:
        parse_lans("A: 1\nA: 2")
    assert str(e.value) == "Line 2 'A: 2': the name 'A' is used twice"
    with pytest.raises(AddressError) as e:
        parse_lans("  ")
    assert str(e.value) == "No LANs given: write one 'name: hosts' per line, e.g. 'Sales: 50'"
    plan, table, error = vlsm_view("10.0.0.0/8", "x")
    assert plan is None and error == "Line 1 'x': expected 'name: hosts' (e.g. 'Sales: 50') or a number of hosts"
