"""``check()``: scores, messages, stable display, grading mode, and never a hang or a raise."""

from __future__ import annotations

import json
import socket
import time

import pytest

from netedu import check
from netedu.grading.checking import CheckResult
from netedu.grading.registry import Case, Outcome, answer_digest, exercise, function_exercise, value_exercise


def _double(n):
    return 2 * n


function_exercise("97.1", "Double it", reference=_double, timeout=0.5,
                  cases=[Case(args=(1,), name="double(1)", hint="multiply by 2"),
                         Case(args=(5,), name="double(5)"),
                         Case(args=(7,), name="double(7)", grading_only=True)])
value_exercise("97.2", "The TFTP port", digest=answer_digest("97.2", 69), hint="see /etc/services")


@exercise("97.3", "A runner that crashes", max_score=2)
def _crashing(answer):
    yield Outcome(name="first", passed=True, points=1, max_points=1)
    raise RuntimeError("bug in the check")


def test_right_answer_full_marks():
    r = check("97.1", _double)
    assert (r.score, r.max_score, r.passed) == (2, 2, True)
    assert r.messages == []
    assert str(r).splitlines() == [
        "Check 97.1 · Double it: 2/2 points · passed the cases shown",
        "  ✓ double(1) (1/1)",
        "  ✓ double(5) (1/1)",
        "  1 more case(s) run when your teacher grades this.",
    ]


def test_wrong_answer_message_and_hint():
    r = check("97.1", lambda n: n + 1)
    assert (r.score, r.passed) == (1, False)
    assert r.messages == ["double(5): expected 10, but your function returned 6"]
    assert "✗ double(5) (0/1): double(5): expected 10, but your function returned 6" in str(r)


def test_exception_gives_message_and_zero():
    r = check("97.1", lambda n: 1 / 0)
    assert r.score == 0
    assert r.messages[0] == ("double(1): expected 2, but your function raised ZeroDivisionError: division by zero"
                             " (hint: multiply by 2)")


def test_endless_loop_is_stopped_once():
    def spin(n):
        while True:
            pass

    t = time.monotonic()
    r = check("97.1", spin)
    assert time.monotonic() - t < 5
    assert r.score == 0
    assert "did not return in time (an endless loop, or a socket without a timeout?)" in r.messages[0]
    assert "not run, because your function did not return in time on an earlier case" in r.messages[1]


def test_blocked_socket_is_stopped():
    def wait_forever(n):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.recvfrom(1024)

    t = time.monotonic()
    r = check("97.1", wait_forever)
    assert time.monotonic() - t < 5
    assert r.score == 0 and "a socket without a timeout?" in r.messages[0]


def test_not_a_function():
    r = check("97.1", 42)
    assert (r.score, r.max_score) == (0, 2)
    assert r.messages == ["expected a function, got an int"]


def test_unknown_and_bad_ids_never_raise():
    assert check("97.99", 1).messages == ["No exercise '97.99': chapter 97 has 97.1, 97.2, 97.3"]
    assert check(3, 1).score == 0
    assert check("nonsense").messages == ["Exercise id 'nonsense' is not of the form 'NN.K' (like '02.3')"]


def test_crashing_runner_becomes_a_message():
    r = check("97.3", None)
    assert r.score == 0 and r.max_score == 2
    assert r.messages == ["the check could not run on this answer: RuntimeError: bug in the check"]


def test_value_answer_placeholder_and_wrong_kind():
    assert check("97.2", ...).messages == ["no answer yet: replace the placeholder with your answer "
                                           "(hint: see /etc/services)"]
    assert check("97.2", 69).passed and check("97.2", " 69 ").passed
    assert check("97.2", 68).messages == ["not the right answer: got 68 (hint: see /etc/services)"]


def test_display_is_stable_and_has_no_addresses():
    class Thing:
        pass

    first = check("97.2", Thing())
    second = check("97.2", Thing())
    assert str(first) == str(second) and first._repr_html_() == second._repr_html_()
    assert repr(first) == str(first)
    for text in (str(first), first._repr_html_(), json.dumps(first.to_json())):
        assert "0x" not in text
    f1, f2 = check("97.1", lambda n: object()), check("97.1", lambda n: object())
    assert str(f1) == str(f2) and "0x" not in str(f1)


def test_html_escapes_learner_text():
    r = check("97.2", "<script>alert(1)</script>")
    assert "<script>" not in r._repr_html_() and "&lt;script&gt;" in r._repr_html_()


def test_grading_mode_runs_held_back_cases_and_records(tmp_path, monkeypatch):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv("NETEDU_GRADING", "1")
    monkeypatch.setenv("NETEDU_RESULTS", str(results))
    r = check("97.1", lambda n: 2 * n if n < 6 else 0)
    assert (r.score, r.max_score) == (2, 3)
    assert "more case(s)" not in str(r)
    assert "✗ hidden case 1 (0/1): hidden case 1: your function returned a wrong value" in str(r)
    check("97.2", 69)
    lines = [json.loads(x) for x in results.read_text().splitlines()]
    assert lines == [
        {"id": "97.1", "score": 2, "max_score": 3, "passed": False,
         "messages": ["hidden case 1: your function returned a wrong value"]},
        {"id": "97.2", "score": 1, "max_score": 1, "passed": True, "messages": []},
    ]


def test_hidden_case_never_shows_its_arguments(monkeypatch):
    monkeypatch.setenv("NETEDU_GRADING", "1")
    r = check("97.1", lambda n: 0 if n == 7 else 2 * n)
    assert "7" not in " ".join(r.messages) and "14" not in str(r)


def test_check_result_is_plain_data():
    r = CheckResult("97.2", "x", (Outcome(name="a", passed=False, points=0, max_points=1, message="m", hint="h"),))
    assert r.to_json() == {"id": "97.2", "score": 0, "max_score": 1, "passed": False, "messages": ["m (hint: h)"]}


@pytest.mark.parametrize("answer", [None, ..., "", [], {}])
def test_empty_answers_score_zero(answer):
    assert check("97.1", answer).score == 0
    assert check("97.2", answer).score == 0
