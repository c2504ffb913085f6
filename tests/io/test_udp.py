"""netedu.io.udp: loopback UDP peers, limits, loss, broadcast and multicast (run in tools/in-netns)."""

from __future__ import annotations

import socket

import pytest

from netedu.io import udp

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def test_echo_server_counts_and_echoes():
    with udp.UdpEchoServer() as srv, udp.udp_socket() as c:
        for i in range(5):
            c.sendto(b"m%d" % i, srv.address)
            assert c.recvfrom(100) == (b"m%d" % i, srv.address)
        assert srv.wait_for(5) == 5
        assert srv.lines[4].startswith("echoed datagram #5 (2 bytes) to 127.0.0.1:")
    assert not srv.running


def test_echo_prefix_and_sink():
    with udp.UdpEchoServer(prefix=b"> ") as srv, udp.udp_socket() as c:
        c.sendto(b"x", srv.address)
        assert c.recv(10) == b"> x"
    with udp.UdpSink() as sink, udp.udp_socket() as c:
        c.sendto(b"quiet", sink.address)
        assert sink.wait_for(1) == 1
        assert sink.received[0].source == ("127.0.0.1", c.getsockname()[1])
        with pytest.raises(socket.timeout):
            c.settimeout(0.1)
            c.recv(10)


def test_udp_socket_needs_timeout_and_loopback():
    with pytest.raises(ValueError, match="needs a timeout"):
        udp.udp_socket(timeout=0)
    with pytest.raises(ValueError) as e:
        udp.udp_socket(bind=("0.0.0.0", 0))
    assert str(e.value) == "netedu sockets stay on loopback (127.0.0.0/8): '0.0.0.0' is not a loopback address"


def test_unbound_port_changes_and_bind_fixes_it():
    ports = set()
    with udp.UdpSink() as sink:
        for _ in range(3):
            with udp.udp_socket() as s:
                assert s.getsockname() == ("0.0.0.0", 0)
                s.sendto(b"x", sink.address)
                ports.add(s.getsockname()[1])
    assert len(ports) == 3


def test_largest_datagram_and_the_error_past_it():
    with udp.udp_socket(bind=("127.0.0.1", 0)) as r, udp.udp_socket() as s:
        assert s.sendto(b"a" * udp.MAX_UDP_PAYLOAD, r.getsockname()) == 65_507
        assert len(r.recv(70_000)) == 65_507
        with pytest.raises(OSError) as e:
            s.sendto(b"a" * (udp.MAX_UDP_PAYLOAD + 1), r.getsockname())
        assert e.value.errno == 90  # EMSGSIZE: Message too long


def test_recvfrom_truncates_and_msg_trunc_tells_real_length():
    with udp.udp_socket(bind=("127.0.0.1", 0)) as r, udp.udp_socket() as s:
        s.sendto(b"b" * 2000, r.getsockname())
        data, _anc, flags, _ = r.recvmsg(1024)
        assert len(data) == 1024 and flags & socket.MSG_TRUNC
        s.sendto(b"c" * 2000, r.getsockname())
        assert r.recv_into(bytearray(1024), 1024, socket.MSG_TRUNC) == 2000
        assert udp.recv_all(r, quiet=0.1) == []  # the rest is gone


def test_burst_loss_is_real():
    res = udp.burst_loss(count=200, size=1000)
    assert res.sent == 200 and 0 < len(res.arrived) < 200 and res.lost > 0
    assert res.in_order


def test_lossy_sendto_is_deterministic_and_drops():
    payloads = [udp.numbered(i, b"x") for i in range(20)]
    with udp.udp_socket(bind=("127.0.0.1", 0)) as r, udp.udp_socket() as s:
        order = udp.lossy_sendto(s, payloads, r.getsockname(), drop=0.2, reorder=True, seed=3)
        got = [udp.parse_numbered(d.data)[0] for d in udp.recv_all(r)]
    assert got == order and len(order) < 20 and order != sorted(order)
    with udp.udp_socket() as s:
        assert udp.lossy_sendto(s, payloads, ("127.0.0.1", 9), drop=0.2, reorder=True, seed=3) == order
        with pytest.raises(ValueError, match="loopback"):
            udp.lossy_sendto(s, payloads, ("192.168.1.201", 8080))


def test_broadcast_needs_so_broadcast():
    with udp.broadcast_receiver() as r, udp.broadcast_sender(allow=False) as s:
        with pytest.raises(PermissionError) as e:
            s.sendto(b"x", (udp.BROADCAST_LOOPBACK, r.getsockname()[1]))
        assert e.value.errno == 13


def test_broadcast_reaches_every_receiver_but_not_127_0_0_1():
    with udp.broadcast_receiver() as a:
        port = a.getsockname()[1]
        with udp.broadcast_receiver(port) as b, udp.broadcast_receiver(port, host="") as c, \
                udp.broadcast_sender() as s:
            lo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            lo.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            lo.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            lo.settimeout(0.2)
            lo.bind(("127.0.0.1", port))
            with lo:
                udp.send_broadcast(s, b"all", port)
                assert [x.recv(10) for x in (a, b, c)] == [b"all"] * 3
                with pytest.raises(socket.timeout):
                    lo.recv(10)
            with pytest.raises(ValueError, match="only to 127.255.255.255"):
                udp.send_broadcast(s, b"x", port, address="255.255.255.255")


def test_multicast_on_loopback_two_members():
    with udp.multicast_receiver() as a, udp.multicast_receiver(port=a.getsockname()[1]) as b, \
            udp.multicast_sender(ttl=1) as s:
        s.sendto(b"group", (udp.MULTICAST_GROUP, a.getsockname()[1]))
        assert a.recv(10) == b"group" and b.recv(10) == b"group"
