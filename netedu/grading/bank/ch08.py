"""Chapter 08 exercises: the states of a connection, TIME-WAIT, the listen backlog.

Plain answers are stored as salted digests. The "predict the states" exercise
is checked against the sans-I/O model :mod:`netedu.protocols.tcp`, which
computes the states of both ends for each sequence of events.

>>> from netedu.grading.registry import lookup
>>> [o.passed for o in lookup("08.3").run((4, "syn_sent"))]
[True, True]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netedu.grading.bank._support import case_outcome, no_answer
from netedu.grading.registry import Outcome, answer_digest, exercise, normalize_text, value_exercise

__all__: list[str] = []

_STATE_NAMES = ("LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT", "CLOSED")


def canonical_state(value: Any) -> str:
    """A state name in RFC 793 spelling, from any common spelling (``time_wait``, ``Time Wait``, ``ESTAB``).

    >>> canonical_state("time_wait"), canonical_state("FIN_WAIT2"), canonical_state("estab")
    ('TIME-WAIT', 'FIN-WAIT-2', 'ESTABLISHED')
    >>> canonical_state("WAITING")
    Traceback (most recent call last):
    ...
    ValueError: 'WAITING' is not a TCP state; the states are LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT, CLOSED
    """
    if hasattr(value, "name") and not isinstance(value, str):  # an enum member of the model
        value = value.name
    text = str(value).strip().upper().replace("_", "-").replace(" ", "-")
    text = {"ESTAB": "ESTABLISHED", "SYN-RECV": "SYN-RECEIVED", "FIN-WAIT1": "FIN-WAIT-1",
            "FIN-WAIT2": "FIN-WAIT-2", "CLOSE": "CLOSED"}.get(text, text)
    if text not in _STATE_NAMES:
        raise ValueError(f"{value!r} is not a TCP state; the states are {', '.join(_STATE_NAMES)}") from None
    return text


# --- 08.1: predict the states (checked against the model) ----------------------------------

_HANDSHAKE = ["server listen", "client connect", "client deliver", "server deliver", "client deliver"]

#: The sequences of events of exercise 08.1, in the words of :func:`netedu.protocols.tcp.run_events`
#: ("client deliver": the next segment the client sent arrives at the server).
PREDICT_SCENARIOS: list[list[str]] = [
    ["server listen", "client connect", "client deliver", "server deliver"],
    [*_HANDSHAKE, "client close", "client deliver"],
    [*_HANDSHAKE, "client close", "client deliver", "server deliver"],
    [*_HANDSHAKE, "client close", "client deliver", "server deliver", "server close", "server deliver"],
    [*_HANDSHAKE, "client close", "server close", "client deliver"],
    [*_HANDSHAKE, "server close", "server deliver", "client deliver", "client close", "client deliver",
     "server deliver"],
]


def _pair(value: Any) -> tuple[str, str]:
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise ValueError(f"expected a pair (client state, server state), got {value!r}")
    return canonical_state(value[0]), canonical_state(value[1])


@exercise("08.1", "Predict the state of each end", max_score=len(PREDICT_SCENARIOS))
def _predict(answer: Any) -> Iterator[Outcome]:
    from netedu.protocols.tcp import predict_states

    n = len(PREDICT_SCENARIOS)
    if (placeholder := no_answer(answer, n)) is not None:
        yield placeholder
        return
    if not isinstance(answer, (list, tuple)) or len(answer) != n:
        yield case_outcome("answer", False,
                           f"expected a list of {n} pairs (client state, server state), got {answer!r}"[:300], points=n)
        return
    for i, (events, given) in enumerate(zip(PREDICT_SCENARIOS, answer), 1):
        want = tuple(s.label for s in predict_states(events))
        name = f"sequence {i}"
        try:
            got = _pair(given)
        except ValueError as exc:
            yield case_outcome(name, False, str(exc))
            continue
        ok = got == want
        wrong = [side for side, g, w in zip(("client", "server"), got, want) if g != w]
        yield case_outcome(name, ok, f"the {' and the '.join(wrong)} state is not right: got {got}",
                           "replay it on the state diagram, one segment at a time: a segment "
                           "changes only the state of the end it arrives at")


# --- 08.2: which side ends in TIME-WAIT, and why --------------------------------------------

_SIDE_DIGEST = "cb2ba928365801cc0369ce45a1ad1db7ff55fa152830c833ab259996a31ff03d"
_WHY_DIGEST = "55438c9432ffaca0bce41125061c63bf085da1d64b54ef548f2cb775b9e992d0"


@exercise("08.2", "Which end waits in TIME-WAIT, and why", max_score=2)
def _time_wait_side(answer: Any) -> Iterator[Outcome]:
    if (placeholder := no_answer(answer, 2)) is not None:
        yield placeholder
        return
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2 and all(isinstance(x, str) for x in answer)):
        yield case_outcome("answer", False, f"expected a pair of strings like ('client', 'A'), got {answer!r}",
                           points=2)
        return
    side, why = (normalize_text(x) for x in answer)
    yield case_outcome("which end", answer_digest("08.2", side) == _SIDE_DIGEST,
                       f"not the right end: got {answer[0]!r}",
                       "the end that closes first is the one that waits, whatever its role")
    yield case_outcome("why", answer_digest("08.2", why) == _WHY_DIGEST, f"not the right reason: got {answer[1]!r}",
                       "think of what happens if the very last segment of the close is lost")


# --- 08.3: the backlog ----------------------------------------------------------------------

_COUNT_DIGEST = "59566212113cf86d7610aa17f597d99ea536e1fdca23fdc420273c58de8a1ad8"
_WAIT_DIGEST = "ca42209e09b31b74f60de0352cd4110b831f19cb4c643f6948c80db6d2c12774"


@exercise("08.3", "How many connections listen(3) admits on Linux", max_score=2)
def _backlog(answer: Any) -> Iterator[Outcome]:
    if (placeholder := no_answer(answer, 2)) is not None:
        yield placeholder
        return
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2 and isinstance(answer[0], int)
            and not isinstance(answer[0], bool)):
        yield case_outcome("answer", False, f"expected a pair (number, state) like (7, 'CLOSED'), got {answer!r}",
                           points=2)
        return
    count, state = answer
    yield case_outcome("completed", answer_digest("08.3", count) == _COUNT_DIGEST,
                       f"not the number Linux admits: got {count!r}",
                       "on Linux the queue counts as full only when it holds MORE than the backlog")
    try:
        name = canonical_state(state)
    except ValueError as exc:
        yield case_outcome("the others", False, str(exc))
        return
    yield case_outcome("the others", answer_digest("08.3", name) == _WAIT_DIGEST,
                       f"not the state the waiting clients are in: got {state!r}",
                       "Linux drops their SYN; it sends no RST, so they are not refused")


# --- 08.4: the length of TIME-WAIT on Linux --------------------------------------------------

def _seconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number of seconds, got {type(value).__name__}")
    return round(value)


value_exercise(
    "08.4", "How long TIME-WAIT lasts on Linux",
    digest="83ef80162ea35b92d7c1321f69b29aee7ec770d0392f782226d1abd3bf9d2eb4", normalize=_seconds,
    validate=lambda v: None if isinstance(v, (int, float)) and not isinstance(v, bool)
    else f"expected a number of seconds, got {v!r}",
    hint="read the timer in ss -o right after the close, or the kernel constant TCP_TIMEWAIT_LEN",
)
