"""netedu: the helper library of a Jupyter course in computer networking.

Importing :mod:`netedu` is cheap: it loads no Jupyter, ipywidgets or matplotlib.
The heavy parts (widgets, notebook grading, socket servers) are imported on
first use from their own subpackages.

>>> import netedu
>>> netedu.__version__
'0.1.0'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "check"]

if TYPE_CHECKING:  # pragma: no cover
    from netedu.grading.checking import check as check


def __getattr__(name: str) -> Any:
    # ``from netedu import check`` in a notebook loads the grading code only then.
    if name == "check":
        from netedu.grading.checking import check

        return check
    raise AttributeError(f"module 'netedu' has no attribute {name!r}")
