"""netedu.codecs.tftp: hex vectors, round trips, an independent dissector, teaching errors."""

from __future__ import annotations

import dpkt
import pytest
from scapy.layers.tftp import (
    TFTP,
    TFTP_ACK,
    TFTP_DATA,
    TFTP_ERROR,
    TFTP_OACK,
    TFTP_RRQ,
    TFTP_WRQ,
    TFTP_Option,
    TFTP_Options,
)

from netedu.codecs import tftp
from netedu.codecs.tftp import (
    Ack,
    Data,
    Error,
    ErrorCode,
    Opcode,
    OptionAck,
    OptionError,
    ReadRequest,
    WriteRequest,
    decode,
    encode,
    fields,
)
from netedu.errors import PacketError

# Each vector: the message, then its bytes with one comment per field.
VECTORS = [
    (
        ReadRequest(filename="hello.txt"),
        "0001"  # opcode 1 = RRQ
        "68656c6c6f2e747874"  # filename "hello.txt"
        "00"  # NUL ends the filename
        "6f63746574"  # mode "octet"
        "00",  # NUL ends the mode
    ),
    (
        ReadRequest(filename="a", mode="netascii", options={"blksize": 1468, "tsize": 0, "windowsize": 16}),
        "0001"  # opcode 1 = RRQ
        "61" "00"  # filename "a", NUL
        "6e65746173636969" "00"  # mode "netascii", NUL
        "626c6b73697a65" "00"  # option "blksize", NUL
        "31343638" "00"  # value "1468", NUL
        "7473697a65" "00"  # option "tsize", NUL
        "30" "00"  # value "0", NUL
        "77696e646f7773697a65" "00"  # option "windowsize", NUL
        "3136" "00",  # value "16", NUL
    ),
    (
        WriteRequest(filename="up.bin", options={"timeout": 3}),
        "0002"  # opcode 2 = WRQ
        "75702e62696e" "00"  # filename "up.bin", NUL
        "6f63746574" "00"  # mode "octet", NUL
        "74696d656f7574" "00"  # option "timeout", NUL
        "33" "00",  # value "3", NUL
    ),
    (
        Data(block=1, data=b"hi"),
        "0003"  # opcode 3 = DATA
        "0001"  # block 1
        "6869",  # data "hi"
    ),
    (
        Data(block=65535, data=b""),
        "0003"  # opcode 3 = DATA
        "ffff"  # block 65535, the last before the wrap to 0
        "",  # no data: an empty final block
    ),
    (
        Ack(block=0),
        "0004"  # opcode 4 = ACK
        "0000",  # block 0: the answer to a WRQ
    ),
    (
        Ack(block=258),
        "0004"  # opcode 4 = ACK
        "0102",  # block 258 = 0x0102 (big-endian)
    ),
    (
        Error(code=ErrorCode.FILE_NOT_FOUND, message="File not found"),
        "0005"  # opcode 5 = ERROR
        "0001"  # error code 1 = file not found
        "46696c65206e6f7420666f756e64"  # message
        "00",  # NUL ends the message
    ),
    (
        Error(code=ErrorCode.UNKNOWN_TID, message=""),
        "0005"  # opcode 5 = ERROR
        "0005"  # error code 5 = unknown transfer ID
        "00",  # empty message, NUL
    ),
    (
        OptionAck(options={"blksize": 512}),
        "0006"  # opcode 6 = OACK
        "626c6b73697a65" "00"  # option "blksize", NUL
        "353132" "00",  # value "512", NUL
    ),
]


@pytest.mark.parametrize("msg,hexbytes", VECTORS, ids=[type(m).__name__ + str(i) for i, (m, _) in enumerate(VECTORS)])
def test_vectors_encode_and_decode(msg, hexbytes):
    raw = bytes.fromhex(hexbytes)
    assert encode(msg) == raw
    assert decode(raw) == msg
    assert encode(decode(raw)) == raw
    # the fields tile the packet exactly
    spans = fields(raw)
    assert spans[0].start == 0 and spans[-1].end == len(raw)
    assert all(a.end == b.start for a, b in zip(spans, spans[1:]))


def test_every_packet_type_has_a_vector():
    assert {type(m) for m, _ in VECTORS} == {ReadRequest, WriteRequest, Data, Ack, Error, OptionAck}
    assert {bytes.fromhex(h)[1] for _, h in VECTORS} == {1, 2, 3, 4, 5, 6}


def _scapy(msg):
    opts = lambda o: TFTP_Options(options=[TFTP_Option(oname=k.encode(), value=str(v).encode()) for k, v in o.items()])  # noqa: E731
    if isinstance(msg, (ReadRequest, WriteRequest)):
        layer = (TFTP_RRQ if isinstance(msg, ReadRequest) else TFTP_WRQ)(filename=msg.filename.encode(), mode=msg.mode.encode())
        pkt = TFTP() / layer
        return bytes(pkt / opts(msg.options)) if msg.options else bytes(pkt)
    if isinstance(msg, Data):
        return bytes(TFTP() / TFTP_DATA(block=msg.block) / msg.data)
    if isinstance(msg, Ack):
        return bytes(TFTP() / TFTP_ACK(block=msg.block))
    if isinstance(msg, Error):
        return bytes(TFTP() / TFTP_ERROR(errorcode=int(msg.code), errormsg=msg.message.encode()))
    return bytes(TFTP() / TFTP_OACK() / opts(msg.options))


@pytest.mark.parametrize("msg,hexbytes", VECTORS)
def test_scapy_builds_the_same_bytes(msg, hexbytes):
    assert _scapy(msg) == encode(msg) == bytes.fromhex(hexbytes)


@pytest.mark.parametrize("msg,hexbytes", VECTORS)
def test_scapy_and_dpkt_read_our_bytes(msg, hexbytes):
    raw = encode(msg)
    pkt = TFTP(raw)
    assert pkt.op == int(msg.opcode)
    d = dpkt.tftp.TFTP(raw)
    assert d.opcode == int(msg.opcode)
    if isinstance(msg, (ReadRequest, WriteRequest)):
        assert pkt.filename == msg.filename.encode() and pkt.mode == msg.mode.encode()
        assert d.filename == msg.filename.encode()
        got = {o.oname.decode(): o.value.decode() for o in pkt[TFTP_Options].options} if msg.options else {}
        assert got == {k: str(v) for k, v in msg.options.items()}
    elif isinstance(msg, Data):
        assert pkt.block == msg.block and bytes(pkt[TFTP_DATA].payload) == msg.data
        assert d.block == msg.block and d.data == msg.data
    elif isinstance(msg, Ack):
        assert pkt.block == msg.block and d.block == msg.block
    elif isinstance(msg, Error):
        assert pkt.errorcode == msg.code and pkt.errormsg == msg.message.encode()
        assert d.errcode == msg.code and d.errmsg == msg.message.encode()


def test_scapy_packets_decode_here():
    raw = bytes(TFTP() / TFTP_WRQ(filename=b"x.cfg", mode=b"NETASCII"))
    assert decode(raw) == WriteRequest(filename="x.cfg", mode="netascii")  # mode is case-insensitive


@pytest.mark.parametrize(
    "raw,message",
    [
        (b"", "empty packet: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)"),
        (b"\x00", "packet of 1 byte is too short: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)"),
        (b"\x00\x09", "unknown TFTP opcode 9 in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)"),
        (b"\x00\x01file", "missing NUL byte after the filename starting at byte 2: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)"),
        (b"\x00\x01file\x00", "RRQ has no mode: expected filename, 0, mode, 0 (RFC 1350 sec. 5)"),
        (b"\x00\x02\x00octet\x00", "WRQ has an empty filename (RFC 1350 sec. 5)"),
        (b"\x00\x01f\x00binary\x00", "unknown mode 'binary' in bytes 4-10: expected netascii, octet or mail (RFC 1350 sec. 5)"),
        (b"\x00\x01f\x00octet\x00blksize\x00", "option 'blksize' at byte 10 has no value: options come in name, 0, value, 0 pairs (RFC 2347 sec. 2)"),
        (b"\x00\x01f\x00octet\x00blksize\x00abc\x00", "option blksize='abc' is not a whole number: expected 8-65464 (RFC 2348)"),
        (b"\x00\x01f\x00octet\x00blksize\x0070000\x00", "option blksize=70000 out of range: expected 8-65464 (RFC 2348)"),
        (b"\x00\x01f\x00octet\x00timeout\x000\x00", "option timeout=0 out of range: expected 1-255 (RFC 2349)"),
        (b"\x00\x01f\x00octet\x00windowsize\x0065536\x00", "option windowsize=65536 out of range: expected 1-65535 (RFC 7440)"),
        (b"\x00\x01f\x00octet\x00tsize\x00-1\x00", "option tsize='-1' is not a whole number: expected at least 0 (RFC 2349)"),
        (b"\x00\x01f\x00octet\x00tsize\x001\x00TSIZE\x002\x00", "option 'tsize' given twice (RFC 2347 sec. 2)"),
        (b"\x00\x01" + b"a" * 600 + b"\x00octet\x00", "RRQ of 609 bytes is oversize: at most 512 (RFC 2347 sec. 2)"),
        (b"\x00\x01\xff\xfe\x00octet\x00", "string in bytes 2-3 is not valid UTF-8 text: b'\\xff\\xfe'"),
        (b"\x00\x03\x00", "DATA packet of 3 bytes is too short: expected at least 4 (RFC 1350 sec. 5)"),
        (b"\x00\x03\x00\x01" + bytes(65465), "DATA packet of 65469 bytes is oversize: at most 65468 (RFC 2348)"),
        (b"\x00\x04\x00\x01\x00", "ACK packet of 5 bytes: expected exactly 4 (RFC 1350 sec. 5)"),
        (b"\x00\x05\x00\x01oops", "missing NUL byte after the error message starting at byte 4: every string in TFTP ends with a 0 byte (RFC 1350 sec. 5)"),
        (b"\x00\x05\x00\x01a\x00b\x00", "ERROR packet has 2 strings after the code: expected 1 message (RFC 1350 sec. 5)"),
    ],
)
def test_malformed_packets_teach(raw, message):
    with pytest.raises(PacketError) as info:
        decode(raw)
    assert str(info.value) == message
    with pytest.raises(PacketError):
        fields(raw)


def test_option_errors_are_option_errors():
    with pytest.raises(OptionError):
        decode(b"\x00\x01f\x00octet\x00blksize\x00abc\x00")
    assert issubclass(OptionError, PacketError) and issubclass(PacketError, ValueError)


def test_option_names_are_case_insensitive_and_unknown_ones_kept():
    msg = decode(b"\x00\x01f\x00OCTET\x00BlkSize\x001024\x00colour\x00blue\x00")
    assert msg == ReadRequest(filename="f", options={"blksize": 1024, "colour": "blue"})
    assert msg.mode == "octet"


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda: ReadRequest(filename="a\0b"), "filename 'a\\x00b' contains a NUL byte, which ends a string in TFTP (RFC 1350 sec. 5)"),
        (lambda: ReadRequest(filename=b"x"), "filename must be str, got bytes"),
        (lambda: Data(block=1, data="text"), "data must be bytes, got str"),
        (lambda: Data(block=1, data=bytes(65465)), "data of 65465 bytes is oversize: at most 65464 (RFC 2348)"),
        (lambda: Ack(block=True), "block must be an int 0-65535 (2 bytes, RFC 1350 sec. 5), got True"),
        (lambda: Error(code=70000, message=""), "code must be an int 0-65535 (2 bytes, RFC 1350 sec. 5), got 70000"),
        (lambda: OptionAck(options=[("blksize", 8)]), "options must be a mapping of name to value, got list"),
        (lambda: encode(WriteRequest(filename="n" * 600)), "request of 609 bytes is oversize: at most 512 (RFC 2347 sec. 2)"),
    ],
)
def test_invalid_messages_are_refused(make, message):
    with pytest.raises(PacketError) as info:
        make()
    assert str(info.value) == message


def test_messages_are_frozen_and_keyword_only():
    with pytest.raises(TypeError):
        Ack(3)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Ack(block=3).block = 4  # type: ignore[misc]


def test_fields_of_a_request():
    raw = encode(ReadRequest(filename="f.txt", options={"blksize": 1468}))
    got = [(f.name, f.start, f.end, f.value) for f in fields(raw)]
    assert got == [
        ("opcode", 0, 2, Opcode.RRQ),
        ("filename", 2, 7, "f.txt"),
        ("NUL", 7, 8, 0),
        ("mode", 8, 13, "octet"),
        ("NUL", 13, 14, 0),
        ("option name", 14, 21, "blksize"),
        ("NUL", 21, 22, 0),
        ("option value", 22, 26, 1468),
        ("NUL", 26, 27, 0),
    ]
    for f in fields(raw):
        assert len(raw[f.start : f.end]) == f.end - f.start


def test_fields_of_data_and_ack():
    assert [(f.name, f.start, f.end) for f in fields(b"\x00\x03\x01\x00xyz")] == [("opcode", 0, 2), ("block", 2, 4), ("data", 4, 7)]
    assert fields(b"\x00\x03\x01\x00xyz")[1].value == 256
    assert [f.name for f in fields(b"\x00\x04\x00\x01")] == ["opcode", "block"]


def test_unknown_error_codes_survive():
    msg = decode(b"\x00\x05\x00\x63custom\x00")
    assert msg.code == 99 and not isinstance(msg.code, ErrorCode)
    assert encode(msg) == b"\x00\x05\x00\x63custom\x00"


@pytest.mark.parametrize(
    "local,wire",
    [
        (b"", b""),
        (b"a\nb", b"a\r\nb"),
        (b"a\r\nb", b"a\r\x00\r\nb"),
        (b"\r", b"\r\x00"),
        (b"\n\n", b"\r\n\r\n"),
    ],
)
def test_netascii_round_trip(local, wire):
    assert tftp.to_netascii(local) == wire
    assert tftp.from_netascii(wire) == local


def test_option_limits_follow_the_rfcs():
    assert tftp.OPTION_LIMITS == {"blksize": (8, 65464), "timeout": (1, 255), "tsize": (0, None), "windowsize": (1, 65535)}
    assert tftp.validate_option("blksize", 8) == 8 and tftp.validate_option("blksize", "65464") == 65464
    assert [int(c) for c in ErrorCode] == list(range(9))
    assert [int(o) for o in Opcode] == list(range(1, 7))


def test_describe():
    assert tftp.describe(encode(OptionAck(options={"tsize": 5}))) == "OACK tsize=5"
    assert tftp.describe(b"\x00\x04\x00") == "malformed: ACK packet of 3 bytes is too short: expected at least 4 (RFC 1350 sec. 5)"
