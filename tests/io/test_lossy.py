"""netedu.io.lossy: a loopback relay that drops, duplicates and delays datagrams."""

from __future__ import annotations

import socket
import time

import pytest

from netedu.io.lossy import LossyLink
from netedu.io.servers import BackgroundServer

pytestmark = pytest.mark.netns


class Echo(BackgroundServer):
    """Echoes each datagram; with ``new_port`` it answers from a fresh socket, like a TFTP server."""

    def __init__(self, new_port: bool = False) -> None:
        super().__init__()
        self.new_port = new_port
        self.extra: socket.socket | None = None

    def make_socket(self):
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def serve_once(self):
        data, peer = self.sock.recvfrom(2048)
        if self.new_port:
            if self.extra is None:
                self.extra = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                self.extra.bind(("127.0.0.1", 0))
            self.extra.sendto(data, peer)
        else:
            self.sock.sendto(data, peer)

    def cleanup(self):
        if self.extra is not None:
            self.extra.close()


def client() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    return s


def exchange(link: LossyLink, n: int) -> list[bytes]:
    got = []
    with client() as c:
        for i in range(n):
            c.sendto(b"%d" % i, link.address)
            try:
                got.append(c.recv(100))
            except socket.timeout:
                pass
    return got


def test_no_loss_forwards_everything():
    with Echo() as echo, LossyLink(echo.address, loss=0.0) as link:
        assert exchange(link, 20) == [b"%d" % i for i in range(20)]
    assert link.stats["up"] == {"forwarded": 20, "dropped": 0, "duplicated": 0}
    assert link.stats["down"] == {"forwarded": 20, "dropped": 0, "duplicated": 0}


def test_total_loss_one_way():
    with Echo() as echo, LossyLink(echo.address, loss=0.0, loss_down=1.0) as link:
        assert exchange(link, 3) == []
    assert link.stats["up"]["forwarded"] == 3 and link.stats["down"]["dropped"] == 3


def wait_for(cond, timeout=2.0):
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        time.sleep(0.01)


def test_loss_is_seeded_and_about_right():
    results = []
    for _ in range(2):
        with Echo() as echo, LossyLink(echo.address, loss_up=0.3, loss_down=0.0, seed=42, trace=True) as link:
            with client() as c:
                for i in range(200):
                    c.sendto(b"%d" % i, link.address)
                    time.sleep(0.0002)
                wait_for(lambda: link.stats["up"]["forwarded"] + link.stats["up"]["dropped"] == 200)
                wait_for(lambda: link.stats["down"]["forwarded"] == link.stats["up"]["forwarded"])
            results.append([(e.action, e.data) for e in link.events if e.direction == "up"])
    assert results[0] == results[1]  # same seed, same datagrams dropped
    dropped = sum(1 for a, _ in results[0] if a == "dropped")
    assert 40 <= dropped <= 80  # about 30% of 200


def test_duplicate_and_delay():
    with Echo() as echo, LossyLink(echo.address, loss=0.0, duplicate=1.0, delay=0.05, loss_down=0.0) as link:
        with client() as c:
            t = time.monotonic()
            c.sendto(b"x", link.address)
            first = c.recv(10)
            waited = time.monotonic() - t
            copies = [first]
            try:
                while True:
                    copies.append(c.recv(10))
            except socket.timeout:
                pass
    assert waited >= 0.09  # delayed both ways
    assert copies == [b"x"] * 4  # duplicated up (2 echoes), each duplicated down
    assert link.stats["up"]["duplicated"] == 1 and link.stats["down"]["duplicated"] == 2


def test_server_answering_from_a_new_port_is_answered_from_a_new_port():
    with Echo(new_port=True) as echo, LossyLink(echo.address, loss=0.0) as link, client() as c:
        c.sendto(b"hi", link.address)
        data, src = c.recvfrom(10)
        assert data == b"hi" and src != link.address  # like TFTP's new TID
        c.sendto(b"again", src)  # goes to the server's new port through the link
        wait_for(lambda: link.stats["up"]["forwarded"] == 2)
        assert link.describe() == "up: 2 forwarded, 0 dropped, 0 duplicated; down: 1 forwarded, 0 dropped, 0 duplicated"


@pytest.mark.parametrize("kw,message", [
    ({"loss": -0.1}, "loss must be a probability between 0 and 1, got -0.1"),
    ({"duplicate": 2}, "duplicate must be a probability between 0 and 1, got 2"),
    ({"loss_up": 1.5}, "loss_up must be a probability between 0 and 1, got 1.5"),
])
def test_bad_parameters(kw, message):
    with pytest.raises(ValueError) as info:
        LossyLink(("127.0.0.1", 9), **kw)
    assert str(info.value) == message


def test_link_refuses_non_loopback_targets():
    with pytest.raises(ValueError) as info:
        LossyLink(("10.0.0.1", 69))
    assert str(info.value) == "a LossyLink relays to loopback only, not '10.0.0.1'"
