"""The TCP teaching model against RFC 793: every transition of the table, numbers, errors, timers."""

from __future__ import annotations

import pytest

from netedu.errors import LocalProtocolError, PacketError, RemoteProtocolError
from netedu.protocols import tcp
from netedu.protocols.tcp import (
    FIGURE_6,
    LINUX_TIME_WAIT,
    TRANSITIONS,
    Endpoint,
    Event,
    Flags,
    Segment,
    Simulation,
    State,
    allowed_events,
    predict_states,
    run_events,
)

H = ["server listen", "client connect", "client deliver", "server deliver", "client deliver"]


def segs(trace, *, lost=None):
    return [str(s) for s in trace.segments(lost=lost)]


def rows(*endpoints):
    return {(old, ev) for ep in endpoints for (old, ev, _new, _action) in ep.history}


# ---------------------------------------------------------------------------- states, flags, segments


def test_eleven_states_with_rfc_labels():
    assert [s.label for s in State] == [
        "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
        "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
    ]
    assert str(State.FIN_WAIT_2) == "FIN-WAIT-2"
    assert {s for s, _ in TRANSITIONS} | {n for n, _ in TRANSITIONS.values()} == set(State)


def test_flags_text():
    assert str(Flags.SYN | Flags.ACK) == "SYN+ACK"
    assert str(Flags.FIN | Flags.ACK) == "FIN+ACK"
    assert str(Flags(0)) == "(none)"
    assert Flags.parse("fin, ack") == Flags.FIN | Flags.ACK
    with pytest.raises(PacketError) as e:
        Flags.parse("SYN+URG")
    assert str(e.value) == "unknown TCP flag 'URG' in 'SYN+URG': expected SYN, ACK, FIN or RST"


def test_segment_str_and_fields():
    s = Segment(src="client", dst="server", flags="ACK", seq=101, ack=301, length=5)
    assert str(s) == "ACK seq=101 ack=301 len=5"
    assert s.flags is Flags.ACK and s.seg_len == 5
    assert str(Segment(src="c", dst="s", flags=Flags.SYN, seq=100)) == "SYN seq=100"
    assert Segment(src="c", dst="s", flags="SYN", seq=100).seg_len == 1
    assert Segment(src="c", dst="s", flags=0x11, seq=5, ack=6).flags == Flags.FIN | Flags.ACK
    with pytest.raises(TypeError):
        Segment("c", "s", "SYN", 1)  # type: ignore[misc]  # keyword-only
    with pytest.raises(AttributeError):
        s.seq = 5  # type: ignore[misc]  # frozen


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(flags="SYN", seq=-1), "seq=-1 is not a 32-bit sequence number (0 to 4294967295)"),
        (dict(flags="ACK", seq=1, ack=2**32), "ack=4294967296 is not a 32-bit sequence number (0 to 4294967295)"),
        (dict(flags="ACK", seq=1, ack=1, length=-3), "length=-3 must be a number of payload bytes (0 or more)"),
        (dict(flags="SYN", seq=1, ack=2), "ack=2 but the ACK flag is not set: the acknowledgment number is only "
                                          "meaningful with ACK (RFC 793 sec. 3.1)"),
        (dict(flags="SYN+FIN", seq=1), "SYN and FIN in one segment: the model never sends that"),
        (dict(flags=0x08, seq=1), "flags 0x8 has bits the model does not use: only SYN, ACK, FIN, RST"),
        (dict(flags=None, seq=1), "flags must be Flags or text like 'SYN+ACK', got NoneType"),
    ],
)
def test_segment_validation(kwargs, message):
    with pytest.raises(PacketError) as e:
        Segment(src="a", dst="b", **kwargs)
    assert str(e.value) == message


def test_segment_needs_endpoint_names():
    with pytest.raises(PacketError) as e:
        Segment(src="", dst="b", flags="SYN", seq=1)
    assert str(e.value) == "src must be an endpoint name (a non-empty str), got ''"


# ---------------------------------------------------------------------------- the table


def test_figure_6_rows_are_in_the_table_with_rfc_actions():
    assert FIGURE_6 <= set(TRANSITIONS)
    assert len(FIGURE_6) == 19
    fig = {(s.label, e.label): (n.label, a) for (s, e), (n, a) in TRANSITIONS.items() if (s, e) in FIGURE_6}
    assert fig == {
        ("CLOSED", "passive OPEN"): ("LISTEN", "create TCB"),
        ("CLOSED", "active OPEN"): ("SYN-SENT", "snd SYN"),
        ("LISTEN", "rcv SYN"): ("SYN-RECEIVED", "snd SYN,ACK"),
        ("LISTEN", "SEND"): ("SYN-SENT", "snd SYN"),
        ("LISTEN", "CLOSE"): ("CLOSED", "delete TCB"),
        ("SYN-SENT", "rcv SYN"): ("SYN-RECEIVED", "snd SYN,ACK"),
        ("SYN-SENT", "rcv SYN,ACK"): ("ESTABLISHED", "snd ACK"),
        ("SYN-SENT", "CLOSE"): ("CLOSED", "delete TCB"),
        ("SYN-RECEIVED", "rcv ACK of SYN"): ("ESTABLISHED", "x"),
        ("SYN-RECEIVED", "CLOSE"): ("FIN-WAIT-1", "snd FIN"),
        ("ESTABLISHED", "CLOSE"): ("FIN-WAIT-1", "snd FIN"),
        ("ESTABLISHED", "rcv FIN"): ("CLOSE-WAIT", "snd ACK"),
        ("FIN-WAIT-1", "rcv ACK of FIN"): ("FIN-WAIT-2", "x"),
        ("FIN-WAIT-1", "rcv FIN"): ("CLOSING", "snd ACK"),
        ("FIN-WAIT-2", "rcv FIN"): ("TIME-WAIT", "snd ACK"),
        ("CLOSING", "rcv ACK of FIN"): ("TIME-WAIT", "x"),
        ("CLOSE-WAIT", "CLOSE"): ("LAST-ACK", "snd FIN"),
        ("LAST-ACK", "rcv ACK of FIN"): ("CLOSED", "x"),
        ("TIME-WAIT", "timeout=2MSL"): ("CLOSED", "delete TCB"),
    }


def test_rows_outside_figure_6_change_state_only_for_the_fin_ack_shortcut():
    moving = {k for k, (n, _) in TRANSITIONS.items() if k not in FIGURE_6 and n is not k[0]}
    assert moving == {(State.FIN_WAIT_1, Event.RCV_FIN_ACK)}
    assert TRANSITIONS[(State.FIN_WAIT_1, Event.RCV_FIN_ACK)] == (State.TIME_WAIT, "snd ACK")


def test_allowed_events_come_from_the_table():
    assert allowed_events(State.CLOSED) == [Event.LISTEN, Event.CONNECT]
    assert allowed_events(State.LISTEN, app_only=True) == [Event.SEND, Event.CLOSE]
    assert allowed_events(State.TIME_WAIT) == [Event.RCV_ACK, Event.RCV_FIN, Event.TIMEOUT_2MSL]
    assert allowed_events(State.FIN_WAIT_2, app_only=True) == []


# Recipes that, between them, take every row of the table. Each is run through the
# simulation; the rows the endpoints went through are collected from their history.
RECIPES = {
    "handshake and normal close": H + ["client close", "client deliver", "server deliver", "server close",
                                       "server deliver", "client deliver", "client wait 60"],
    "listen then send": ["server listen", "server send 3"],
    "listen then close": ["server listen", "server close"],
    "connect then close": ["client connect", "client close"],
    "send while SYN-SENT": ["client connect", "client send 4"],
    "send while SYN-RECEIVED": ["server listen", "client connect", "client deliver", "server send 4",
                                "server deliver", "client deliver", "server deliver", "client deliver"],
    "close while SYN-RECEIVED": ["server listen", "client connect", "client deliver", "server close"],
    "simultaneous open": ["client connect", "server connect", "client deliver", "server deliver",
                          "client deliver", "server deliver"],
    "simultaneous close": H + ["client close", "server close", "client deliver", "server deliver",
                               "client deliver", "server deliver"],
    "data both ways": H + ["client send 5", "client deliver", "server deliver", "server send 7",
                           "server deliver", "client deliver"],
    "data to FIN-WAIT-1, ACK of data in FIN-WAIT-1": H + ["server send 4", "client send 5", "client close",
                                                          "server deliver", "client deliver", "server deliver"],
    "half close: data from CLOSE-WAIT to FIN-WAIT-2": H + ["client close", "client deliver", "server deliver",
                                                           "server send 4", "server deliver", "client deliver"],
    "FIN,ACK in FIN-WAIT-1 (its ACK lost)": H + ["client close", "client deliver", "server close", "server drop",
                                                  "server deliver"],
    "lost SYN,ACK: SYN again": ["server listen", "client connect", "client deliver", "server drop",
                                "client wait 1", "client deliver"],
    "lost ACK of FIN: FIN again in LAST-ACK and TIME-WAIT": H + [
        "client close", "client deliver", "server drop", "server close", "client wait 1", "client deliver",
        "server deliver", "server deliver", "server deliver", "client deliver",
    ],
    "repeated FIN in FIN-WAIT-2 and CLOSE-WAIT": H + ["client close", "client deliver", "client wait 1",
                                                      "server deliver", "client deliver", "server deliver"],
    "repeated FIN in CLOSING": H + ["client close", "server close", "server deliver", "client wait 1",
                                    "server deliver", "client deliver", "client deliver", "client deliver"],
    "TIME-WAIT gets a FIN and an ACK": H + [
        "client close", "server close", "client deliver", "server deliver", "client drop", "client wait 1",
        "client deliver", "server deliver", "server deliver", "server deliver",
    ],
}


def _run_all_recipes():
    seen = set()
    for name, steps in RECIPES.items():
        sim = run_events(steps)
        seen |= rows(sim.a, sim.b)
    return seen


def test_every_row_of_the_table_is_exercised():
    seen = _run_all_recipes()
    # an ACK that acknowledges nothing new, in CLOSING and LAST-ACK, fed by hand
    c = run_events(H + ["client close", "server close", "server deliver"]).a
    assert c.state is State.CLOSING
    assert c.receive(Segment(src="server", dst="client", flags="ACK", seq=302, ack=101), now=0) == []
    assert c.state is State.CLOSING
    s = run_events(H + ["client close", "client deliver", "server close"]).b
    assert s.state is State.LAST_ACK
    assert s.receive(Segment(src="client", dst="server", flags="ACK", seq=102, ack=301), now=0) == []
    assert s.state is State.LAST_ACK
    seen |= rows(c, s)
    assert set(TRANSITIONS) - seen == set()


@pytest.mark.parametrize("key", sorted(TRANSITIONS, key=lambda k: (list(State).index(k[0]), k[1].value)),
                         ids=lambda k: f"{k[0].label}-{k[1].value}")
def test_each_row_goes_where_the_table_says(key):
    # the history of the recipes records (old, event, new, action) exactly as the table says
    for steps in RECIPES.values():
        sim = run_events(steps)
        for ep in (sim.a, sim.b):
            for old, ev, new, action in ep.history:
                if (old, ev) == key:
                    assert (new, action) == TRANSITIONS[key]


# ---------------------------------------------------------------------------- numbers


def test_handshake_numbers():
    t = tcp.handshake(client_isn=1000, server_isn=5000)
    assert segs(t) == ["SYN seq=1000", "SYN+ACK seq=5000 ack=1001", "ACK seq=1001 ack=5001"]
    assert t.final_states() == (State.ESTABLISHED, State.ESTABLISHED)
    sim = run_events(H)
    assert (sim.a.snd_una, sim.a.snd_nxt, sim.a.rcv_nxt) == (101, 101, 301)
    assert (sim.b.snd_una, sim.b.snd_nxt, sim.b.rcv_nxt) == (301, 301, 101)
    assert sim.b.irs == 100 and sim.a.irs == 300


def test_states_along_the_handshake():
    t = tcp.handshake()
    assert [e.states for e in t] == [
        (State.CLOSED, State.LISTEN),
        (State.SYN_SENT, State.LISTEN),
        (State.SYN_SENT, State.SYN_RECEIVED),
        (State.ESTABLISHED, State.SYN_RECEIVED),
        (State.ESTABLISHED, State.ESTABLISHED),
    ]


def test_data_transfer_numbers():
    t = tcp.data_transfer(sizes=(5, 3))
    assert segs(t)[3:] == ["ACK seq=101 ack=301 len=5", "ACK seq=301 ack=106",
                           "ACK seq=106 ack=301 len=3", "ACK seq=301 ack=109"]
    sim = run_events(H + ["client send 5", "client deliver", "server deliver"])
    assert sim.b.bytes_received == 5 and sim.a.bytes_sent == 5
    assert sim.a.unacked == [] and sim.a.next_timeout() is None


def test_fin_consumes_one_sequence_number():
    t = tcp.normal_close(wait=False)
    assert segs(t)[3:] == ["FIN+ACK seq=101 ack=301", "ACK seq=301 ack=102",
                           "FIN+ACK seq=301 ack=102", "ACK seq=102 ack=302"]
    assert t.final_states() == (State.TIME_WAIT, State.CLOSED)
    sim = run_events(H + tcp._CLOSE)
    assert (sim.a.snd_nxt, sim.a.rcv_nxt) == (102, 302)


def test_the_side_that_closes_first_waits_in_time_wait():
    assert predict_states(H + tcp._CLOSE) == (State.TIME_WAIT, State.CLOSED)
    server_first = H + ["server close", "server deliver", "client deliver", "client close", "client deliver",
                        "server deliver"]
    assert predict_states(server_first) == (State.CLOSED, State.TIME_WAIT)


def test_half_close_states_step_by_step():
    steps = H + ["client close"]
    assert predict_states(steps) == (State.FIN_WAIT_1, State.ESTABLISHED)
    steps += ["client deliver"]
    assert predict_states(steps) == (State.FIN_WAIT_1, State.CLOSE_WAIT)
    steps += ["server deliver"]
    assert predict_states(steps) == (State.FIN_WAIT_2, State.CLOSE_WAIT)
    steps += ["server close"]
    assert predict_states(steps) == (State.FIN_WAIT_2, State.LAST_ACK)
    steps += ["server deliver"]
    assert predict_states(steps) == (State.TIME_WAIT, State.LAST_ACK)
    steps += ["client deliver"]
    assert predict_states(steps) == (State.TIME_WAIT, State.CLOSED)


def test_data_queued_before_established_is_sent_after():
    sim = run_events(RECIPES["send while SYN-RECEIVED"])
    assert segs(sim.trace)[-2:] == ["ACK seq=301 ack=101 len=4", "ACK seq=101 ack=305"]
    assert sim.states() == (State.ESTABLISHED, State.ESTABLISHED)


# ---------------------------------------------------------------------------- simultaneous open and close


def test_simultaneous_open_rfc_figure_8():
    t = tcp.simultaneous_open()
    assert segs(t) == ["SYN seq=100", "SYN seq=300", "SYN+ACK seq=100 ack=301", "SYN+ACK seq=300 ack=101"]
    assert [e.states for e in t if e.kind == "deliver"] == [
        (State.SYN_SENT, State.SYN_RECEIVED),
        (State.SYN_RECEIVED, State.SYN_RECEIVED),
        (State.SYN_RECEIVED, State.ESTABLISHED),
        (State.ESTABLISHED, State.ESTABLISHED),
    ]


def test_simultaneous_close_goes_through_closing_on_both_sides():
    t = tcp.simultaneous_close(wait=False)
    assert segs(t)[3:] == ["FIN+ACK seq=101 ack=301", "FIN+ACK seq=301 ack=101",
                           "ACK seq=102 ack=302", "ACK seq=302 ack=102"]
    assert (State.CLOSING, State.CLOSING) in [e.states for e in t]
    assert t.final_states() == (State.TIME_WAIT, State.TIME_WAIT)
    assert tcp.simultaneous_close().final_states() == (State.CLOSED, State.CLOSED)


# ---------------------------------------------------------------------------- losses and timers


def test_lost_segment_is_resent_after_the_rto():
    t = tcp.lost_segment()
    assert [(str(e.segment), e.lost, e.time) for e in t if e.segment is not None][3:] == [
        ("ACK seq=101 ack=301 len=5", True, 0.0),
        ("ACK seq=101 ack=301 len=5", False, 1.0),
        ("ACK seq=301 ack=106", False, 1.0),
    ]
    assert [e.note for e in t if e.kind == "timeout"] == ["RTO: resend"]
    assert t.final_states() == (State.ESTABLISHED, State.ESTABLISHED)


def test_rto_backs_off_and_stops_when_acknowledged():
    e = Endpoint("client", isn=100, peer="server", rto=1.0)
    [syn] = e.connect(now=0)
    assert e.next_timeout() == 1.0
    assert e.handle_timeout(0.5) == []  # too early
    assert [str(s) for s in e.handle_timeout(1.0)] == ["SYN seq=100"]
    assert e.next_timeout() == 3.0  # 1 s, then 2 s (RFC 6298 sec. 5.5)
    assert [str(s) for s in e.handle_timeout(3.0)] == ["SYN seq=100"]
    assert e.next_timeout() == 7.0
    e.receive(Segment(src="server", dst="client", flags="SYN+ACK", seq=300, ack=101), now=7.5)
    assert e.state is State.ESTABLISHED and e.next_timeout() is None


def test_out_of_order_segment_is_dropped_and_acknowledged_again():
    sim = run_events(H + ["client send 5", "client send 3", "client drop", "client deliver"])
    # the second segment arrives first: the server repeats its ACK of what it has
    assert segs(sim.trace)[-1] == "ACK seq=106 ack=301 len=3"
    assert [str(s) for s in sim.in_flight("server")] == ["ACK seq=301 ack=101"]
    assert sim.b.rcv_nxt == 101
    sim.deliver_next("server")
    sim.wait(1.0)  # the client resends the oldest unacknowledged segment
    sim.deliver_all()
    sim.wait(2.0)  # then the next one
    sim.deliver_all()
    assert sim.b.rcv_nxt == 109 and sim.a.snd_una == 109 and sim.a.unacked == []


def test_time_wait_lasts_2msl():
    sim = run_events(H + tcp._CLOSE)
    assert sim.a.state is State.TIME_WAIT
    assert sim.a.next_timeout() == 2 * tcp.DEFAULT_MSL == LINUX_TIME_WAIT == 60.0
    sim.wait(59.9)
    assert sim.a.state is State.TIME_WAIT
    sim.wait(0.1)
    assert sim.a.state is State.CLOSED
    assert sim.trace[-1].note == "2MSL over"


def test_msl_is_a_parameter():
    sim = run_events(H + tcp._CLOSE, msl=tcp.RFC793_MSL)
    assert sim.a.next_timeout() == 240.0


def test_a_repeated_fin_restarts_the_2msl_timer():
    sim = run_events(H + tcp._CLOSE)
    c = sim.a
    assert c.state is State.TIME_WAIT and c.next_timeout() == 60.0
    fin_again = Segment(src="server", dst="client", flags="FIN+ACK", seq=301, ack=102)
    assert [str(s) for s in c.receive(fin_again, now=10.0)] == ["ACK seq=102 ack=302"]
    assert c.state is State.TIME_WAIT and c.next_timeout() == 70.0
    assert c.history[-1] == (State.TIME_WAIT, Event.RCV_FIN, State.TIME_WAIT, "snd ACK")


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "steps, call, message",
    [
        ([], ("client", "send", 5), "Cannot send in state CLOSED (event 'send')"),
        ([], ("client", "close"), "Cannot close in state CLOSED (event 'close')"),
        (["server listen"], ("server", "listen"), "Cannot listen in state LISTEN (event 'listen')"),
        (["server listen"], ("server", "connect"), "Cannot connect in state LISTEN (event 'connect')"),
        (H, ("client", "connect"), "Cannot connect in state ESTABLISHED (event 'connect')"),
        (H + ["client close"], ("client", "close"), "Cannot close in state FIN-WAIT-1 (event 'close')"),
        (H + ["client close"], ("client", "send", 1), "Cannot send in state FIN-WAIT-1 (event 'send')"),
        (H + tcp._CLOSE, ("client", "send", 1), "Cannot send in state TIME-WAIT (event 'send')"),
    ],
)
def test_illegal_application_calls(steps, call, message):
    sim = run_events(steps)
    before = sim.states()
    with pytest.raises(LocalProtocolError) as e:
        getattr(sim, call[1])(call[0], *call[2:])
    assert str(e.value) == message
    assert sim.states() == before


def test_unexpected_segments_name_the_state_and_the_event():
    s = Endpoint("server", isn=300)
    with pytest.raises(RemoteProtocolError) as e:
        s.receive(Segment(src="client", dst="server", flags="SYN", seq=100), now=0)
    assert str(e.value) == "Unexpected SYN seq=100 from client in state CLOSED (event 'rcv_syn')"
    s.listen()
    with pytest.raises(RemoteProtocolError) as e:
        s.receive(Segment(src="client", dst="server", flags="ACK", seq=101, ack=301), now=0)
    assert str(e.value) == "Unexpected ACK seq=101 ack=301 from client in state LISTEN (event 'rcv_ack')"
    with pytest.raises(RemoteProtocolError) as e:
        s.receive(Segment(src="client", dst="server", flags="FIN+ACK", seq=101, ack=301), now=0)
    assert str(e.value) == "Unexpected FIN+ACK seq=101 ack=301 from client in state LISTEN (event 'rcv_fin')"
    assert s.state is State.LISTEN and s.history[-1][2] is State.LISTEN


def test_data_after_the_peers_fin_is_an_error_and_changes_nothing():
    sim = run_events(H + ["client close", "client deliver"])
    s = sim.b
    before = (s.state, s.rcv_nxt, s.snd_una)
    with pytest.raises(RemoteProtocolError) as e:
        s.receive(Segment(src="client", dst="server", flags="ACK", seq=102, ack=301, length=4), now=0)
    assert str(e.value) == "Unexpected ACK seq=102 ack=301 len=4 from client in state CLOSE-WAIT (event 'rcv_data')"
    assert (s.state, s.rcv_nxt, s.snd_una) == before


def test_syn_ack_with_the_wrong_ack():
    c = Endpoint("client", isn=100, peer="server")
    c.connect()
    with pytest.raises(RemoteProtocolError) as e:
        c.receive(Segment(src="server", dst="client", flags="SYN+ACK", seq=300, ack=200), now=0)
    assert str(e.value) == ("SYN+ACK seq=300 ack=200 from server in state SYN-SENT should acknowledge 101 "
                            "(our SYN seq=100), got ack=200")
    assert c.state is State.SYN_SENT


def test_ack_of_something_never_sent():
    sim = run_events(H)
    with pytest.raises(RemoteProtocolError) as e:
        sim.a.receive(Segment(src="server", dst="client", flags="ACK", seq=301, ack=500), now=0)
    assert str(e.value) == ("ACK seq=301 ack=500 from server acknowledges up to 500 but client has only sent "
                            "up to 101 (state ESTABLISHED)")


def test_segment_for_someone_else():
    with pytest.raises(RemoteProtocolError) as e:
        Endpoint("a").receive(Segment(src="x", dst="b", flags="SYN", seq=1))
    assert str(e.value) == "SYN seq=1 is addressed to 'b', not to 'a'"


def test_rejected_delivery_is_traced_as_lost():
    sim = run_events(["server listen", "client connect", "client close", "client deliver"])
    with pytest.raises(RemoteProtocolError) as e:
        sim.deliver_next("server")  # the SYN,ACK reaches a client that gave up
    assert str(e.value) == "Unexpected SYN+ACK seq=300 ack=101 from server in state CLOSED (event 'rcv_syn_ack')"
    assert sim.trace[-1].lost and sim.trace[-1].note == "rejected"
    assert sim.last_error == str(e.value)


def test_send_needs_a_positive_size_and_time_moves_forward():
    e = Endpoint("a")
    with pytest.raises(ValueError) as err:
        e.send(-1)
    assert str(err.value) == "send needs a number of bytes of 1 or more, got -1"
    e.listen(now=5)
    with pytest.raises(LocalProtocolError) as err2:
        e.close(now=4)
    assert str(err2.value) == "time went backwards: now=4 after 5.0"


def test_endpoint_arguments():
    with pytest.raises(ValueError) as e:
        Endpoint("")
    assert str(e.value) == "an endpoint needs a name (a non-empty str), got ''"
    with pytest.raises(ValueError):
        Endpoint("a", isn=2**32 - 1)
    with pytest.raises(ValueError):
        Endpoint("a", msl=0)


# ---------------------------------------------------------------------------- simulation, replay, predict


def test_simulation_errors():
    sim = Simulation()
    with pytest.raises(LocalProtocolError) as e:
        sim.drop_next("server")
    assert str(e.value) == "No segment in flight from server to client"
    with pytest.raises(ValueError) as e2:
        sim.listen("router")
    assert str(e2.value) == "no endpoint 'router': expected 'client' or 'server'"
    with pytest.raises(ValueError):
        Simulation(Endpoint("x"), Endpoint("x"))


def test_run_events_parsing():
    with pytest.raises(ValueError) as e:
        run_events(["server listen", "client send"])
    assert str(e.value) == ("step 2 'client send' not understood: expected "
                            "'<client|server> <listen|connect|send N|close|deliver|drop|wait S>'")
    with pytest.raises(ValueError):
        run_events(["alice connect"])


def test_predict_states_examples():
    assert predict_states([]) == (State.CLOSED, State.CLOSED)
    assert predict_states(["server listen"]) == (State.CLOSED, State.LISTEN)
    assert predict_states(["server listen", "client connect", "client drop"]) == (State.SYN_SENT, State.LISTEN)
    assert predict_states(RECIPES["simultaneous close"]) == (State.TIME_WAIT, State.TIME_WAIT)


def test_trace_is_deterministic_text():
    a, b = tcp.lost_segment().table(), tcp.lost_segment().table()
    assert a == b
    assert "0x" not in a
    assert a.splitlines()[6] == "step 6 t=0: LOST client->server ACK seq=101 ack=301 len=5 | ESTABLISHED ESTABLISHED"


def test_scenarios_registry():
    assert set(tcp.SCENARIOS) == {"handshake", "data transfer", "normal close", "simultaneous open",
                                  "simultaneous close", "lost segment"}
    for name, fn in tcp.SCENARIOS.items():
        trace = fn()
        assert isinstance(trace, tcp.Trace) and trace, name


# ---------------------------------------------------------------------------- repeats and reuse


def test_data_and_fin_in_one_segment_get_one_ack():
    sim = run_events(H)
    out = sim.b.receive(Segment(src="client", dst="server", flags="FIN+ACK", seq=101, ack=301, length=5), now=0)
    assert [str(s) for s in out] == ["ACK seq=301 ack=107"]
    assert sim.b.state is State.CLOSE_WAIT and sim.b.bytes_received == 5
    assert [h[1] for h in sim.b.history[-2:]] == [Event.RCV_DATA, Event.RCV_FIN]


def test_an_old_syn_after_the_handshake_is_acknowledged_not_an_error():
    sim = run_events(H)
    out = sim.b.receive(Segment(src="client", dst="server", flags="SYN", seq=100), now=0)
    assert [str(s) for s in out] == ["ACK seq=301 ack=101"] and sim.b.state is State.ESTABLISHED


def test_lost_third_ack_of_the_handshake():
    sim = run_events(["server listen", "client connect", "client deliver", "server deliver", "client drop",
                      "server wait 1", "server deliver", "client deliver"])
    assert segs(sim.trace)[-2:] == ["SYN+ACK seq=300 ack=101", "ACK seq=101 ack=301"]
    assert sim.states() == (State.ESTABLISHED, State.ESTABLISHED)


def test_an_endpoint_can_be_used_again_after_closed():
    sim = run_events(H + tcp._CLOSE + ["client wait 60"])
    assert sim.states() == (State.CLOSED, State.CLOSED)
    assert (sim.a.snd_nxt, sim.a.irs, sim.a.unacked) == (100, None, [])
    sim2 = run_events(H + tcp._CLOSE + ["client wait 60"] + H)
    assert segs(sim2.trace)[-3:] == ["SYN seq=100", "SYN+ACK seq=300 ack=101", "ACK seq=101 ack=301"]
    assert sim2.states() == (State.ESTABLISHED, State.ESTABLISHED)


def test_rst_is_not_modelled_and_says_so():
    sim = run_events(H)
    with pytest.raises(RemoteProtocolError) as e:
        sim.a.receive(Segment(src="server", dst="client", flags="RST", seq=301), now=0)
    assert str(e.value) == ("RST seq=301 from server in state ESTABLISHED: this model does not handle RST "
                            "(a real TCP would abort the connection)")
