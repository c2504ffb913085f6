"""netedu.grading: self-checking exercises, their generation, and grading.

``check(exercise_id, answer)`` is the function a learner calls in a notebook
(also importable as ``from netedu import check``); the registry, the banks,
``netedu check`` and ``netedu grade`` live in the submodules.

>>> from netedu.grading import check
>>> check("02.1", ...).score
0
"""

from __future__ import annotations

from netedu.grading.checking import CheckResult, check

__all__ = ["CheckResult", "check"]
