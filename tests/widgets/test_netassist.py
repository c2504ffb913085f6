"""The NetAssist widget without a browser: set values, press buttons, read the log."""

from __future__ import annotations

import pytest

from netedu.io.tcp_servers import TcpEchoServer
from netedu.io.udp import UdpEchoServer, UdpSink, udp_socket
from netedu.widgets.netassist import NetAssist, encode_payload

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def test_udp_send_via_button_and_log_shows_reply():
    with UdpEchoServer() as echo, NetAssist(remote_port=echo.address[1]) as w:
        w.message.value = "hello"
        w.send_button.click()
        assert w.wait_for(1) == 1
        entry = w.received[0]
        assert entry.data == b"hello" and entry.peer == echo.address
        assert "5 bytes" in w.log_view.value and "68 65 6c 6c 6f" in w.log_view.value
        assert w.log_text().splitlines()[0].startswith("→ 127.0.0.1:")
        assert w.status.value.startswith("UDP from 127.0.0.1:")
    assert w.sock is None and w.status.value == "closed"


def test_gb2312_and_hex_and_mojibake_view():
    with UdpEchoServer() as echo, NetAssist(remote_port=echo.address[1], encoding="gb2312") as w:
        assert w.send("你好") == 4
        w.mode.value = "hex"
        assert w.send("c4 e3 ba c3") == 4
        assert w.wait_for(2) == 2
        assert [e.data for e in w.received] == ["你好".encode("gb2312")] * 2
        assert "&#x27;你好&#x27;" in w.log_view.value
        w.encoding.value = "utf-8"  # the same bytes read with the wrong encoding
        assert "你好" not in w.log_view.value and "\ufffd" in w.log_view.value


def test_bound_local_port_and_source_seen_by_peer():
    with UdpSink() as sink, udp_socket(bind=("127.0.0.1", 0)) as probe:
        free = probe.getsockname()[1]
        probe.close()
        with NetAssist(local_port=free, remote_port=sink.address[1]) as w:
            w.send("x")
            assert sink.wait_for(1) == 1
            assert sink.received[0].source == ("127.0.0.1", free)


def test_refuses_non_loopback_and_bad_hex():
    w = NetAssist(remote_host="192.168.1.255")
    assert w.send("hi") == 0
    assert "refused" in w.status.value and "192.168.1.255" in w.status.value
    assert w.sock is None
    w.remote_host.value = "127.0.0.1"
    w.mode.value = "hex"
    assert w.send("zz") == 0
    assert w.status.value == "<b>cannot send:</b> &#x27;z&#x27; is not a hex digit (0-9, a-f) in &#x27;zz&#x27;"
    w.close()


def test_tcp_client_mode():
    with TcpEchoServer() as srv, NetAssist(protocol="TCP client", remote_port=srv.address[1]) as w:
        assert w.send("over tcp") == 8
        assert w.wait_for(1) == 1
        assert w.received[0].data == b"over tcp"


def test_tcp_refused_is_a_message():
    with udp_socket(bind=("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    w = NetAssist(protocol="TCP client", remote_port=port)
    assert w.send("x") == 0
    assert w.status.value.startswith("<b>error:</b> ConnectionRefusedError")
    w.close()


def test_encode_payload_errors():
    with pytest.raises(ValueError, match="odd number of digits"):
        encode_payload("abc", "hex", "utf-8")
    with pytest.raises(ValueError, match="mode must be"):
        encode_payload("abc", "base64", "utf-8")
    assert encode_payload("0x41\\x42", "hex", "utf-8") == b"AB"
