"""A sans-I/O teaching model of a TCP connection: states, sequence and acknowledgement numbers.

This is the state machine of RFC 793 (figure 6, "TCP Connection State Diagram",
and the event processing of sec. 3.9) cut down to what a course needs: two
endpoints exchange :class:`Segment` objects (flags, seq, ack, payload length,
no bytes), every state change comes from the one table :data:`TRANSITIONS`,
and nothing here touches a socket or a clock: time is an argument (``now``).

Left out on purpose: windows and flow control, congestion control, options,
urgent data, RST handling, sequence-number wrap-around (keep ISNs small) and
reassembly of out-of-order segments (the receiver drops them and repeats its
ACK; the sender's timer resends the oldest unacknowledged segment).

A handshake, one segment of data and the four-way close, by hand:

>>> c, s = Endpoint("client", isn=100, peer="server"), Endpoint("server", isn=300)
>>> s.listen()
[]
>>> [syn] = c.connect(); print(syn)
SYN seq=100
>>> [syn_ack] = s.receive(syn, now=0); print(syn_ack)
SYN+ACK seq=300 ack=101
>>> [ack] = c.receive(syn_ack, now=0); print(ack)
ACK seq=101 ack=301
>>> s.receive(ack, now=0)
[]
>>> c.state, s.state
(<State.ESTABLISHED: 'ESTABLISHED'>, <State.ESTABLISHED: 'ESTABLISHED'>)
>>> c.listen()
Traceback (most recent call last):
...
netedu.errors.LocalProtocolError: Cannot listen in state ESTABLISHED (event 'listen')

The same run, and the others the course uses, are replayed by
:func:`handshake`, :func:`data_transfer`, :func:`normal_close`,
:func:`simultaneous_open`, :func:`simultaneous_close` and
:func:`lost_segment`, each through a :class:`Simulation` whose ``trace``
can be drawn as a sequence diagram (:mod:`netedu.viz.diagrams`).

Times: MSL (maximum segment lifetime) is a parameter. RFC 793 suggests 2
minutes; Linux does not use an MSL at all but keeps every connection in
TIME-WAIT for a fixed 60 s (``TCP_TIMEWAIT_LEN``), which the default
``msl=30`` reproduces as 2*MSL.
"""

from __future__ import annotations

import enum
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from netedu.errors import LocalProtocolError, PacketError, RemoteProtocolError

__all__ = [
    "State",
    "Event",
    "Flags",
    "Segment",
    "TRANSITIONS",
    "FIGURE_6",
    "APP_EVENTS",
    "allowed_events",
    "Endpoint",
    "TraceEvent",
    "Trace",
    "Simulation",
    "run_events",
    "predict_states",
    "handshake",
    "data_transfer",
    "normal_close",
    "simultaneous_open",
    "simultaneous_close",
    "lost_segment",
    "SCENARIOS",
    "RFC793_MSL",
    "LINUX_TIME_WAIT",
    "DEFAULT_MSL",
    "DEFAULT_RTO",
]

RFC793_MSL = 120.0  # RFC 793 sec. 3.3: "the Maximum Segment Lifetime ... arbitrarily defined to be 2 minutes"
LINUX_TIME_WAIT = 60.0  # Linux: TCP_TIMEWAIT_LEN, a fixed 60 s whatever the MSL
DEFAULT_MSL = LINUX_TIME_WAIT / 2  # so that 2*MSL is what Linux really waits
DEFAULT_RTO = 1.0  # RFC 6298 sec. 2.1: the initial retransmission timeout is 1 second
_SEQ_SPACE = 2**32  # RFC 793 sec. 3.3: sequence numbers are 32-bit


class State(enum.Enum):
    """The 11 connection states of RFC 793 sec. 3.2; ``.label`` is the RFC's spelling.

    CLOSED is "fictional" in the RFC (there is no connection record at all), which
    is one reason some texts count 10 states.

    >>> State.SYN_RECEIVED.label
    'SYN-RECEIVED'
    >>> print(State.TIME_WAIT)
    TIME-WAIT
    >>> len(State)
    11
    >>> State("SYN-RCVD")
    Traceback (most recent call last):
    ...
    ValueError: 'SYN-RCVD' is not a valid State
    """

    CLOSED = "CLOSED"
    LISTEN = "LISTEN"
    SYN_SENT = "SYN-SENT"
    SYN_RECEIVED = "SYN-RECEIVED"
    ESTABLISHED = "ESTABLISHED"
    FIN_WAIT_1 = "FIN-WAIT-1"
    FIN_WAIT_2 = "FIN-WAIT-2"
    CLOSE_WAIT = "CLOSE-WAIT"
    CLOSING = "CLOSING"
    LAST_ACK = "LAST-ACK"
    TIME_WAIT = "TIME-WAIT"

    @property
    def label(self) -> str:
        """The state as RFC 793 writes it, e.g. ``FIN-WAIT-1``."""
        return self.value

    def __str__(self) -> str:
        return self.value


class Event(enum.Enum):
    """What can happen to an endpoint: an application call, a segment arriving, or a timer.

    ``.label`` is the wording of RFC 793 figure 6; ``.is_app`` is true for the
    four calls an application makes.

    >>> Event.RCV_SYN_ACK.label, Event.CLOSE.is_app, Event.RCV_FIN.is_app
    ('rcv SYN,ACK', True, False)
    >>> Event("accept")
    Traceback (most recent call last):
    ...
    ValueError: 'accept' is not a valid Event
    """

    # application calls (RFC 793 sec. 3.8 "User/TCP Interface")
    LISTEN = "listen"  # passive OPEN
    CONNECT = "connect"  # active OPEN
    SEND = "send"
    CLOSE = "close"
    # segment arrivals (RFC 793 sec. 3.9 "SEGMENT ARRIVES")
    RCV_SYN = "rcv_syn"
    RCV_SYN_ACK = "rcv_syn_ack"
    RCV_ACK_OF_SYN = "rcv_ack_of_syn"
    RCV_ACK = "rcv_ack"  # an ACK that changes no state (of data, or a repeat)
    RCV_DATA = "rcv_data"
    RCV_FIN = "rcv_fin"
    RCV_ACK_OF_FIN = "rcv_ack_of_fin"
    RCV_FIN_ACK = "rcv_fin_ack"  # a FIN that also acknowledges our FIN
    # timers
    TIMEOUT_2MSL = "timeout_2msl"

    @property
    def label(self) -> str:
        """The event as RFC 793 figure 6 writes it, e.g. ``rcv ACK of FIN``."""
        return _EVENT_LABELS[self]

    @property
    def is_app(self) -> bool:
        """True for listen, connect, send and close: the calls of an application."""
        return self in APP_EVENTS


_EVENT_LABELS = {
    Event.LISTEN: "passive OPEN",
    Event.CONNECT: "active OPEN",
    Event.SEND: "SEND",
    Event.CLOSE: "CLOSE",
    Event.RCV_SYN: "rcv SYN",
    Event.RCV_SYN_ACK: "rcv SYN,ACK",
    Event.RCV_ACK_OF_SYN: "rcv ACK of SYN",
    Event.RCV_ACK: "rcv ACK",
    Event.RCV_DATA: "rcv data",
    Event.RCV_FIN: "rcv FIN",
    Event.RCV_ACK_OF_FIN: "rcv ACK of FIN",
    Event.RCV_FIN_ACK: "rcv FIN,ACK",
    Event.TIMEOUT_2MSL: "timeout=2MSL",
}

APP_EVENTS: tuple[Event, ...] = (Event.LISTEN, Event.CONNECT, Event.SEND, Event.CLOSE)


class Flags(enum.IntFlag):
    """The control bits of a TCP header that the model uses (RFC 793 sec. 3.1).

    ``str()`` joins them in the usual order, SYN/FIN/RST first and ACK last:

    >>> str(Flags.SYN | Flags.ACK), str(Flags.ACK | Flags.FIN)
    ('SYN+ACK', 'FIN+ACK')
    >>> Flags.parse("syn+ack") == Flags.SYN | Flags.ACK
    True
    >>> Flags.parse("SYN+PSH")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: unknown TCP flag 'PSH' in 'SYN+PSH': expected SYN, ACK, FIN or RST
    """

    FIN = 0x01
    SYN = 0x02
    RST = 0x04
    ACK = 0x10

    def __str__(self) -> str:
        names = [f.name for f in (Flags.SYN, Flags.FIN, Flags.RST, Flags.ACK) if f in self and f.name]
        return "+".join(names) if names else "(none)"

    @classmethod
    def parse(cls, text: str) -> Flags:
        """Flags from text such as ``"SYN+ACK"``, ``"fin,ack"`` or ``"ACK"``."""
        result = cls(0)
        for part in re.split(r"[+,|\s]+", text.strip()):
            if not part:
                continue
            try:
                result |= cls[part.upper()]
            except KeyError:
                raise PacketError(
                    f"unknown TCP flag {part.upper()!r} in {text!r}: expected SYN, ACK, FIN or RST"
                ) from None
        return result


@dataclass(frozen=True, kw_only=True)
class Segment:
    """One TCP segment of the model: who sends it to whom, flags, seq, ack and payload length.

    No bytes are carried, only their number (``length``). ``flags`` may be given
    as text (``"SYN+ACK"``). ``ack`` is only meaningful with the ACK flag and must
    be 0 without it.

    >>> print(Segment(src="client", dst="server", flags="SYN", seq=100))
    SYN seq=100
    >>> print(Segment(src="client", dst="server", flags=Flags.ACK, seq=101, ack=301, length=5))
    ACK seq=101 ack=301 len=5
    >>> Segment(src="a", dst="b", flags="SYN", seq=1, ack=7)
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: ack=7 but the ACK flag is not set: the acknowledgment number is only meaningful with ACK (RFC 793 sec. 3.1)
    """

    src: str
    dst: str
    flags: Flags
    seq: int
    ack: int = 0
    length: int = 0

    def __post_init__(self) -> None:
        flags: Any = self.flags
        if isinstance(flags, str):
            flags = Flags.parse(flags)
        elif isinstance(flags, int) and not isinstance(flags, bool):
            if flags & ~0x17:
                raise PacketError(f"flags {flags:#x} has bits the model does not use: only SYN, ACK, FIN, RST") from None
            flags = Flags(flags)
        else:
            raise PacketError(f"flags must be Flags or text like 'SYN+ACK', got {type(flags).__name__}") from None
        object.__setattr__(self, "flags", flags)
        for name in ("src", "dst"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise PacketError(f"{name} must be an endpoint name (a non-empty str), got {value!r}") from None
        for name in ("seq", "ack"):
            value = getattr(self, name)
            # RFC 793 sec. 3.1: sequence and acknowledgment numbers are 32 bits
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < _SEQ_SPACE:
                raise PacketError(f"{name}={value!r} is not a 32-bit sequence number (0 to {_SEQ_SPACE - 1})") from None
        if not isinstance(self.length, int) or isinstance(self.length, bool) or self.length < 0:
            raise PacketError(f"length={self.length!r} must be a number of payload bytes (0 or more)") from None
        if Flags.ACK not in flags and self.ack != 0:
            raise PacketError(
                f"ack={self.ack} but the ACK flag is not set: the acknowledgment number is only "
                "meaningful with ACK (RFC 793 sec. 3.1)"
            ) from None
        if Flags.SYN in flags and Flags.FIN in flags:
            raise PacketError("SYN and FIN in one segment: the model never sends that") from None

    @property
    def seg_len(self) -> int:
        """Sequence numbers the segment uses: its bytes, plus one for SYN and one for FIN (RFC 793 sec. 3.3).

        >>> Segment(src="a", dst="b", flags="FIN+ACK", seq=9, ack=1).seg_len
        1
        """
        return self.length + (Flags.SYN in self.flags) + (Flags.FIN in self.flags)

    def __str__(self) -> str:
        text = f"{str(self.flags)} seq={self.seq}"  # str(): IntFlag formats as a number
        if Flags.ACK in self.flags:
            text += f" ack={self.ack}"
        if self.length:
            text += f" len={self.length}"
        return text


# Action names (the part after "/" in RFC 793 figure 6). "x" means: nothing to send.
SND_SYN = "snd SYN"
SND_SYN_ACK = "snd SYN,ACK"
SND_ACK = "snd ACK"
SND_FIN = "snd FIN"
SND_DATA = "snd data"
QUEUE_DATA = "queue data"
CREATE_TCB = "create TCB"
DELETE_TCB = "delete TCB"
NOTHING = "x"

S, E = State, Event

#: The one transition table: ``(state, event) -> (next state, action)``.
#: Each row cites where it comes from; rows in :data:`FIGURE_6` are the arrows of
#: RFC 793 figure 6, the others are the self-loops and the FIN,ACK shortcut of
#: the event processing in sec. 3.9 (also drawn by Stevens, TCP/IP Illustrated).
TRANSITIONS: dict[tuple[State, Event], tuple[State, str]] = {
    # opening (figure 6)
    (S.CLOSED, E.LISTEN): (S.LISTEN, CREATE_TCB),
    (S.CLOSED, E.CONNECT): (S.SYN_SENT, SND_SYN),
    (S.LISTEN, E.RCV_SYN): (S.SYN_RECEIVED, SND_SYN_ACK),
    (S.LISTEN, E.SEND): (S.SYN_SENT, SND_SYN),  # the data waits until ESTABLISHED
    (S.LISTEN, E.CLOSE): (S.CLOSED, DELETE_TCB),
    (S.SYN_SENT, E.RCV_SYN): (S.SYN_RECEIVED, SND_SYN_ACK),  # simultaneous open (sec. 3.4 fig. 8)
    (S.SYN_SENT, E.RCV_SYN_ACK): (S.ESTABLISHED, SND_ACK),
    (S.SYN_SENT, E.CLOSE): (S.CLOSED, DELETE_TCB),
    (S.SYN_RECEIVED, E.RCV_ACK_OF_SYN): (S.ESTABLISHED, NOTHING),
    (S.SYN_RECEIVED, E.CLOSE): (S.FIN_WAIT_1, SND_FIN),
    # closing (figure 6)
    (S.ESTABLISHED, E.CLOSE): (S.FIN_WAIT_1, SND_FIN),
    (S.ESTABLISHED, E.RCV_FIN): (S.CLOSE_WAIT, SND_ACK),
    (S.FIN_WAIT_1, E.RCV_ACK_OF_FIN): (S.FIN_WAIT_2, NOTHING),
    (S.FIN_WAIT_1, E.RCV_FIN): (S.CLOSING, SND_ACK),  # simultaneous close
    (S.FIN_WAIT_2, E.RCV_FIN): (S.TIME_WAIT, SND_ACK),
    (S.CLOSING, E.RCV_ACK_OF_FIN): (S.TIME_WAIT, NOTHING),
    (S.CLOSE_WAIT, E.CLOSE): (S.LAST_ACK, SND_FIN),
    (S.LAST_ACK, E.RCV_ACK_OF_FIN): (S.CLOSED, NOTHING),
    (S.TIME_WAIT, E.TIMEOUT_2MSL): (S.CLOSED, DELETE_TCB),
    # sec. 3.9: a FIN that also acknowledges our FIN goes straight to TIME-WAIT
    (S.FIN_WAIT_1, E.RCV_FIN_ACK): (S.TIME_WAIT, SND_ACK),
    # sec. 3.9 SEND call: queued before ESTABLISHED, sent in ESTABLISHED and CLOSE-WAIT
    (S.SYN_SENT, E.SEND): (S.SYN_SENT, QUEUE_DATA),
    (S.SYN_RECEIVED, E.SEND): (S.SYN_RECEIVED, QUEUE_DATA),
    (S.ESTABLISHED, E.SEND): (S.ESTABLISHED, SND_DATA),
    (S.CLOSE_WAIT, E.SEND): (S.CLOSE_WAIT, SND_DATA),
    # sec. 3.9 segment text: data is accepted until the peer's FIN, and acknowledged
    (S.ESTABLISHED, E.RCV_DATA): (S.ESTABLISHED, SND_ACK),
    (S.FIN_WAIT_1, E.RCV_DATA): (S.FIN_WAIT_1, SND_ACK),
    (S.FIN_WAIT_2, E.RCV_DATA): (S.FIN_WAIT_2, SND_ACK),
    # sec. 3.9 ACK processing: an ACK of data (or a repeated ACK) changes nothing
    (S.ESTABLISHED, E.RCV_ACK): (S.ESTABLISHED, NOTHING),
    (S.FIN_WAIT_1, E.RCV_ACK): (S.FIN_WAIT_1, NOTHING),
    (S.FIN_WAIT_2, E.RCV_ACK): (S.FIN_WAIT_2, NOTHING),
    (S.CLOSE_WAIT, E.RCV_ACK): (S.CLOSE_WAIT, NOTHING),
    (S.CLOSING, E.RCV_ACK): (S.CLOSING, NOTHING),
    (S.LAST_ACK, E.RCV_ACK): (S.LAST_ACK, NOTHING),
    (S.TIME_WAIT, E.RCV_ACK): (S.TIME_WAIT, NOTHING),
    # sec. 3.9 FIN processing: a repeated FIN is acknowledged again; in TIME-WAIT
    # it also restarts the 2 MSL timer (the reason TIME-WAIT exists)
    (S.CLOSE_WAIT, E.RCV_FIN): (S.CLOSE_WAIT, SND_ACK),
    (S.CLOSING, E.RCV_FIN): (S.CLOSING, SND_ACK),
    (S.LAST_ACK, E.RCV_FIN): (S.LAST_ACK, SND_ACK),
    (S.TIME_WAIT, E.RCV_FIN): (S.TIME_WAIT, SND_ACK),
    # a repeated SYN while our SYN,ACK is unanswered: send the SYN,ACK again
    (S.SYN_RECEIVED, E.RCV_SYN): (S.SYN_RECEIVED, SND_SYN_ACK),
}

#: The rows of :data:`TRANSITIONS` that are arrows of RFC 793 figure 6.
FIGURE_6: frozenset[tuple[State, Event]] = frozenset(
    {
        (S.CLOSED, E.LISTEN),
        (S.CLOSED, E.CONNECT),
        (S.LISTEN, E.RCV_SYN),
        (S.LISTEN, E.SEND),
        (S.LISTEN, E.CLOSE),
        (S.SYN_SENT, E.RCV_SYN),
        (S.SYN_SENT, E.RCV_SYN_ACK),
        (S.SYN_SENT, E.CLOSE),
        (S.SYN_RECEIVED, E.RCV_ACK_OF_SYN),
        (S.SYN_RECEIVED, E.CLOSE),
        (S.ESTABLISHED, E.CLOSE),
        (S.ESTABLISHED, E.RCV_FIN),
        (S.FIN_WAIT_1, E.RCV_ACK_OF_FIN),
        (S.FIN_WAIT_1, E.RCV_FIN),
        (S.FIN_WAIT_2, E.RCV_FIN),
        (S.CLOSING, E.RCV_ACK_OF_FIN),
        (S.CLOSE_WAIT, E.CLOSE),
        (S.LAST_ACK, E.RCV_ACK_OF_FIN),
        (S.TIME_WAIT, E.TIMEOUT_2MSL),
    }
)
del S, E

_SYNCHRONIZED = frozenset(
    {
        State.SYN_RECEIVED,
        State.ESTABLISHED,
        State.FIN_WAIT_1,
        State.FIN_WAIT_2,
        State.CLOSE_WAIT,
        State.CLOSING,
        State.LAST_ACK,
        State.TIME_WAIT,
    }
)


def allowed_events(state: State, *, app_only: bool = False) -> list[Event]:
    """The events the table accepts in ``state``, in the order of :class:`Event`.

    >>> [e.value for e in allowed_events(State.CLOSED)]
    ['listen', 'connect']
    >>> [e.value for e in allowed_events(State.ESTABLISHED, app_only=True)]
    ['send', 'close']
    >>> allowed_events("LISTEN")
    Traceback (most recent call last):
    ...
    TypeError: expected a State, got str 'LISTEN'
    """
    if not isinstance(state, State):
        raise TypeError(f"expected a State, got {type(state).__name__} {state!r}") from None
    return [e for e in Event if (state, e) in TRANSITIONS and (e.is_app or not app_only)]


@dataclass
class _Unacked:
    """A segment that uses sequence numbers and waits for its ACK (the retransmission queue)."""

    seq: int
    flags: Flags  # SYN or FIN or nothing (data); ACK is added when it is sent
    length: int
    sent_at: float
    retries: int = 0

    @property
    def end(self) -> int:
        return self.seq + self.length + (Flags.SYN in self.flags) + (Flags.FIN in self.flags)


class Endpoint:
    """One end of a connection: its state, its sequence numbers and its retransmission queue.

    Application calls (:meth:`listen`, :meth:`connect`, :meth:`send`,
    :meth:`close`) and :meth:`receive` return the segments to put on the wire.
    The numbers are those of RFC 793 sec. 3.2: ``iss`` (initial send sequence
    number, the ISN), ``snd_una`` (oldest unacknowledged), ``snd_nxt`` (next to
    send), ``irs`` and ``rcv_nxt`` (next expected from the peer).

    >>> e = Endpoint("client", isn=100, peer="server")
    >>> e.state, e.snd_nxt
    (<State.CLOSED: 'CLOSED'>, 100)
    >>> print(e.connect()[0]); e.snd_una, e.snd_nxt
    SYN seq=100
    (100, 101)
    >>> e.next_timeout()
    1.0
    >>> print(e.handle_timeout(1.0)[0])
    SYN seq=100
    >>> e.send(0)
    Traceback (most recent call last):
    ...
    ValueError: send needs a number of bytes of 1 or more, got 0
    """

    def __init__(
        self,
        name: str,
        *,
        isn: int = 0,
        peer: str = "peer",
        msl: float = DEFAULT_MSL,
        rto: float = DEFAULT_RTO,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"an endpoint needs a name (a non-empty str), got {name!r}")
        if not isinstance(isn, int) or isinstance(isn, bool) or not 0 <= isn < _SEQ_SPACE - 2**20:
            raise ValueError(f"isn={isn!r}: the model needs an ISN from 0 to {_SEQ_SPACE - 2**20 - 1} (no wrap-around)")
        if not msl > 0 or not rto > 0:
            raise ValueError(f"msl and rto must be positive numbers of seconds, got msl={msl!r} rto={rto!r}")
        self.name = name
        self.peer = peer
        self.msl = float(msl)
        self.rto = float(rto)
        self.iss = isn
        self.now = 0.0
        self.history: list[tuple[State, Event, State, str]] = []
        self._reset()

    def _reset(self) -> None:
        # a new connection starts again from the same ISN (a real TCP picks a new one, RFC 6528)
        self.state = State.CLOSED
        self.snd_una = self.iss
        self.snd_nxt = self.iss
        self.irs: int | None = None
        self.rcv_nxt = 0
        self.fin_seq: int | None = None
        self.queued = 0
        self.bytes_sent = 0
        self.bytes_received = 0
        self.time_wait_until: float | None = None
        self.unacked: list[_Unacked] = []

    def __repr__(self) -> str:
        return (
            f"Endpoint({self.name!r}, state={self.state.label}, snd_una={self.snd_una}, "
            f"snd_nxt={self.snd_nxt}, rcv_nxt={self.rcv_nxt})"
        )

    # -- the table ---------------------------------------------------------------------------

    def can(self, event: Event | str) -> bool:
        """True if the table allows ``event`` (an :class:`Event` or its value) in the current state.

        >>> e = Endpoint("a"); e.can("listen"), e.can(Event.SEND)
        (True, False)
        """
        return (self.state, Event(event)) in TRANSITIONS

    def _lookup(self, state: State, event: Event, segment: Segment | None = None) -> tuple[State, str]:
        try:
            return TRANSITIONS[(state, event)]
        except KeyError:
            pass
        if event.is_app:
            raise LocalProtocolError(f"Cannot {event.value} in state {state.label} (event '{event.value}')") from None
        if segment is None:
            raise LocalProtocolError(f"No {event.label} in state {state.label} (event '{event.value}')") from None
        raise RemoteProtocolError(
            f"Unexpected {segment} from {segment.src} in state {state.label} (event '{event.value}')"
        ) from None

    def _apply(self, event: Event, segment: Segment | None = None) -> list[Segment]:
        old = self.state
        new, action = self._lookup(old, event, segment)
        out = self._do(action, old)
        self.state = new
        self.history.append((old, event, new, action))
        if new is State.TIME_WAIT and (old is not State.TIME_WAIT or event is Event.RCV_FIN):
            self.time_wait_until = self.now + 2 * self.msl  # RFC 793 sec. 3.9: (re)start the 2 MSL timer
        if new is State.ESTABLISHED and self.queued:
            out.append(self._send_data(self.queued))
            self.queued = 0
        if new is State.CLOSED:  # the connection record is deleted: a new one starts afresh
            self._reset()
        return out

    def _do(self, action: str, old: State) -> list[Segment]:
        if action == SND_SYN:
            return [self._send_new(Flags.SYN, 0)]
        if action == SND_SYN_ACK:
            if old is State.LISTEN:
                return [self._send_new(Flags.SYN, 0)]  # the ACK flag is added: irs is known
            # simultaneous open or a repeated SYN: our SYN again, now with an ACK
            return [self._segment(Flags.SYN, self.iss, 0)]
        if action == SND_ACK:
            return [self._segment(Flags(0), self.snd_nxt, 0)]
        if action == SND_FIN:
            self.fin_seq = self.snd_nxt
            return [self._send_new(Flags.FIN, 0)]
        if action in (NOTHING, CREATE_TCB, DELETE_TCB, QUEUE_DATA, SND_DATA):
            return []  # SND_DATA and QUEUE_DATA are done by send(), which knows the size
        raise AssertionError(f"unknown action {action!r}")  # pragma: no cover

    def _segment(self, flags: Flags, seq: int, length: int) -> Segment:
        if self.irs is not None:
            return Segment(src=self.name, dst=self.peer, flags=flags | Flags.ACK, seq=seq, ack=self.rcv_nxt, length=length)
        return Segment(src=self.name, dst=self.peer, flags=flags, seq=seq, length=length)

    def _send_new(self, flags: Flags, length: int) -> Segment:
        seg = self._segment(flags, self.snd_nxt, length)
        self.unacked.append(_Unacked(self.snd_nxt, flags, length, self.now))
        self.snd_nxt += seg.seg_len
        return seg

    def _send_data(self, n_bytes: int) -> Segment:
        self.bytes_sent += n_bytes
        return self._send_new(Flags(0), n_bytes)

    def _tick(self, now: float | None) -> None:
        if now is not None:
            if now < self.now:
                raise LocalProtocolError(f"time went backwards: now={now} after {self.now}") from None
            self.now = float(now)

    # -- application calls ---------------------------------------------------------------------

    def listen(self, now: float | None = None) -> list[Segment]:
        """Passive open (``socket.listen``): wait for a SYN. Returns no segment.

        >>> Endpoint("server").listen()
        []
        """
        self._tick(now)
        return self._apply(Event.LISTEN)

    def connect(self, peer: str | None = None, now: float | None = None) -> list[Segment]:
        """Active open (``socket.connect``): send a SYN with seq = ISN.

        >>> [str(s) for s in Endpoint("c", isn=7).connect("s")]
        ['SYN seq=7']
        """
        self._tick(now)
        if peer is not None and self.state is State.CLOSED:
            self.peer = peer
        return self._apply(Event.CONNECT)

    def send(self, n_bytes: int, now: float | None = None) -> list[Segment]:
        """Send ``n_bytes`` of data as one segment (queued until ESTABLISHED if the connection is opening).

        >>> e = Endpoint("a")
        >>> e.send(5)
        Traceback (most recent call last):
        ...
        netedu.errors.LocalProtocolError: Cannot send in state CLOSED (event 'send')
        """
        if not isinstance(n_bytes, int) or isinstance(n_bytes, bool) or n_bytes < 1:
            raise ValueError(f"send needs a number of bytes of 1 or more, got {n_bytes!r}")
        self._tick(now)
        old = self.state
        self._lookup(old, Event.SEND)
        if self.state in (State.ESTABLISHED, State.CLOSE_WAIT):
            out = self._apply(Event.SEND)
            return out + [self._send_data(n_bytes)]
        self.queued += n_bytes
        return self._apply(Event.SEND)

    def close(self, now: float | None = None) -> list[Segment]:
        """Close (``socket.close``): send a FIN, or forget a connection that is not open yet.

        >>> e = Endpoint("a"); e.listen(); e.close(); e.state
        []
        []
        <State.CLOSED: 'CLOSED'>
        """
        self._tick(now)
        if self.state is State.SYN_RECEIVED and self.queued:
            raise LocalProtocolError(
                f"Cannot close in state SYN-RECEIVED with {self.queued} bytes queued (event 'close'): "
                "the model sends queued data once ESTABLISHED"
            ) from None
        return self._apply(Event.CLOSE)

    # -- segments ------------------------------------------------------------------------------

    def classify(self, segment: Segment) -> list[Event]:
        """The events a segment means for this endpoint now, in the order RFC 793 sec. 3.9 handles them.

        An empty list means a repeat (already received) or out-of-order
        segment: the endpoint only acknowledges again what it has.

        >>> e = Endpoint("s", isn=300); _ = e.listen()
        >>> e.classify(Segment(src="c", dst="s", flags="SYN", seq=100))
        [<Event.RCV_SYN: 'rcv_syn'>]
        """
        flags = segment.flags
        st = self.state
        if st not in _SYNCHRONIZED or self.irs is None:
            if Flags.SYN in flags:
                return [Event.RCV_SYN_ACK if Flags.ACK in flags else Event.RCV_SYN]
            if Flags.FIN in flags:
                return [Event.RCV_FIN]
            return [Event.RCV_DATA if segment.length else Event.RCV_ACK]
        seq = segment.seq
        if Flags.SYN in flags:
            if seq != self.irs:
                return [Event.RCV_SYN_ACK if Flags.ACK in flags else Event.RCV_SYN]
            if Flags.ACK not in flags:  # the peer's SYN again
                # in SYN-RECEIVED it has not seen our SYN,ACK; later it is an old duplicate
                return [Event.RCV_SYN] if st is State.SYN_RECEIVED else []
            seq += 1  # a repeated SYN,ACK: the SYN is old, the ACK may be news
        events: list[Event] = []
        acks_fin = False
        if Flags.ACK in flags:
            if segment.ack > self.snd_nxt:
                raise RemoteProtocolError(
                    f"{segment} from {segment.src} acknowledges up to {segment.ack} but {self.name} has only "
                    f"sent up to {self.snd_nxt} (state {st.label})"
                ) from None
            if st is State.SYN_RECEIVED and segment.ack > self.iss:
                events.append(Event.RCV_ACK_OF_SYN)
            if self.fin_seq is not None and segment.ack > self.fin_seq and self.snd_una <= self.fin_seq:
                acks_fin = True
        new_data = segment.length > 0 and seq == self.rcv_nxt
        fin_at = seq + segment.length
        new_fin = Flags.FIN in flags and fin_at == self.rcv_nxt + (segment.length if new_data else 0)
        old_fin = Flags.FIN in flags and fin_at < self.rcv_nxt
        if acks_fin and new_fin and not new_data and st is State.FIN_WAIT_1:
            return events + [Event.RCV_FIN_ACK]
        if acks_fin:
            events.append(Event.RCV_ACK_OF_FIN)
        if new_data:
            events.append(Event.RCV_DATA)
        if new_fin or old_fin:
            events.append(Event.RCV_FIN)
        if not events and segment.seg_len == 0 and Flags.ACK in flags:
            events.append(Event.RCV_ACK)
        return events

    def receive(self, segment: Segment, now: float | None = None) -> list[Segment]:
        """Handle a segment that arrives; return the segments to send in reply.

        An unexpected segment raises :class:`~netedu.errors.RemoteProtocolError`
        and leaves the endpoint as it was.

        >>> e = Endpoint("server", isn=300)
        >>> e.receive(Segment(src="client", dst="server", flags="SYN", seq=100), now=0)
        Traceback (most recent call last):
        ...
        netedu.errors.RemoteProtocolError: Unexpected SYN seq=100 from client in state CLOSED (event 'rcv_syn')
        """
        if not isinstance(segment, Segment):
            raise TypeError(f"receive expects a Segment, got {type(segment).__name__}") from None
        if segment.dst != self.name:
            raise RemoteProtocolError(f"{segment} is addressed to {segment.dst!r}, not to {self.name!r}") from None
        self._tick(now)
        if Flags.RST in segment.flags:
            raise RemoteProtocolError(
                f"{segment} from {segment.src} in state {self.state.label}: this model does not handle RST "
                "(a real TCP would abort the connection)"
            ) from None
        events = self.classify(segment)
        # check the whole path in the table first, so that an error changes nothing
        state = self.state
        for event in events:
            state = self._lookup(state, event, segment)[0]
        if self.state is State.SYN_SENT and Flags.SYN in segment.flags and Flags.ACK in segment.flags:
            if segment.ack != self.iss + 1:  # RFC 793 sec. 3.9 SYN-SENT: the ACK must cover our SYN
                raise RemoteProtocolError(
                    f"{segment} from {segment.src} in state SYN-SENT should acknowledge {self.iss + 1} "
                    f"(our SYN seq={self.iss}), got ack={segment.ack}"
                ) from None
        # bookkeeping: what the segment acknowledges and what it brings
        if Flags.ACK in segment.flags and self.snd_una < segment.ack <= self.snd_nxt:
            self.snd_una = segment.ack
            self.unacked = [u for u in self.unacked if u.end > segment.ack]
        if Flags.SYN in segment.flags and self.state in (State.LISTEN, State.SYN_SENT):
            self.peer = segment.src
            self.irs = segment.seq
            self.rcv_nxt = segment.seq + 1
        if Event.RCV_DATA in events:
            self.rcv_nxt += segment.length
            self.bytes_received += segment.length
        if (Event.RCV_FIN in events or Event.RCV_FIN_ACK in events) and segment.seq + segment.length == self.rcv_nxt:
            self.rcv_nxt += 1  # RFC 793 sec. 3.3: a FIN uses one sequence number
        out: list[Segment] = []
        for event in events:
            out.extend(self._apply(event, segment))
        if not events and self.irs is not None:
            out.append(self._segment(Flags(0), self.snd_nxt, 0))  # a repeat: acknowledge again (sec. 3.9)
        # several "snd ACK" for one segment are one ACK on the wire
        pure = [i for i, s in enumerate(out) if s.flags == Flags.ACK and s.length == 0]
        return [s for i, s in enumerate(out) if i not in pure[:-1]]

    # -- timers --------------------------------------------------------------------------------

    def next_timeout(self) -> float | None:
        """When :meth:`handle_timeout` should be called next (retransmission or 2 MSL), or None.

        >>> Endpoint("a").next_timeout() is None
        True
        """
        times = []
        if self.unacked:
            oldest = self.unacked[0]
            times.append(oldest.sent_at + self.rto * 2**oldest.retries)  # RFC 6298 sec. 5.5: back off
        if self.time_wait_until is not None:
            times.append(self.time_wait_until)
        return min(times) if times else None

    def handle_timeout(self, now: float) -> list[Segment]:
        """Act on the timers due at ``now``: end TIME-WAIT, or resend the oldest unacknowledged segment.

        >>> e = Endpoint("a")
        >>> e.handle_timeout(5.0)
        []
        """
        self._tick(now)
        out: list[Segment] = []
        if self.time_wait_until is not None and self.now >= self.time_wait_until:
            out.extend(self._apply(Event.TIMEOUT_2MSL))
        if self.unacked:
            oldest = self.unacked[0]
            if self.now >= oldest.sent_at + self.rto * 2**oldest.retries:
                oldest.retries += 1
                oldest.sent_at = self.now
                out.append(self._segment(oldest.flags, oldest.seq, oldest.length))
        return out


# -- a link between two endpoints, and a trace of what happened ------------------------------


@dataclass(frozen=True)
class TraceEvent:
    """One step of a :class:`Simulation`: an application call, a segment delivered or lost, or a timer.

    ``kind`` is ``"app"``, ``"deliver"``, ``"drop"`` or ``"timeout"``; for a
    segment, ``src``/``dst`` are its ends and ``sent_step`` the step that sent
    it; ``states`` are both endpoints' states after the step (client first).

    >>> t = handshake()
    >>> print(t[2])
    step 2 t=0: deliver client->server SYN seq=100 | SYN-SENT SYN-RECEIVED
    """

    step: int
    time: float
    kind: str
    src: str
    dst: str
    segment: Segment | None
    lost: bool
    states: tuple[State, State]
    note: str = ""
    sent_step: int | None = None

    def __str__(self) -> str:
        t = f"{self.time:g}"
        states = " ".join(s.label for s in self.states)
        if self.segment is None:
            return f"step {self.step} t={t}: {self.src} {self.note} | {states}"
        what = "LOST" if self.lost else "deliver"
        extra = f" ({self.note})" if self.note else ""
        return f"step {self.step} t={t}: {what} {self.src}->{self.dst} {self.segment}{extra} | {states}"


class Trace(list):  # type: ignore[type-arg]
    """The list of :class:`TraceEvent` of a run, with a text table and a sequence diagram.

    >>> t = handshake()
    >>> len(t), t.final_states()
    (5, (<State.ESTABLISHED: 'ESTABLISHED'>, <State.ESTABLISHED: 'ESTABLISHED'>))
    >>> print(t.segments()[0])
    SYN seq=100
    """

    names: tuple[str, str] = ("client", "server")

    def final_states(self) -> tuple[State, State]:
        """Both states after the last step (client first); CLOSED twice for an empty trace."""
        return self[-1].states if self else (State.CLOSED, State.CLOSED)

    def segments(self, *, lost: bool | None = None) -> list[Segment]:
        """The segments in the order they arrived or were lost (only lost or only delivered ones if asked)."""
        return [e.segment for e in self if e.segment is not None and (lost is None or e.lost == lost)]

    def table(self) -> str:
        """One line per step, as text."""
        return "\n".join(str(e) for e in self)

    def diagram(self, **options: Any) -> Any:
        """The sequence diagram of the run (an :class:`netedu.viz.diagrams.SVG`)."""
        from netedu.viz.diagrams import trace_diagram

        return trace_diagram(self, **options)


@dataclass
class _InFlight:
    segment: Segment
    sent_step: int


class Simulation:
    """Two endpoints joined by a link: a queue of segments in flight in each direction.

    Nothing moves by itself: call an application method, then deliver or drop
    the next segment of a direction (named by its sender), or :meth:`wait` for
    timers. Every step is appended to :attr:`trace`.

    >>> sim = Simulation()
    >>> sim.listen("server"); sim.connect("client")
    >>> [str(s) for s in sim.in_flight("client")]
    ['SYN seq=100']
    >>> sim.deliver_next("client"); sim.deliver_next("server"); sim.deliver_next("client")
    >>> sim.states()
    (<State.ESTABLISHED: 'ESTABLISHED'>, <State.ESTABLISHED: 'ESTABLISHED'>)
    >>> sim.deliver_next("client")
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: No segment in flight from client to server
    """

    def __init__(
        self,
        a: Endpoint | None = None,
        b: Endpoint | None = None,
        *,
        msl: float = DEFAULT_MSL,
        rto: float = DEFAULT_RTO,
    ) -> None:
        self.a = a if a is not None else Endpoint("client", isn=100, msl=msl, rto=rto)
        self.b = b if b is not None else Endpoint("server", isn=300, msl=msl, rto=rto)
        if self.a.name == self.b.name:
            raise ValueError(f"the two endpoints need different names, both are {self.a.name!r}")
        self.a.peer, self.b.peer = self.b.name, self.a.name
        self.now = 0.0
        self.trace = Trace()
        self.trace.names = (self.a.name, self.b.name)
        self._queues: dict[str, deque[_InFlight]] = {self.a.name: deque(), self.b.name: deque()}
        self.last_error: str | None = None

    @property
    def names(self) -> tuple[str, str]:
        """The two endpoint names (client first)."""
        return (self.a.name, self.b.name)

    def endpoint(self, name: str) -> Endpoint:
        """The endpoint called ``name``.

        >>> Simulation().endpoint("server").iss
        300
        >>> Simulation().endpoint("router")
        Traceback (most recent call last):
        ...
        ValueError: no endpoint 'router': expected 'client' or 'server'
        """
        if name == self.a.name:
            return self.a
        if name == self.b.name:
            return self.b
        raise ValueError(f"no endpoint {name!r}: expected {self.a.name!r} or {self.b.name!r}")

    def other(self, name: str) -> str:
        """The name of the other endpoint."""
        return self.b.name if self.endpoint(name) is self.a else self.a.name

    def states(self) -> tuple[State, State]:
        """Both states now (client first)."""
        return (self.a.state, self.b.state)

    def in_flight(self, src: str) -> list[Segment]:
        """The segments sent by ``src`` and not yet delivered or dropped, oldest first."""
        self.endpoint(src)
        return [f.segment for f in self._queues[src]]

    def _record(self, kind: str, src: str, dst: str, segment: Segment | None, lost: bool, note: str,
                sent_step: int | None = None) -> int:
        step = len(self.trace)
        self.trace.append(TraceEvent(step, self.now, kind, src, dst, segment, lost, self.states(), note, sent_step))
        return step

    def _queue(self, src: str, segments: Iterable[Segment], step: int) -> None:
        for seg in segments:
            self._queues[src].append(_InFlight(seg, step))

    def _app(self, name: str, event: Event, call: str, *args: Any) -> None:
        ep = self.endpoint(name)
        out = getattr(ep, event.value)(*args, now=self.now)
        label = f"{call}()" if not args else f"{call}({', '.join(map(str, args))})"
        step = self._record("app", name, name, None, False, label)
        self._queue(name, out, step)

    def listen(self, name: str) -> None:
        """``name`` calls listen() (passive open)."""
        self._app(name, Event.LISTEN, "listen")

    def connect(self, name: str) -> None:
        """``name`` calls connect() to the other endpoint (active open)."""
        self._app(name, Event.CONNECT, "connect")

    def send(self, name: str, n_bytes: int) -> None:
        """``name`` sends ``n_bytes`` of data."""
        self._app(name, Event.SEND, "send", n_bytes)

    def close(self, name: str) -> None:
        """``name`` calls close()."""
        self._app(name, Event.CLOSE, "close")

    def _pop(self, src: str) -> _InFlight:
        self.endpoint(src)
        if not self._queues[src]:
            raise LocalProtocolError(f"No segment in flight from {src} to {self.other(src)}") from None
        return self._queues[src].popleft()

    def deliver_next(self, src: str) -> None:
        """Deliver the oldest segment in flight from ``src``; the receiver's replies go in flight.

        A segment the receiver cannot accept raises
        :class:`~netedu.errors.RemoteProtocolError`; it is then lost (and traced so).
        """
        self.endpoint(src)
        if not self._queues[src]:
            self._pop(src)  # raises: nothing in flight
        item = self._queues[src].popleft()
        dst = self.other(src)
        ep = self.endpoint(dst)
        before = len(ep.history)
        try:
            out = ep.receive(item.segment, now=self.now)
        except RemoteProtocolError as exc:
            self.last_error = str(exc)
            self._record("drop", src, dst, item.segment, True, "rejected", item.sent_step)
            raise
        self.last_error = None
        note = "" if len(ep.history) > before else "repeat"
        step = self._record("deliver", src, dst, item.segment, False, note, item.sent_step)
        self._queue(dst, out, step)

    def drop_next(self, src: str) -> None:
        """Lose the oldest segment in flight from ``src`` (the network dropped it)."""
        item = self._pop(src)
        self._record("drop", src, self.other(src), item.segment, True, "", item.sent_step)

    def deliver_all(self, limit: int = 100) -> None:
        """Deliver segments, oldest sent first, until none is in flight (at most ``limit``)."""
        for _ in range(limit):
            waiting = [(q[0].sent_step, name) for name, q in self._queues.items() if q]
            if not waiting:
                return
            self.deliver_next(min(waiting)[1])
        raise LocalProtocolError(f"still segments in flight after {limit} deliveries") from None

    def next_timeout(self) -> float | None:
        """The earliest timer of the two endpoints, or None."""
        times = [t for t in (self.a.next_timeout(), self.b.next_timeout()) if t is not None]
        return min(times) if times else None

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass, firing the timers that fall due on the way (in time order).

        >>> sim = Simulation(); sim.connect("client"); sim.drop_next("client")
        >>> sim.wait(1.0); [str(s) for s in sim.in_flight("client")]
        ['SYN seq=100']
        """
        if seconds < 0:
            raise ValueError(f"cannot wait a negative time ({seconds})")
        end = self.now + seconds
        for _ in range(1000):
            due = self.next_timeout()
            if due is None or due > end:
                break
            self.now = max(self.now, due)
            for ep in (self.a, self.b):
                t = ep.next_timeout()
                if t is not None and t <= self.now:
                    was = ep.state
                    out = ep.handle_timeout(self.now)
                    note = "2MSL over" if was is State.TIME_WAIT and ep.state is State.CLOSED else "RTO: resend"
                    step = self._record("timeout", ep.name, ep.name, None, False, note)
                    self._queue(ep.name, out, step)
        self.now = end

    def wait_2msl(self) -> None:
        """Wait 2*MSL (of the client), enough to end any TIME-WAIT."""
        self.wait(2 * max(self.a.msl, self.b.msl))

    def diagram(self, **options: Any) -> Any:
        """The sequence diagram of the run so far, segments still in flight included."""
        from netedu.viz.diagrams import trace_diagram

        return trace_diagram(self.trace, in_flight=self._in_flight_items(), **options)

    def _in_flight_items(self) -> list[tuple[str, str, Segment, int]]:
        items = []
        for name, q in self._queues.items():
            for f in q:
                items.append((name, self.other(name), f.segment, f.sent_step))
        return sorted(items, key=lambda x: x[3])


# -- replaying runs ---------------------------------------------------------------------------

_STEP = re.compile(r"^\s*(\w+)\s+(listen|connect|send|close|deliver|drop|wait)(?:\s+(\d+(?:\.\d+)?))?\s*$")


def run_events(events: Sequence[str], *, client_isn: int = 100, server_isn: int = 300,
               msl: float = DEFAULT_MSL, rto: float = DEFAULT_RTO) -> Simulation:
    """Replay steps written as text, ``"<who> <what> [number]"``, and return the simulation.

    ``<who>`` is ``client`` or ``server``; ``<what>`` is ``listen``, ``connect``,
    ``send N`` (bytes), ``close``, ``deliver`` or ``drop`` (the next segment
    *sent by* who), or ``wait S`` (seconds; who is ignored).

    >>> sim = run_events(["server listen", "client connect", "client deliver", "server deliver"])
    >>> sim.states()
    (<State.ESTABLISHED: 'ESTABLISHED'>, <State.SYN_RECEIVED: 'SYN-RECEIVED'>)
    >>> run_events(["client jump"])
    Traceback (most recent call last):
    ...
    ValueError: step 1 'client jump' not understood: expected '<client|server> <listen|connect|send N|close|deliver|drop|wait S>'
    """
    sim = Simulation(Endpoint("client", isn=client_isn, msl=msl, rto=rto),
                     Endpoint("server", isn=server_isn, msl=msl, rto=rto))
    for i, text in enumerate(events, 1):
        m = _STEP.match(text) if isinstance(text, str) else None
        if m is None or m.group(1) not in sim.names or (m.group(2) in ("send", "wait")) != bool(m.group(3)):
            raise ValueError(
                f"step {i} {text!r} not understood: expected "
                "'<client|server> <listen|connect|send N|close|deliver|drop|wait S>'"
            )
        who, what, num = m.groups()
        if what == "send":
            sim.send(who, int(float(num)))
        elif what == "wait":
            sim.wait(float(num))
        elif what == "deliver":
            sim.deliver_next(who)
        elif what == "drop":
            sim.drop_next(who)
        else:
            getattr(sim, what)(who)
    return sim


def predict_states(events: Sequence[str]) -> tuple[State, State]:
    """The states of (client, server) after the steps of :func:`run_events`: the answer to "predict the state".

    >>> predict_states(["server listen", "client connect", "client deliver",
    ...                 "server deliver", "client deliver", "client close", "client deliver"])
    (<State.FIN_WAIT_1: 'FIN-WAIT-1'>, <State.CLOSE_WAIT: 'CLOSE-WAIT'>)
    >>> predict_states(["client send 5"])
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: Cannot send in state CLOSED (event 'send')
    """
    return run_events(events).states()


_HANDSHAKE = ["server listen", "client connect", "client deliver", "server deliver", "client deliver"]


def handshake(client_isn: int = 100, server_isn: int = 300) -> Trace:
    """The three-way handshake: SYN seq=x; SYN+ACK seq=y ack=x+1; ACK seq=x+1 ack=y+1.

    >>> print(handshake().table())
    step 0 t=0: server listen() | CLOSED LISTEN
    step 1 t=0: client connect() | SYN-SENT LISTEN
    step 2 t=0: deliver client->server SYN seq=100 | SYN-SENT SYN-RECEIVED
    step 3 t=0: deliver server->client SYN+ACK seq=300 ack=101 | ESTABLISHED SYN-RECEIVED
    step 4 t=0: deliver client->server ACK seq=101 ack=301 | ESTABLISHED ESTABLISHED
    """
    return run_events(_HANDSHAKE, client_isn=client_isn, server_isn=server_isn).trace


def data_transfer(client_isn: int = 100, server_isn: int = 300, sizes: Sequence[int] = (5, 3)) -> Trace:
    """A handshake, then the client sends one segment per size and the server acknowledges each.

    >>> [str(s) for s in data_transfer().segments()[3:]]
    ['ACK seq=101 ack=301 len=5', 'ACK seq=301 ack=106', 'ACK seq=106 ack=301 len=3', 'ACK seq=301 ack=109']
    """
    steps = list(_HANDSHAKE)
    for n in sizes:
        steps += [f"client send {n}", "client deliver", "server deliver"]
    return run_events(steps, client_isn=client_isn, server_isn=server_isn).trace


_CLOSE = ["client close", "client deliver", "server deliver", "server close", "server deliver", "client deliver"]


def normal_close(client_isn: int = 100, server_isn: int = 300, wait: bool = True) -> Trace:
    """Handshake, then the four-way close started by the client; the client waits 2*MSL in TIME-WAIT.

    >>> t = normal_close(wait=False)
    >>> [str(s) for s in t.segments()[3:]]
    ['FIN+ACK seq=101 ack=301', 'ACK seq=301 ack=102', 'FIN+ACK seq=301 ack=102', 'ACK seq=102 ack=302']
    >>> t.final_states()
    (<State.TIME_WAIT: 'TIME-WAIT'>, <State.CLOSED: 'CLOSED'>)
    >>> normal_close().final_states()
    (<State.CLOSED: 'CLOSED'>, <State.CLOSED: 'CLOSED'>)
    """
    steps = _HANDSHAKE + _CLOSE + ([f"client wait {2 * DEFAULT_MSL:g}"] if wait else [])
    return run_events(steps, client_isn=client_isn, server_isn=server_isn).trace


def simultaneous_open(client_isn: int = 100, server_isn: int = 300) -> Trace:
    """Both ends connect at once (RFC 793 sec. 3.4 figure 8): SYN-SENT, SYN-RECEIVED, ESTABLISHED on each side.

    >>> t = simultaneous_open()
    >>> [str(s) for s in t.segments()]
    ['SYN seq=100', 'SYN seq=300', 'SYN+ACK seq=100 ack=301', 'SYN+ACK seq=300 ack=101']
    >>> t.final_states()
    (<State.ESTABLISHED: 'ESTABLISHED'>, <State.ESTABLISHED: 'ESTABLISHED'>)
    """
    steps = ["client connect", "server connect", "client deliver", "server deliver", "client deliver", "server deliver"]
    return run_events(steps, client_isn=client_isn, server_isn=server_isn).trace


def simultaneous_close(client_isn: int = 100, server_isn: int = 300, wait: bool = True) -> Trace:
    """Both ends close at once: FIN-WAIT-1, then CLOSING, then TIME-WAIT on BOTH sides.

    >>> t = simultaneous_close(wait=False)
    >>> print(t.table())  # doctest: +ELLIPSIS
    step 0 t=0: server listen() | CLOSED LISTEN
    ...
    step 5 t=0: client close() | FIN-WAIT-1 ESTABLISHED
    step 6 t=0: server close() | FIN-WAIT-1 FIN-WAIT-1
    step 7 t=0: deliver client->server FIN+ACK seq=101 ack=301 | FIN-WAIT-1 CLOSING
    step 8 t=0: deliver server->client FIN+ACK seq=301 ack=101 | CLOSING CLOSING
    step 9 t=0: deliver client->server ACK seq=102 ack=302 | CLOSING TIME-WAIT
    step 10 t=0: deliver server->client ACK seq=302 ack=102 | TIME-WAIT TIME-WAIT
    >>> t.final_states()
    (<State.TIME_WAIT: 'TIME-WAIT'>, <State.TIME_WAIT: 'TIME-WAIT'>)
    """
    steps = _HANDSHAKE + ["client close", "server close", "client deliver", "server deliver",
                          "client deliver", "server deliver"]
    steps += [f"client wait {2 * DEFAULT_MSL:g}"] if wait else []
    return run_events(steps, client_isn=client_isn, server_isn=server_isn).trace


def lost_segment(client_isn: int = 100, server_isn: int = 300) -> Trace:
    """Handshake, a data segment lost on the way, the client's timer resends it after the RTO, then the ACK.

    >>> t = lost_segment()
    >>> [(str(e.segment), e.lost) for e in t if e.segment is not None][3:]
    [('ACK seq=101 ack=301 len=5', True), ('ACK seq=101 ack=301 len=5', False), ('ACK seq=301 ack=106', False)]
    """
    steps = _HANDSHAKE + ["client send 5", "client drop", f"client wait {DEFAULT_RTO:g}", "client deliver",
                          "server deliver"]
    return run_events(steps, client_isn=client_isn, server_isn=server_isn).trace


#: The scenario helpers by name (each returns a :class:`Trace`).
SCENARIOS = {
    "handshake": handshake,
    "data transfer": data_transfer,
    "normal close": normal_close,
    "simultaneous open": simultaneous_open,
    "simultaneous close": simultaneous_close,
    "lost segment": lost_segment,
}
