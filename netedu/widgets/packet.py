"""The packet inspector: hex bytes in, a table of TFTP fields out, each field's bytes in colour.

The widget is a thin view over two pure functions, :func:`parse_hex` (text to
bytes, with errors that say where) and :func:`packet_html` (bytes to an HTML
table drawn from :func:`netedu.codecs.tftp.fields`). A malformed packet is not
an exception for the learner: the error is shown in place of the table.

>>> w = PacketInspector(value="00 04 00 07")
>>> "4 (ACK)" in w.output.value
True
>>> w.text.value = "00 0"
>>> "odd number" in w.output.value
True
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets

__all__ = ["parse_hex", "field_rows", "packet_html", "text_html", "PacketInspector", "PALETTE"]

# Pale colours that keep black text readable; field i gets PALETTE[i % len(PALETTE)].
PALETTE = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6", "#a0c4ff", "#ffadad")

NUL_COLOUR = "#e0e0e0"
_SEPARATORS = re.compile(r"[\s,:;_-]+")
_MAX_SHOWN = 48  # bytes of a value shown before "…"
_PAD = ' style="padding:1px 8px"'


def parse_hex(text: str) -> bytes:
    """Read hex digits as bytes; blanks, ``:``, ``,``, ``-`` and ``0x``/``\\x`` prefixes are ignored.

    >>> parse_hex("00 01 74 65")
    b'\\x00\\x01te'
    >>> parse_hex("0x00,0x04:0007")
    b'\\x00\\x04\\x00\\x07'
    >>> parse_hex("00 0g")
    Traceback (most recent call last):
    ...
    ValueError: 'g' at character 5 is not a hex digit (0-9, a-f)
    >>> parse_hex("000")
    Traceback (most recent call last):
    ...
    ValueError: odd number of hex digits (3): every byte needs two
    """
    if not isinstance(text, str):
        raise TypeError(f"expected hex text (a str), got {type(text).__name__}") from None
    cleaned = re.sub(r"(?i)0x|\\x", " ", text)
    digits = []
    for pos, ch in enumerate(cleaned):
        if _SEPARATORS.fullmatch(ch):
            continue
        if ch not in "0123456789abcdefABCDEF":
            raise ValueError(f"{ch!r} at character {pos + 1} is not a hex digit (0-9, a-f)") from None
        digits.append(ch)
    if len(digits) % 2:
        raise ValueError(f"odd number of hex digits ({len(digits)}): every byte needs two") from None
    return bytes.fromhex("".join(digits))


def _show(value: Any) -> str:
    """A short text for a field value (bytes cut after _MAX_SHOWN)."""
    if isinstance(value, (bytes, bytearray)):
        cut = bytes(value[:_MAX_SHOWN])
        return repr(cut) + (f" … ({len(value)} bytes)" if len(value) > _MAX_SHOWN else "")
    name = getattr(value, "name", None)
    if name is not None and isinstance(value, int):  # an IntEnum such as Opcode.DATA
        return f"{int(value)} ({name})"
    return repr(value)


def field_rows(data: bytes) -> list[tuple[str, int, int, str, str]]:
    """The fields of a TFTP packet as rows ``(name, start, end, hex, value)``; end is exclusive.

    >>> field_rows(bytes.fromhex("0004 0007"))[1][:4]
    ('block', 2, 4, '00 07')
    >>> field_rows(b"\\x00")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: packet of 1 byte is too short: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)
    """
    from netedu.codecs.tftp import fields

    rows = []
    for name, start, end, value in fields(bytes(data)):
        rows.append((str(name), int(start), int(end), data[start:end].hex(" "), _show(value)))
    return rows


def packet_html(data: bytes) -> str:
    """An HTML view of a packet: its bytes coloured by field, then a table of the fields.

    A packet that does not decode gives the error message, in red, instead of the table.

    >>> "block" in packet_html(bytes.fromhex("00040007"))
    True
    >>> "netedu-error" in packet_html(b"\\x00\\x09")
    True
    """
    try:
        rows = field_rows(data)
    except ValueError as exc:
        return _error_html(f"{type(exc).__name__}: {exc}", data)
    colour_of = []
    k = 0
    for name, *_ in rows:  # NUL terminators in grey, the other fields in turn from the palette
        if name == "NUL":
            colour_of.append(NUL_COLOUR)
        else:
            colour_of.append(PALETTE[k % len(PALETTE)])
            k += 1
    spans = []
    covered = 0
    for i, (name, start, end, _, _) in enumerate(rows):
        if start > covered:  # bytes that belong to no field (should not happen)
            spans.append(data[covered:start].hex(" "))
        if end > start:
            spans.append(f'<span style="background:{colour_of[i]}" title="{html.escape(name)}">'
                         f"{data[start:end].hex(' ')}</span>")
        covered = max(covered, end)
    if covered < len(data):
        spans.append(data[covered:].hex(" "))
    dump = " ".join(spans) if spans else "<i>(no bytes)</i>"
    lines = [
        '<div class="netedu-packet">',
        f'<div style="font-family:monospace;line-height:1.8;word-break:break-all">{dump}</div>',
        '<table style="border-collapse:collapse;font-family:monospace">',
        "<tr><th>field</th><th>bytes</th><th>hex</th><th>value</th></tr>",
    ]
    for i, (name, start, end, hexed, shown) in enumerate(rows):
        if len(hexed) > 3 * _MAX_SHOWN:
            hexed = hexed[: 3 * _MAX_SHOWN - 1] + " …"
        lines.append(
            f'<tr style="background:{colour_of[i]}"><td{_PAD}>{html.escape(name)}</td>'
            f"<td{_PAD}>{_span(start, end)}</td>"
            f"<td{_PAD}>{html.escape(hexed)}</td><td{_PAD}>{html.escape(shown)}</td></tr>"
        )
    lines.append("</table>")
    lines.append(f"<div>{len(data)} bytes</div></div>")
    return "\n".join(lines)


def _span(start: int, end: int) -> str:
    """Byte positions of a field as text: ``4–515 (512)``, or ``(none)`` for an empty field."""
    if end <= start:
        return "(none)"
    if end - start == 1:
        return f"{start} (1)"
    return f"{start}–{end - 1} ({end - start})"


def _error_html(message: str, data: bytes | None = None) -> str:
    shown = "" if not data else f'<div style="font-family:monospace">{html.escape(data.hex(" "))}</div>'
    return f'<div class="netedu-error" style="color:#b00020;font-family:monospace">{html.escape(message)}</div>{shown}'


def text_html(text: str) -> str:
    """The view for hex text as typed: the packet, or the error where the text or the packet is wrong.

    >>> "netedu-error" in text_html("zz")
    True
    >>> "Type or paste" in text_html("   ")
    True
    """
    if not text.strip():
        return "<div><i>Type or paste the bytes of a TFTP packet in hex, like 00 01 66 00 6f 63 74 65 74 00</i></div>"
    try:
        data = parse_hex(text)
    except ValueError as exc:
        return _error_html(f"{type(exc).__name__}: {exc}")
    return packet_html(data)


def _examples() -> dict[str, str]:
    """Example packets of each kind, built with the codec's encoder."""
    try:
        from netedu.codecs import tftp as c

        msgs = [
            ("RRQ test.jpg octet", c.ReadRequest(filename="test.jpg", mode="octet")),
            ("RRQ with options", c.ReadRequest(filename="big.iso", mode="octet",
                                               options={"blksize": "1428", "tsize": "0"})),
            ("DATA block 1", c.Data(block=1, data=b"hello, tftp\n")),
            ("ACK block 1", c.Ack(block=1)),
            ("ERROR 1", c.Error(code=1, message="File not found")),
            ("OACK", c.OptionAck(options={"blksize": "1428"})),
        ]
        return {label: c.encode(m).hex(" ") for label, m in msgs}
    except Exception:  # noqa: BLE001 - the examples are a convenience, never a failure
        return {"ACK block 7": "00 04 00 07"}


class PacketInspector(ipywidgets.VBox):
    """A text box for hex bytes, and below it the packet's fields with their bytes highlighted.

    ``text`` is the Textarea, ``output`` the HTML view, ``examples`` a Dropdown
    that fills the text box with an example packet.

    >>> w = PacketInspector()
    >>> w.text.value = "00 05 00 01 6e 6f 00"
    >>> "message" in w.output.value
    True
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        examples = _examples()
        self.examples = ipywidgets.Dropdown(options=[("(examples)", "")] + list(examples.items()),
                                            value="", description="Example:")
        self.text = ipywidgets.Textarea(value=value, placeholder="00 01 74 65 73 74 00 6f 63 74 65 74 00",
                                        description="Hex bytes:",
                                        layout=ipywidgets.Layout(width="100%", height="5em"))
        self.output = ipywidgets.HTML(value=text_html(value))
        super().__init__(children=[self.examples, self.text, self.output], **kwargs)
        self.text.observe(self._update, names="value")
        self.examples.observe(self._pick, names="value")

    def _update(self, change: dict[str, Any]) -> None:
        self.output.value = text_html(change["new"])

    def _pick(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.text.value = change["new"]
