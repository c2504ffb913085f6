"""The registry of graded exercises, and the safe way to call a learner's code.

Exercises are registered by id (``"02.3"``: chapter 02, exercise 3) in the
chapter's bank module, :mod:`netedu.grading.bank.ch02`, which is imported the
first time an id of that chapter is looked up. An exercise is a function that
takes the learner's answer and yields one :class:`Outcome` per case; it never
shows the test's code, only messages.

Three ways to register, from the simplest:

* :func:`value_exercise`: the answer is a plain value (a mask, an address).
  The right answer is stored only as a salted SHA-256 digest, so reading the
  package does not reveal it.
* :func:`function_exercise`: the answer is a function; it is called on cases
  (fixed edge cases, seeded random ones, and cases run only at grading), each
  in a child process with a time limit (:func:`run_limited`).
* :func:`exercise`: a decorator for anything else (socket exercises that start
  a reference peer); the decorated generator yields outcomes itself.

>>> from netedu.grading.registry import value_exercise, lookup, answer_digest
>>> _ = value_exercise("99.1", "Demo", digest=answer_digest("99.1", "255.255.255.0"), points=2)
>>> [o.passed for o in lookup("99.1").run(" 255.255.255.0 ")]
[True]
>>> lookup("99.9")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
netedu.errors.ExerciseError: No exercise '99.9': chapter 99 has 99.1...
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import random
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from netedu.errors import ExerciseError

__all__ = [
    "Outcome",
    "Case",
    "CallResult",
    "Exercise",
    "exercise",
    "value_exercise",
    "function_exercise",
    "lookup",
    "exercises_of_chapter",
    "answer_digest",
    "normalize_text",
    "run_limited",
    "grading_mode",
    "a_type",
]

_REGISTRY: dict[str, "Exercise"] = {}


def grading_mode() -> bool:
    """True when a teacher's grading run (``netedu check``/``grade``) is running the notebook.

    >>> grading_mode() in (True, False)
    True
    """
    return os.environ.get("NETEDU_GRADING") == "1"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """The result of one case: a message for the learner, never the test's code.

    >>> Outcome(name="mask /24", passed=True, points=1, max_points=1).message
    ''
    """

    name: str
    passed: bool
    points: float
    max_points: float
    message: str = ""
    hint: str = ""


@dataclass(frozen=True, kw_only=True)
class Case:
    """One call of a learner's function: ``args``, and the expected value (or None: ask the reference).

    ``grading_only`` cases run only in a grading run; the notebook says how many.

    >>> Case(args=("10.0.0.1",), expected="A").name
    "('10.0.0.1',)"
    """

    args: tuple = ()
    expected: Any = None
    name: str = ""
    hint: str = ""
    points: float = 1
    grading_only: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", repr(self.args))


@dataclass(frozen=True)
class CallResult:
    """What happened when a learner's function was called under a time limit.

    >>> CallResult(ok=False, error="ZeroDivisionError: division by zero").describe()
    'raised ZeroDivisionError: division by zero'
    """

    ok: bool
    value: Any = None
    error: str | None = None
    timed_out: bool = False

    def describe(self) -> str:
        """One line for the learner: the value, the exception, or the time-out."""
        if self.timed_out:
            return "did not return in time (an endless loop, or a socket without a timeout?)"
        if not self.ok:
            return f"raised {self.error}"
        return f"returned {self.value!r}"


def run_limited(fn: Callable[..., Any], *args: Any, timeout: float = 2.0) -> CallResult:
    """Call ``fn(*args)`` in a forked child process, stopped after ``timeout`` seconds.

    An endless loop or a blocked socket in learner code costs ``timeout``
    seconds and a message, never the notebook. The value comes back pickled;
    side effects in the child are not seen by the caller.

    >>> run_limited(divmod, 7, 2)
    CallResult(ok=True, value=(3, 1), error=None, timed_out=False)
    >>> run_limited(lambda: 1 / 0).describe()
    'raised ZeroDivisionError: division by zero'
    >>> def spin():
    ...     while True:
    ...         pass
    >>> run_limited(spin, timeout=0.3).timed_out
    True
    """
    import select

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        _die_with_parent()
        try:
            try:
                result = CallResult(ok=True, value=fn(*args))
                payload = pickle.dumps(result)
            except BaseException as exc:  # noqa: BLE001 - report anything the learner raised
                payload = pickle.dumps(CallResult(ok=False, error=_one_line(exc)))
            with os.fdopen(write_fd, "wb") as w:
                w.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    import time

    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return CallResult(ok=False, timed_out=True, error="timed out")
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                data = os.read(read_fd, 1 << 16)
                if not data:
                    break
                chunks.append(data)
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if not chunks:
        return CallResult(ok=False, error="the code ended the process (os._exit or a crash)")
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001
        return CallResult(ok=False, error="returned a value that cannot be sent back (not picklable)")


def _die_with_parent() -> None:
    """Linux: ask the kernel to kill this child when its parent dies (a killed notebook kernel)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the parent's SIGKILL still ends the child
        pass


def a_type(value: Any) -> str:
    """The type of ``value`` with its article, for messages: "a str", "an int".

    >>> a_type(3), a_type("x"), a_type(None)
    ('an int', 'a str', 'a NoneType')
    """
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"SystemExit: {exc.code}"
    text = str(exc).strip().splitlines()
    if not text:
        return type(exc).__name__
    return f"{type(exc).__name__}: {text[0]}"[:300]


def answer_digest(exercise_id: str, value: Any) -> str:
    """The salted SHA-256 digest under which a plain-value answer is stored.

    >>> answer_digest("02.1", "A") == answer_digest("02.1", " a ")
    True
    >>> answer_digest("02.1", "A") == answer_digest("02.2", "A")
    False
    """
    return hashlib.sha256(f"netedu:{exercise_id}:{normalize_text(value)}".encode()).hexdigest()


def normalize_text(value: Any) -> str:
    """Normalise an answer for comparison: str, stripped, lower case, inner blanks folded.

    >>> normalize_text("  255.255.255.0 ")
    '255.255.255.0'
    >>> normalize_text(["B", 2])
    "['b', 2]"
    """
    if isinstance(value, str):
        return " ".join(value.strip().lower().split())
    if isinstance(value, (list, tuple)):
        return repr([v.strip().lower() if isinstance(v, str) else v for v in value])
    return repr(value)


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """A registered exercise: an id, a title, its maximum score and how to run it.

    >>> Exercise(id="99.5", title="Demo", max_score=2, runner=lambda answer: [])
    Exercise(id='99.5', title='Demo', max_score=2, grading_only_cases=0, note='')
    >>> Exercise(id="99.5", title="Demo")
    Traceback (most recent call last):
    ...
    TypeError: Exercise.__init__() missing 2 required keyword-only arguments: 'max_score' and 'runner'
    """

    id: str
    title: str
    max_score: float
    runner: Callable[[Any], Iterable[Outcome]] = field(repr=False)
    grading_only_cases: int = 0
    note: str = ""

    def run(self, answer: Any) -> list[Outcome]:
        """Run every case on ``answer``; a runner's own crash becomes an outcome, not an exception.

        >>> def runner(answer):
        ...     yield Outcome(name="half", passed=10 / answer == 5, points=1, max_points=1)
        >>> ex = Exercise(id="99.6", title="Half of 10", max_score=1, runner=runner)
        >>> ex.run(2)[0].passed
        True
        >>> o = ex.run(0)[0]
        >>> o.passed, o.message
        (False, 'the check could not run on this answer: ZeroDivisionError: division by zero')
        """
        try:
            return list(self.runner(answer))
        except Exception as exc:  # noqa: BLE001 - a check must never stop the notebook
            return [Outcome(name="check", passed=False, points=0, max_points=self.max_score,
                            message=f"the check could not run on this answer: {_one_line(exc)}")]


def _chapter(exercise_id: str) -> str:
    head, sep, tail = exercise_id.partition(".")
    if not (sep and head.isdigit() and len(head) == 2 and tail):
        raise ExerciseError(f"Exercise id {exercise_id!r} is not of the form 'NN.K' (like '02.3')") from None
    return head


def _register(ex: Exercise) -> Exercise:
    _chapter(ex.id)
    _REGISTRY[ex.id] = ex
    return ex


def lookup(exercise_id: str) -> Exercise:
    """Return the exercise registered under ``exercise_id``, loading its chapter's bank.

    >>> lookup("2.1")
    Traceback (most recent call last):
    ...
    netedu.errors.ExerciseError: Exercise id '2.1' is not of the form 'NN.K' (like '02.3')
    """
    if not isinstance(exercise_id, str):
        raise ExerciseError(f"Exercise id must be a string like '02.3', got {exercise_id!r}") from None
    chapter = _chapter(exercise_id)
    _load_chapter(chapter)
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        known = ", ".join(sorted(e for e in _REGISTRY if e.startswith(chapter + "."))) or "no exercises"
        raise ExerciseError(f"No exercise {exercise_id!r}: chapter {chapter} has {known}") from None


def exercises_of_chapter(chapter: str) -> list[Exercise]:
    """All exercises of a chapter, in id order.

    >>> [e.id for e in exercises_of_chapter("01")][:2]
    ['01.1', '01.2']
    """
    _load_chapter(chapter)
    return sorted((e for e in _REGISTRY.values() if e.id.startswith(chapter + ".")),
                  key=lambda e: [int(p) if p.isdigit() else p for p in e.id.split(".")])


def _load_chapter(chapter: str) -> None:
    try:
        importlib.import_module(f"netedu.grading.bank.ch{chapter}")
    except ModuleNotFoundError as exc:
        if exc.name != f"netedu.grading.bank.ch{chapter}":
            raise


def exercise(exercise_id: str, title: str, *, max_score: float, grading_only_cases: int = 0,
             note: str = "") -> Callable[[Callable[[Any], Iterable[Outcome]]], Exercise]:
    """Register a generator ``runner(answer)`` that yields :class:`Outcome` objects.

    >>> @exercise("99.2", "Return a port", max_score=1)
    ... def _(answer):
    ...     yield Outcome(name="port", passed=answer == 69, points=int(answer == 69), max_points=1)
    >>> [o.points for o in lookup("99.2").run(69)]
    [1]
    """

    def wrap(runner: Callable[[Any], Iterable[Outcome]]) -> Exercise:
        return _register(Exercise(id=exercise_id, title=title, max_score=max_score, runner=runner,
                                  grading_only_cases=grading_only_cases, note=note))

    return wrap


def value_exercise(exercise_id: str, title: str, *, digest: str | Iterable[str], points: float = 1,
                   normalize: Callable[[Any], Any] | None = None, hint: str = "",
                   validate: Callable[[Any], str | None] | None = None) -> Exercise:
    """Register an exercise whose answer is one plain value, stored only as digest(s).

    ``normalize`` maps the learner's answer to the canonical form before
    hashing (for example an address string to ``str(ipaddress.ip_address(x))``);
    ``validate`` returns a message when the answer is not even of the right
    kind (``"expected a dotted-quad string like '255.255.255.0'"``).

    >>> _ = value_exercise("99.3", "Demo", digest=answer_digest("99.3", 24), hint="count the 1 bits")
    >>> o = lookup("99.3").run(23)[0]
    >>> o.passed, o.message, o.hint
    (False, 'not the right answer: got 23', 'count the 1 bits')
    """
    digests = {digest} if isinstance(digest, str) else set(digest)

    def runner(answer: Any) -> Iterator[Outcome]:
        if answer is None or answer is Ellipsis:
            yield Outcome(name="answer", passed=False, points=0, max_points=points,
                          message="no answer yet: replace the placeholder with your answer", hint=hint)
            return
        problem = validate(answer) if validate else None
        if problem:
            yield Outcome(name="answer", passed=False, points=0, max_points=points, message=problem, hint=hint)
            return
        try:
            canonical = normalize(answer) if normalize else answer
        except Exception as exc:  # noqa: BLE001
            yield Outcome(name="answer", passed=False, points=0, max_points=points,
                          message=f"could not read the answer {answer!r}: {_one_line(exc)}", hint=hint)
            return
        ok = answer_digest(exercise_id, canonical) in digests
        yield Outcome(name="answer", passed=ok, points=points if ok else 0, max_points=points,
                      message="" if ok else f"not the right answer: got {answer!r}", hint="" if ok else hint)

    return _register(Exercise(id=exercise_id, title=title, max_score=points, runner=runner))


def function_exercise(exercise_id: str, title: str, *, cases: Iterable[Case],
                      reference: Callable[..., Any] | None = None,
                      random_cases: Callable[[random.Random], Iterable[Case]] | None = None,
                      n_random: int = 0, seed: int = 0, timeout: float = 2.0,
                      compare: Callable[[Any, Any], bool] | None = None) -> Exercise:
    """Register an exercise whose answer is a function, called on each case under a time limit.

    Expected values come from the case, or from ``reference`` (the
    solution, run in the package) when the case leaves ``expected`` as None.
    ``random_cases(rng)`` adds ``n_random`` seeded cases.

    >>> def ref(n):
    ...     return 2 ** (32 - n) - 2
    >>> _ = function_exercise("99.4", "Hosts", reference=ref,
    ...                       cases=[Case(args=(24,)), Case(args=(30,), grading_only=True)])
    >>> [o.passed for o in lookup("99.4").run(ref)]  # outside grading, the /30 case is held back
    [True]
    >>> lookup("99.4").run(lambda n: 254)[0].passed
    True
    >>> lookup("99.4").run("not a function")[0].message
    'expected a function, got a str'
    """
    fixed = list(cases)
    extra: list[Case] = []
    if random_cases and n_random:
        extra = list(random_cases(random.Random(seed)))[:n_random]
    all_cases = fixed + extra
    points = sum(c.points for c in all_cases)
    visible_points = sum(c.points for c in all_cases if not c.grading_only)
    equal = compare or (lambda got, want: got == want)

    def runner(answer: Any) -> Iterator[Outcome]:
        graded = grading_mode()
        todo = [c for c in all_cases if graded or not c.grading_only]
        if not callable(answer):
            yield Outcome(name="function", passed=False, points=0,
                          max_points=points if graded else visible_points,
                          message=f"expected a function, got {a_type(answer)}")
            return
        hidden = 0
        timed_out = False
        for case in todo:
            want = case.expected if case.expected is not None else reference(*case.args)  # type: ignore[misc]
            if timed_out:  # one endless loop costs one time-out, not one per case
                name = case.name if not case.grading_only else f"hidden case {hidden + 1}"
                hidden += case.grading_only
                yield Outcome(name=name, passed=False, points=0, max_points=case.points,
                              message=f"{name}: not run, because your function did not return in time "
                                      "on an earlier case")
                continue
            got = run_limited(answer, *case.args, timeout=timeout)
            timed_out = got.timed_out
            ok = got.ok and _safe_equal(equal, got.value, want)
            if case.grading_only:  # never reveal a held-back case: not its arguments, not its answer
                hidden += 1
                name = f"hidden case {hidden}"
                msg = "" if ok else f"{name}: {_hidden_describe(got)}"
                yield Outcome(name=name, passed=ok, points=case.points if ok else 0, max_points=case.points,
                              message=msg)
                continue
            msg = "" if ok else f"{case.name}: expected {want!r}, but your function {got.describe()}"
            yield Outcome(name=case.name, passed=ok, points=case.points if ok else 0, max_points=case.points,
                          message=msg, hint="" if ok else case.hint)

    return _register(Exercise(id=exercise_id, title=title, max_score=points, runner=runner,
                              grading_only_cases=sum(c.grading_only for c in all_cases)))


def _hidden_describe(got: CallResult) -> str:
    if got.timed_out or not got.ok:
        return f"your function {got.describe()}"
    return "your function returned a wrong value"


def _safe_equal(equal: Callable[[Any, Any], bool], got: Any, want: Any) -> bool:
    try:
        return bool(equal(got, want))
    except Exception:  # noqa: BLE001
        return False
