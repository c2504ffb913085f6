"""netedu.io.inspect: a socket's own view and what ss says."""

from __future__ import annotations

import socket

import pytest

from netedu.io import inspect
from netedu.io.udp import UdpEchoServer

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns

SS_TEXT = """Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
udp   UNCONN 0      0          127.0.0.1:9001       0.0.0.0:*    users:(("python",pid=12,fd=4))
tcp   LISTEN 0      5          127.0.0.1:5000       0.0.0.0:*
tcp   ESTAB  0      3          127.0.0.1:5000     127.0.0.1:40000 users:(("nc",pid=9,fd=3))
"""


def test_parse_ss():
    rows = inspect.parse_ss(SS_TEXT)
    assert [(r.netid, r.state, r.local_port, r.peer_port, r.process) for r in rows] == [
        ("udp", "UNCONN", 9001, None, "python"),
        ("tcp", "LISTEN", 5000, None, ""),
        ("tcp", "ESTAB", 5000, 40000, "nc"),
    ]
    assert rows[2].send_q == 3


def test_describe_connected_udp():
    with UdpEchoServer() as srv, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        c.settimeout(2)
        c.connect(srv.address)
        info = inspect.describe(c)
        assert info.remote == srv.address and info.local[0] == "127.0.0.1"
        mine = f"127.0.0.1:{c.getsockname()[1]}"
        # Other tests' sockets may use the same port number (for TCP, or as a peer): keep ours.
        rows = [r for r in inspect.ss_rows(c.getsockname()[1]) if r.local == mine]
        assert [r.netid for r in rows] == ["udp"]
        assert rows[0].peer == f"127.0.0.1:{srv.address[1]}"


def test_tcp_rows_and_psutil_fallback():
    with socket.socket() as ls:
        ls.bind(("127.0.0.1", 0))
        ls.listen(1)
        port = ls.getsockname()[1]
        mine = f"127.0.0.1:{port}"
        # Other tests' sockets may use the same port number (for UDP, or as a peer): keep ours.
        assert [r.state for r in inspect.ss_rows(port) if r.local == mine and r.netid == "tcp"] == ["LISTEN"]
        assert [r.state for r in inspect.psutil_rows(port) if r.local == mine and r.netid == "tcp"] == ["LISTEN"]


def test_show_unbound_and_errors():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        assert inspect.show(s).endswith("(not bound: the OS has not given it a port yet)")
    with pytest.raises(ValueError, match="from 1 to 65535, got 0"):
        inspect.ss_rows(0)
