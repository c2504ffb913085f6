"""SVG diagrams: well-formed, deterministic, every label drawn, lost messages crossed out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from netedu.protocols import tcp
from netedu.protocols.tcp import FIGURE_6, TRANSITIONS, State
from netedu.viz.diagrams import STATE_POSITIONS, SVG, Arrow, sequence_diagram, state_diagram, trace_diagram

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: SVG) -> ET.Element:
    root = ET.fromstring(svg.text)
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter() if cls in (e.get("class") or "").split()]


def test_sequence_diagram_from_tuples():
    events = [
        ("client", "server", "SYN seq=100", False),
        ("server", "client", "SYN+ACK seq=300 ack=101", True),
        ("server", "client", "SYN+ACK seq=300 ack=101", False, {"client": "ESTABLISHED"}),
        ("client", "server", "ACK seq=101 ack=301"),
    ]
    svg = sequence_diagram(events)
    root = parse(svg)
    labels = texts(root)
    assert labels[:2] == ["client", "server"]
    for _, _, label, *_ in events:
        assert any(t.startswith(label) for t in labels)
    assert "SYN+ACK seq=300 ack=101 (lost)" in labels
    assert "ESTABLISHED" in labels
    # one crossed mark for the one lost message, drawn as two crossing lines
    marks = by_class(root, "netedu-lost-mark")
    assert len(marks) == 1
    (l1, l2) = marks[0].findall(f"{NS}line")
    assert float(l1.get("x1")) < float(l1.get("x2")) and float(l2.get("y1")) > float(l2.get("y2"))
    assert len(by_class(root, "netedu-lost")) == 1
    assert len(by_class(root, "netedu-message")) == 3
    assert svg.width == 560 and int(root.get("height")) == svg.height


def test_lost_message_stops_before_the_other_lane():
    root = parse(sequence_diagram([("a", "b", "hello", True)]))
    (line,) = by_class(root, "netedu-lost")[0].findall(f"{NS}line")
    x1, x2 = float(line.get("x1")), float(line.get("x2"))
    assert line.get("stroke-dasharray")
    assert 120 < x2 < 440 and x1 == 120


def test_three_lanes_and_notes():
    svg = sequence_diagram([
        Arrow("host", "host", "connect()"),
        Arrow("host", "router", "SYN"),
        Arrow("router", "server", "SYN", states={"server": "SYN-RECEIVED"}),
    ], lanes=["host", "router", "server"], initial_states={"server": "LISTEN"})
    root = parse(svg)
    assert texts(root)[:3] == ["host", "router", "server"]
    assert [t.text for t in by_class(root, "netedu-note")] == ["connect()"]
    assert [t.text for t in by_class(root, "netedu-lane-state")] == ["LISTEN", "SYN-RECEIVED"]
    assert svg.width == 2 * 120 + 2 * 240


def test_state_written_only_when_it_changes():
    svg = sequence_diagram([("a", "b", "x", False, {"a": "S1", "b": "S2"}), ("b", "a", "y", False, {"a": "S1", "b": "S3"})])
    states = [t.text for t in by_class(parse(svg), "netedu-lane-state")]
    assert states == ["S1", "S2", "S3"]


def test_labels_are_escaped():
    svg = sequence_diagram([("a<", "b&", "x < y & z", False)])
    root = parse(svg)
    assert "x < y & z" in texts(root) and "a<" in texts(root)


@pytest.mark.parametrize(
    "events, message",
    [
        ([("a",)], "event 1 ('a',) should be (src, dst, label) or (src, dst, label, lost) or (src, dst, label, lost, states)"),
        ([("a", "b", 3, False)], "event 1 ('a', 'b', 3, False) should be (src, dst, label) or (src, dst, label, lost) or (src, dst, label, lost, states)"),
    ],
)
def test_bad_events(events, message):
    with pytest.raises(ValueError) as e:
        sequence_diagram(events)
    assert str(e.value) == message


def test_deterministic_and_no_ids():
    a = tcp.lost_segment().diagram().text
    b = tcp.lost_segment().diagram().text
    assert a == b
    assert " id=" not in a and "0x" not in a
    assert state_diagram().text == state_diagram().text


def test_svg_wrapper_reprs():
    svg = tcp.handshake().diagram(title="Handshake")
    assert repr(svg) == f"<SVG sequence diagram {svg.width}x{svg.height}>"
    assert svg._repr_svg_() == svg.text == str(svg)
    assert svg._repr_html_().startswith('<div class="netedu-diagram"><svg')
    assert svg == tcp.handshake().diagram(title="Handshake")
    assert "Handshake" in texts(parse(svg))


@pytest.mark.parametrize("name", sorted(tcp.SCENARIOS))
def test_every_scenario_draws_every_segment(name):
    trace = tcp.SCENARIOS[name]()
    root = parse(trace.diagram())
    labels = texts(root)
    for seg in trace.segments():
        assert any(t.startswith(str(seg)) for t in labels), str(seg)
    assert len(by_class(root, "netedu-lost")) == len(trace.segments(lost=True))
    assert labels[:2] == ["client", "server"]
    final = trace.final_states()
    lane_states = [t.text for t in by_class(root, "netedu-lane-state")]
    assert final[0].label in lane_states and final[1].label in lane_states


def test_trace_diagram_marks_retransmissions_and_timer_notes():
    root = parse(tcp.lost_segment().diagram())
    labels = texts(root)
    assert "ACK seq=101 ack=301 len=5 (lost)" in labels
    assert "ACK seq=101 ack=301 len=5 (again)" in labels
    assert [t.text for t in by_class(root, "netedu-note")] == ["listen()", "connect()", "send(5)", "RTO: resend"]


def test_in_flight_segments_are_drawn():
    sim = tcp.Simulation()
    sim.listen("server")
    sim.connect("client")
    root = parse(sim.diagram())
    (group,) = by_class(root, "netedu-in-flight")
    assert "SYN seq=100 (in flight)" in texts(group)


def test_crossing_segments_start_where_they_were_sent():
    # simultaneous close: each FIN leaves at its close() row and arrives rows later, so the arrows cross
    root = parse(tcp.simultaneous_close(wait=False).diagram())
    lines = [g.find(f"{NS}line") for g in by_class(root, "netedu-message")]
    fins = [ln for ln, g in zip(lines, by_class(root, "netedu-message")) if "FIN" in "".join(texts(g))]
    (c_fin, s_fin) = fins
    # the client's FIN goes right and down, the server's left and down, and they overlap in height
    assert float(c_fin.get("x1")) < float(c_fin.get("x2")) and float(s_fin.get("x1")) > float(s_fin.get("x2"))
    assert float(s_fin.get("y1")) < float(c_fin.get("y2"))


def test_trace_diagram_rejects_other_things():
    with pytest.raises(TypeError) as e:
        trace_diagram(["x"])
    assert str(e.value) == "trace item 0 is str, expected a TraceEvent"


# ---------------------------------------------------------------------------- state diagram


def test_state_diagram_draws_every_state_and_every_moving_row():
    svg = state_diagram()
    root = parse(svg)
    boxes = [t for g in by_class(root, "netedu-state") for t in texts(g)]
    assert sorted(set(boxes)) == sorted(s.label for s in State)
    assert boxes.count("CLOSED") == 2  # figure 6 draws CLOSED twice
    labels = [t.text for t in by_class(root, "netedu-transition-label")]
    expected = sorted(f"{e.label} / {a}" for (s, e), (n, a) in TRANSITIONS.items() if n is not s)
    assert sorted(labels) == expected
    assert len(by_class(root, "netedu-transition")) == len(expected) == len(FIGURE_6) + 1
    dashed = [g for g in by_class(root, "netedu-transition") if g.find(f"{NS}line").get("stroke-dasharray")]
    assert len(dashed) == 1  # rcv FIN,ACK: not an arrow of figure 6


def test_state_diagram_positions_follow_rfc_figure_6():
    assert STATE_POSITIONS["CLOSED"] == (1, 0) and STATE_POSITIONS["LISTEN"] == (1, 1)
    assert STATE_POSITIONS["SYN-RECEIVED"][1] == STATE_POSITIONS["SYN-SENT"][1] == 2
    assert STATE_POSITIONS["TIME-WAIT"] == (1, 6)
    assert set(STATE_POSITIONS) == {s.label for s in State}


def test_state_diagram_highlight():
    root = parse(state_diagram(highlight=[State.ESTABLISHED, "LISTEN"]))
    fills = {texts(g)[0]: g.find(f"{NS}rect").get("fill") for g in by_class(root, "netedu-state")}
    assert fills["ESTABLISHED"] == fills["LISTEN"] != fills["CLOSED"]


def test_state_diagram_of_another_table():
    svg = state_diagram({("CLOSED", "go"): ("LISTEN", "wave")}, only=[], title=None)
    root = parse(svg)
    assert [t.text for t in by_class(root, "netedu-transition-label")] == ["go / wave"]
    with pytest.raises(ValueError) as e:
        state_diagram({("LIMBO", "go"): ("CLOSED", "x")}, only=[])
    assert str(e.value).startswith("state 'LIMBO' has no place in the RFC 793 layout")


def test_svg_rejects_non_svg():
    with pytest.raises(ValueError):
        SVG("<div/>")
    assert re.match(r"<SVG state diagram \d+x\d+>", repr(state_diagram()))
