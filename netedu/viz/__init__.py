"""netedu.viz: pictures as text (SVG) drawn by pure functions, see :mod:`netedu.viz.diagrams`.

Nothing here imports a plotting library: a diagram is a string, so it is the
same on every run and can be tested with ``xml.etree``.

>>> import netedu.viz
>>> netedu.viz.__name__
'netedu.viz'
"""

from __future__ import annotations

__all__: list[str] = []
