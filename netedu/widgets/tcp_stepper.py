"""The TCP stepper: play both ends of a connection one step at a time and watch the states.

A thin view over :class:`netedu.protocols.tcp.Simulation`: each side has the
buttons of what its application can do (listen, connect, send, close), each
enabled only when the transition table allows it in the side's current state;
each direction has its segments in flight and buttons to deliver or drop the
next one; "wait for timer" lets time pass to the next retransmission or the end
of TIME-WAIT, "wait 2MSL" lets 2*MSL pass. Below, the sequence diagram of the
run so far. Stable CSS classes: ``netedu-tcp-state-a``, ``netedu-tcp-state-b``,
``netedu-tcp-diagram``.

>>> w = TcpStepper()
>>> w.buttons["server listen"].click(); w.buttons["client connect"].click()
>>> w.states()
('SYN-SENT', 'LISTEN')
>>> w.buttons["client listen"].disabled, w.buttons["server close"].disabled
(True, False)
>>> w.buttons["client deliver"].click(); w.buttons["server deliver"].click()
>>> w.buttons["client deliver"].click(); w.states()
('ESTABLISHED', 'ESTABLISHED')
>>> "SYN+ACK seq=300 ack=101" in w.diagram.value
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets

from netedu.errors import ProtocolError
from netedu.protocols.tcp import DEFAULT_MSL, DEFAULT_RTO, Endpoint, Event, Simulation, State
from netedu.viz.diagrams import state_diagram

__all__ = ["TcpStepper", "in_flight_html", "state_html", "APP_BUTTONS"]

#: The application buttons of each side, and the model event each one triggers.
APP_BUTTONS: dict[str, Event] = {
    "listen": Event.LISTEN,
    "connect": Event.CONNECT,
    "send": Event.SEND,
    "close": Event.CLOSE,
}

_STATE_COLOURS = {
    State.CLOSED: "#eeeeee",
    State.ESTABLISHED: "#c8e6c9",
    State.TIME_WAIT: "#ffe0b2",
}


def state_html(name: str, state: State, css_class: str) -> str:
    """The box that shows one endpoint's state.

    >>> state_html("client", State.SYN_SENT, "netedu-tcp-state-a")
    '<div class="netedu-tcp-state-a" style="font-family:monospace;font-size:16px;padding:4px 8px;background:#e3f2fd;border-radius:6px"><b>client</b>: SYN-SENT</div>'
    """
    colour = _STATE_COLOURS.get(state, "#e3f2fd")
    return (f'<div class="{css_class}" style="font-family:monospace;font-size:16px;padding:4px 8px;'
            f'background:{colour};border-radius:6px"><b>{html.escape(name)}</b>: {state.label}</div>')


def in_flight_html(sim: Simulation, src: str) -> str:
    """The segments in flight from ``src``, oldest (the next to arrive) first.

    >>> sim = Simulation(); sim.connect("client")
    >>> in_flight_html(sim, "client")
    '<div class="netedu-tcp-in-flight" style="font-family:monospace">client → server: <b>SYN seq=100</b></div>'
    >>> in_flight_html(sim, "server")
    '<div class="netedu-tcp-in-flight" style="font-family:monospace">server → client: <i>nothing in flight</i></div>'
    """
    segments = sim.in_flight(src)
    head = f"{html.escape(src)} → {html.escape(sim.other(src))}: "
    if not segments:
        body = "<i>nothing in flight</i>"
    else:
        body = ", ".join((f"<b>{html.escape(str(s))}</b>" if i == 0 else html.escape(str(s)))
                         for i, s in enumerate(segments))
    return f'<div class="netedu-tcp-in-flight" style="font-family:monospace">{head}{body}</div>'


class TcpStepper(ipywidgets.VBox):
    """Step a TCP connection between a client and a server by hand.

    ``buttons`` maps names such as ``"client connect"``, ``"server deliver"``,
    ``"client drop"``, ``"wait for timer"``, ``"wait 2MSL"`` and ``"reset"``
    to the Button widgets; ``nbytes`` is how many bytes "send" sends.
    ``state_a``/``state_b``, ``flight_a``/``flight_b``, ``status`` and
    ``diagram`` are the HTML outputs; ``sim`` is the model behind them.

    >>> w = TcpStepper(client_isn=1000)
    >>> w.buttons["client connect"].click()
    >>> w.buttons["client drop"].click(); w.buttons["wait for timer"].click()
    >>> w.sim.in_flight("client")[0].seq, w.sim.now
    (1000, 1.0)
    >>> w.buttons["reset"].click(); w.states(), len(w.sim.trace)
    (('CLOSED', 'CLOSED'), 0)
    """

    def __init__(
        self,
        *,
        client_isn: int = 100,
        server_isn: int = 300,
        msl: float = DEFAULT_MSL,
        rto: float = DEFAULT_RTO,
        names: tuple[str, str] = ("client", "server"),
    ) -> None:
        self._config = dict(client_isn=client_isn, server_isn=server_isn, msl=msl, rto=rto, names=names)
        self.sim = self._new_sim()
        self.buttons: dict[str, ipywidgets.Button] = {}
        self.nbytes = ipywidgets.BoundedIntText(value=5, min=1, max=65535, description="bytes",
                                                layout=ipywidgets.Layout(width="150px"))
        self.state_a = ipywidgets.HTML()
        self.state_b = ipywidgets.HTML()
        self.state_a.add_class("netedu-tcp-state-a")
        self.state_b.add_class("netedu-tcp-state-b")
        self.flight_a = ipywidgets.HTML()
        self.flight_b = ipywidgets.HTML()
        self.status = ipywidgets.HTML()
        self.status.add_class("netedu-tcp-status")
        self.diagram = ipywidgets.HTML()
        self.diagram.add_class("netedu-tcp-diagram")
        self.states_picture = ipywidgets.HTML()
        columns = []
        for side, (state_box, flight_box) in zip(names, ((self.state_a, self.flight_a), (self.state_b, self.flight_b))):
            app = [self._button(f"{side} {verb}", verb, self._app_handler(side, verb)) for verb in APP_BUTTONS]
            link = [
                self._button(f"{side} deliver", "deliver next", self._link_handler(side, drop=False), "success"),
                self._button(f"{side} drop", "drop next", self._link_handler(side, drop=True), "danger"),
            ]
            columns.append(ipywidgets.VBox([state_box, ipywidgets.HBox(app), flight_box, ipywidgets.HBox(link)],
                                           layout=ipywidgets.Layout(width="50%", padding="4px")))
        controls = ipywidgets.HBox([
            self.nbytes,
            self._button("wait for timer", "wait for timer", self._on_wait_timer),
            self._button("wait 2MSL", f"wait 2MSL ({2 * msl:g} s)", self._on_wait_2msl),
            self._button("reset", "reset", self._on_reset, "warning"),
        ])
        more = ipywidgets.Accordion(children=[self.states_picture])
        more.set_title(0, "State diagram (RFC 793), current states highlighted")
        more.selected_index = None
        super().__init__([ipywidgets.HBox(columns), controls, self.status, self.diagram, more])
        self.add_class("netedu-tcp-stepper")
        self.refresh()

    def _new_sim(self) -> Simulation:
        c = self._config
        a, b = c["names"]  # type: ignore[misc]
        return Simulation(Endpoint(a, isn=c["client_isn"], msl=c["msl"], rto=c["rto"]),  # type: ignore[arg-type]
                          Endpoint(b, isn=c["server_isn"], msl=c["msl"], rto=c["rto"]))  # type: ignore[arg-type]

    def _button(self, key: str, text: str, handler: Any, style: str = "") -> ipywidgets.Button:
        button = ipywidgets.Button(description=text, button_style=style,
                                   layout=ipywidgets.Layout(width="auto"), tooltip=key)
        button.on_click(lambda _b: self._run(handler))
        self.buttons[key] = button
        return button

    def _app_handler(self, side: str, verb: str) -> Any:
        def handler() -> None:
            if verb == "send":
                self.sim.send(side, int(self.nbytes.value))
            else:
                getattr(self.sim, verb)(side)
        return handler

    def _link_handler(self, side: str, *, drop: bool) -> Any:
        def handler() -> None:
            (self.sim.drop_next if drop else self.sim.deliver_next)(side)
        return handler

    def _on_wait_timer(self) -> None:
        due = self.sim.next_timeout()
        if due is not None:
            self.sim.wait(max(0.0, due - self.sim.now))

    def _on_wait_2msl(self) -> None:
        self.sim.wait_2msl()

    def _on_reset(self) -> None:
        self.sim = self._new_sim()

    def _run(self, handler: Any) -> None:
        message = ""
        try:
            handler()
        except (ProtocolError, ValueError) as exc:
            message = f"{type(exc).__name__}: {exc}"
        self.refresh(message)

    def states(self) -> tuple[str, str]:
        """Both states as text (client first)."""
        return (self.sim.a.state.label, self.sim.b.state.label)

    def refresh(self, message: str = "") -> None:
        """Redraw every output and enable exactly the buttons that are legal now."""
        sim = self.sim
        a, b = sim.names
        self.state_a.value = state_html(a, sim.a.state, "netedu-tcp-state-a")
        self.state_b.value = state_html(b, sim.b.state, "netedu-tcp-state-b")
        self.flight_a.value = in_flight_html(sim, a)
        self.flight_b.value = in_flight_html(sim, b)
        for side in (a, b):
            ep = sim.endpoint(side)
            for verb, event in APP_BUTTONS.items():
                self.buttons[f"{side} {verb}"].disabled = not ep.can(event)
            empty = not sim.in_flight(side)
            self.buttons[f"{side} deliver"].disabled = empty
            self.buttons[f"{side} drop"].disabled = empty
        self.buttons["wait for timer"].disabled = sim.next_timeout() is None
        timers = [f"{ep.name}: {t:g} s" for ep in (sim.a, sim.b) if (t := ep.next_timeout()) is not None]
        info = f"t = {sim.now:g} s" + (f"; next timer at {', '.join(timers)}" if timers else "; no timer running")
        if message:
            self.status.value = (f'<div class="netedu-error" style="color:#b00020;font-family:monospace">'
                                 f"{html.escape(message)}</div><div style=\"font-family:monospace\">{info}</div>")
        else:
            self.status.value = f'<div style="font-family:monospace">{info}</div>'
        svg = sim.diagram()
        self.diagram.value = f'<div class="netedu-tcp-diagram">{svg.text}</div>'
        self.states_picture.value = state_diagram(highlight=[sim.a.state, sim.b.state], title=None).text
