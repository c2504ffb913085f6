"""TFTP packets: bytes <-> frozen dataclasses (RFC 1350, with options RFC 2347-2349, 7440).

Six packet types, each starting with a 2-byte big-endian opcode::

    RRQ / WRQ  | 01/02 | filename | 0 | mode | 0 | [opt | 0 | value | 0]...
    DATA       | 03    | block (2 bytes) | 0-512 bytes of data (or blksize)
    ACK        | 04    | block (2 bytes)
    ERROR      | 05    | error code (2 bytes) | message | 0
    OACK       | 06    | opt | 0 | value | 0 | ...

>>> encode(ReadRequest(filename="hello.txt"))
b'\\x00\\x01hello.txt\\x00octet\\x00'
>>> decode(b"\\x00\\x03\\x00\\x01hi")
Data(block=1, data=b'hi')
>>> decode(b"\\x00\\x09")
Traceback (most recent call last):
...
netedu.errors.PacketError: unknown TFTP opcode 9 in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Union

from netedu.errors import PacketError

__all__ = [
    "Opcode",
    "ErrorCode",
    "ReadRequest",
    "WriteRequest",
    "Data",
    "Ack",
    "Error",
    "OptionAck",
    "Message",
    "OptionError",
    "Field",
    "encode",
    "decode",
    "fields",
    "describe",
    "describe_message",
    "validate_option",
    "to_netascii",
    "from_netascii",
    "MODES",
    "KNOWN_OPTIONS",
    "OPTION_LIMITS",
    "DEFAULT_BLKSIZE",
    "MAX_BLKSIZE",
    "MAX_REQUEST",
]

DEFAULT_BLKSIZE = 512  # RFC 1350 sec. 6: "data field from zero to 512 bytes long"
MAX_BLKSIZE = 65464  # RFC 2348: blksize between 8 and 65464 octets
MIN_BLKSIZE = 8
MAX_REQUEST = 512  # RFC 2347 sec. 2: "the overall request packet must not exceed 512 octets"
MODES = ("netascii", "octet", "mail")  # RFC 1350 sec. 5 (mode is case-insensitive)

# Option name -> (lowest, highest) accepted value; None = no upper bound.
OPTION_LIMITS: dict[str, tuple[int, int | None]] = {
    "blksize": (MIN_BLKSIZE, MAX_BLKSIZE),  # RFC 2348
    "timeout": (1, 255),  # RFC 2349 sec. "Timeout Interval Option": 1-255 seconds
    "tsize": (0, None),  # RFC 2349 sec. "Transfer Size Option": size in octets
    "windowsize": (1, 65535),  # RFC 7440 sec. 3: 1-65535 blocks
}
KNOWN_OPTIONS = tuple(OPTION_LIMITS)


class Opcode(enum.IntEnum):
    """The opcode in the first two bytes of every TFTP packet (RFC 1350 sec. 5, RFC 2347).

    >>> Opcode(3).name
    'DATA'
    >>> Opcode(9)
    Traceback (most recent call last):
    ...
    ValueError: 9 is not a valid Opcode
    """

    RRQ = 1  # read request
    WRQ = 2  # write request
    DATA = 3
    ACK = 4
    ERROR = 5
    OACK = 6  # option acknowledgment, RFC 2347


class ErrorCode(enum.IntEnum):
    """Error codes of an ERROR packet (RFC 1350 appendix; 8 from RFC 2347).

    >>> ErrorCode(1).name
    'FILE_NOT_FOUND'
    >>> ErrorCode(9)
    Traceback (most recent call last):
    ...
    ValueError: 9 is not a valid ErrorCode
    """

    NOT_DEFINED = 0  # see the error message
    FILE_NOT_FOUND = 1
    ACCESS_VIOLATION = 2
    DISK_FULL = 3  # disk full or allocation exceeded
    ILLEGAL_OPERATION = 4  # illegal TFTP operation
    UNKNOWN_TID = 5  # unknown transfer ID
    FILE_EXISTS = 6  # file already exists
    NO_SUCH_USER = 7
    OPTION_REFUSED = 8  # RFC 2347: terminate transfer due to option negotiation


class OptionError(PacketError):
    """An option with a value outside its RFC range (answered with ERROR 8).

    >>> validate_option("blksize", "4")
    Traceback (most recent call last):
    ...
    netedu.codecs.tftp.OptionError: option blksize=4 out of range: expected 8-65464 (RFC 2348)
    """


_OPTION_RFC = {"blksize": "RFC 2348", "timeout": "RFC 2349", "tsize": "RFC 2349", "windowsize": "RFC 7440"}


def validate_option(name: str, value: object) -> int | str:
    """Check one option and return its value: an ``int`` for known options, else ``str``.

    Names are case-insensitive (RFC 2347 sec. 2); give them in lower case.

    >>> validate_option("blksize", "1468")
    1468
    >>> validate_option("windowsize", 16)
    16
    >>> validate_option("colour", "blue")
    'blue'
    >>> validate_option("timeout", "abc")
    Traceback (most recent call last):
    ...
    netedu.codecs.tftp.OptionError: option timeout='abc' is not a whole number: expected 1-255 (RFC 2349)
    """
    if name not in OPTION_LIMITS:
        return str(value)
    low, high = OPTION_LIMITS[name]
    expected = f"{low}-{high}" if high is not None else f"at least {low}"
    rfc = _OPTION_RFC[name]
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OptionError(f"option {name}={value!r} is not a whole number: expected {expected} ({rfc})") from None
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit():
            raise OptionError(f"option {name}={value!r} is not a whole number: expected {expected} ({rfc})") from None
        number = int(value)
    else:
        number = value
    if number < low or (high is not None and number > high):
        raise OptionError(f"option {name}={number} out of range: expected {expected} ({rfc})")
    return number


def _check_options(options: Mapping[str, object]) -> dict[str, int | str]:
    if not isinstance(options, Mapping):
        raise PacketError(f"options must be a mapping of name to value, got {type(options).__name__}")
    checked: dict[str, int | str] = {}
    for name, value in options.items():
        if not isinstance(name, str) or not name or "\0" in name or not name.isascii():
            raise PacketError(f"option name {name!r} must be non-empty ASCII text without NUL (RFC 2347 sec. 2)")
        if name.lower() in checked:
            raise PacketError(f"option {name.lower()!r} given twice (RFC 2347 sec. 2)")
        checked[name.lower()] = validate_option(name.lower(), value)  # names are case-insensitive
        if isinstance(checked[name.lower()], str) and "\0" in str(value):
            raise PacketError(f"option {name!r} value contains a NUL byte (RFC 2347 sec. 2)")
    return checked


def _check_text(what: str, text: object, allow_empty: bool = False) -> None:
    if not isinstance(text, str):
        raise PacketError(f"{what} must be str, got {type(text).__name__}")
    if not text and not allow_empty:
        raise PacketError(f"{what} must not be empty (RFC 1350 sec. 5)")
    if "\0" in text:
        raise PacketError(f"{what} {text!r} contains a NUL byte, which ends a string in TFTP (RFC 1350 sec. 5)")


def _check_u16(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise PacketError(f"{what} must be an int 0-65535 (2 bytes, RFC 1350 sec. 5), got {value!r}")


@dataclass(frozen=True, kw_only=True)
class _Request:
    """Common fields of RRQ and WRQ."""

    filename: str
    mode: str = "octet"
    options: dict[str, int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_text("filename", self.filename)  # RFC 1350 sec. 5: string then a 0 byte
        _check_text("mode", self.mode)
        if self.mode.lower() not in MODES:  # RFC 1350 sec. 5: mode is case-insensitive
            raise PacketError(f"unknown mode {self.mode!r}: expected netascii, octet or mail (RFC 1350 sec. 5)")
        object.__setattr__(self, "mode", self.mode.lower())
        object.__setattr__(self, "options", _check_options(self.options))


@dataclass(frozen=True, kw_only=True)
class ReadRequest(_Request):
    """RRQ: ask to read ``filename`` from the server (RFC 1350 sec. 5, options RFC 2347).

    >>> ReadRequest(filename="a.txt", options={"blksize": "1468"})
    ReadRequest(filename='a.txt', mode='octet', options={'blksize': 1468})
    >>> ReadRequest(filename="a.txt", mode="binary")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: unknown mode 'binary': expected netascii, octet or mail (RFC 1350 sec. 5)
    """

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.RRQ


@dataclass(frozen=True, kw_only=True)
class WriteRequest(_Request):
    """WRQ: ask to write ``filename`` on the server (RFC 1350 sec. 5).

    >>> WriteRequest(filename="up.bin").opcode
    <Opcode.WRQ: 2>
    >>> WriteRequest(filename="")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: filename must not be empty (RFC 1350 sec. 5)
    """

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.WRQ


@dataclass(frozen=True, kw_only=True)
class Data:
    """DATA: block number ``block`` (1, 2, ... wrapping after 65535) and its bytes.

    A block shorter than the block size (possibly empty) ends the transfer
    (RFC 1350 sec. 6).

    >>> Data(block=1, data=b"hello")
    Data(block=1, data=b'hello')
    >>> Data(block=70000, data=b"")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: block must be an int 0-65535 (2 bytes, RFC 1350 sec. 5), got 70000
    """

    block: int
    data: bytes

    def __post_init__(self) -> None:
        _check_u16("block", self.block)
        if not isinstance(self.data, (bytes, bytearray, memoryview)):
            raise PacketError(f"data must be bytes, got {type(self.data).__name__}")
        if len(self.data) > MAX_BLKSIZE:  # RFC 2348: blksize at most 65464
            raise PacketError(f"data of {len(self.data)} bytes is oversize: at most {MAX_BLKSIZE} (RFC 2348)")
        object.__setattr__(self, "data", bytes(self.data))

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.DATA


@dataclass(frozen=True, kw_only=True)
class Ack:
    """ACK: acknowledges DATA ``block``; block 0 acknowledges a WRQ (RFC 1350 sec. 5).

    >>> Ack(block=0)
    Ack(block=0)
    >>> Ack(block=-1)
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: block must be an int 0-65535 (2 bytes, RFC 1350 sec. 5), got -1
    """

    block: int

    def __post_init__(self) -> None:
        _check_u16("block", self.block)

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.ACK


@dataclass(frozen=True, kw_only=True)
class Error:
    """ERROR: ends a transfer with a code and a human-readable message (RFC 1350 sec. 5).

    >>> Error(code=1, message="no such file")
    Error(code=<ErrorCode.FILE_NOT_FOUND: 1>, message='no such file')
    >>> Error(code=1, message="bad\\0")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: message 'bad\\x00' contains a NUL byte, which ends a string in TFTP (RFC 1350 sec. 5)
    """

    code: int
    message: str = ""

    def __post_init__(self) -> None:
        _check_u16("code", self.code)
        _check_text("message", self.message, allow_empty=True)
        if self.code in ErrorCode._value2member_map_:
            object.__setattr__(self, "code", ErrorCode(self.code))

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.ERROR


@dataclass(frozen=True, kw_only=True)
class OptionAck:
    """OACK: the options the server accepted, with their values (RFC 2347 sec. 2).

    >>> OptionAck(options={"blksize": 1468, "tsize": "100"})
    OptionAck(options={'blksize': 1468, 'tsize': 100})
    >>> OptionAck(options={"windowsize": 0})
    Traceback (most recent call last):
    ...
    netedu.codecs.tftp.OptionError: option windowsize=0 out of range: expected 1-65535 (RFC 7440)
    """

    options: dict[str, int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _check_options(self.options))

    @property
    def opcode(self) -> Opcode:
        """The packet's opcode."""
        return Opcode.OACK


Message = Union[ReadRequest, WriteRequest, Data, Ack, Error, OptionAck]

_U16 = struct.Struct("!H")
_U16x2 = struct.Struct("!HH")


def _strings(items: list[str]) -> bytes:
    return b"".join(s.encode("utf-8") + b"\0" for s in items)


def encode(msg: Message) -> bytes:
    """Return the bytes of a TFTP packet.

    >>> encode(Ack(block=258)).hex(" ")
    '00 04 01 02'
    >>> encode(Error(code=ErrorCode.FILE_NOT_FOUND, message="nope"))
    b'\\x00\\x05\\x00\\x01nope\\x00'
    >>> encode("hello")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: cannot encode str: expected ReadRequest, WriteRequest, Data, Ack, Error or OptionAck
    """
    if isinstance(msg, Data):
        return _U16x2.pack(3, msg.block) + msg.data
    if isinstance(msg, Ack):
        return _U16x2.pack(4, msg.block)
    if isinstance(msg, _Request):  # RRQ or WRQ
        parts = [msg.filename, msg.mode]
        for name, value in msg.options.items():
            parts += [name, str(value)]
        out = _U16.pack(msg.opcode) + _strings(parts)
        if len(out) > MAX_REQUEST:
            raise PacketError(f"request of {len(out)} bytes is oversize: at most {MAX_REQUEST} (RFC 2347 sec. 2)")
        return out
    if isinstance(msg, Error):
        return _U16x2.pack(5, msg.code) + _strings([msg.message])
    if isinstance(msg, OptionAck):
        parts = []
        for name, value in msg.options.items():
            parts += [name, str(value)]
        return _U16.pack(6) + _strings(parts)
    raise PacketError(
        f"cannot encode {type(msg).__name__}: expected ReadRequest, WriteRequest, Data, Ack, Error or OptionAck"
    )


class Field(NamedTuple):
    """One field of a packet: its name, byte span ``data[start:end]`` and decoded value.

    >>> packet = encode(Ack(block=7))
    >>> f = fields(packet)[1]
    >>> f
    Field(name='block', start=2, end=4, value=7)
    >>> packet[f.start:f.end]
    b'\\x00\\x07'
    >>> Field("opcode", 0, 2)
    Traceback (most recent call last):
    ...
    TypeError: Field.__new__() missing 1 required positional argument: 'value'
    """

    name: str
    start: int
    end: int
    value: object


def _split_strings(data: bytes, start: int, what: str) -> list[tuple[int, int]]:
    """Spans of the NUL-terminated strings from ``start`` to the end of ``data``."""
    spans = []
    pos = start
    n = len(data)
    while pos < n:
        nul = data.find(b"\0", pos)
        if nul < 0:
            raise PacketError(
                f"missing NUL byte after the {what} starting at byte {pos}: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)"
            )
        spans.append((pos, nul))
        pos = nul + 1
    return spans


def _text(data: bytes, start: int, end: int, what: str) -> str:
    try:
        return data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        raise PacketError(f"{what} in bytes {start}-{end - 1} is not valid UTF-8 text: {data[start:end]!r}") from None


def _parse(data: bytes) -> tuple[Message, list[Field]]:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise PacketError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    n = len(data)
    if n == 0:
        raise PacketError("empty packet: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)")
    if n < 2:
        raise PacketError(f"packet of 1 byte is too short: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)")
    op = _U16.unpack_from(data)[0]
    if op not in Opcode._value2member_map_:
        raise PacketError(f"unknown TFTP opcode {op} in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)")
    opcode = Opcode(op)
    out = [Field("opcode", 0, 2, opcode)]
    if opcode in (Opcode.DATA, Opcode.ACK, Opcode.ERROR):
        if n < 4:
            raise PacketError(f"{opcode.name} packet of {n} bytes is too short: expected at least 4 (RFC 1350 sec. 5)")
        number = _U16.unpack_from(data, 2)[0]
    if opcode is Opcode.DATA:
        if n - 4 > MAX_BLKSIZE:  # RFC 2348
            raise PacketError(f"DATA packet of {n} bytes is oversize: at most {MAX_BLKSIZE + 4} (RFC 2348)")
        out += [Field("block", 2, 4, number), Field("data", 4, n, data[4:])]
        return Data(block=number, data=data[4:]), out
    if opcode is Opcode.ACK:
        if n != 4:
            raise PacketError(f"ACK packet of {n} bytes: expected exactly 4 (RFC 1350 sec. 5)")
        out.append(Field("block", 2, 4, number))
        return Ack(block=number), out
    if opcode is Opcode.ERROR:
        spans = _split_strings(data, 4, "error message")
        if len(spans) != 1:
            raise PacketError(f"ERROR packet has {len(spans)} strings after the code: expected 1 message (RFC 1350 sec. 5)")
        s, e = spans[0]
        message = _text(data, s, e, "error message")
        code = ErrorCode(number) if number in ErrorCode._value2member_map_ else number
        out += [Field("error code", 2, 4, code), Field("message", s, e, message), Field("NUL", e, e + 1, 0)]
        return Error(code=number, message=message), out
    # RRQ, WRQ, OACK: NUL-terminated strings
    if opcode in (Opcode.RRQ, Opcode.WRQ) and n > MAX_REQUEST:
        raise PacketError(f"{opcode.name} of {n} bytes is oversize: at most {MAX_REQUEST} (RFC 2347 sec. 2)")
    spans = _split_strings(data, 2, "filename" if opcode is not Opcode.OACK else "option name")
    strings = [_text(data, s, e, "string") for s, e in spans]
    first = 0
    if opcode is not Opcode.OACK:
        if len(spans) < 2:
            raise PacketError(f"{opcode.name} has no mode: expected filename, 0, mode, 0 (RFC 1350 sec. 5)")
        if not strings[0]:
            raise PacketError(f"{opcode.name} has an empty filename (RFC 1350 sec. 5)")
        if strings[1].lower() not in MODES:
            raise PacketError(
                f"unknown mode {strings[1]!r} in bytes {spans[1][0]}-{spans[1][1]}: expected netascii, octet or mail (RFC 1350 sec. 5)"
            )
        for label, (s, e), value in (("filename", spans[0], strings[0]), ("mode", spans[1], strings[1])):
            out += [Field(label, s, e, value), Field("NUL", e, e + 1, 0)]
        first = 2
    rest = list(zip(spans[first:], strings[first:]))
    if len(rest) % 2:
        (s, e), name = rest[-1]
        raise PacketError(f"option {name!r} at byte {s} has no value: options come in name, 0, value, 0 pairs (RFC 2347 sec. 2)")
    options: dict[str, object] = {}
    for i in range(0, len(rest), 2):
        (ns, ne), name = rest[i]
        (vs, ve), value = rest[i + 1]
        if not name:
            raise PacketError(f"empty option name at byte {ns} (RFC 2347 sec. 2)")
        key = name.lower()
        if key in options:
            raise PacketError(f"option {key!r} given twice (RFC 2347 sec. 2)")
        options[key] = validate_option(key, value)
        out += [
            Field("option name", ns, ne, key), Field("NUL", ne, ne + 1, 0),
            Field("option value", vs, ve, options[key]), Field("NUL", ve, ve + 1, 0),
        ]
    if opcode is Opcode.OACK:
        return OptionAck(options=options), out  # type: ignore[arg-type]
    cls = ReadRequest if opcode is Opcode.RRQ else WriteRequest
    return cls(filename=strings[0], mode=strings[1], options=options), out  # type: ignore[arg-type]


def decode(data: bytes) -> Message:
    """Decode the bytes of one TFTP packet, or raise :class:`~netedu.errors.PacketError`.

    >>> decode(b"\\x00\\x01f\\x00octet\\x00blksize\\x001468\\x00")
    ReadRequest(filename='f', mode='octet', options={'blksize': 1468})
    >>> decode(b"\\x00\\x04\\x00\\x07")
    Ack(block=7)
    >>> decode(b"")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: empty packet: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)
    >>> decode(b"\\x00\\x01f\\x00octet")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: missing NUL byte after the filename starting at byte 4: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)
    """
    return _parse(data)[0]


def fields(data: bytes) -> list[Field]:
    """List each field of a packet as ``Field(name, start, end, value)``; ``data[start:end]`` are its bytes.

    >>> for f in fields(b"\\x00\\x05\\x00\\x01no\\x00"):
    ...     print(f.name, f.start, f.end, repr(f.value))
    opcode 0 2 <Opcode.ERROR: 5>
    error code 2 4 <ErrorCode.FILE_NOT_FOUND: 1>
    message 4 6 'no'
    NUL 6 7 0
    >>> fields(b"\\x00")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: packet of 1 byte is too short: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)
    """
    return _parse(data)[1]


def to_netascii(data: bytes) -> bytes:
    r"""Convert local text (lines end in ``\n``) to netascii: LF -> CR LF, CR -> CR NUL (RFC 764).

    >>> to_netascii(b"a\nb\rc")
    b'a\r\nb\r\x00c'
    >>> to_netascii("text")
    Traceback (most recent call last):
    ...
    TypeError: to_netascii expects bytes, got str
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"to_netascii expects bytes, got {type(data).__name__}")
    return bytes(data).replace(b"\r", b"\r\0").replace(b"\n", b"\r\n")


def from_netascii(data: bytes) -> bytes:
    r"""Convert netascii back to local text: CR LF -> LF, CR NUL -> CR (RFC 764).

    >>> from_netascii(b"a\r\nb\r\x00c")
    b'a\nb\rc'
    >>> from_netascii(to_netascii(b"\r\n\n\r")) == b"\r\n\n\r"
    True
    >>> from_netascii(None)
    Traceback (most recent call last):
    ...
    TypeError: from_netascii expects bytes, got NoneType
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"from_netascii expects bytes, got {type(data).__name__}")
    out = bytearray()
    i = 0
    data = bytes(data)
    n = len(data)
    while i < n:
        j = data.find(b"\r", i)
        if j < 0 or j == n - 1:
            out += data[i:]
            break
        out += data[i:j]
        nxt = data[j + 1]
        if nxt == 10:  # CR LF -> LF
            out += b"\n"
        elif nxt == 0:  # CR NUL -> CR
            out += b"\r"
        else:  # a bare CR is not valid netascii; keep both bytes
            out += data[j : j + 2]
        i = j + 2
    return bytes(out)


def describe(data: bytes) -> str:
    """One line that names a packet and its main fields, for tables and logs.

    >>> describe(b"\\x00\\x03\\x00\\x01" + bytes(512))
    'DATA block=1 (512 bytes)'
    >>> describe(b"\\x00\\x01f.txt\\x00octet\\x00blksize\\x001468\\x00")
    "RRQ 'f.txt' octet blksize=1468"
    >>> describe(b"\\x00\\x09")
    'malformed: unknown TFTP opcode 9 in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)'
    """
    try:
        msg = decode(data)
    except PacketError as exc:
        return f"malformed: {exc}"
    return describe_message(msg)


def describe_message(msg: Message) -> str:
    """Like :func:`describe`, for a message object.

    >>> describe_message(Ack(block=3))
    'ACK block=3'
    >>> describe_message(Error(code=5, message="who are you?"))
    "ERROR 5 UNKNOWN_TID 'who are you?'"
    >>> describe_message(None)
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: cannot describe NoneType: expected a TFTP message
    """
    opts = lambda o: "".join(f" {k}={v}" for k, v in o.items())  # noqa: E731
    if isinstance(msg, Data):
        return f"DATA block={msg.block} ({len(msg.data)} bytes)"
    if isinstance(msg, Ack):
        return f"ACK block={msg.block}"
    if isinstance(msg, _Request):
        return f"{msg.opcode.name} {msg.filename!r} {msg.mode}{opts(msg.options)}"
    if isinstance(msg, Error):
        name = f" {msg.code.name}" if isinstance(msg.code, ErrorCode) else ""
        return f"ERROR {int(msg.code)}{name} {msg.message!r}"
    if isinstance(msg, OptionAck):
        return f"OACK{opts(msg.options)}"
    raise PacketError(f"cannot describe {type(msg).__name__}: expected a TFTP message")
