"""TFTP transfers as sans-I/O state machines (RFC 1350, 1123 sec. 4.2, 2347-2349, 7440).

A transfer never touches a socket or a clock. The driver feeds it bytes and
the time, and sends the datagrams it returns::

    out = transfer.start(now)                 # the first datagram(s)
    out = transfer.receive(datagram, now)     # datagrams to send in reply
    transfer.next_timeout()                   # when to call handle_timeout
    out = transfer.handle_timeout(now)        # retransmissions (or an ERROR)

:class:`ClientTransfer` reads (RRQ) or writes (WRQ) a file; :class:`ServerTransfer`
serves one request; :func:`simulate` runs both in virtual time over a lossy
in-memory link (the same trace on every run). With ``trace=True`` a transfer
keeps a ``log`` of every packet. Both send windows of ``windowsize`` blocks (RFC 7440; 1 is
the classic lock-step), number blocks past 65535 by wrapping to 0, end with a
block shorter than ``blksize`` (an empty one when the size is a multiple of it),
and never resend DATA because of a duplicate ACK (RFC 1123 sec. 4.2.3.1, the
Sorcerer's Apprentice bug): only their own timer makes them resend.

A complete transfer, with the server's file in memory:

>>> import io
>>> client = ClientTransfer.read("hi.txt")
>>> server = ServerTransfer(decode(client.start(0)[0]), source=io.BytesIO(b"hello"))
>>> to_server = server.start(0)
>>> to_client = client.receive(to_server[0], 0)
>>> server.receive(to_client[0], 0)
[]
>>> client.state, server.state, bytes(client.received)
(<State.DONE: 'done'>, <State.DONE: 'done'>, b'hello')
>>> client.handle_timeout(5)
Traceback (most recent call last):
...
netedu.errors.LocalProtocolError: client read: event TIMEOUT is not allowed in state DONE
"""

from __future__ import annotations

import enum
import heapq
import io
import random
import struct
from collections.abc import Callable, Collection
from typing import Any, BinaryIO, NamedTuple, Union

from netedu.codecs.tftp import (
    DEFAULT_BLKSIZE,
    MAX_BLKSIZE,
    Ack,
    Data,
    Error,
    ErrorCode,
    Message,
    OptionAck,
    OptionError,
    ReadRequest,
    WriteRequest,
    decode,
    describe,
    describe_message,
    encode,
)
from netedu.errors import LocalProtocolError, PacketError, ProtocolError

__all__ = [
    "State",
    "Event",
    "CLIENT_TRANSITIONS",
    "SERVER_TRANSITIONS",
    "LogEntry",
    "TransferError",
    "ClientTransfer",
    "ServerTransfer",
    "negotiate",
    "error_packet",
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "SimEvent",
    "simulate",
]

DEFAULT_TIMEOUT = 1.0  # seconds before a retransmission
DEFAULT_RETRIES = 5  # retransmissions before giving up
MAX_WINDOWSIZE = 65535  # RFC 7440 sec. 3

_HDR = struct.Struct("!HH")
_pack_hdr = _HDR.pack
_unpack_hdr = _HDR.unpack_from


class State(enum.Enum):
    """States of a transfer (the same names for client and server).

    >>> [s.name for s in State]
    ['IDLE', 'REQUEST_SENT', 'OACK_SENT', 'TRANSFERRING', 'DONE', 'FAILED']
    >>> State("finished")
    Traceback (most recent call last):
    ...
    ValueError: 'finished' is not a valid State
    """

    IDLE = "idle"  # created, nothing sent yet
    REQUEST_SENT = "request sent"  # client: RRQ/WRQ sent, waiting for the server's first reply
    OACK_SENT = "oack sent"  # server: OACK sent, waiting for ACK 0 (read) or DATA 1 (write)
    TRANSFERRING = "transferring"  # DATA and ACKs flowing
    DONE = "done"  # the last block was sent and acknowledged, or received
    FAILED = "failed"  # an ERROR was sent or received, or the peer stayed silent


class Event(enum.Enum):
    """What happens to a transfer: the keys of the transition tables.

    >>> Event.LAST_DATA.value
    'last DATA'
    >>> Event["DATAGRAM"]
    Traceback (most recent call last):
    ...
    KeyError: 'DATAGRAM'
    """

    REQUEST = "request"  # client sends RRQ/WRQ; server accepts one without options
    OACK = "OACK"  # client receives OACK; server sends it
    DATA = "DATA"  # a DATA block that is not the last one (or a duplicate)
    LAST_DATA = "last DATA"  # the short block that ends the transfer
    ACK = "ACK"  # an ACK that does not end the transfer (or a duplicate)
    LAST_ACK = "last ACK"  # the ACK of the last block
    TIMEOUT = "timeout"  # the timer fired: retransmit
    GIVE_UP = "give up"  # too many retransmissions: send ERROR 0 and stop
    ERROR = "ERROR"  # the peer sent ERROR
    FAIL = "fail"  # we send ERROR (bad packet, refused option, file problem)


S, E = State, Event
_CLIENT_ENDINGS = {(s, e): S.FAILED for s in (S.IDLE, S.REQUEST_SENT, S.TRANSFERRING) for e in (E.GIVE_UP, E.ERROR, E.FAIL)}
_SERVER_ENDINGS = {(s, e): S.FAILED for s in (S.IDLE, S.OACK_SENT, S.TRANSFERRING) for e in (E.GIVE_UP, E.ERROR, E.FAIL)}

#: The client's transition table: (state, event) -> next state.
CLIENT_TRANSITIONS: dict[tuple[State, Event], State] = {
    (S.IDLE, E.REQUEST): S.REQUEST_SENT,
    (S.REQUEST_SENT, E.TIMEOUT): S.REQUEST_SENT,  # resend the request
    (S.REQUEST_SENT, E.OACK): S.TRANSFERRING,  # RFC 2347: options accepted
    (S.REQUEST_SENT, E.DATA): S.TRANSFERRING,  # read: server ignored our options, or none asked
    (S.REQUEST_SENT, E.LAST_DATA): S.DONE,  # read: a file shorter than one block
    (S.REQUEST_SENT, E.ACK): S.TRANSFERRING,  # write: ACK 0
    (S.TRANSFERRING, E.DATA): S.TRANSFERRING,
    (S.TRANSFERRING, E.LAST_DATA): S.DONE,
    (S.TRANSFERRING, E.ACK): S.TRANSFERRING,
    (S.TRANSFERRING, E.LAST_ACK): S.DONE,
    (S.TRANSFERRING, E.TIMEOUT): S.TRANSFERRING,
    (S.TRANSFERRING, E.OACK): S.TRANSFERRING,  # the OACK again (our ACK 0 was lost)
    (S.DONE, E.DATA): S.DONE,  # read: the last DATA again (our ACK was lost): ACK it again
    (S.DONE, E.LAST_DATA): S.DONE,
    **_CLIENT_ENDINGS,
}

#: The server's transition table: (state, event) -> next state.
SERVER_TRANSITIONS: dict[tuple[State, Event], State] = {
    (S.IDLE, E.REQUEST): S.TRANSFERRING,  # read: DATA 1 sent; write: ACK 0 sent
    (S.IDLE, E.OACK): S.OACK_SENT,  # RFC 2347: answer the options first
    (S.OACK_SENT, E.TIMEOUT): S.OACK_SENT,
    (S.OACK_SENT, E.ACK): S.TRANSFERRING,  # read: ACK 0 of our OACK
    (S.OACK_SENT, E.LAST_ACK): S.DONE,  # read: never (kept for symmetry with DATA)
    (S.OACK_SENT, E.DATA): S.TRANSFERRING,  # write: DATA 1
    (S.OACK_SENT, E.LAST_DATA): S.DONE,
    (S.TRANSFERRING, E.DATA): S.TRANSFERRING,
    (S.TRANSFERRING, E.LAST_DATA): S.DONE,
    (S.TRANSFERRING, E.ACK): S.TRANSFERRING,
    (S.TRANSFERRING, E.LAST_ACK): S.DONE,
    (S.TRANSFERRING, E.TIMEOUT): S.TRANSFERRING,
    (S.DONE, E.DATA): S.DONE,  # write: the last DATA again (our ACK was lost): ACK it again
    (S.DONE, E.LAST_DATA): S.DONE,
    (S.DONE, E.ACK): S.DONE,  # read: a duplicate of the last ACK: nothing to do
    (S.DONE, E.LAST_ACK): S.DONE,
    **_SERVER_ENDINGS,
}
del S, E


class LogEntry(NamedTuple):
    """One line of a transfer's log: time, what happened, the packet, the state when written.

    A received packet is logged before it is handled, a sent one after.

    >>> e = LogEntry(0.5, "sent", "ACK block=1", State.DONE)
    >>> e.what, e.state
    ('sent', <State.DONE: 'done'>)
    >>> print(e)
       0.500  sent      ACK block=1                               DONE
    """

    time: float
    what: str  # "sent", "received", "timeout", "ignored", "failed"
    packet: str  # the packet described (see netedu.codecs.tftp.describe_message)
    state: State

    def __str__(self) -> str:
        return f"{self.time:8.3f}  {self.what:<8}  {self.packet:<40}  {self.state.name}"


class TransferError(ProtocolError, RuntimeError):
    """A transfer that failed: the peer sent ERROR, stayed silent, or broke the protocol.

    ``code`` is the TFTP error code (0 for a time-out) and ``message`` its text.

    >>> raise TransferError(1, "File not found: 'x'")
    Traceback (most recent call last):
    ...
    netedu.protocols.tftp.TransferError: TFTP error 1 (FILE_NOT_FOUND): File not found: 'x'
    """

    def __init__(self, code: int, message: str) -> None:
        self.code = int(code)
        self.message = message
        name = ErrorCode(code).name if code in ErrorCode._value2member_map_ else "?"
        super().__init__(f"TFTP error {int(code)} ({name}): {message}")


def error_packet(code: int, message: str) -> bytes:
    """Bytes of an ERROR packet (RFC 1350 sec. 5).

    >>> error_packet(ErrorCode.UNKNOWN_TID, "not you")
    b'\\x00\\x05\\x00\\x05not you\\x00'
    >>> error_packet(1, "a\\0b")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: message 'a\\x00b' contains a NUL byte, which ends a string in TFTP (RFC 1350 sec. 5)
    """
    return encode(Error(code=code, message=message))


def negotiate(
    request: ReadRequest | WriteRequest,
    *,
    size: int | None = None,
    max_blksize: int = MAX_BLKSIZE,
    max_windowsize: int = MAX_WINDOWSIZE,
) -> dict[str, int]:
    """The options a server accepts from ``request``: what its OACK carries (RFC 2347).

    ``blksize`` and ``windowsize`` are lowered to the server's limits (RFC 2348,
    RFC 7440); ``timeout`` is accepted as asked (RFC 2349); ``tsize`` is answered
    with ``size`` on a read, echoed on a write (RFC 2349); unknown options are
    ignored (RFC 2347 sec. 2).

    >>> negotiate(ReadRequest(filename="f", options={"blksize": 9000, "tsize": 0, "x": "y"}), size=42, max_blksize=1468)
    {'blksize': 1468, 'tsize': 42}
    >>> negotiate(ReadRequest(filename="f"), max_blksize=4)
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: max_blksize=4 out of range: expected 8-65464 (RFC 2348)
    """
    if not 8 <= max_blksize <= MAX_BLKSIZE:
        raise LocalProtocolError(f"max_blksize={max_blksize} out of range: expected 8-65464 (RFC 2348)")
    accepted: dict[str, int] = {}
    opts = request.options
    if "blksize" in opts:
        accepted["blksize"] = min(int(opts["blksize"]), max_blksize)
    if "timeout" in opts:
        accepted["timeout"] = int(opts["timeout"])
    if "tsize" in opts:
        if isinstance(request, WriteRequest):
            accepted["tsize"] = int(opts["tsize"])
        elif size is not None:
            accepted["tsize"] = size
    if "windowsize" in opts:
        accepted["windowsize"] = min(int(opts["windowsize"]), max_windowsize)
    return accepted


class _Transfer:
    """What clients and servers share: timers, sending and receiving blocks, the log."""

    role = "transfer"
    table: dict[tuple[State, Event], State] = {}

    def __init__(
        self,
        *,
        reading: bool,
        source: BinaryIO | bytes | None,
        sink: BinaryIO | None,
        timeout: float,
        retries: int,
        trace: bool,
    ) -> None:
        if timeout <= 0:
            raise LocalProtocolError(f"timeout must be > 0 seconds, got {timeout!r}")
        if retries < 0:
            raise LocalProtocolError(f"retries must be >= 0, got {retries!r}")
        self.state = State.IDLE
        self.timeout = float(timeout)
        self.retries = retries
        self.trace = trace
        self.log: list[LogEntry] = []
        self.blksize = DEFAULT_BLKSIZE
        self.windowsize = 1
        self.options: dict[str, int] = {}  # the negotiated options
        self.error: Error | None = None  # the ERROR that ended the transfer (sent or received)
        self.bytes = 0  # payload bytes sent or received so far
        self.blocks = 0  # DATA blocks sent or received (first time only)
        self.retransmissions = 0
        self.tsize: int | None = None
        self._reading = reading  # as seen by the side that RECEIVES data? (see subclasses)
        self._deadline: float | None = None
        self._tries = 0
        self._last: list[bytes] = []  # what a timeout resends (request, OACK or ACK)
        # sender side
        if source is None or isinstance(source, (bytes, bytearray, memoryview)):
            source = io.BytesIO(bytes(source or b""))
        self._source: BinaryIO = source
        self._read = source.read
        self._window: list[bytes] = []  # DATA packets sent, not yet acknowledged
        self._base = 1  # absolute number of the first block in _window
        self._next = 1  # absolute number of the next block to read
        self._final: int | None = None  # absolute number of the last block, once read
        # receiver side
        self.received = bytearray() if sink is None else None
        self._sink_write: Callable[[bytes], Any] = sink.write if sink is not None else self.received.extend  # type: ignore[union-attr]
        self._expect = 1  # absolute number of the next block wanted
        self._since_ack = 0  # in-order blocks since our last ACK
        self._gap_acked = False

    # -- the state machine -------------------------------------------------
    def _move(self, event: Event) -> None:
        new = self.table.get((self.state, event))
        if new is None:
            raise LocalProtocolError(f"{self.role}: event {event.name} is not allowed in state {self.state.name}")
        self.state = new

    def _allowed(self, event: Event) -> bool:
        return (self.state, event) in self.table

    def _note(self, what: str, packet: bytes | Message | str, now: float) -> None:
        if isinstance(packet, bytes):
            try:
                text = describe_message(decode(packet))
            except PacketError as exc:
                text = f"malformed ({exc})"
        elif isinstance(packet, str):
            text = packet
        else:
            text = describe_message(packet)
        self.log.append(LogEntry(now, what, text, self.state))

    def _sent(self, packets: list[bytes], now: float) -> list[bytes]:
        if self.trace:
            for p in packets:
                self._note("sent", p, now)
        return packets

    @property
    def done(self) -> bool:
        """True once the transfer completed successfully."""
        return self.state is State.DONE

    @property
    def finished(self) -> bool:
        """True once the transfer is over, successfully or not."""
        return self.state is State.DONE or self.state is State.FAILED

    def next_timeout(self) -> float | None:
        """The time at which :meth:`handle_timeout` should be called, or None."""
        if self.state is State.DONE or self.state is State.FAILED:
            return None
        return self._deadline

    def _arm(self, now: float) -> None:
        self._deadline = now + self.timeout

    def _fail(self, code: int, message: str, now: float, send: bool = True, event: Event = Event.FAIL) -> list[bytes]:
        if self.state is State.DONE:  # a stray or broken packet after the end: ignore it
            return []
        self.error = Error(code=code, message=message)
        self._move(event)
        self._deadline = None
        if self.trace:
            self._note("failed", f"ERROR {int(code)} {message!r}", now)
        return self._sent([encode(self.error)], now) if send else []

    def handle_timeout(self, now: float) -> list[bytes]:
        """Retransmit what is unacknowledged, or give up after ``retries`` tries (ERROR 0).

        Calling it before :meth:`next_timeout` returns nothing.
        """
        if self._deadline is None or self.state in (State.DONE, State.FAILED, State.IDLE):
            self._move(Event.TIMEOUT)  # raises: no timer in this state
        assert self._deadline is not None
        if now < self._deadline:
            return []
        if self._tries >= self.retries:
            return self._fail(
                ErrorCode.NOT_DEFINED, f"timed out: no answer after {self.retries} retransmissions", now, event=Event.GIVE_UP
            )
        self._move(Event.TIMEOUT)
        self._tries += 1
        self.retransmissions += 1
        self._arm(now)
        if self.trace:
            self._note("timeout", f"resend after {self.timeout:g} s (try {self._tries}/{self.retries})", now)
        if self._window:
            return self._sent(list(self._window), now)
        return self._sent(list(self._last), now)

    # -- the sending side ----------------------------------------------------
    def _fill(self) -> list[bytes]:
        """Read blocks until the window is full or the last block was read; return the new packets."""
        new = []
        window = self._window
        read = self._source.read
        size = self.blksize
        while self._final is None and len(window) < self.windowsize:
            n = self._next
            chunk = read(size)
            pkt = _pack_hdr(3, n & 0xFFFF) + chunk
            window.append(pkt)
            new.append(pkt)
            self.blocks += 1
            self.bytes += len(chunk)
            if len(chunk) < size:  # RFC 1350 sec. 6: a short (maybe empty) block is the last
                self._final = n
            self._next = n + 1
        return new

    def _on_ack(self, block: int, now: float) -> list[bytes]:
        """An ACK for wire block number ``block`` reached the sender."""
        base = self._base
        # the absolute block number in [base - 1, base - 1 + 65535] with these low 16 bits
        acked = base - 1 + ((block - base + 1) & 0xFFFF)
        top = base + len(self._window) - 1
        if acked > top or acked == base - 1:
            # RFC 1123 sec. 4.2.3.1: a duplicate (or stale) ACK never triggers a resend
            if self.trace:
                self._note("ignored", "duplicate ACK: no resend (RFC 1123 4.2.3.1)", now)
            return []
        del self._window[: acked - base + 1]
        self._base = acked + 1
        self._tries = 0
        if acked == self._final:
            self._move(Event.LAST_ACK)
            self._deadline = None
            return []
        self._move(Event.ACK)
        # RFC 7440 sec. 4: an ACK inside the window means the rest was lost: resend it
        out = self._window[:] if self._window else []
        out += self._fill()
        self._arm(now)
        return self._sent(out, now) if self.trace else out

    # -- the receiving side --------------------------------------------------
    def _on_data(self, block: int, payload: bytes, now: float) -> list[bytes]:
        expect = self._expect
        if block == expect & 0xFFFF and self.state is not State.DONE:
            self._sink_write(payload)
            self.bytes += len(payload)
            self.blocks += 1
            self._expect = expect + 1
            self._tries = 0
            self._gap_acked = False
            if len(payload) < self.blksize:  # RFC 1350 sec. 6: the last block
                self._move(Event.LAST_DATA)
                self._deadline = None
                self._last = [_pack_hdr(4, block)]
                return self._sent(self._last, now) if self.trace else self._last
            if self.state is not State.TRANSFERRING:  # (TRANSFERRING, DATA) stays: skip the lookup
                self._move(Event.DATA)
            self._since_ack += 1
            self._arm(now)
            if self._since_ack >= self.windowsize:  # RFC 7440: ACK the last block of each window
                self._since_ack = 0
                self._last = [_pack_hdr(4, block)]
                return self._sent(self._last, now) if self.trace else self._last
            return []
        # a duplicate (our ACK was lost) or a block after a gap (one was lost)
        self._move(Event.DATA)
        if self._gap_acked:
            return []
        self._gap_acked = True  # one ACK per episode, so duplicates cannot multiply
        self._since_ack = 0
        self._last = [_pack_hdr(4, (expect - 1) & 0xFFFF)]
        return self._sent(list(self._last), now)

    # -- packets in ----------------------------------------------------------
    def receive(self, data: bytes, now: float) -> list[bytes]:
        """Handle one datagram from the peer; return the datagrams to send back."""
        state = self.state
        if state is State.FAILED or state is State.IDLE:
            raise LocalProtocolError(f"{self.role}: event receive is not allowed in state {state.name}")
        # fast path: the packets of a running transfer, without building messages
        if not self.trace and len(data) >= 4 and state is State.TRANSFERRING:
            op, block = _unpack_hdr(data)
            if op == 4 and len(data) == 4 and self._sends_data:
                base = self._base
                if self.windowsize == 1 and block == base & 0xFFFF and self._final != base:
                    # lock-step: the ACK of the one block in flight, not the last one. This is
                    # (TRANSFERRING, ACK) -> TRANSFERRING of the table, done without the general
                    # bookkeeping of _on_ack: read the next block and send it.
                    n = base + 1
                    chunk = self._read(self.blksize)
                    pkt = _pack_hdr(3, n & 0xFFFF) + chunk
                    self._window[0] = pkt
                    self._base = n
                    self._next = n + 1
                    self.blocks += 1
                    self.bytes += len(chunk)
                    if len(chunk) < self.blksize:  # RFC 1350 sec. 6: a short block is the last
                        self._final = n
                    self._tries = 0
                    self._deadline = now + self.timeout
                    return [pkt]
                return self._on_ack(block, now)
            if op == 3 and not self._sends_data and len(data) - 4 <= self.blksize:
                return self._on_data(block, data[4:], now)
        try:
            msg = decode(data)
        except OptionError as exc:
            return self._fail(ErrorCode.OPTION_REFUSED, str(exc), now)
        except PacketError as exc:
            return self._fail(ErrorCode.ILLEGAL_OPERATION, f"malformed packet: {exc}", now)
        if self.trace:
            self._note("received", msg, now)
        if isinstance(msg, Error):
            self.error = msg
            self._move(Event.ERROR)
            self._deadline = None
            return []
        return self._handle(msg, now)

    _sends_data = False

    def _handle(self, msg: Message, now: float) -> list[bytes]:
        raise NotImplementedError

    def _unexpected(self, msg: Message, now: float) -> list[bytes]:
        event = {Data: Event.DATA, Ack: Event.ACK, OptionAck: Event.OACK}.get(type(msg), Event.REQUEST)
        if self.state is State.DONE:  # a stray packet after the end: nothing to do
            return []
        return self._fail(
            ErrorCode.ILLEGAL_OPERATION,
            f"unexpected {describe_message(msg)} in state {self.state.name} of {self.role}",
            now,
        )

    def _data_message(self, msg: Data, now: float) -> list[bytes]:
        """A decoded DATA for the receiving side (the fast path of :meth:`receive` skips this)."""
        if len(msg.data) > self.blksize:
            return self._fail(
                ErrorCode.ILLEGAL_OPERATION,
                f"DATA block {msg.block} carries {len(msg.data)} bytes, more than blksize {self.blksize}",
                now,
            )
        if self.state is State.DONE:  # our last ACK was lost: send it again
            return self._sent(list(self._last), now) if msg.block == (self._expect - 1) & 0xFFFF else []
        return self._on_data(msg.block, msg.data, now)

    def _use_options(self, options: dict[str, int]) -> None:
        """Adopt the negotiated options: block size, window size, and the timeout (RFC 2348, 7440, 2349)."""
        self.options = options
        self.blksize = options.get("blksize", DEFAULT_BLKSIZE)
        self.windowsize = options.get("windowsize", 1)
        if "timeout" in options:
            self.timeout = float(options["timeout"])

    def _send_first_window(self, event: Event, now: float) -> list[bytes]:
        """The peer's ACK 0 (or, on a client's write, its OACK) lets DATA flow: send the first window."""
        self._move(event)
        self._tries = 0
        self._last = []
        out = self._fill()
        self._arm(now)
        return self._sent(out, now)


_Request = Union[ReadRequest, WriteRequest]


def _request_options(
    blksize: int | None, timeout: int | None, tsize: int | None, windowsize: int | None
) -> dict[str, int | str]:
    """The options of a request, in the order they go on the wire; None leaves one out."""
    options: dict[str, int | str] = {}
    for name, value in (("blksize", blksize), ("timeout", timeout), ("tsize", tsize), ("windowsize", windowsize)):
        if value is not None:
            options[name] = value
    return options


class ClientTransfer(_Transfer):
    """A client's side of one transfer: read (RRQ) or write (WRQ) a file.

    Build one with :meth:`read` or :meth:`write`. A read collects the file in
    ``received`` (or writes it to ``sink``); a write sends ``source``.

    >>> c = ClientTransfer.read("f", blksize=1468, trace=True)
    >>> c.start(0.0)
    [b'\\x00\\x01f\\x00octet\\x00blksize\\x001468\\x00']
    >>> c.receive(b"\\x00\\x06blksize\\x001468\\x00", 0.1)
    [b'\\x00\\x04\\x00\\x00']
    >>> c.receive(b"\\x00\\x03\\x00\\x01end", 0.2)
    [b'\\x00\\x04\\x00\\x01']
    >>> for line in c.log: print(line)
       0.000  sent      RRQ 'f' octet blksize=1468                REQUEST_SENT
       0.100  received  OACK blksize=1468                         REQUEST_SENT
       0.100  sent      ACK block=0                               TRANSFERRING
       0.200  received  DATA block=1 (3 bytes)                    TRANSFERRING
       0.200  sent      ACK block=1                               DONE
    >>> ClientTransfer.read("f", blksize=7)
    Traceback (most recent call last):
    ...
    netedu.codecs.tftp.OptionError: option blksize=7 out of range: expected 8-65464 (RFC 2348)
    """

    table = CLIENT_TRANSITIONS

    def __init__(
        self,
        request: _Request,
        *,
        source: BinaryIO | bytes | None = None,
        sink: BinaryIO | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        trace: bool = False,
    ) -> None:
        if not isinstance(request, (ReadRequest, WriteRequest)):
            raise LocalProtocolError(f"a client transfer starts with a ReadRequest or WriteRequest, not {type(request).__name__}")
        reading = isinstance(request, ReadRequest)
        super().__init__(reading=reading, source=source, sink=sink, timeout=timeout, retries=retries, trace=trace)
        self.request = request
        self.role = "client read" if reading else "client write"
        self._sends_data = not reading
        if "tsize" in request.options and not reading:
            self.tsize = int(request.options["tsize"])

    @classmethod
    def read(
        cls,
        filename: str,
        *,
        mode: str = "octet",
        blksize: int | None = None,
        windowsize: int | None = None,
        tsize: bool = False,
        timeout_option: int | None = None,
        sink: BinaryIO | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        trace: bool = False,
    ) -> "ClientTransfer":
        """A read of ``filename``; options are only sent when given (``tsize=True`` asks the size)."""
        options = _request_options(blksize, timeout_option, 0 if tsize else None, windowsize)
        request = ReadRequest(filename=filename, mode=mode, options=options)
        return cls(request, sink=sink, timeout=timeout, retries=retries, trace=trace)

    @classmethod
    def write(
        cls,
        filename: str,
        source: BinaryIO | bytes,
        *,
        mode: str = "octet",
        blksize: int | None = None,
        windowsize: int | None = None,
        size: int | None = None,
        timeout_option: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        trace: bool = False,
    ) -> "ClientTransfer":
        """A write of ``source`` (bytes or a binary file) as ``filename``; ``size`` sends tsize."""
        options = _request_options(blksize, timeout_option, size, windowsize)
        request = WriteRequest(filename=filename, mode=mode, options=options)
        return cls(request, source=source, timeout=timeout, retries=retries, trace=trace)

    def start(self, now: float) -> list[bytes]:
        """Send the request; return ``[request bytes]``."""
        self._move(Event.REQUEST)
        self._last = [encode(self.request)]
        self._arm(now)
        return self._sent(list(self._last), now)

    def _on_oack(self, msg: OptionAck, now: float) -> list[bytes]:
        asked = self.request.options
        for name, value in msg.options.items():
            # RFC 2347 sec. 2: the server may only answer options the client asked for
            if name not in asked:
                return self._fail(ErrorCode.OPTION_REFUSED, f"server answered option {name!r} that was not asked", now)
            if name in ("blksize", "windowsize") and int(value) > int(asked[name]):
                return self._fail(
                    ErrorCode.OPTION_REFUSED, f"server raised {name} from {asked[name]} to {value} (RFC 2348/7440)", now
                )
            if name == "timeout" and int(value) != int(asked[name]):
                return self._fail(ErrorCode.OPTION_REFUSED, f"server changed timeout from {asked[name]} to {value} (RFC 2349)", now)
        self._use_options({k: int(v) for k, v in msg.options.items() if isinstance(v, int)})
        if "tsize" in self.options and self._reading:
            self.tsize = self.options["tsize"]
        if not self._reading:
            return self._send_first_window(Event.OACK, now)  # write: the OACK stands for ACK 0
        self._move(Event.OACK)
        self._tries = 0
        # RFC 2347 sec. 2: the client acknowledges an OACK on a read with ACK 0
        self._last = [_pack_hdr(4, 0)]
        self._arm(now)
        return self._sent(list(self._last), now)

    def _handle(self, msg: Message, now: float) -> list[bytes]:
        state = self.state
        if isinstance(msg, OptionAck) and state is State.REQUEST_SENT:
            return self._on_oack(msg, now)
        if isinstance(msg, OptionAck) and state is State.TRANSFERRING and msg.options == self.options:
            self._move(Event.OACK)  # the server resent its OACK: our ACK 0 (read) was lost
            if self._reading and self._expect == 1:
                return self._sent([_pack_hdr(4, 0)], now)
            return []  # write: our DATA is on its way, or our timer resends it
        if isinstance(msg, Data) and self._reading and not (state is State.REQUEST_SENT and msg.block != 1):
            return self._data_message(msg, now)
        if isinstance(msg, Ack) and not self._reading:
            if state is State.REQUEST_SENT:
                if msg.block != 0:
                    return self._unexpected(msg, now)
                return self._send_first_window(Event.ACK, now)  # ACK 0: the server accepted our WRQ without options
            if state is State.TRANSFERRING:
                return self._on_ack(msg.block, now)
        return self._unexpected(msg, now)


class ServerTransfer(_Transfer):
    """A server's side of one transfer, created from the client's request.

    For a read (RRQ) give ``source`` (a binary file or bytes) and, for tsize,
    ``size``; for a write (WRQ) the data goes to ``sink`` (or ``received``).
    The driver checks the file name and permissions before it creates one.

    >>> s = ServerTransfer(WriteRequest(filename="up"), trace=True)
    >>> s.start(0)
    [b'\\x00\\x04\\x00\\x00']
    >>> s.receive(b"\\x00\\x03\\x00\\x01abc", 1)
    [b'\\x00\\x04\\x00\\x01']
    >>> s.state, bytes(s.received)
    (<State.DONE: 'done'>, b'abc')
    >>> ServerTransfer(Ack(block=1))
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: a server transfer starts from a ReadRequest or WriteRequest, not Ack
    """

    table = SERVER_TRANSITIONS

    def __init__(
        self,
        request: _Request,
        *,
        source: BinaryIO | bytes | None = None,
        sink: BinaryIO | None = None,
        size: int | None = None,
        max_blksize: int = MAX_BLKSIZE,
        max_windowsize: int = MAX_WINDOWSIZE,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        trace: bool = False,
    ) -> None:
        if not isinstance(request, (ReadRequest, WriteRequest)):
            raise LocalProtocolError(f"a server transfer starts from a ReadRequest or WriteRequest, not {type(request).__name__}")
        reading = isinstance(request, ReadRequest)  # the client reads: we send
        super().__init__(reading=reading, source=source, sink=sink, timeout=timeout, retries=retries, trace=trace)
        if size is None and reading and isinstance(source, (bytes, bytearray)):
            size = len(source)
        self.request = request
        self.role = "server read" if reading else "server write"
        self._sends_data = reading
        self._use_options(negotiate(request, size=size, max_blksize=max_blksize, max_windowsize=max_windowsize))
        self.tsize = self.options.get("tsize", size)

    def start(self, now: float) -> list[bytes]:
        """Answer the request: OACK if options were accepted, else DATA 1 (read) or ACK 0 (write)."""
        if self.trace:
            self._note("received", self.request, now)
        self._arm(now)
        if self.options:
            self._move(Event.OACK)
            self._last = [encode(OptionAck(options=self.options))]
            return self._sent(list(self._last), now)
        self._move(Event.REQUEST)
        if self._sends_data:
            return self._sent(self._fill(), now)
        self._last = [_pack_hdr(4, 0)]
        return self._sent(list(self._last), now)

    def _handle(self, msg: Message, now: float) -> list[bytes]:
        state = self.state
        if self._sends_data and isinstance(msg, Ack):
            if state is State.OACK_SENT:
                if msg.block != 0:
                    return self._unexpected(msg, now)
                return self._send_first_window(Event.ACK, now)  # RFC 2347: ACK 0 answers our OACK
            if state is State.TRANSFERRING:
                return self._on_ack(msg.block, now)
            if state is State.DONE:
                return []
        if not self._sends_data and isinstance(msg, Data):
            return self._data_message(msg, now)
        if isinstance(msg, (ReadRequest, WriteRequest)) and state is State.OACK_SENT and msg == self.request:
            return []  # the client resent its request to the old port; our timer will resend the OACK
        return self._unexpected(msg, now)


class SimEvent(NamedTuple):
    """One line of :func:`simulate`: a datagram sent (and whether the link lost it), or a timer.

    >>> print(SimEvent(0.001, "server", "DATA block=1 (512 bytes)", delivered=False))
      0.001  server -> client  DATA block=1 (512 bytes)   LOST
    >>> print(SimEvent(1.0, "client", "retransmit (try 1 of 5)", True, kind="timeout"))
      1.000  client  timer fires: retransmit (try 1 of 5)
    """

    time: float  # virtual seconds since the start
    sender: str  # "client" or "server"
    packet: str  # the datagram described, or what the timer did
    delivered: bool  # False: the link lost this datagram
    kind: str = "packet"  # "packet" or "timeout"

    def __str__(self) -> str:
        if self.kind == "timeout":
            return f"{self.time:7.3f}  {self.sender:>6}  timer fires: {self.packet}"
        other = "server" if self.sender == "client" else "client"
        lost = "" if self.delivered else "   LOST"
        return f"{self.time:7.3f}  {self.sender:>6} -> {other:<6}  {self.packet}{lost}"


def simulate(
    client: ClientTransfer,
    make_server: Callable[[ReadRequest | WriteRequest], ServerTransfer],
    *,
    loss: float = 0.0,
    drop: Collection[int] = (),
    seed: int = 0,
    delay: float = 0.001,
    max_datagrams: int = 1_000_000,
) -> list[SimEvent]:
    """Run a whole transfer in memory, in virtual time, over a link that may lose datagrams.

    ``make_server(request)`` builds the server's side from the client's
    request. Datagram number ``n`` (counting from 1 in the order sent, both
    ways) is lost if ``n`` is in ``drop``, or with probability ``loss`` (seeded
    by ``seed``). Each datagram takes ``delay`` seconds. The result is the
    same on every run: a notebook can print it.

    >>> client = ClientTransfer.read("f", timeout=1.0)
    >>> for e in simulate(client, lambda req: ServerTransfer(req, source=bytes(600)), drop={2}):
    ...     print(e)
      0.000  client -> server  RRQ 'f' octet
      0.001  server -> client  DATA block=1 (512 bytes)   LOST
      1.000  client  timer fires: retransmit (try 1 of 5)
      1.000  client -> server  RRQ 'f' octet
      1.001  server  timer fires: retransmit (try 1 of 5)
      1.001  server -> client  DATA block=1 (512 bytes)
      1.002  client -> server  ACK block=1
      1.003  server -> client  DATA block=2 (88 bytes)
      1.004  client -> server  ACK block=2
    >>> bytes(client.received) == bytes(600)
    True
    >>> simulate(client, lambda req: ServerTransfer(req))
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: client read: event REQUEST is not allowed in state DONE
    """
    rng = random.Random(seed)
    events: list[SimEvent] = []
    queue: list[tuple[float, int, str, bytes]] = []
    count = 0
    now = 0.0
    server: ServerTransfer | None = None

    def send(sender: str, packets: list[bytes]) -> None:
        nonlocal count
        for p in packets:
            count += 1
            lost = count in drop or (loss > 0 and rng.random() < loss)
            events.append(SimEvent(round(now, 6), sender, describe(p), not lost))
            if not lost:
                heapq.heappush(queue, (now + delay, count, "server" if sender == "client" else "client", p))

    send("client", client.start(now))
    while count <= max_datagrams:
        timers = [(t, name) for name, m in (("client", client), ("server", server)) if m is not None and (t := m.next_timeout()) is not None]
        next_timer = min(timers) if timers else None
        if queue and (next_timer is None or queue[0][0] <= next_timer[0]):
            now, _, dest, packet = heapq.heappop(queue)
            if dest == "server":
                if server is None:
                    server = make_server(decode(packet))  # type: ignore[arg-type]
                    send("server", server.start(now))
                elif packet[:2] in (b"\x00\x01", b"\x00\x02"):
                    pass  # a resent request: the server's driver ignores it, its transfer answers
                elif server.state is not State.FAILED:
                    send("server", server.receive(packet, now))
            elif client.state is not State.FAILED:
                send("client", client.receive(packet, now))
            continue
        if next_timer is None:
            break
        now, name = next_timer
        m = client if name == "client" else server
        assert m is not None
        out = m.handle_timeout(now)
        if m.state is State.FAILED:
            what = f"give up after {m.retries} retransmissions"
        else:
            what = f"retransmit (try {m._tries} of {m.retries})"
        events.append(SimEvent(round(now, 6), name, what, True, "timeout"))
        send(name, out)
    return events
