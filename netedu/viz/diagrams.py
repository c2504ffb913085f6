"""Sequence diagrams and state diagrams as SVG text, drawn by pure functions.

:func:`sequence_diagram` draws messages between two or more lanes (lost ones
crossed out, the state of each lane written where it changes);
:func:`trace_diagram` draws a run of :class:`netedu.protocols.tcp.Simulation`;
:func:`state_diagram` draws the TCP state machine from its transition table,
with the 11 states where RFC 793 figure 6 puts them.

Each returns an :class:`SVG`: a string holder that Jupyter displays as a
picture. The text is deterministic (no random ids, no clock), so a test or
nbval can compare it.

>>> svg = sequence_diagram([("client", "server", "SYN seq=100", False),
...                         ("server", "client", "SYN+ACK seq=300 ack=101", True)])
>>> svg
<SVG sequence diagram 560x164>
>>> "SYN+ACK seq=300 ack=101" in svg.text
True
>>> sequence_diagram([("client", "client")])
Traceback (most recent call last):
...
ValueError: event 1 ('client', 'client') should be (src, dst, label) or (src, dst, label, lost) or (src, dst, label, lost, states)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

__all__ = ["SVG", "Arrow", "sequence_diagram", "trace_diagram", "state_diagram", "STATE_POSITIONS"]

FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
CHAR_W = 7.2  # width of one character at font-size 12 (monospace), for layout
LOST = "#c62828"
INK = "#222222"
FAINT = "#9e9e9e"
NOTE_FILL = "#fff8e1"
STATE_FILL = "#e3f2fd"
HIGHLIGHT = "#ffe082"


class SVG:
    """SVG text that Jupyter shows as a picture (``_repr_svg_``, ``_repr_html_``); ``str()`` gives the text.

    >>> s = SVG('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', "box")
    >>> s, str(s)[:4], s.width, s.height
    (<SVG box 10x10>, '<svg', 10, 10)
    >>> SVG("<html/>")
    Traceback (most recent call last):
    ...
    ValueError: SVG text must start with '<svg', got '<html/>'
    """

    def __init__(self, text: str, kind: str = "diagram") -> None:
        if not isinstance(text, str) or not text.startswith("<svg"):
            raise ValueError(f"SVG text must start with '<svg', got {str(text)[:20]!r}")
        self.text = text
        self.kind = kind

    def _size(self, name: str) -> int:
        head = self.text[: self.text.index(">")]
        key = f' {name}="'
        if key not in head:
            return 0
        return int(float(head.split(key, 1)[1].split('"', 1)[0]))

    @property
    def width(self) -> int:
        """The width attribute, in pixels."""
        return self._size("width")

    @property
    def height(self) -> int:
        """The height attribute, in pixels."""
        return self._size("height")

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<SVG {self.kind} {self.width}x{self.height}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SVG) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def _repr_svg_(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<div class="netedu-diagram">{self.text}</div>'


@dataclass(frozen=True)
class Arrow:
    """One message of a sequence diagram.

    ``src == dst`` makes a note on that lane instead of an arrow. ``states``
    maps lane names to the text to write beside the lane after this row (the
    lane's state). ``start`` is the row the message left at, when it crossed
    others on the way (by default it leaves in its own row). ``in_flight``
    draws a message that has not arrived yet, at the bottom of the diagram.

    >>> Arrow("a", "b", "hello", lost=True).lost
    True
    """

    src: str
    dst: str
    label: str = ""
    lost: bool = False
    states: Mapping[str, str] | None = None
    start: int | None = None
    in_flight: bool = False


def _as_arrow(i: int, event: Any) -> Arrow:
    if isinstance(event, Arrow):
        return event
    if isinstance(event, (tuple, list)) and 3 <= len(event) <= 5:
        src, dst, label = event[0], event[1], event[2]
        lost = bool(event[3]) if len(event) > 3 else False
        states = event[4] if len(event) > 4 else None
        if isinstance(src, str) and isinstance(dst, str) and isinstance(label, str):
            if states is None or isinstance(states, Mapping):
                return Arrow(src, dst, label, lost, states)
    raise ValueError(
        f"event {i} {event!r} should be (src, dst, label) or (src, dst, label, lost) "
        "or (src, dst, label, lost, states)"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12, fill: str = INK,
          weight: str = "normal", cls: str = "", halo: bool = False) -> str:
    extra = f' class="{cls}"' if cls else ""
    if halo:
        extra += ' stroke="#ffffff" stroke-width="4" paint-order="stroke" stroke-linejoin="round"'
    if weight != "normal":
        extra += f' font-weight="{weight}"'
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}"{extra}>{escape(text)}</text>')


def _label(x: float, y: float, text: str, *, size: int = 12, fill: str = INK, cls: str = "",
           anchor: str = "middle") -> str:
    """Text on a white box, so that lines behind it do not cross the letters."""
    w = len(text) * CHAR_W * size / 12 + 6
    h = size + 4
    left = {"middle": x - w / 2, "start": x - 3, "end": x - w + 3}[anchor]
    return (f'<rect x="{left:.1f}" y="{y - size + 1:.1f}" width="{w:.1f}" height="{h}" fill="#ffffff" '
            f'fill-opacity="0.9"/>' + _text(x, y, text, anchor=anchor, size=size, fill=fill, cls=cls))


def _arrow_head(x1: float, y1: float, x2: float, y2: float, colour: str, size: float = 9.0) -> str:
    """A filled triangle at (x2, y2) pointing along the line from (x1, y1)."""
    angle = math.atan2(y2 - y1, x2 - x1)
    left = (x2 - size * math.cos(angle - 0.4), y2 - size * math.sin(angle - 0.4))
    right = (x2 - size * math.cos(angle + 0.4), y2 - size * math.sin(angle + 0.4))
    return (f'<polygon points="{x2:.1f},{y2:.1f} {left[0]:.1f},{left[1]:.1f} {right[0]:.1f},{right[1]:.1f}" '
            f'fill="{colour}"/>')


def _cross(x: float, y: float, colour: str = LOST, r: float = 7.0) -> str:
    return (f'<g class="netedu-lost-mark" stroke="{colour}" stroke-width="3">'
            f'<line x1="{x - r:.1f}" y1="{y - r:.1f}" x2="{x + r:.1f}" y2="{y + r:.1f}"/>'
            f'<line x1="{x - r:.1f}" y1="{y + r:.1f}" x2="{x + r:.1f}" y2="{y - r:.1f}"/></g>')


def _svg_open(width: int, height: int, label: str, cls: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(label)} '
            f'style="max-width:100%;height:auto;background:#ffffff" font-family="{FONT}">')


# Sequence diagram geometry (pixels)
_MARGIN = 120  # room for the state written beside the outer lanes
_ROW_H = 52
_HEAD_H = 28


def sequence_diagram(
    events: Iterable[Arrow | Sequence[Any]],
    lanes: Sequence[str] | None = None,
    *,
    initial_states: Mapping[str, str] | None = None,
    title: str | None = None,
    lane_gap: int | None = None,
) -> SVG:
    """Draw messages between lanes, one row each, top to bottom.

    ``events`` are :class:`Arrow` objects or tuples ``(src, dst, label, lost)``
    (optionally with a 5th item, the states after the row). ``lanes`` gives the
    order of the lanes (by default, the order in which they first appear). A
    lost message ends half-way with a red cross.

    >>> svg = sequence_diagram([("A", "B", "hello", False, {"B": "GOT IT"})],
    ...                        initial_states={"A": "READY", "B": "WAITING"})
    >>> all(s in svg.text for s in ("hello", "GOT IT", "READY", "WAITING"))
    True
    >>> sequence_diagram([("A", "B", "x", False)], lanes=["A"])
    Traceback (most recent call last):
    ...
    ValueError: event 1 uses lane 'B', which is not in lanes ['A']
    """
    arrows = [_as_arrow(i, e) for i, e in enumerate(events, 1)]
    order: list[str] = list(lanes) if lanes is not None else []
    for i, a in enumerate(arrows, 1):
        for name in (a.src, a.dst):
            if name not in order:
                if lanes is not None:
                    raise ValueError(f"event {i} uses lane {name!r}, which is not in lanes {list(lanes)!r}")
                order.append(name)
    if initial_states:
        for name in initial_states:
            if name not in order:
                order.append(name)
    if not order:
        order = ["A", "B"]
    if len(order) == 1:
        order.append(" ")
    gap = lane_gap if lane_gap is not None else (320 if len(order) == 2 else 240)
    xs = {name: _MARGIN + i * gap for i, name in enumerate(order)}
    width = 2 * _MARGIN + (len(order) - 1) * gap
    top = 34 if title else 8
    body = top + _HEAD_H + (22 if initial_states else 8)
    rows = [a for a in arrows if not a.in_flight]
    flying = [a for a in arrows if a.in_flight]
    height = body + len(rows) * _ROW_H + (_ROW_H if flying else 0) + 16

    def row_y(r: int) -> float:
        return body + r * _ROW_H

    out = [_svg_open(width, height, title or "sequence diagram", "netedu-sequence")]
    if title:
        out.append(_text(width / 2, 22, title, size=14, weight="bold"))
    for name, x in xs.items():
        w = max(70, CHAR_W * len(name) + 20)
        out.append(f'<line x1="{x}" y1="{top + _HEAD_H}" x2="{x}" y2="{height - 8}" stroke="{FAINT}" '
                   'stroke-width="1.5"/>')
        out.append(f'<rect x="{x - w / 2:.1f}" y="{top}" width="{w:.1f}" height="{_HEAD_H}" rx="5" '
                   f'fill="#eceff1" stroke="{INK}"/>')
        out.append(_text(x, top + 19, name, size=13, weight="bold"))

    def state_label(name: str, y: float, text: str) -> str:
        x = xs[name]
        left = order.index(name) == 0
        return _text(x - 8 if left else x + 8, y, text, anchor="end" if left else "start", size=11,
                     fill="#1565c0", weight="bold", cls="netedu-lane-state", halo=True)

    shown: dict[str, str] = {}
    placed: list[tuple[float, float, float, float]] = []  # label boxes drawn so far, to avoid overlaps
    if initial_states:
        for name, text in initial_states.items():
            out.append(state_label(name, top + _HEAD_H + 15, text))
            shown[name] = text
    for r, a in enumerate(rows):
        y0 = row_y(r)
        if a.src == a.dst:  # a note on one lane
            w = CHAR_W * len(a.label) + 14
            x = min(max(xs[a.src], 4 + w / 2), width - 4 - w / 2)
            out.append(f'<rect x="{x - w / 2:.1f}" y="{y0 + 6:.1f}" width="{w:.1f}" height="20" rx="4" '
                       f'fill="{NOTE_FILL}" stroke="#f9a825"/>')
            out.append(_text(x, y0 + 20, a.label, size=12, cls="netedu-note"))
        else:
            out.append(_draw_message(xs[a.src], xs[a.dst], _start_y(a, r, row_y), y0 + 34, a.label, a.lost, placed))
        for name, text in (a.states or {}).items():
            if name in xs and shown.get(name) != text:
                out.append(state_label(name, y0 + 38, text))
                shown[name] = text
    if flying:
        y_end = row_y(len(rows)) + _ROW_H - 8
        for k, a in enumerate(flying):
            x1, x2 = xs[a.src], xs[a.dst]
            y1 = _start_y(a, len(rows), row_y)
            xm = x1 + (x2 - x1) * (0.45 - 0.08 * (k % 3))
            ym = y_end - 4 * (k % 3)
            out.append(f'<g class="netedu-in-flight"><line x1="{x1}" y1="{y1:.1f}" x2="{xm:.1f}" y2="{ym:.1f}" '
                       f'stroke="{FAINT}" stroke-width="2" stroke-dasharray="2 4"/>'
                       f'{_arrow_head(x1, y1, xm, ym, FAINT)}'
                       f'{_label((x1 + xm) / 2, (y1 + ym) / 2 - 6, a.label + " (in flight)", fill="#616161")}'
                       "</g>")
    out.append("</svg>")
    return SVG("\n".join(out), "sequence diagram")


def _start_y(a: Arrow, row: int, row_y: Any) -> float:
    if a.start is None or a.start >= row:
        return row_y(row) + 12
    return row_y(a.start) + 34


def _place(x1: float, y1: float, x2: float, y2: float, text: str, fractions: Sequence[float],
           placed: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    """A point along the line for a label that overlaps no label already placed (the first that fits)."""
    w = len(text) * CHAR_W + 6
    box = (0.0, 0.0, 0.0, 0.0)
    for f in fractions:
        tx, ty = x1 + (x2 - x1) * f, y1 + (y2 - y1) * f - 6
        box = (tx - w / 2, ty - 13, tx + w / 2, ty + 5)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            break
    placed.append(box)
    return (box[0] + box[2]) / 2, box[3] - 5


def _draw_message(x1: float, x2: float, y1: float, y2: float, label: str, lost: bool,
                  placed: list[tuple[float, float, float, float]]) -> str:
    colour = LOST if lost else INK
    if lost:  # the message stops part of the way, crossed out
        xe, ye = x1 + (x2 - x1) * 0.62, y1 + (y2 - y1) * 0.62
        parts = [f'<g class="netedu-lost"><line x1="{x1}" y1="{y1:.1f}" x2="{xe:.1f}" y2="{ye:.1f}" '
                 f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/>', _cross(xe, ye)]
        text = label + " (lost)"
        tx, ty = _place(x1, y1, x2, y2, text, (0.38, 0.25, 0.5, 0.15), placed)
        parts.append(_label(tx, ty, text, fill=colour, cls="netedu-message-label"))
        parts.append("</g>")
        return "".join(parts)
    tx, ty = _place(x1, y1, x2, y2, label, (0.5, 0.3, 0.7, 0.2, 0.8), placed)
    return (f'<g class="netedu-message"><line x1="{x1}" y1="{y1:.1f}" x2="{x2}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="2"/>{_arrow_head(x1, y1, x2, y2, colour)}'
            f'{_label(tx, ty, label, cls="netedu-message-label")}</g>')


def trace_diagram(
    trace: Sequence[Any],
    *,
    in_flight: Sequence[tuple[str, str, Any, int]] = (),
    names: Sequence[str] | None = None,
    title: str | None = None,
) -> SVG:
    """The sequence diagram of a TCP model run: one row per step of the trace.

    Application calls and timers are notes on their lane; a segment is an arrow
    from the step that sent it to the step it arrived (or was lost); a segment
    sent again is marked "(again)". States are written beside the lanes when
    they change. ``in_flight`` lists ``(src, dst, segment, sent_step)`` of the
    segments not yet delivered (see :meth:`Simulation.diagram`).

    >>> from netedu.protocols.tcp import handshake
    >>> svg = trace_diagram(handshake(), title="Three-way handshake")
    >>> [s in svg.text for s in ("SYN seq=100", "SYN+ACK seq=300 ack=101", "ESTABLISHED")]
    [True, True, True]
    >>> trace_diagram([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: trace item 0 is int, expected a TraceEvent
    """
    for i, ev in enumerate(trace):
        if not hasattr(ev, "states") or not hasattr(ev, "segment"):
            raise TypeError(f"trace item {i} is {type(ev).__name__}, expected a TraceEvent")
    if names is None:
        names = tuple(getattr(trace, "names", ("client", "server")))
    lane_a, lane_b = names[0], names[1]
    arrows: list[Arrow] = []
    seen: set[tuple[str, int, int, int]] = set()
    for ev in trace:
        states = {lane_a: ev.states[0].label, lane_b: ev.states[1].label}
        if ev.segment is None:
            arrows.append(Arrow(ev.src, ev.src, ev.note, states=states))
            continue
        seg = ev.segment
        key = (seg.src, int(seg.flags), seg.seq, seg.length)
        label = str(seg) + (" (again)" if key in seen else "")
        seen.add(key)
        if ev.note == "rejected":
            label += " (rejected)"
        arrows.append(Arrow(ev.src, ev.dst, label, ev.lost, states, ev.sent_step))
    for src, dst, seg, sent_step in in_flight:
        arrows.append(Arrow(src, dst, str(seg), start=sent_step, in_flight=True))
    return sequence_diagram(arrows, [lane_a, lane_b], initial_states={lane_a: "CLOSED", lane_b: "CLOSED"},
                            title=title)


# State diagram: the places of RFC 793 figure 6, as (column, row) of a 3 x 7 grid.
STATE_POSITIONS: dict[str, tuple[int, int]] = {
    "CLOSED": (1, 0),
    "LISTEN": (1, 1),
    "SYN-RECEIVED": (0, 2),
    "SYN-SENT": (2, 2),
    "ESTABLISHED": (1, 3),
    "FIN-WAIT-1": (0, 4),
    "CLOSE-WAIT": (2, 4),
    "FIN-WAIT-2": (0, 5),
    "CLOSING": (1, 5),
    "LAST-ACK": (2, 5),
    "TIME-WAIT": (1, 6),
}
_CLOSED_AGAIN = (2, 6)  # figure 6 draws CLOSED a second time, bottom right
_COL_X = (130, 440, 750)
_ROW_Y0, _ROW_DY = 40, 96
_BOX_W, _BOX_H = 128, 36


def _centre(pos: tuple[int, int]) -> tuple[float, float]:
    return float(_COL_X[pos[0]]), float(_ROW_Y0 + pos[1] * _ROW_DY + _BOX_H / 2)


def _edge_point(cx: float, cy: float, dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from the centre of a box along (dx, dy) leaves the box."""
    tx = (_BOX_W / 2) / abs(dx) if dx else math.inf
    ty = (_BOX_H / 2) / abs(dy) if dy else math.inf
    t = min(tx, ty)
    return cx + dx * t, cy + dy * t


# Where to put some labels: (fraction of the way from the source, offset along the arrow's normal).
_LABEL_AT: dict[tuple[str, str], tuple[float, float]] = {
    ("CLOSED", "active OPEN"): (0.6, 10.0),
    ("SYN-RECEIVED", "rcv ACK of SYN"): (0.42, 0.0),
    ("SYN-SENT", "rcv SYN,ACK"): (0.42, 0.0),
}


def state_diagram(
    transitions: Mapping[tuple[Any, Any], tuple[Any, str]] | None = None,
    *,
    only: Iterable[tuple[Any, Any]] | None = None,
    highlight: Iterable[Any] | Any = (),
    title: str | None = "TCP connection states (RFC 793 figure 6)",
) -> SVG:
    """Draw a state machine from its transition table, states placed as in RFC 793 figure 6.

    ``transitions`` maps ``(state, event) -> (next_state, action)`` (by default
    :data:`netedu.protocols.tcp.TRANSITIONS`); states and events may be enums
    with a ``label`` or plain strings. Arrows are labelled "event / action";
    rows that stay in the same state are left out. Rows not in ``only`` (by
    default :data:`~netedu.protocols.tcp.FIGURE_6`) are drawn dashed.
    ``highlight`` colours some states (e.g. the current ones).

    >>> svg = state_diagram(highlight="TIME-WAIT")
    >>> svg
    <SVG state diagram 880x702>
    >>> "rcv ACK of FIN / x" in svg.text and "CLOSE / snd FIN" in svg.text
    True
    >>> state_diagram({("CLOSED", "go"): ("NOWHERE", "x")})
    Traceback (most recent call last):
    ...
    ValueError: state 'NOWHERE' has no place in the RFC 793 layout (expected one of CLOSED, LISTEN, SYN-RECEIVED, SYN-SENT, ESTABLISHED, FIN-WAIT-1, CLOSE-WAIT, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT)
    """
    if transitions is None or only is None:
        from netedu.protocols import tcp

        transitions = tcp.TRANSITIONS if transitions is None else transitions
        only = tcp.FIGURE_6 if only is None else only
    solid = set(only)

    def name(x: Any) -> str:
        return str(getattr(x, "label", x))

    highlighted = {name(highlight)} if isinstance(highlight, str) or hasattr(highlight, "label") else {
        name(h) for h in highlight}
    edges: list[tuple[str, str, str, bool]] = []
    for (state, event), (nxt, action) in transitions.items():
        a, b = name(state), name(nxt)
        for s in (a, b):
            if s not in STATE_POSITIONS:
                raise ValueError(f"state {s!r} has no place in the RFC 793 layout (expected one of "
                                 f"{', '.join(STATE_POSITIONS)})")
        if a != b:
            edges.append((a, b, f"{name(event)} / {action}", (state, event) in solid))
    width = _COL_X[2] + _COL_X[0]
    top = 30 if title else 0
    height = top + _ROW_Y0 + 6 * _ROW_DY + _BOX_H + 20
    out = [_svg_open(width, height, title or "state diagram", "netedu-state-diagram")]
    if title:
        out.append(_text(width / 2, 22, title, size=14, weight="bold"))
    out.append(f'<g transform="translate(0,{top})">')
    # arrows first, boxes on top
    pairs = {(a, b) for a, b, _, _ in edges}
    labels = []
    for a, b, text, is_solid in edges:
        pa = STATE_POSITIONS[a]
        pb = _CLOSED_AGAIN if b == "CLOSED" and pa[1] >= 5 else STATE_POSITIONS[b]
        (x1, y1), (x2, y2) = _centre(pa), _centre(pb)
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        nx, ny = -dy / length, dx / length  # normal, to separate arrows both ways between two states
        shift = 7.0 if (b, a) in pairs else 0.0
        sx, sy = _edge_point(x1, y1, dx, dy)
        ex, ey = _edge_point(x2, y2, -dx, -dy)
        sx, sy, ex, ey = sx + nx * shift, sy + ny * shift, ex + nx * shift, ey + ny * shift
        dash = "" if is_solid else ' stroke-dasharray="6 4"'
        colour = INK if is_solid else "#6d4c41"
        out.append(f'<g class="netedu-transition"><line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                   f'stroke="{colour}" stroke-width="1.6"{dash}/>{_arrow_head(sx, sy, ex, ey, colour)}</g>')
        at, off = _LABEL_AT.get((a, text.split(" / ")[0]), (0.5, 10.0 if shift else 0.0))
        lx, ly = sx + (ex - sx) * at, sy + (ey - sy) * at
        anchor = "middle"
        if off and abs(nx) > 0.5:  # two arrows side by side: labels out to each side
            anchor = "start" if nx * off > 0 else "end"
        labels.append(_label(lx + nx * off, ly + ny * off + 4, text, size=11, fill=colour, anchor=anchor,
                             cls="netedu-transition-label"))
    out.extend(labels)
    boxes = [(s, STATE_POSITIONS[s]) for s in STATE_POSITIONS] + [("CLOSED", _CLOSED_AGAIN)]
    for s, pos in boxes:
        cx, cy = _centre(pos)
        fill = HIGHLIGHT if s in highlighted else STATE_FILL
        out.append(f'<g class="netedu-state"><rect x="{cx - _BOX_W / 2:.1f}" y="{cy - _BOX_H / 2:.1f}" '
                   f'width="{_BOX_W}" height="{_BOX_H}" rx="8" fill="{fill}" stroke="{INK}" stroke-width="1.5"/>'
                   f'{_text(cx, cy + 5, s, size=13, weight="bold")}</g>')
    out.append("</g>")
    out.append(_text(width - 10, height - 8, "dashed: not an arrow of figure 6 (RFC 793 sec. 3.9)", anchor="end",
                     size=10, fill="#6d4c41"))
    out.append("</svg>")
    return SVG("\n".join(out), "state diagram")
