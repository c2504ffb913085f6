"""Subnet widgets: a calculator, a subnetting trainer and a VLSM planner.

Each widget is a thin view over pure functions that return HTML text and
can be tested without a browser: :func:`calculator_view` (behind
:class:`SubnetCalculator`), :func:`netedu.addr.questions` and :func:`feedback_html`
(behind :class:`SubnettingTrainer`), :func:`parse_lans` and :func:`vlsm_view`
(behind :class:`VlsmPlanner`). A bad input is never an exception for the
learner: the error is shown in place.

Stable CSS classes, for browser tests and styling:

* calculator: ``netedu-subnet-calculator`` (the whole widget),
  ``netedu-subnet-address`` / ``netedu-subnet-prefix`` / ``netedu-subnet-mask``
  (the inputs), ``netedu-subnet-table`` (an HTML ``<table>`` whose rows are a
  ``<th>`` label such as ``Netmask`` or ``Broadcast`` followed by its ``<td>``
  value), ``netedu-binary`` (the coloured binary view: spans
  ``netedu-net-bits`` and ``netedu-host-bits``), ``netedu-subnet-error``
  (empty unless the input is bad);
* trainer: ``netedu-trainer``, ``netedu-trainer-question``,
  ``netedu-trainer-answer`` (the text box), ``netedu-trainer-check`` and
  ``netedu-trainer-next`` (buttons), ``netedu-trainer-feedback`` (starts with
  ``Correct`` or ``Not quite``), ``netedu-trainer-score`` (``Score: R / N``);
* VLSM planner: ``netedu-vlsm``, ``netedu-vlsm-network``, ``netedu-vlsm-lans``,
  ``netedu-vlsm-table``, ``netedu-vlsm-error``.

>>> calc = SubnetCalculator(address="192.168.1.130", prefix=26)
>>> calc.prefix.value = 25
>>> calc.mask.value, "192.168.1.255" in calc.table.value
('255.255.255.128', True)
>>> calc.address.value = "10.0.300.1"
>>> "Octet 300 (&gt; 255) not permitted in '10.0.300.1'" in calc.error.value, calc.table.value
(True, '')
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import ipywidgets

from netedu.addr import (
    Question,
    SubnetInfo,
    VlsmPlan,
    binary_parts,
    make_question,
    parse_prefix,
    prefix_to_mask,
    questions,
    subnet_info,
    vlsm_plan,
)
from netedu.errors import AddressError

__all__ = [
    "NET_COLOUR",
    "HOST_COLOUR",
    "CalculatorView",
    "calculator_view",
    "subnet_table_html",
    "binary_html",
    "feedback_html",
    "parse_lans",
    "vlsm_view",
    "SubnetCalculator",
    "SubnettingTrainer",
    "VlsmPlanner",
    "make_question",
    "questions",
]

NET_COLOUR = "#bbdefb"  # network bits: pale blue
HOST_COLOUR = "#ffe0b2"  # host bits: pale orange
_ERROR_STYLE = "color:#b00020;font-family:monospace"


def _error_html(message: str) -> str:
    return f'<span style="{_ERROR_STYLE}">{html.escape(message, quote=False)}</span>' if message else ""


def subnet_table_html(info: SubnetInfo) -> str:
    """The subnet information as an HTML table, one ``<th>label</th><td>value</td>`` row per field.

    >>> "<th>Broadcast</th><td>192.168.1.191</td>" in subnet_table_html(subnet_info("192.168.1.130/26"))
    True
    >>> subnet_table_html("192.168.1.130/26")
    Traceback (most recent call last):
    ...
    TypeError: expected a SubnetInfo (from netedu.addr.subnet_info), got str
    """
    if not isinstance(info, SubnetInfo):
        raise TypeError(f"expected a SubnetInfo (from netedu.addr.subnet_info), got {type(info).__name__}")
    rows = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>" for label, value in info.rows()
    )
    return f'<table class="netedu-subnet" style="font-family:monospace;text-align:left">{rows}</table>'


def _bits_html(value: str, prefix: int) -> str:
    network, host = binary_parts(value, prefix)
    sep = "|" if network and host else ""
    return (
        f'<span class="netedu-net-bits" style="background:{NET_COLOUR}">{network}</span>{sep}'
        f'<span class="netedu-host-bits" style="background:{HOST_COLOUR}">{host}</span>'
    )


def binary_html(info: SubnetInfo) -> str:
    """The address, mask, network and broadcast in binary, network and host bits coloured apart.

    >>> out = binary_html(subnet_info("192.168.1.130/26"))
    >>> '<span class="netedu-net-bits" style="background:#bbdefb">11000000.10101000.00000001.10</span>' in out
    True
    >>> binary_html(None)
    Traceback (most recent call last):
    ...
    TypeError: expected a SubnetInfo (from netedu.addr.subnet_info), got NoneType
    """
    if not isinstance(info, SubnetInfo):
        raise TypeError(f"expected a SubnetInfo (from netedu.addr.subnet_info), got {type(info).__name__}")
    lines = [("Address", info.address), ("Netmask", info.netmask), ("Network", info.network)]
    if info.broadcast is not None:
        lines.append(("Broadcast", info.broadcast))
    body = "\n".join(
        f"{label:<10} {_bits_html(value, info.prefix)}  {html.escape(value)}" for label, value in lines
    )
    legend = (
        f'<span style="background:{NET_COLOUR}">network bits ({info.prefix})</span> '
        f'<span style="background:{HOST_COLOUR}">host bits ({32 - info.prefix})</span>'
    )
    return f'<pre style="line-height:1.4">{body}\n{legend}</pre>'


@dataclass(frozen=True, kw_only=True)
class CalculatorView:
    """What the calculator shows: the table and binary view, or an error (and empty views).

    >>> calculator_view("10.0.0.1", 8).error
    ''
    >>> CalculatorView(info=None, table_html="", binary_html="", error="")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A calculator view has either a SubnetInfo or an error
    """

    info: SubnetInfo | None
    table_html: str
    binary_html: str
    error: str

    def __post_init__(self) -> None:
        if (self.info is None) == (not self.error):
            raise AddressError("A calculator view has either a SubnetInfo or an error") from None


def calculator_view(address: str, prefix: int | str) -> CalculatorView:
    """The pure function behind :class:`SubnetCalculator`: text in, HTML out, errors as text.

    >>> v = calculator_view("192.168.1.130", "255.255.255.192")
    >>> v.info.broadcast, "Netmask" in v.table_html
    ('192.168.1.191', True)
    >>> calculator_view("192.168.1", 24).error
    "Expected 4 octets in '192.168.1', got 3"
    """
    try:
        info = subnet_info(address, prefix)
    except AddressError as exc:
        return CalculatorView(info=None, table_html="", binary_html="", error=str(exc))
    return CalculatorView(info=info, table_html=subnet_table_html(info), binary_html=binary_html(info), error="")


class SubnetCalculator(ipywidgets.VBox):
    """Address box, prefix slider and mask box (kept in sync), a live table and the binary view.

    >>> c = SubnetCalculator()
    >>> c.mask.value = "255.255.0.0"
    >>> c.prefix.value, c.info.network
    (16, '192.168.0.0')
    >>> c.mask.value = "255.0.255.0"
    >>> "Mask 255.0.255.0 not contiguous" in c.error.value, c.table.value
    (True, '')
    """

    def __init__(self, address: str = "192.168.1.130", prefix: int = 26) -> None:
        p = parse_prefix(prefix)
        self.info: SubnetInfo | None = None
        self._syncing = False
        self.address = ipywidgets.Text(value=address, description="Address").add_class("netedu-subnet-address")
        self.prefix = ipywidgets.IntSlider(
            value=p, min=0, max=32, step=1, description="Prefix /", continuous_update=True
        ).add_class("netedu-subnet-prefix")
        self.mask = ipywidgets.Text(value=str(prefix_to_mask(p)), description="Mask").add_class("netedu-subnet-mask")
        self.error = ipywidgets.HTML(value="").add_class("netedu-subnet-error")
        self.table = ipywidgets.HTML(value="").add_class("netedu-subnet-table")
        self.binary = ipywidgets.HTML(value="").add_class("netedu-binary")
        self.address.observe(self._on_address, names="value")
        self.prefix.observe(self._on_prefix, names="value")
        self.mask.observe(self._on_mask, names="value")
        super().__init__(
            children=[
                ipywidgets.HBox([self.address, self.mask]),
                self.prefix,
                self.error,
                self.table,
                self.binary,
            ]
        )
        self.add_class("netedu-subnet-calculator")
        self.refresh()

    def _show_error(self, message: str) -> None:
        self.info = None
        self.error.value = _error_html(message)
        self.table.value = ""
        self.binary.value = ""

    def refresh(self) -> None:
        """Recompute the table and binary view from the address box and the slider.

        >>> c = SubnetCalculator(address="10.1.2.3", prefix=8); c.info.network
        '10.0.0.0'
        """
        view = calculator_view(self.address.value, self.prefix.value)
        if view.error:
            self._show_error(view.error)
            return
        self.info = view.info
        self.error.value = ""
        self.table.value = view.table_html
        self.binary.value = view.binary_html

    def _on_address(self, change: dict[str, object]) -> None:
        self.refresh()

    def _on_prefix(self, change: dict[str, object]) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.mask.value = str(prefix_to_mask(int(self.prefix.value)))
        finally:
            self._syncing = False
        self.refresh()

    def _on_mask(self, change: dict[str, object]) -> None:
        if self._syncing:
            return
        try:
            p = parse_prefix(str(self.mask.value))
        except AddressError as exc:
            self._show_error(str(exc))
            return
        self._syncing = True
        try:
            self.prefix.value = p
        finally:
            self._syncing = False
        self.refresh()


def feedback_html(question: Question, given: str) -> tuple[bool, str]:
    """Judge ``given`` and return (right?, feedback HTML with the worked answer in binary).

    The feedback starts with ``Correct`` or ``Not quite``.

    >>> from netedu.addr import Question
    >>> q = Question(kind="class", prompt="Class of 10.0.0.1?", answer="A", explanation="00001010: 0 -> A")
    >>> feedback_html(q, "a")
    (True, '<b>Correct.</b> The answer is A.<pre>00001010: 0 -&gt; A</pre>')
    >>> feedback_html(q, "B")[1].startswith("<b>Not quite.</b> You wrote 'B'; the answer is A.")
    True
    """
    ok = question.check(given)
    worked = f"<pre>{html.escape(question.explanation, quote=False)}</pre>"
    answer = html.escape(question.answer, quote=False)
    if ok:
        return True, f"<b>Correct.</b> The answer is {answer}.{worked}"
    return False, f"<b>Not quite.</b> You wrote {html.escape(repr(given.strip()), quote=False)}; the answer is {answer}.{worked}"


class SubnettingTrainer(ipywidgets.VBox):
    """Practice questions from a seed, an answer box, Check and Next buttons, feedback and a score.

    Each question counts once in the score, at its first Check; checking
    again shows the feedback but does not change the score.

    >>> t = SubnettingTrainer(seed=0)
    >>> t.answer.value = t.current.answer
    >>> t.check_button.click()
    >>> t.feedback.value.startswith("<b>Correct."), t.score.value
    (True, 'Score: 1 / 1')
    >>> t.next_button.click(); t.answer.value = "not an answer"; t.check_button.click()
    >>> t.feedback.value.startswith("<b>Not quite."), t.score.value
    (True, 'Score: 1 / 2')
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._series = questions(seed)
        self.current: Question = next(self._series)
        self.number = 1
        self.correct = 0
        self.answered = 0
        self._counted = False
        self.question = ipywidgets.HTML(value="").add_class("netedu-trainer-question")
        self.answer = ipywidgets.Text(value="", placeholder="your answer", description="Answer").add_class(
            "netedu-trainer-answer"
        )
        self.check_button = ipywidgets.Button(description="Check", button_style="primary").add_class(
            "netedu-trainer-check"
        )
        self.next_button = ipywidgets.Button(description="Next question").add_class("netedu-trainer-next")
        self.feedback = ipywidgets.HTML(value="").add_class("netedu-trainer-feedback")
        self.score = ipywidgets.HTML(value="").add_class("netedu-trainer-score")
        self.check_button.on_click(lambda _button: self.check())
        self.next_button.on_click(lambda _button: self.next_question())
        super().__init__(
            children=[
                self.question,
                ipywidgets.HBox([self.answer, self.check_button, self.next_button]),
                self.feedback,
                self.score,
            ]
        )
        self.add_class("netedu-trainer")
        self._show_question()

    def _show_question(self) -> None:
        self.question.value = f"<b>Question {self.number}.</b> {html.escape(self.current.prompt, quote=False)}"
        self.score.value = f"Score: {self.correct} / {self.answered}"

    def check(self) -> bool:
        """Judge the answer box, show the feedback, update the score; return whether it was right.

        >>> t = SubnettingTrainer(seed=3); t.answer.value = ""; t.check()
        False
        >>> t.feedback.value, t.score.value
        ('Type an answer first.', 'Score: 0 / 0')
        """
        given = str(self.answer.value)
        if not given.strip():
            self.feedback.value = "Type an answer first."
            return False
        ok, text = feedback_html(self.current, given)
        self.feedback.value = text
        if not self._counted:
            self._counted = True
            self.answered += 1
            self.correct += int(ok)
        self.score.value = f"Score: {self.correct} / {self.answered}"
        return ok

    def next_question(self) -> None:
        """Move to the next question of the series and clear the answer and feedback.

        >>> t = SubnettingTrainer(seed=5); first = t.current; t.next_question()
        >>> t.number, t.current != first
        (2, True)
        """
        self.current = next(self._series)
        self.number += 1
        self._counted = False
        self.answer.value = ""
        self.feedback.value = ""
        self._show_question()


_LAN_LINE = re.compile(r"^\s*(?:(?P<name>[^:=]*?)\s*[:=]\s*|(?P<name2>\S*[^\d\s]\S*)\s+)?(?P<hosts>\d+)\s*$")


def parse_lans(text: str) -> dict[str, int]:
    """Read LANs and their host counts: ``name: hosts`` per line, or just numbers.

    Numbers may also be separated by commas; unnamed LANs are called
    ``LAN1``, ``LAN2``... by their position.

    >>> parse_lans("Sales: 50\\nLab 20\\n2")
    {'Sales': 50, 'Lab': 20, 'LAN3': 2}
    >>> parse_lans("50, 20, 2")
    {'LAN1': 50, 'LAN2': 20, 'LAN3': 2}
    >>> parse_lans("Sales: fifty")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Line 1 'Sales: fifty': expected 'name: hosts' (e.g. 'Sales: 50') or a number of hosts
    """
    items = [part for line in text.splitlines() for part in (line.split(",") if ":" not in line and "=" not in line else [line])]
    lans: dict[str, int] = {}
    line_no = 0
    for raw in items:
        line_no += 1
        if not raw.strip():
            continue
        m = _LAN_LINE.match(raw)
        if not m:
            raise AddressError(
                f"Line {line_no} {raw.strip()!r}: expected 'name: hosts' (e.g. 'Sales: 50') or a number of hosts"
            ) from None
        name = (m.group("name") or m.group("name2") or f"LAN{len(lans) + 1}").strip() or f"LAN{len(lans) + 1}"
        if name in lans:
            raise AddressError(f"Line {line_no} {raw.strip()!r}: the name {name!r} is used twice") from None
        lans[name] = int(m.group("hosts"))
    if not lans:
        raise AddressError("No LANs given: write one 'name: hosts' per line, e.g. 'Sales: 50'") from None
    return lans


def vlsm_view(network: str, lans_text: str) -> tuple[VlsmPlan | None, str, str]:
    """The pure function behind :class:`VlsmPlanner`: (plan or None, table HTML, error text).

    >>> plan, table, error = vlsm_view("192.168.1.0/24", "Sales: 50\\nLab: 20")
    >>> str(plan.rows[0].subnet), "<td>192.168.1.64/27</td>" in table, error
    ('192.168.1.0/26', True, '')
    >>> vlsm_view("192.168.1.0/30", "10")[2]
    'Does not fit: 192.168.1.0/30 has 4 addresses, the LANs need 16 (LAN1 10 hosts -> /28)'
    """
    try:
        plan = vlsm_plan(network, parse_lans(lans_text))
    except AddressError as exc:
        return None, "", str(exc)
    head = "".join(f"<th>{h}</th>" for h in ("Name", "Hosts", "Subnet", "Mask", "Usable", "Waste"))
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v))}</td>"
            for v in (r.name, r.hosts, r.subnet, r.subnet.netmask, r.usable, r.waste)
        )
        + "</tr>"
        for r in plan.rows
    )
    free = ", ".join(str(n) for n in plan.free) or "none"
    table = (
        f'<table class="netedu-vlsm" style="font-family:monospace"><tr>{head}</tr>{rows}</table>'
        f"<p>Total waste: {plan.total_waste} addresses. Free: {html.escape(free)}</p>"
    )
    return plan, table, ""


class VlsmPlanner(ipywidgets.VBox):
    """A network box and a list of LANs in, the VLSM plan (largest first, with waste) out.

    >>> v = VlsmPlanner(network="10.0.0.0/24", lans="A: 100\\nB: 50")
    >>> str(v.plan.rows[1].subnet)
    '10.0.0.128/26'
    >>> v.lans.value = "A: 300"
    >>> "Does not fit: 10.0.0.0/24 has 256 addresses, the LANs need 512 (A 300 hosts -&gt; /23)" in v.error.value
    True
    """

    def __init__(self, network: str = "192.168.1.0/24", lans: str = "Sales: 50\nLab: 20\nOffice: 10\nLink: 2") -> None:
        self.plan: VlsmPlan | None = None
        self.network = ipywidgets.Text(value=network, description="Network").add_class("netedu-vlsm-network")
        self.lans = ipywidgets.Textarea(value=lans, description="LANs", rows=6).add_class("netedu-vlsm-lans")
        self.table = ipywidgets.HTML(value="").add_class("netedu-vlsm-table")
        self.error = ipywidgets.HTML(value="").add_class("netedu-vlsm-error")
        self.network.observe(lambda _change: self.refresh(), names="value")
        self.lans.observe(lambda _change: self.refresh(), names="value")
        super().__init__(children=[self.network, self.lans, self.error, self.table])
        self.add_class("netedu-vlsm")
        self.refresh()

    def refresh(self) -> None:
        """Recompute the plan from the two boxes.

        >>> v = VlsmPlanner(); v.network.value = "192.168.1.0/33"; v.plan is None
        True
        """
        plan, table, error = vlsm_view(str(self.network.value), str(self.lans.value))
        self.plan = plan
        self.table.value = table
        self.error.value = _error_html(error)
