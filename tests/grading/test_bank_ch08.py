"""Chapter 08's checks: the model-checked prediction and the value questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netedu.grading.bank import ch08
from netedu.grading.registry import lookup
from netedu.protocols.tcp import State, predict_states

RIGHT_STATES = [
    ("ESTABLISHED", "SYN-RECEIVED"),
    ("FIN-WAIT-1", "CLOSE-WAIT"),
    ("FIN-WAIT-2", "CLOSE-WAIT"),
    ("TIME-WAIT", "LAST-ACK"),
    ("FIN-WAIT-1", "CLOSING"),
    ("CLOSED", "TIME-WAIT"),
]


def points(exercise_id: str, answer: object) -> list[float]:
    return [o.points for o in lookup(exercise_id).run(answer)]


def test_predict_right_answer_full_marks_in_any_spelling() -> None:
    assert sum(points("08.1", RIGHT_STATES)) == 6 == lookup("08.1").max_score
    lower = [(c.lower().replace("-", "_"), s.lower()) for c, s in RIGHT_STATES]
    assert sum(points("08.1", lower)) == 6
    as_enums = [predict_states(sc) for sc in ch08.PREDICT_SCENARIOS]
    assert sum(points("08.1", as_enums)) == 6


def test_predict_answers_come_from_the_model() -> None:
    assert [tuple(s.label for s in predict_states(sc)) for sc in ch08.PREDICT_SCENARIOS] == RIGHT_STATES


def test_predict_classic_mistakes_lose_their_points() -> None:
    wrong = list(RIGHT_STATES)
    wrong[1] = ("FIN-WAIT-2", "CLOSE-WAIT")   # the ACK is not delivered yet
    wrong[3] = ("TIME-WAIT", "CLOSED")        # the last ACK has not arrived
    wrong[5] = ("TIME-WAIT", "CLOSED")        # the client waits: wrong, the server closed first
    outcomes = lookup("08.1").run(wrong)
    assert [o.points for o in outcomes] == [1, 0, 1, 0, 1, 0]
    assert outcomes[1].message == "the client state is not right: got ('FIN-WAIT-2', 'CLOSE-WAIT')"
    assert outcomes[5].message == "the client and the server state is not right: got ('TIME-WAIT', 'CLOSED')"


@pytest.mark.parametrize("answer", [..., None, "TIME-WAIT", RIGHT_STATES[:5], [("A", "B")] * 6, [1] * 6])
def test_predict_malformed_answers_get_zero_with_a_message(answer: object) -> None:
    outcomes = lookup("08.1").run(answer)
    assert sum(o.points for o in outcomes) == 0
    assert all(o.message for o in outcomes)


def test_predict_unknown_state_name_lists_the_states() -> None:
    answer = list(RIGHT_STATES)
    answer[0] = ("CONNECTED", "SYN-RECEIVED")
    outcome = lookup("08.1").run(answer)[0]
    assert outcome.points == 0
    assert outcome.message.startswith("'CONNECTED' is not a TCP state; the states are LISTEN, SYN-SENT")


def test_scenarios_in_the_solution_notebook_match_the_bank() -> None:
    text = (Path(__file__).resolve().parents[2] / "src/solutions/08-tcp-connection-lifecycle.nbpy").read_text()
    flat = " ".join(text.split())
    handshake = ["server listen", "client connect", "client deliver", "server deliver", "client deliver"]
    for i, events in enumerate(ch08.PREDICT_SCENARIOS, 1):
        if events[:5] == handshake:
            shown = "the handshake" + ("" if i != 2 else " (" + ", ".join(f"`{e}`" for e in handshake) + ")")
            shown += ", then " + ", ".join(f"`{e}`" for e in events[5:])
        else:
            shown = ", ".join(f"`{e}`" for e in events)
        assert f"{i}. {shown}" in flat


@pytest.mark.parametrize(("answer", "expected"), [
    (("server", "B"), [1, 1]),
    (["Server", " b "], [1, 1]),
    (("client", "B"), [0, 1]),
    (("server", "A"), [1, 0]),
    (("client", "C"), [0, 0]),
])
def test_time_wait_side(answer: object, expected: list[int]) -> None:
    assert points("08.2", answer) == expected


@pytest.mark.parametrize("answer", ["server", ("server",), ("server", 2), ...])
def test_time_wait_side_malformed(answer: object) -> None:
    (o,) = lookup("08.2").run(answer)
    assert o.points == 0 and o.message


@pytest.mark.parametrize(("answer", "expected"), [
    ((4, "SYN-SENT"), [1, 1]),
    ((4, "syn_sent"), [1, 1]),
    ((4, State.SYN_SENT), [1, 1]),
    ((3, "SYN-SENT"), [0, 1]),   # the BSD reading of listen(n)
    ((5, "SYN-SENT"), [0, 1]),
    ((4, "CLOSED"), [1, 0]),     # "refused": no, their SYNs are dropped
])
def test_backlog(answer: object, expected: list[int]) -> None:
    assert points("08.3", answer) == expected


def test_backlog_bad_state_and_shape() -> None:
    outcomes = lookup("08.3").run((4, "waiting"))
    assert [o.points for o in outcomes] == [1, 0]
    assert outcomes[1].message.startswith("'waiting' is not a TCP state")
    (o,) = lookup("08.3").run("4")
    assert o.message == "expected a pair (number, state) like (7, 'CLOSED'), got '4'"
    (o,) = lookup("08.3").run((True, "SYN-SENT"))
    assert o.points == 0


@pytest.mark.parametrize(("answer", "ok"), [(60, True), (60.0, True), (120, False), (240, False), (30, False)])
def test_time_wait_seconds(answer: object, ok: bool) -> None:
    assert lookup("08.4").run(answer)[0].passed is ok


@pytest.mark.parametrize("answer", ["60", True, None])
def test_time_wait_seconds_malformed(answer: object) -> None:
    (o,) = lookup("08.4").run(answer)
    assert o.points == 0 and o.message


def test_canonical_state_spellings() -> None:
    assert ch08.canonical_state(" fin wait 1 ") == "FIN-WAIT-1"
    assert ch08.canonical_state(State.CLOSE_WAIT) == "CLOSE-WAIT"
    with pytest.raises(ValueError, match=r"^3 is not a TCP state"):
        ch08.canonical_state(3)
