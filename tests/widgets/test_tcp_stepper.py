"""The TCP stepper without a browser: click buttons, read the states, the segments and the diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from netedu.protocols.tcp import TRANSITIONS, Event, State
from netedu.widgets.tcp_stepper import APP_BUTTONS, TcpStepper, in_flight_html


def click(w: TcpStepper, *names: str) -> None:
    for name in names:
        button = w.buttons[name]
        assert not button.disabled, f"{name} is disabled in states {w.states()}"
        button.click()


HANDSHAKE = ["server listen", "client connect", "client deliver", "server deliver", "client deliver"]


def enabled(w: TcpStepper) -> set[str]:
    return {k for k, b in w.buttons.items() if not b.disabled}


def test_lazy_import_name():
    import netedu.widgets

    assert netedu.widgets.TcpStepper is TcpStepper


def test_initial_view():
    w = TcpStepper()
    assert w.states() == ("CLOSED", "CLOSED")
    assert 'class="netedu-tcp-state-a"' in w.state_a.value and "CLOSED" in w.state_a.value
    assert 'class="netedu-tcp-state-b"' in w.state_b.value
    assert "netedu-tcp-state-a" in w.state_a._dom_classes and "netedu-tcp-diagram" in w.diagram._dom_classes
    assert enabled(w) == {"client listen", "client connect", "server listen", "server connect", "wait 2MSL", "reset"}
    assert "nothing in flight" in w.flight_a.value and "nothing in flight" in w.flight_b.value
    assert w.diagram.value.startswith('<div class="netedu-tcp-diagram"><svg')


def test_handshake_by_clicks():
    w = TcpStepper()
    click(w, "server listen", "client connect")
    assert "<b>SYN seq=100</b>" in w.flight_a.value
    assert w.states() == ("SYN-SENT", "LISTEN")
    click(w, "client deliver")
    assert w.states() == ("SYN-SENT", "SYN-RECEIVED")
    assert "SYN+ACK seq=300 ack=101" in w.flight_b.value
    click(w, "server deliver", "client deliver")
    assert w.states() == ("ESTABLISHED", "ESTABLISHED")
    assert "ESTABLISHED" in w.state_a.value and "ESTABLISHED" in w.state_b.value
    svg = w.diagram.value.removeprefix('<div class="netedu-tcp-diagram">').removesuffix("</div>")
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for label in ("SYN seq=100", "SYN+ACK seq=300 ack=101", "ACK seq=101 ack=301", "connect()", "listen()"):
        assert label in labels


@pytest.mark.parametrize("steps", [[], ["server listen"], HANDSHAKE, HANDSHAKE + ["client close"],
                                   HANDSHAKE + ["client close", "client deliver", "server deliver"]])
def test_app_buttons_follow_the_table(steps):
    w = TcpStepper()
    click(w, *steps)
    for side, ep in (("client", w.sim.a), ("server", w.sim.b)):
        for verb, event in APP_BUTTONS.items():
            assert w.buttons[f"{side} {verb}"].disabled == ((ep.state, event) not in TRANSITIONS), (side, verb)


def test_send_uses_the_byte_count():
    w = TcpStepper()
    click(w, *HANDSHAKE)
    w.nbytes.value = 12
    click(w, "client send")
    assert "ACK seq=101 ack=301 len=12" in w.flight_a.value
    click(w, "client deliver")
    assert "ACK seq=301 ack=113" in w.flight_b.value


def test_drop_and_wait_for_the_retransmission():
    w = TcpStepper()
    click(w, *HANDSHAKE, "client send", "client drop")
    assert "nothing in flight" in w.flight_a.value
    assert "next timer at client: 1 s" in w.status.value
    click(w, "wait for timer")
    assert w.sim.now == 1.0
    assert "ACK seq=101 ack=301 len=5" in w.flight_a.value
    assert "(lost)" in w.diagram.value and "(again)" not in w.diagram.value
    click(w, "client deliver")
    assert "(again)" in w.diagram.value
    click(w, "server deliver")
    assert "wait for timer" not in enabled(w)


def test_close_and_time_wait():
    w = TcpStepper()
    click(w, *HANDSHAKE, "client close", "client deliver", "server deliver", "server close", "server deliver",
          "client deliver")
    assert w.states() == ("TIME-WAIT", "CLOSED")
    assert "TIME-WAIT" in w.state_a.value
    assert w.buttons["wait 2MSL"].description == "wait 2MSL (60 s)"
    click(w, "wait 2MSL")
    assert w.states() == ("CLOSED", "CLOSED")
    assert "2MSL over" in w.diagram.value
    assert "t = 60 s" in w.status.value


def test_simultaneous_close_reaches_closing():
    w = TcpStepper()
    click(w, *HANDSHAKE, "client close", "server close", "client deliver", "server deliver")
    assert w.states() == ("CLOSING", "CLOSING")


def test_rejected_segment_shows_the_error_and_the_widget_goes_on():
    w = TcpStepper()
    click(w, "server listen", "client connect", "client close", "client deliver", "server deliver")
    assert "RemoteProtocolError: Unexpected SYN+ACK seq=300 ack=101 from server in state CLOSED" in w.status.value
    assert "netedu-error" in w.status.value
    assert "(rejected)" in w.diagram.value
    click(w, "client listen")  # the next click clears the message
    assert "netedu-error" not in w.status.value


def test_reset():
    w = TcpStepper(client_isn=7, server_isn=9000, msl=10)
    click(w, "server listen", "client connect")
    assert "SYN seq=7" in w.flight_a.value
    click(w, "reset")
    assert w.states() == ("CLOSED", "CLOSED") and w.sim.trace == []
    assert w.buttons["wait 2MSL"].description == "wait 2MSL (20 s)"
    click(w, "server listen", "client connect", "client deliver")
    assert "SYN+ACK seq=9000 ack=8" in w.flight_b.value


def test_custom_names_and_state_diagram():
    w = TcpStepper(names=("alice", "bob"))
    click(w, "bob listen", "alice connect")
    assert "alice → bob" in w.flight_a.value
    assert "SYN-SENT" in w.state_a.value and "alice" in w.state_a.value
    assert "SYN-SENT" in w.states_picture.value


def test_in_flight_html_lists_oldest_first():
    w = TcpStepper()
    click(w, *HANDSHAKE)
    w.sim.send("client", 1)
    w.sim.send("client", 2)
    assert in_flight_html(w.sim, "client").endswith(
        "<b>ACK seq=101 ack=301 len=1</b>, ACK seq=102 ack=301 len=2</div>")


def test_event_names_of_buttons():
    assert APP_BUTTONS == {"listen": Event.LISTEN, "connect": Event.CONNECT, "send": Event.SEND, "close": Event.CLOSE}
    assert State.CLOSED.label == "CLOSED"
