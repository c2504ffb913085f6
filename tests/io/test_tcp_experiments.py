"""What Linux really does with TCP sockets on loopback (run inside ``tools/in-netns``).

These tests pin the facts chapters 07-08 show: the states ``ss`` reports at
each step of a connection, the fixed 60 s TIME-WAIT, EADDRINUSE and
SO_REUSEADDR, and ``listen(n)`` admitting n + 1 connections.
"""

from __future__ import annotations

import socket
import time

import pytest

from netedu.io import tcp


def test_parse_ss_maps_states_timers_and_listening_peers() -> None:
    text = (
        "State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
        "LISTEN     0      1      127.0.0.1:5000  0.0.0.0:*  ino:10 sk:1 cgroup:/ <->\n"
        "ESTAB      0      0      127.0.0.1:5000  127.0.0.1:40000 ino:11 sk:2\n"
        "SYN-RECV   0      0      127.0.0.1:5000  127.0.0.1:40001 timer:(on,200ms,0)\n"
        "LAST-ACK   0      6145   127.0.0.1:5000  127.0.0.1:40002 timer:(persist,148ms,0) ino:0\n"
        "TIME-WAIT  0      0      127.0.0.1:40000 127.0.0.1:5000 timer:(timewait,59sec,0) ino:0 sk:3\n"
    )
    rows = tcp.parse_ss(text)
    assert [r.state for r in rows] == ["LISTEN", "ESTABLISHED", "SYN-RECEIVED", "LAST-ACK", "TIME-WAIT"]
    assert rows[0].peer is None and rows[0].inode == 10
    assert rows[3].send_q == 6145 and rows[3].timer == "persist" and rows[3].timer_seconds == 0.148
    assert rows[4].local == ("127.0.0.1", 40000) and rows[4].timer_seconds == 59.0


def test_parse_duration_rejects_junk_with_a_clear_message() -> None:
    assert tcp.parse_duration("1min") == 60.0
    with pytest.raises(ValueError, match=r"^expected a duration like '59sec', '1min' or '148ms', got '5 sec'$"):
        tcp.parse_duration("5 sec")


def test_socket_state_rejects_non_rfc_names() -> None:
    with pytest.raises(ValueError, match=r"state 'ESTAB' is not an RFC 793 state name"):
        tcp.SocketState(state="ESTAB", local=("127.0.0.1", 1))


def test_lifecycle_shows_every_state_on_real_sockets() -> None:
    steps = tcp.lifecycle_experiment()
    assert [(s.client, s.server) for s in steps] == [
        ("CLOSED", "LISTEN"),
        ("SYN-SENT", "LISTEN"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("FIN-WAIT-2", "CLOSE-WAIT"),
        ("FIN-WAIT-2", "LAST-ACK"),
        ("TIME-WAIT", "CLOSED"),
    ]
    # TIME-WAIT is on the side that closed first (the client), with Linux's 60 s timer
    assert steps[-1].timer_seconds is not None and 50 <= steps[-1].timer_seconds <= 60


def test_simultaneous_close_passes_through_closing_and_both_ends_wait() -> None:
    steps = tcp.simultaneous_close_experiment()
    assert [(s.client, s.server) for s in steps] == [
        ("ESTABLISHED", "FIN-WAIT-1"),
        ("FIN-WAIT-2", "CLOSING"),
        ("TIME-WAIT", "TIME-WAIT"),
    ]


def test_time_wait_lasts_sixty_seconds_on_linux() -> None:
    left = tcp.time_wait_timer()
    assert 50 <= left <= 60, left


def test_psutil_sees_the_same_states_as_ss() -> None:
    with tcp.connected_pair() as (listener, client, server):
        port = listener.getsockname()[1]
        mine = {sock.getsockname() for sock in (listener, client, server)}
        via_psutil = sorted(row[0] for row in tcp.psutil_states(port) if row[1] in mine)
        via_ss = sorted(r.state for r in tcp.socket_states(port, own=mine))
    assert via_psutil == via_ss == ["ESTABLISHED", "ESTABLISHED", "LISTEN"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    (False, False, "OSError: [Errno 98] Address already in use"),
    (False, True, "OSError: [Errno 98] Address already in use"),
    (True, False, "OSError: [Errno 98] Address already in use"),
    (True, True, "ok"),
])
def test_rebinding_a_port_in_time_wait_needs_reuseaddr_on_both_sockets(old: bool, new: bool, expected: str) -> None:
    assert tcp.rebind_after_time_wait(old, new) == expected


def test_listen_1_completes_two_handshakes_and_the_third_client_waits_in_syn_sent() -> None:
    result = tcp.backlog_experiment(1, 3)
    assert result.states == ("ESTABLISHED", "ESTABLISHED", "SYN-SENT")
    assert (result.completed, result.waiting) == (2, 1)


@pytest.mark.parametrize("backlog", [0, 2, 5])
def test_listen_n_admits_n_plus_one(backlog: int) -> None:
    result = tcp.backlog_experiment(backlog, backlog + 3)
    assert result.completed == backlog + 1
    assert result.waiting == 2


def test_backlog_experiment_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"^backlog must be 0-64 and clients 1-100, got backlog=1, clients=0$"):
        tcp.backlog_experiment(1, 0)


def test_a_client_that_finds_the_queue_full_is_not_refused_it_waits() -> None:
    # after 0.3 s the SYN-SENT client has neither failed nor connected
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        laddr = listener.getsockname()
        with socket.create_connection(laddr, timeout=2), socket.socket() as late:
            late.settimeout(0.3)
            with pytest.raises(TimeoutError):
                late.connect(laddr)


def test_experiments_leave_no_open_sockets_behind() -> None:
    import psutil

    me = psutil.Process()
    before = len(me.net_connections(kind="tcp"))
    tcp.lifecycle_experiment()
    tcp.backlog_experiment(1, 3)
    tcp.simultaneous_close_experiment()
    tcp.rebind_after_time_wait(True, True)
    tcp.time_wait_timer()
    assert len(me.net_connections(kind="tcp")) == before  # every socket of ours is closed


def test_long_connections_are_faster_than_short_ones() -> None:
    long_s, short_s = tcp.time_long_and_short(100)
    assert short_s > long_s


def test_framing_round_trip_through_the_chunky_peer() -> None:
    messages = [b"", b"a", b"\x00" * 5, b"z" * 100_000]
    with tcp.ChunkyFramedEchoServer() as peer, socket.create_connection(peer.address, timeout=2) as c:
        for m in messages:
            tcp.send_msg(c, m)
        c.shutdown(socket.SHUT_WR)
        got = [tcp.recv_msg(c) for _ in messages]
        assert tcp.recv_msg(c) is None
    assert got == messages
    assert peer.received == [messages]


def test_recv_msg_raises_when_the_peer_closes_mid_message() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"\x00\x00\x00\x05ab")
        a.close()
        with pytest.raises(ConnectionError, match=r"^the peer closed the connection after 2 of 5 bytes$"):
            tcp.recv_msg(b)


def test_echo_server_counts_clients() -> None:
    with tcp.EchoServer() as srv:
        for word in (b"one", b"two"):
            with socket.create_connection(srv.address, timeout=2) as c:
                c.sendall(word)
                assert c.recv(10) == word
        deadline = time.monotonic() + 2
        while srv.served < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert srv.served == 2


def test_socket_states_falls_back_to_psutil_without_ss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tcp.shutil, "which", lambda name: None)
    monkeypatch.setattr(tcp.os.path, "exists", lambda path: False)
    with tcp.connected_pair() as (listener, client, server):
        port = listener.getsockname()[1]
        rows = tcp.socket_states(port, own=[listener, client, server])
    assert sorted(r.state for r in rows) == ["ESTABLISHED", "ESTABLISHED", "LISTEN"]
    assert all(r.timer is None for r in rows)
