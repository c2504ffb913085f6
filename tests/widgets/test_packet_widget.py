"""The packet inspector: hex text in, coloured fields out, errors shown in place (no browser)."""

from __future__ import annotations

import re

import pytest

from netedu.codecs import tftp
from netedu.widgets.packet import NUL_COLOUR, PALETTE, PacketInspector, field_rows, packet_html, parse_hex, text_html


@pytest.mark.parametrize(
    "text, expected",
    [
        ("00 01 74 65", b"\x00\x01te"),
        ("0001\n7465", b"\x00\x01te"),
        ("00:01:74:65", b"\x00\x01te"),
        ("0x00, 0x01", b"\x00\x01"),
        ("\\x00\\x04\\x00\\x07", b"\x00\x04\x00\x07"),
        ("  ", b""),
        ("FF ee", b"\xff\xee"),
    ],
)
def test_parse_hex_accepts_common_spellings(text, expected):
    assert parse_hex(text) == expected


def test_parse_hex_errors_say_where():
    with pytest.raises(ValueError) as e:
        parse_hex("00 01 zz")
    assert str(e.value) == "'z' at character 7 is not a hex digit (0-9, a-f)"
    with pytest.raises(ValueError) as e:
        parse_hex("00 1")
    assert str(e.value) == "odd number of hex digits (3): every byte needs two"
    with pytest.raises(TypeError):
        parse_hex(b"0001")  # type: ignore[arg-type]


def test_rows_come_from_the_codec_fields():
    packet = tftp.encode(tftp.ReadRequest(filename="test.jpg", mode="octet", options={"blksize": 1468}))
    rows = field_rows(packet)
    assert [(r[0], r[1], r[2]) for r in rows] == [(f.name, f.start, f.end) for f in tftp.fields(packet)]
    assert rows[0] == ("opcode", 0, 2, "00 01", "1 (RRQ)")
    assert rows[1] == ("filename", 2, 10, "74 65 73 74 2e 6a 70 67", "'test.jpg'")
    assert rows[-2][0] == "option value" and rows[-2][4] == "1468"


def _field_spans(page: str) -> list[tuple[str, str, str]]:
    """(colour, field name, hex) of each highlighted run of bytes in the dump."""
    return re.findall(r'<span style="background:(#[0-9a-f]{6})" title="([^"]*)">([0-9a-f ]+)</span>', page)


def test_each_field_is_highlighted_in_its_own_colour():
    packet = tftp.encode(tftp.Error(code=1, message="no"))
    spans = _field_spans(packet_html(packet))
    assert spans == [
        (PALETTE[0], "opcode", "00 05"),
        (PALETTE[1], "error code", "00 01"),
        (PALETTE[2], "message", "6e 6f"),
        (NUL_COLOUR, "NUL", "00"),
    ]
    # the highlighted runs, joined, are exactly the packet
    assert " ".join(h for _, _, h in spans) == packet.hex(" ")


def test_data_packet_table_and_long_payload_is_cut():
    packet = tftp.encode(tftp.Data(block=2, data=bytes(range(256)) * 2))
    page = packet_html(packet)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells[4:8] == ["block", "2–3 (2)", "00 02", "2"]
    assert cells[8:10] == ["data", "4–515 (512)"]
    assert "(512 bytes)" in page
    assert "516 bytes" in page


def test_empty_data_field_is_shown_as_none():
    page = packet_html(tftp.encode(tftp.Data(block=3, data=b"")))
    assert re.findall(r"<td[^>]*>([^<]*)</td>", page)[-4:-2] == ["data", "(none)"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("00 09", "PacketError: unknown TFTP opcode 9 in bytes 0-1"),
        ("00", "PacketError: packet of 1 byte is too short"),
        ("00 01 66 00 6f 63 74 65 74", "PacketError: missing NUL byte after"),
        ("00 0", "ValueError: odd number of hex digits (3)"),
        ("hello", "ValueError: &#x27;h&#x27; at character 1 is not a hex digit"),
    ],
)
def test_errors_are_shown_in_place(text, message):
    page = text_html(text)
    assert 'class="netedu-error"' in page
    assert message in page
    assert "<table" not in page


def test_widget_updates_when_the_text_changes():
    w = PacketInspector()
    assert "Type or paste" in w.output.value
    w.text.value = "00 04 00 07"
    assert "4 (ACK)" in w.output.value and ">block</td>" in w.output.value
    w.text.value = "00 04 00"
    assert "ACK packet of 3 bytes is too short" in w.output.value
    w.text.value = "00 05 00 01 6e 6f 00"
    assert "FILE_NOT_FOUND" in w.output.value


def test_widget_examples_fill_the_text_box():
    w = PacketInspector()
    labels = [label for label, _ in w.examples.options]
    assert "RRQ test.jpg octet" in labels and "OACK" in labels
    w.examples.value = dict(w.examples.options)["DATA block 1"]
    assert w.text.value == tftp.encode(tftp.Data(block=1, data=b"hello, tftp\n")).hex(" ")
    assert "3 (DATA)" in w.output.value


def test_widget_initial_value_and_html_is_escaped():
    w = PacketInspector(value="00 05 00 00 3c 62 3e 00")  # ERROR 0 with message "<b>"
    assert "&#x27;&lt;b&gt;&#x27;" in w.output.value
    assert "<b>" not in w.output.value


def test_lazy_name_in_the_widgets_package():
    import netedu.widgets

    assert netedu.widgets.PacketInspector is PacketInspector
