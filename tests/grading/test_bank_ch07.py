"""Chapter 07's checks: right answers get full marks; wrong, failing, looping or blocking ones get 0 and a message."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from netedu.grading.registry import lookup
from netedu.io import tcp


def serve(listening_sock: socket.socket, n_clients: int) -> None:
    for _ in range(n_clients):
        conn, _ = listening_sock.accept()
        with conn:
            while data := conn.recv(4096):
                conn.sendall(data)


def serve_one_recv(listening_sock: socket.socket, n_clients: int) -> None:
    for _ in range(n_clients):
        conn, _ = listening_sock.accept()
        with conn:
            conn.sendall(conn.recv(1024))


def serve_forever(listening_sock: socket.socket, n_clients: int) -> None:
    while True:
        conn, _ = listening_sock.accept()
        with conn:
            while data := conn.recv(4096):
                conn.sendall(data)


def serve_first_only(listening_sock: socket.socket, n_clients: int) -> None:
    serve(listening_sock, 1)


def never_accepts(listening_sock: socket.socket, n_clients: int) -> None:
    time.sleep(100)


def stub(*args: object) -> None:
    raise NotImplementedError("Exercise: write your code here")


def points(exercise_id: str, answer: object) -> list[float]:
    return [o.points for o in lookup(exercise_id).run(answer)]


def test_echo_server_right_answer_gets_full_marks() -> None:
    outcomes = lookup("07.1").run(serve)
    assert sum(o.points for o in outcomes) == lookup("07.1").max_score == 4
    assert all(o.message == "" for o in outcomes)


def test_echo_server_that_reads_once_loses_the_big_client() -> None:
    outcomes = lookup("07.1").run(serve_one_recv)
    assert [o.points for o in outcomes] == [1, 1, 0, 1]
    assert "loop on recv" in outcomes[2].hint


def test_echo_server_that_never_returns_loses_the_return_points() -> None:
    start = time.monotonic()
    outcomes = lookup("07.1").run(serve_forever)
    assert time.monotonic() - start < 20
    assert [o.points for o in outcomes] == [1, 0, 1, 0]
    assert outcomes[1].message.startswith("serve(listener, 1) ")
    assert outcomes[1].message.endswith("it should return after serving 1 client(s)")


def test_echo_server_serving_one_client_fails_the_three_client_case() -> None:
    outcomes = lookup("07.1").run(serve_first_only)
    assert [o.points for o in outcomes][:2] == [1, 1]
    assert outcomes[2].points == 0 and outcomes[2].message.startswith("client 2 of 3")


@pytest.mark.parametrize("answer", [never_accepts, stub])
def test_echo_server_blocked_or_unwritten_gets_zero(answer: object) -> None:
    start = time.monotonic()
    assert sum(points("07.1", answer)) == 0
    assert time.monotonic() - start < 25


def test_echo_server_not_a_function() -> None:
    (o,) = lookup("07.1").run(42)
    assert o.points == 0
    assert o.message == "expected a function serve(listening_sock, n_clients), got a int"


def send_msg_little_endian(sock: socket.socket, data: bytes) -> None:
    sock.sendall(struct.pack("<I", len(data)) + data)


def send_msg_no_length(sock: socket.socket, data: bytes) -> None:
    sock.sendall(data)


def send_msg_with_send(sock: socket.socket, data: bytes) -> None:
    sock.send(struct.pack("!I", len(data)))
    sock.send(data)


def send_msg_hangs(sock: socket.socket, data: bytes) -> None:
    sock.recv(10)  # waits for the peer, which waits for us


def test_send_msg_right_answer() -> None:
    assert points("07.2", tcp.send_msg) == [1, 1, 1]


@pytest.mark.parametrize("answer", [send_msg_little_endian, send_msg_no_length, stub, "text"])
def test_send_msg_wrong_answers_get_zero(answer: object) -> None:
    outcomes = lookup("07.2").run(answer)
    assert sum(o.points for o in outcomes) == 0
    assert all(o.message for o in outcomes)


def test_send_msg_that_blocks_gets_zero_without_hanging() -> None:
    start = time.monotonic()
    outcomes = lookup("07.2").run(send_msg_hangs)
    assert sum(o.points for o in outcomes) == 0
    assert time.monotonic() - start < 20
    assert all(o.message for o in outcomes)


def test_send_msg_wrong_format_message_names_what_the_reader_got() -> None:
    outcomes = lookup("07.2").run(send_msg_little_endian)
    assert outcomes[0].message.startswith("sending [b'hello', b'world'], a reader of 4-byte big-endian lengths got")


def recv_msg_naive(sock: socket.socket) -> bytes | None:
    n = int.from_bytes(sock.recv(4), "big")
    return sock.recv(n) if n else None


def recv_msg_no_none(sock: socket.socket) -> bytes:
    header = b""
    while len(header) < 4:
        header += sock.recv(4 - len(header))  # loops forever once the peer has closed
    (n,) = struct.unpack("!I", header)
    body = b""
    while len(body) < n:
        body += sock.recv(n - len(body))
    return body


def test_recv_msg_right_answer() -> None:
    assert points("07.3", tcp.recv_msg) == [1, 1, 1]


@pytest.mark.parametrize("answer", [recv_msg_naive, recv_msg_no_none, stub, None])
def test_recv_msg_wrong_answers_get_zero(answer: object) -> None:
    start = time.monotonic()
    outcomes = lookup("07.3").run(answer)
    assert sum(o.points for o in outcomes) == 0
    assert all(o.message for o in outcomes)
    assert time.monotonic() - start < 20


def test_recv_msg_message_says_what_was_expected() -> None:
    outcomes = lookup("07.3").run(recv_msg_naive)
    assert outcomes[0].message.startswith(
        "receiving [b'hello', b'world'] then the peer's close: expected [b'hello', b'world', None], got")


@pytest.mark.parametrize(("answer", "ok"), [
    ([b"helloworld", b""], True),
    ((b"helloworld", b""), True),
    ([b"hello", b"world"], False),
    ([b"helloworld"], False),
    ([b"helloworld", b"", b""], False),
])
def test_recv_value_question(answer: object, ok: bool) -> None:
    (o,) = lookup("07.4").run(answer)
    assert o.passed is ok


@pytest.mark.parametrize("answer", ["helloworld", ["helloworld", ""], 3])
def test_recv_value_question_rejects_non_bytes(answer: object) -> None:
    (o,) = lookup("07.4").run(answer)
    assert o.points == 0 and o.message.startswith("expected a list of bytes objects")


def test_recv_value_question_placeholder() -> None:
    (o,) = lookup("07.4").run(...)
    assert o.message == "no answer yet: replace the placeholder with your answer"
