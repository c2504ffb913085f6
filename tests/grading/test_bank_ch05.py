"""Bank ch05: broadcast on 127.255.255.255 (run in tools/in-netns). Never hangs."""

from __future__ import annotations

import socket

import pytest

from netedu.grading.registry import lookup

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def announce(port, text):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.sendto(text.encode("utf-8"), ("127.255.255.255", port))


def collect(sock, n):
    heard = {}
    while len(heard) < n:
        data, addr = sock.recvfrom(1024)
        heard[addr[1]] = data.decode("utf-8")
    return heard


def _score(ex_id, answer):
    outs = lookup(ex_id).run(answer)
    return sum(o.points for o in outs), sum(o.max_points for o in outs), outs


def test_right_answers_full_marks():
    assert _score("05.1", "PermissionError")[:2] == (1, 1)
    assert _score("05.1", PermissionError)[:2] == (1, 1)
    assert _score("05.1", "PermissionError: [Errno 13] Permission denied")[:2] == (1, 1)
    assert _score("05.2", announce)[:2] == (2, 2)
    assert _score("05.3", collect)[:2] == (3, 3)


def test_wrong_answers():
    assert _score("05.1", "OSError")[0] == 0

    def no_so_broadcast(port, text):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(text.encode(), ("127.255.255.255", port))

    pts, _, outs = _score("05.2", no_so_broadcast)
    assert pts == 0 and outs[0].message.startswith("announce(port, 'hello, everyone') raised PermissionError")
    assert "SO_BROADCAST" in outs[0].hint

    def unicast(port, text):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(text.encode(), ("127.0.0.1", port))

    pts, _, outs = _score("05.2", unicast)
    assert pts == 0 and "heard nothing" in outs[0].message

    def counts_datagrams(sock, n):  # stops after n datagrams: repeats from one sender fill it
        heard = {}
        for _ in range(n):
            data, addr = sock.recvfrom(1024)
            heard[addr[1]] = data.decode()
        return heard

    pts, _, outs = _score("05.3", counts_datagrams)
    assert pts < 3

    def list_instead(sock, n):
        return [sock.recvfrom(1024)[0] for _ in range(n)]

    pts, _, outs = _score("05.3", list_instead)
    assert pts == 0 and outs[0].message == "collect(sock, 3): 3 senders: expected a dict {sender_port: text}, got a list"

    def never(sock, n):
        while True:
            sock.recvfrom(1024)

    pts, _, outs = _score("05.3", never)
    assert pts == 0 and "did not return in time" in outs[0].message
