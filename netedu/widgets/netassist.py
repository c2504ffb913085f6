"""NetAssist (网络调试助手) in a notebook: send UDP datagrams or TCP bytes on loopback and log replies.

Courses pair their socket labs with a "network debugging assistant": a small
tool that sends what you type to a program and shows what comes back. This
widget is one, restricted to loopback (``127.x.y.z``). It is a thin view over
pure functions: :func:`encode_payload` (text or hex to bytes, in utf-8 or
gb2312), :func:`hex_dump`, :func:`entry_line` and :func:`log_html`.

The socket is opened on the first Send (so showing the widget starts
nothing), received data is read by a background thread with a short
timeout, and :meth:`NetAssist.close` (or the Close button, or leaving a
``with`` block) stops the thread and closes the socket.

>>> encode_payload("你好", "text", "gb2312")
b'\\xc4\\xe3\\xba\\xc3'
>>> w = NetAssist(remote_host="192.168.1.201")
>>> w.send("hi")
0
>>> w.status.value
'<b>refused:</b> remote host must be a loopback address (127.x.y.z), not &#x27;192.168.1.201&#x27;'
"""

from __future__ import annotations

import html
import re
import socket
import threading
from dataclasses import dataclass
from typing import Any

import ipywidgets

__all__ = ["Entry", "encode_payload", "hex_dump", "entry_line", "log_html", "NetAssist", "ENCODINGS", "PROTOCOLS"]

ENCODINGS = ("utf-8", "gb2312")
PROTOCOLS = ("UDP", "TCP client")
POLL = 0.1  # seconds the receive thread blocks before it checks whether to stop
_HEX_SEP = re.compile(r"[\s,:;_-]+")
_MAX_LOG = 200


def encode_payload(text: str, mode: str, encoding: str) -> bytes:
    """Turn what the learner typed into bytes: ``mode`` "text" (encoded) or "hex" (hex digits).

    >>> encode_payload("hello", "text", "utf-8")
    b'hello'
    >>> encode_payload("68 69 0a", "hex", "utf-8")
    b'hi\\n'
    >>> encode_payload("6", "hex", "utf-8")
    Traceback (most recent call last):
    ...
    ValueError: hex needs two digits per byte: '6' has an odd number of digits (1)
    >>> encode_payload("😀", "text", "gb2312")
    Traceback (most recent call last):
    ...
    ValueError: '😀' cannot be encoded in gb2312 (character 1 of 1)
    """
    if mode == "hex":
        digits = _HEX_SEP.sub("", text.replace("0x", "").replace("\\x", ""))
        if len(digits) % 2:
            raise ValueError(f"hex needs two digits per byte: {text!r} has an odd number of digits ({len(digits)})") from None
        bad = re.search(r"[^0-9a-fA-F]", digits)
        if bad:
            raise ValueError(f"{bad.group()!r} is not a hex digit (0-9, a-f) in {text!r}") from None
        return bytes.fromhex(digits)
    if mode != "text":
        raise ValueError(f"mode must be 'text' or 'hex', got {mode!r}") from None
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}, got {encoding!r}") from None
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise ValueError(f"{text[exc.start:exc.end]!r} cannot be encoded in {encoding} "
                         f"(character {exc.start + 1} of {len(text)})") from None


def hex_dump(data: bytes, limit: int = 64) -> str:
    """Bytes as spaced hex pairs, cut after ``limit`` bytes.

    >>> hex_dump(b"hi\\n")
    '68 69 0a'
    >>> hex_dump(bytes(100), limit=2)
    '00 00 … (+98 bytes)'
    """
    shown = " ".join(f"{b:02x}" for b in data[:limit])
    return shown + (f" … (+{len(data) - limit} bytes)" if len(data) > limit else "")


@dataclass(frozen=True)
class Entry:
    """One line of the log: sent (``"→"``) or received (``"←"``), the peer, the bytes.

    >>> Entry("←", ("127.0.0.1", 9001), b"ok").direction
    '←'
    """

    direction: str
    peer: tuple[str, int]
    data: bytes


def entry_line(entry: Entry, encoding: str = "utf-8") -> str:
    """One log line: direction, peer, length, the text decoded with ``encoding`` and the hex.

    >>> print(entry_line(Entry("←", ("127.0.0.1", 9001), "你好".encode("gb2312")), "gb2312"))
    ← 127.0.0.1:9001  4 bytes  '你好'  c4 e3 ba c3
    >>> print(entry_line(Entry("←", ("127.0.0.1", 9001), "你好".encode("gb2312")), "utf-8"))
    ← 127.0.0.1:9001  4 bytes  '\ufffd\ufffd\ufffd'  c4 e3 ba c3
    """
    text = entry.data.decode(encoding, errors="replace")
    return f"{entry.direction} {entry.peer[0]}:{entry.peer[1]}  {len(entry.data)} bytes  {text!r}  {hex_dump(entry.data)}"


def log_html(entries: list[Entry], encoding: str = "utf-8") -> str:
    """The log as HTML (escaped), newest last.

    >>> log_html([])
    '<pre class="netedu-netassist-lines">(nothing sent or received yet)</pre>'
    >>> "&lt;b&gt;" in log_html([Entry("→", ("127.0.0.1", 1), b"<b>")])
    True
    """
    if not entries:
        body = "(nothing sent or received yet)"
    else:
        body = "\n".join(html.escape(entry_line(e, encoding)) for e in entries[-_MAX_LOG:])
    return f'<pre class="netedu-netassist-lines">{body}</pre>'


def _is_loopback(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() and int(p) <= 255 for p in parts)


class NetAssist(ipywidgets.VBox):
    """A network debugging assistant (网络调试助手) for loopback: UDP or TCP client.

    ``local_port`` 0 lets the OS choose; the local address is always
    127.0.0.1. ``send(text)`` sends (as the Send button does) and returns the
    number of bytes sent (0 if refused; the reason is in ``status``).
    ``received`` holds :class:`Entry` objects of what arrived.

    >>> import socket
    >>> from netedu.io.udp import UdpEchoServer
    >>> with UdpEchoServer() as echo, NetAssist(remote_port=echo.address[1]) as w:
    ...     w.send("hello")
    ...     w.wait_for(1)
    ...     w.received[0].data
    5
    1
    b'hello'
    >>> w.sock is None
    True
    """

    def __init__(self, protocol: str = "UDP", local_port: int = 0, remote_host: str = "127.0.0.1",
                 remote_port: int = 9001, encoding: str = "utf-8", mode: str = "text", **kwargs: Any) -> None:
        self.protocol = ipywidgets.Dropdown(options=PROTOCOLS, value=protocol, description="Protocol")
        self.local_port = ipywidgets.BoundedIntText(value=local_port, min=0, max=65535, description="Local port")
        self.remote_host = ipywidgets.Text(value=remote_host, description="Remote host")
        self.remote_port = ipywidgets.BoundedIntText(value=remote_port, min=1, max=65535, description="Remote port")
        self.mode = ipywidgets.ToggleButtons(options=("text", "hex"), value=mode, description="Send as")
        self.encoding = ipywidgets.Dropdown(options=ENCODINGS, value=encoding, description="Encoding")
        self.message = ipywidgets.Text(value="", placeholder="type a message", description="Message")
        self.send_button = ipywidgets.Button(description="Send", button_style="primary")
        self.close_button = ipywidgets.Button(description="Close")
        self.status = ipywidgets.HTML(value="not connected: the socket opens on the first Send")
        self.log_view = ipywidgets.HTML(value=log_html([]))
        for w in (self.protocol, self.local_port, self.remote_host, self.remote_port, self.mode, self.encoding,
                  self.message):
            w.style.description_width = "100px"
        for w, cls in ((self.message, "message"), (self.send_button, "send"), (self.close_button, "close"),
                       (self.status, "status"), (self.log_view, "log"), (self.protocol, "protocol"),
                       (self.remote_host, "remote-host"), (self.remote_port, "remote-port"),
                       (self.local_port, "local-port"), (self.encoding, "encoding"), (self.mode, "mode")):
            w.add_class(f"netedu-netassist-{cls}")
        self.sock: socket.socket | None = None
        self.entries: list[Entry] = []
        self.received: list[Entry] = []
        self._settings: tuple | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self.send_button.on_click(lambda _b: self.send())
        self.close_button.on_click(lambda _b: self.close())
        self.encoding.observe(lambda _c: self._redraw(), names="value")
        super().__init__(children=[
            ipywidgets.HBox([self.protocol, self.local_port]),
            ipywidgets.HBox([self.remote_host, self.remote_port]),
            ipywidgets.HBox([self.mode, self.encoding]),
            ipywidgets.HBox([self.message, self.send_button, self.close_button]),
            self.status, self.log_view,
        ], **kwargs)
        self.add_class("netedu-netassist")

    # -- actions ----------------------------------------------------------
    def send(self, text: str | None = None) -> int:
        """Send ``text`` (or the Message box) to the remote address; return the bytes sent."""
        if text is None:
            text = self.message.value
        host = self.remote_host.value.strip()
        if not _is_loopback(host):
            self._say(f"<b>refused:</b> remote host must be a loopback address (127.x.y.z), not {html.escape(repr(host))}")
            return 0
        try:
            data = encode_payload(text, self.mode.value, self.encoding.value)
        except ValueError as exc:
            self._say(f"<b>cannot send:</b> {html.escape(str(exc))}")
            return 0
        peer = (host, int(self.remote_port.value))
        try:
            self._ensure_open(peer)
            assert self.sock is not None
            with self._cond:  # log the sent entry before the receive thread can log the reply
                if self.protocol.value == "UDP":
                    n = self.sock.sendto(data, peer)
                else:
                    self.sock.sendall(data)
                    n = len(data)
                self.entries.append(Entry("→", peer, data))
        except OSError as exc:
            self._say(f"<b>error:</b> {html.escape(type(exc).__name__ + ': ' + str(exc))}")
            self._close_socket()
            return 0
        self._redraw()
        local = self.sock.getsockname()
        self._say(f"{self.protocol.value} from 127.0.0.1:{local[1]}: sent {n} bytes to {peer[0]}:{peer[1]}")
        return n

    def wait_for(self, n: int, timeout: float = 2.0) -> int:
        """Wait until ``n`` entries have been received (or ``timeout``); return how many."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.received) >= n, timeout)
            return len(self.received)

    def log_text(self) -> str:
        """The log as plain text, one line per entry."""
        return "\n".join(entry_line(e, self.encoding.value) for e in self.entries)

    def close(self) -> None:
        """Stop the receive thread and close the socket; the widget stays on the page and can send again.

        (This replaces ipywidgets' ``Widget.close``; the widget's own view is
        closed when the object is deleted.)
        """
        self._close_socket()
        self._say("closed")

    def __del__(self) -> None:
        try:
            self._close_socket()
        finally:
            ipywidgets.VBox.close(self)

    def __enter__(self) -> "NetAssist":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------
    def _say(self, text: str) -> None:
        if getattr(self, "status", None) is not None:
            self.status.value = text

    def _add(self, entry: Entry) -> None:
        with self._cond:
            self.entries.append(entry)
            if entry.direction == "←":
                self.received.append(entry)
            self._cond.notify_all()
        self._redraw()

    def _redraw(self) -> None:
        self.log_view.value = log_html(self.entries, self.encoding.value)

    def _ensure_open(self, peer: tuple[str, int]) -> None:
        settings = (self.protocol.value, int(self.local_port.value), peer if self.protocol.value != "UDP" else None)
        if self.sock is not None and settings == self._settings:
            return
        self._close_socket()
        kind = socket.SOCK_DGRAM if self.protocol.value == "UDP" else socket.SOCK_STREAM
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.settimeout(2.0)
            if settings[1]:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", settings[1]))
            if kind == socket.SOCK_STREAM:
                s.connect(peer)
            s.settimeout(POLL)
        except OSError:
            s.close()
            raise
        self.sock, self._settings = s, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._receive, args=(s, self._stop, peer), daemon=True,
                                        name="NetAssist")
        self._thread.start()

    def _receive(self, s: socket.socket, stop: threading.Event, peer: tuple[str, int]) -> None:
        while not stop.is_set():
            try:
                if s.type == socket.SOCK_DGRAM:
                    data, src = s.recvfrom(65_535)
                else:
                    data, src = s.recv(65_536), peer
                    if not data:
                        self._say("the server closed the connection")
                        return
            except socket.timeout:
                continue
            except OSError as exc:
                if not stop.is_set():
                    self._say(f"<b>receive error:</b> {html.escape(type(exc).__name__ + ': ' + str(exc))}")
                    if s.type == socket.SOCK_STREAM:
                        return
                continue
            self._add(Entry("←", (src[0], src[1]), data))

    def _close_socket(self) -> None:
        stop, thread, sock = getattr(self, "_stop", None), getattr(self, "_thread", None), getattr(self, "sock", None)
        if stop is not None:
            stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(2.0)
        if sock is not None:
            sock.close()
        self._thread, self.sock, self._settings = None, None, None
