"""netedu.io.tcp_servers: the iterative TCP echo server."""

from __future__ import annotations

import socket

import pytest

from netedu.io.tcp_servers import TcpEchoServer

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def test_echo_and_clients_one_after_another():
    with TcpEchoServer() as srv:
        first = socket.create_connection(srv.address, timeout=2)
        second = socket.create_connection(srv.address, timeout=2)  # waits in the listen queue
        with first, second:
            second.sendall(b"two")
            first.sendall(b"one")
            assert first.recv(10) == b"one"
            second.settimeout(0.3)
            try:
                early = second.recv(10)
            except socket.timeout:
                early = b""
            assert early == b""  # not served while the first is connected
            first.close()
            second.settimeout(2)
            assert second.recv(10) == b"two"
        assert srv.clients == 2
    assert not srv.running


def test_large_transfer_and_stop_with_client_open():
    with TcpEchoServer() as srv:
        c = socket.create_connection(srv.address, timeout=2)
        data = bytes(range(256)) * 400
        c.sendall(data)
        got = b""
        while len(got) < len(data):
            got += c.recv(65536)
        assert got == data
    assert not srv.running  # stopping does not wait for the client to close
    c.close()
