"""Helpers shared by the chapter banks: the "is it a function?" gate and one-case outcomes.

Every bank whose answer is a function starts the same way: if the answer is
not callable, one outcome worth the whole exercise says what was expected.
:func:`function_exercise_runner` registers such a runner with that gate in
front, so the runner itself only deals with a function. Each case then ends
in an :class:`~netedu.grading.registry.Outcome` worth one point, passed or
not: :func:`case_outcome` (from a yes/no) and :func:`problem_outcome` (from a
message that is empty when all is well) build it, dropping the message and
hint of a passed case. :func:`no_answer` is the outcome of an answer left as
the placeholder (``...`` or None).

>>> from netedu.grading.registry import lookup
>>> @function_exercise_runner("99.20", "Double", signature="double(n)", max_score=1)
... def _double(answer):
...     yield problem_outcome("double(2)", "" if answer(2) == 4 else "double(2) is not 4", "n * 2")
>>> [(o.points, o.message) for o in lookup("99.20").run(lambda n: n * 2)]
[(1, '')]
>>> [(o.points, o.message, o.hint) for o in lookup("99.20").run(lambda n: n + 1)]
[(0, 'double(2) is not 4', 'n * 2')]
>>> lookup("99.20").run(...)[0].message
'expected a function double(n), got nothing yet (replace the ...)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from netedu.grading.registry import Exercise, Outcome, exercise

__all__ = ["function_exercise_runner", "case_outcome", "problem_outcome", "no_answer"]

_NO_ANSWER = "no answer yet: replace the placeholder with your answer"


def _is_placeholder(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _not_function(answer: Any, signature: str, points: float, explain_placeholder: bool) -> Outcome | None:
    if callable(answer):
        return None
    if explain_placeholder and _is_placeholder(answer):
        what = "nothing yet (replace the ...)"
    else:
        what = f"a {type(answer).__name__}"
    return Outcome(name="function", passed=False, points=0, max_points=points,
                   message=f"expected a function {signature}, got {what}")


def function_exercise_runner(exercise_id: str, title: str, *, signature: str, max_score: float,
                             explain_placeholder: bool = True
                             ) -> Callable[[Callable[[Any], Iterable[Outcome]]], Exercise]:
    """Register ``runner(answer)`` like :func:`~netedu.grading.registry.exercise`, behind a callable check.

    When the answer is not callable the runner is not called: one outcome
    named ``"function"``, worth ``max_score``, says ``expected a function
    <signature>, got a <type>`` (or ``got nothing yet (replace the ...)`` for
    ``...`` and None, unless ``explain_placeholder`` is False).

    >>> from netedu.grading.registry import lookup
    >>> @function_exercise_runner("99.21", "Port", signature="port()", max_score=2,
    ...                           explain_placeholder=False)
    ... def _port(answer):
    ...     yield case_outcome("port() is 69", answer() == 69, "port() is not 69", points=2)
    >>> [(o.points, o.max_points) for o in lookup("99.21").run(lambda: 69)]
    [(2, 2)]
    >>> [(o.name, o.points, o.message) for o in lookup("99.21").run(None)]
    [('function', 0, 'expected a function port(), got a NoneType')]
    """

    def wrap(runner: Callable[[Any], Iterable[Outcome]]) -> Exercise:
        def gated(answer: Any) -> Iterator[Outcome]:
            bad = _not_function(answer, signature, max_score, explain_placeholder)
            if bad is not None:
                yield bad
                return
            yield from runner(answer)

        gated.__name__ = gated.__qualname__ = getattr(runner, "__name__", "runner")
        gated.__doc__ = runner.__doc__
        return exercise(exercise_id, title, max_score=max_score)(gated)

    return wrap


def case_outcome(name: str, ok: bool, message: str = "", hint: str = "", *, points: float = 1) -> Outcome:
    """The outcome of one case: ``points`` if ``ok``, else 0 with ``message`` and ``hint``.

    A passed case carries neither message nor hint, so a message may be
    written without first testing ``ok``.

    >>> case_outcome("port", True, "wrong port", "it is 69")
    Outcome(name='port', passed=True, points=1, max_points=1, message='', hint='')
    >>> case_outcome("port", False, "wrong port", "it is 69", points=2)
    Outcome(name='port', passed=False, points=0, max_points=2, message='wrong port', hint='it is 69')
    """
    return Outcome(name=name, passed=ok, points=points if ok else 0, max_points=points,
                   message="" if ok else message, hint="" if ok else hint)


def problem_outcome(name: str, problem: str, hint: str = "") -> Outcome:
    """The one-point outcome of a case whose ``problem`` is ``""`` when it passed.

    >>> problem_outcome("ask", "").passed
    True
    >>> problem_outcome("ask", "ask: the server received nothing", "send to the address you are given")
    Outcome(name='ask', passed=False, points=0, max_points=1, message='ask: the server received nothing', hint='send to the address you are given')
    """
    return case_outcome(name, not problem, problem, hint)


def no_answer(answer: Any, points: float) -> Outcome | None:
    """For an answer left as the placeholder (``...`` or None): the outcome that says so; else None.

    >>> no_answer(("client", "b"), 2) is None
    True
    >>> no_answer(..., 2)
    Outcome(name='answer', passed=False, points=0, max_points=2, message='no answer yet: replace the placeholder with your answer', hint='')
    """
    if not _is_placeholder(answer):
        return None
    return case_outcome("answer", False, _NO_ANSWER, points=points)
