"""Bank ch04: UDP exercises against netedu's peers, in tools/in-netns. Never hangs."""

from __future__ import annotations

import socket

import pytest

from netedu.grading.registry import lookup

pytestmark = pytest.mark.netns  # sockets on loopback: run through tools/in-netns


def ask(server, message):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        s.sendto(message, server)
        try:
            return s.recvfrom(1024)[0]
        except socket.timeout:
            return None


def serve(sock, n):
    count = 0
    while count < n:
        data, addr = sock.recvfrom(65535)
        sock.sendto(data, addr)
        count += 1
    return count


def reassemble(sock, n):
    parts = {}
    while len(parts) < n:
        data, _ = sock.recvfrom(65535)
        seq, _, piece = data.partition(b":")
        parts[int(seq)] = piece
    return b"".join(parts[i] for i in sorted(parts))


def _score(ex_id, answer):
    outs = lookup(ex_id).run(answer)
    return sum(o.points for o in outs), sum(o.max_points for o in outs), outs


def test_right_answers_full_marks():
    assert _score("04.1", ask)[:2] == (3, 3)
    assert _score("04.2", serve)[:2] == (3, 3)
    assert _score("04.3", reassemble)[:2] == (3, 3)


def test_ask_without_timeout_and_returning_own_message():
    def no_timeout(server, message):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(message, server)
        return s.recvfrom(1024)[0]

    pts, _, outs = _score("04.1", no_timeout)
    assert pts == 2
    assert outs[2].message.startswith("ask(a server that never answers, b'anyone?') did not return in time")
    assert "settimeout" in outs[2].hint

    def returns_message(server, message):
        ask(server, message)
        return message

    pts, _, outs = _score("04.1", returns_message)
    assert pts == 0
    assert outs[0].message == "ask(echo server, b'hello'): expected the server's reply b'echo: hello', got b'hello'"
    assert outs[2].message == "ask(a server that never answers, b'anyone?'): expected None, got b'anyone?'"


def test_serve_mistakes():
    def small_buffer(sock, n):
        for _ in range(n):
            data, addr = sock.recvfrom(100)
            sock.sendto(data, addr)
        return n

    pts, _, outs = _score("04.2", small_buffer)
    assert pts == 2 and "datagram 4 was b'xxxx" in outs[2].message

    def forgets_count(sock, n):
        serve(sock, n)

    pts, _, outs = _score("04.2", forgets_count)
    assert pts == 0 and outs[0].message == "serve(sock, 3): 3 datagrams: echoed all, but returned None instead of the count 3"

    def other_socket(sock, n):
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(n):
            data, addr = sock.recvfrom(65535)
            out.sendto(data, addr)
        return n

    pts, _, outs = _score("04.2", other_socket)
    assert pts == 0 and "another port" in outs[0].message

    def forever(sock, n):  # never stops: blocked in recvfrom after n
        while True:
            data, addr = sock.recvfrom(65535)
            sock.sendto(data, addr)

    pts, _, outs = _score("04.2", forever)
    assert pts == 0 and all("stop after n" in o.hint for o in outs)


def test_reassemble_in_arrival_order_is_wrong():
    def arrival_order(sock, n):
        return b"".join(sock.recvfrom(65535)[0].partition(b":")[2] for _ in range(n))

    pts, _, outs = _score("04.3", arrival_order)
    assert pts == 1  # the one-piece case
    assert outs[0].message.startswith("reassemble(sock, 5): 5 words, shuffled: datagrams arrived in the order ")

    def sorts_bytes(sock, n):
        parts = {}
        for _ in range(n):
            seq, _, piece = sock.recvfrom(65535)[0].partition(b":")
            parts[seq] = piece
        return b"".join(parts[k] for k in sorted(parts))

    pts, _, outs = _score("04.3", sorts_bytes)
    assert pts == 2 and "(int, not bytes)" in outs[1].hint

    def blocked(sock, n):
        return b"".join(sock.recvfrom(65535)[0] for _ in range(n + 1))

    assert _score("04.3", blocked)[0] == 0
