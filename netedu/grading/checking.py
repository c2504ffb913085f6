"""``check(exercise_id, answer)``: the self-check a learner calls in a notebook.

It looks the exercise up in the registry, runs its cases on the answer and
returns a :class:`CheckResult`, whose display (text and HTML) is the same on
every run: points, one line per case, the message and the hint of each failed
case, and never the test's code. It never raises: an unknown id or an answer
that breaks the check gives a result with a message and 0 points.

In a grading run (``netedu check`` / ``netedu grade``, environment variable
``NETEDU_GRADING=1``) the cases kept for grading run as well, and the result is
appended as one JSON line to the file named by ``NETEDU_RESULTS``.

>>> from netedu.grading.registry import answer_digest, value_exercise
>>> _ = value_exercise("98.1", "The mask of a /24", digest=answer_digest("98.1", "255.255.255.0"),
...                    hint="24 ones, then 8 zeros")
>>> print(check("98.1", "255.255.255.0"))
Check 98.1 · The mask of a /24: 1/1 point · passed
  ✓ answer (1/1)
>>> print(check("98.1", "255.255.0.0"))
Check 98.1 · The mask of a /24: 0/1 point · not yet
  ✗ answer (0/1): not the right answer: got '255.255.0.0'
      hint: 24 ones, then 8 zeros
>>> check("98.77", 1).score
0
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from netedu.grading.registry import Outcome, grading_mode, lookup

__all__ = ["CheckResult", "check", "format_points"]

_ADDRESS = re.compile(r"\s+at\s+0x[0-9a-fA-F]+")
_HEX = re.compile(r"0x[0-9a-fA-F]{6,}")
_MAX_MESSAGE = 400


def format_points(value: float) -> str:
    """Points as short, stable text: ``2`` rather than ``2.0``, ``1.5`` kept.

    >>> format_points(2.0), format_points(1.5), format_points(0)
    ('2', '1.5', '0')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def clean_message(text: str) -> str:
    """Make a message safe to display: no object addresses, one bounded paragraph.

    >>> clean_message("got <function f at 0x7f3a2b1c0d90>")
    'got <function f>'
    """
    text = _ADDRESS.sub("", str(text))
    text = _HEX.sub("0x…", text)
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return text


@dataclass(frozen=True)
class CheckResult:
    """What one ``check(...)`` call found: points, one outcome per case, messages.

    >>> r = CheckResult("99.1", "Demo", (Outcome(name="answer", passed=True, points=1, max_points=1),))
    >>> r.score, r.max_score, r.passed
    (1, 1, True)
    >>> CheckResult("99.1", "Demo", (), problem="no answer").passed
    False
    """

    exercise_id: str
    title: str
    outcomes: tuple[Outcome, ...] = ()
    held_back: int = 0
    problem: str = ""
    max_points: float | None = field(default=None, compare=False)

    @property
    def max_score(self) -> float:
        """The points this check could give here (cases held back for grading not counted)."""
        if self.max_points is not None:
            return _number(self.max_points)
        return _number(sum(o.max_points for o in self.outcomes))

    @property
    def score(self) -> float:
        """The points the answer earned."""
        got = sum(o.points for o in self.outcomes) if not self.problem else 0
        return _number(min(got, self.max_score))

    @property
    def passed(self) -> bool:
        """True when every case passed (and there was at least one)."""
        return not self.problem and bool(self.outcomes) and all(o.passed for o in self.outcomes)

    @property
    def messages(self) -> list[str]:
        """One line per failed case (message and hint), or the problem that stopped the check.

        >>> CheckResult("99.1", "Demo", (), problem="no exercise").messages
        ['no exercise']
        """
        if self.problem:
            return [clean_message(self.problem)]
        out = []
        for o in self.outcomes:
            if o.passed:
                continue
            line = clean_message(o.message or f"{o.name}: not right")
            if o.hint:
                line += f" (hint: {clean_message(o.hint)})"
            out.append(line)
        return out

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict, as ``netedu check --json`` reports it.

        >>> CheckResult("99.1", "Demo", (), problem="x").to_json()["score"]
        0
        """
        return {"id": self.exercise_id, "score": self.score, "max_score": self.max_score,
                "passed": self.passed, "messages": self.messages}

    def _summary(self) -> str:
        unit = "point" if self.max_score == 1 else "points"
        if not self.passed:
            verdict = "not yet"
        elif self.held_back and not grading_mode():
            verdict = "passed the cases shown"  # never "passed" while cases are held back
        else:
            verdict = "passed"
        title = f" · {self.title}" if self.title else ""
        return (f"Check {self.exercise_id}{title}: "
                f"{format_points(self.score)}/{format_points(self.max_score)} {unit} · {verdict}")

    def _held_back_line(self) -> str:
        if self.held_back and not grading_mode():
            return f"{self.held_back} more case(s) run when your teacher grades this."
        return ""

    def __str__(self) -> str:
        lines = [self._summary()]
        if self.problem:
            lines.append(f"  {clean_message(self.problem)}")
        for o in self.outcomes:
            mark = "✓" if o.passed else "✗"
            line = f"  {mark} {clean_message(o.name)} ({format_points(o.points)}/{format_points(o.max_points)})"
            if not o.passed and o.message:
                line += f": {clean_message(o.message)}"
            lines.append(line)
            if not o.passed and o.hint:
                lines.append(f"      hint: {clean_message(o.hint)}")
        extra = self._held_back_line()
        if extra:
            lines.append(f"  {extra}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        colour = "#1a7f37" if self.passed else "#b35900"
        parts = [f'<div class="netedu-check"><p style="color:{colour}"><b>{esc(self._summary())}</b></p>']
        if self.problem:
            parts.append(f"<p>{esc(clean_message(self.problem))}</p>")
        if self.outcomes:
            parts.append("<ul>")
            for o in self.outcomes:
                mark = "✓" if o.passed else "✗"
                item = f"{mark} {esc(clean_message(o.name))} ({format_points(o.points)}/{format_points(o.max_points)})"
                if not o.passed and o.message:
                    item += f": {esc(clean_message(o.message))}"
                if not o.passed and o.hint:
                    item += f"<br><i>hint: {esc(clean_message(o.hint))}</i>"
                parts.append(f"<li>{item}</li>")
            parts.append("</ul>")
        extra = self._held_back_line()
        if extra:
            parts.append(f"<p><i>{esc(extra)}</i></p>")
        parts.append("</div>")
        return "".join(parts)


def _number(value: float) -> float:
    return int(value) if float(value).is_integer() else float(value)


def check(exercise_id: str, answer: Any = None) -> CheckResult:
    """Check ``answer`` (a value, or a function you wrote) for exercise ``exercise_id``.

    Never raises: a wrong id or an answer the check cannot use gives 0 points
    and a message.

    >>> print(check("2.1", 5))
    Check 2.1: 0/0 points · not yet
      Exercise id '2.1' is not of the form 'NN.K' (like '02.3')
    """
    try:
        ex = lookup(exercise_id)
    except Exception as exc:  # noqa: BLE001 - never stop the notebook
        result = CheckResult(str(exercise_id), "", (), problem=str(exc).strip() or type(exc).__name__,
                             max_points=0)
        _record(result)
        return result
    graded = grading_mode()
    try:
        outcomes = tuple(ex.run(answer))
    except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt is re-raised below
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcomes = (Outcome(name="check", passed=False, points=0, max_points=ex.max_score,
                            message=f"the check could not run: {type(exc).__name__}"),)
    if graded or not ex.grading_only_cases:
        max_points: float | None = ex.max_score
    else:
        max_points = None  # only the cases run here
    result = CheckResult(ex.id, ex.title, outcomes, held_back=0 if graded else ex.grading_only_cases,
                         max_points=max_points)
    _record(result)
    return result


def _record(result: CheckResult) -> None:
    path = os.environ.get("NETEDU_RESULTS")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    except OSError:
        pass
