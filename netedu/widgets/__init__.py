"""Jupyter widgets of the course: thin views over the pure functions of netedu.

Importing this package is cheap: each widget's module (and ipywidgets with it)
is imported the first time the name is used. To add a widget, add its name
and module to :data:`WIDGETS`.

>>> {"SubnetCalculator", "SubnettingTrainer", "VlsmPlanner"} <= set(WIDGETS)
True
>>> import netedu.widgets as w
>>> w.NoSuchWidget
Traceback (most recent call last):
...
AttributeError: module 'netedu.widgets' has no attribute 'NoSuchWidget'
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> submodule of netedu.widgets that defines it
WIDGETS: dict[str, str] = {
    "SubnetCalculator": "subnet",
    "SubnettingTrainer": "subnet",
    "VlsmPlanner": "subnet",
    "PacketInspector": "packet",
    "TcpStepper": "tcp_stepper",
    "NetAssist": "netassist",
}

__all__ = sorted(WIDGETS)


def __getattr__(name: str) -> Any:
    """Import the widget's module on first use and return the widget class.

    >>> __getattr__("SubnetCalculator").__name__
    'SubnetCalculator'
    """
    module = WIDGETS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Module attributes, including the widgets not imported yet.

    >>> "VlsmPlanner" in __dir__()
    True
    """
    return sorted(set(globals()) | set(WIDGETS))
