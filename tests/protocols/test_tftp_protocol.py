"""netedu.protocols.tftp: the transfer state machines, driven in memory with virtual time."""

from __future__ import annotations

import io
import os
import random
import struct
from collections import deque

import pytest

from netedu.codecs.tftp import Ack, Data, Error, ErrorCode, OptionAck, ReadRequest, WriteRequest, decode, encode
from netedu.errors import LocalProtocolError
from netedu.protocols.tftp import (
    CLIENT_TRANSITIONS,
    SERVER_TRANSITIONS,
    ClientTransfer,
    Event,
    ServerTransfer,
    State,
    TransferError,
    negotiate,
)


def ack(n: int) -> bytes:
    return struct.pack("!HH", 4, n & 0xFFFF)


def data(n: int, payload: bytes) -> bytes:
    return struct.pack("!HH", 3, n & 0xFFFF) + payload


class Sim:
    """A client and a server joined by a link that may lose or duplicate datagrams."""

    def __init__(self, client, make_server, *, loss=0.0, dup=0.0, seed=0, max_steps=2_000_000):
        self.client = client
        self.make_server = make_server
        self.server = None
        self.rng = random.Random(seed)
        self.loss, self.dup = loss, dup
        self.now = 0.0
        self.up: deque[bytes] = deque()
        self.down: deque[bytes] = deque()
        self.sent_up: list[bytes] = []
        self.sent_down: list[bytes] = []
        self.max_steps = max_steps

    def _put(self, queue, log, packets):
        for p in packets:
            log.append(p)
            if self.loss and self.rng.random() < self.loss:
                continue
            queue.append(p)
            if self.dup and self.rng.random() < self.dup:
                queue.append(p)

    def run(self):
        c = self.client
        self._put(self.up, self.sent_up, c.start(self.now))
        for _ in range(self.max_steps):
            if self.up:
                pkt = self.up.popleft()
                if self.server is None:
                    self.server = self.make_server(decode(pkt))
                    self._put(self.down, self.sent_down, self.server.start(self.now))
                elif pkt[1] in (1, 2):
                    pass  # a resent request: the driver ignores it (its transfer already answers)
                elif not self.server.state is State.FAILED:
                    self._put(self.down, self.sent_down, self.server.receive(pkt, self.now))
                continue
            if self.down:
                pkt = self.down.popleft()
                if c.state is not State.FAILED:
                    self._put(self.up, self.sent_up, c.receive(pkt, self.now))
                continue
            s = self.server
            if c.finished and (s is None or s.finished):
                return self
            timers = [(m.next_timeout(), m) for m in (c, s) if m is not None and m.next_timeout() is not None]
            if not timers:
                return self
            when, m = min(timers, key=lambda t: t[0])
            self.now = max(self.now, when)
            out = m.handle_timeout(self.now)
            if m is c:
                self._put(self.up, self.sent_up, out)
            else:
                self._put(self.down, self.sent_down, out)
        raise AssertionError("simulation did not end")


def read_sim(payload: bytes, *, server_kw=None, **client_kw):
    loss = client_kw.pop("loss", 0.0)
    dup = client_kw.pop("dup", 0.0)
    seed = client_kw.pop("seed", 0)
    client = ClientTransfer.read("f.bin", **client_kw)
    sim = Sim(client, lambda req: ServerTransfer(req, source=io.BytesIO(payload), size=len(payload), **(server_kw or {})),
              loss=loss, dup=dup, seed=seed)
    return sim.run()


def write_sim(payload: bytes, *, server_kw=None, **client_kw):
    loss = client_kw.pop("loss", 0.0)
    dup = client_kw.pop("dup", 0.0)
    seed = client_kw.pop("seed", 0)
    client = ClientTransfer.write("f.bin", payload, **client_kw)
    sim = Sim(client, lambda req: ServerTransfer(req, **(server_kw or {})), loss=loss, dup=dup, seed=seed)
    return sim.run()


def datas(packets):
    return [p for p in packets if p[:2] == b"\x00\x03"]


@pytest.mark.parametrize("size,blocks", [(0, 1), (1, 1), (511, 1), (512, 2), (513, 2), (1024, 3), (5000, 10)])
def test_read_sizes_and_the_final_block(size, blocks):
    payload = os.urandom(size)
    sim = read_sim(payload)
    assert sim.client.done and sim.server.done
    assert bytes(sim.client.received) == payload
    sent = datas(sim.sent_down)
    assert len(sent) == blocks
    assert len(sent[-1]) - 4 == size % 512  # a multiple of 512 ends with an empty block (RFC 1350 sec. 6)
    assert [struct.unpack("!H", p[2:4])[0] for p in sent] == list(range(1, blocks + 1))


@pytest.mark.parametrize("size", [0, 512, 3000])
def test_write_sizes(size):
    payload = os.urandom(size)
    sim = write_sim(payload)
    assert sim.client.done and sim.server.done
    assert bytes(sim.server.received) == payload
    assert sim.sent_down[0] == ack(0)  # RFC 1350: a WRQ is answered with ACK 0


def test_options_are_negotiated():
    payload = os.urandom(20_000)
    sim = read_sim(payload, blksize=1468, windowsize=4, tsize=True, timeout_option=2)
    assert decode(sim.sent_down[0]) == OptionAck(options={"blksize": 1468, "timeout": 2, "tsize": 20_000, "windowsize": 4})
    assert sim.sent_up[1] == ack(0)  # RFC 2347: the client acknowledges the OACK with ACK 0
    assert sim.client.tsize == 20_000 and sim.client.blksize == 1468 and sim.client.windowsize == 4
    assert sim.client.timeout == 2.0 and sim.server.timeout == 2.0
    assert bytes(sim.client.received) == payload
    # RFC 7440: one ACK per window of 4 blocks (14 blocks: 3 full windows + the last 2)
    acks = [p for p in sim.sent_up if p[:2] == b"\x00\x04"]
    assert [struct.unpack("!H", p[2:])[0] for p in acks] == [0, 4, 8, 12, 14]


def test_server_lowers_blksize_and_window():
    payload = os.urandom(10_000)
    sim = read_sim(payload, blksize=9000, windowsize=100, server_kw={"max_blksize": 1024, "max_windowsize": 3})
    assert sim.client.blksize == 1024 and sim.client.windowsize == 3
    assert bytes(sim.client.received) == payload


def test_write_with_options_starts_on_the_oack():
    payload = os.urandom(9000)
    sim = write_sim(payload, blksize=1000, windowsize=4, size=9000)
    assert decode(sim.sent_down[0]) == OptionAck(options={"blksize": 1000, "tsize": 9000, "windowsize": 4})
    assert bytes(sim.server.received) == payload


def test_negotiate_ignores_unknown_options():
    req = WriteRequest(filename="f", options={"tsize": 77, "multicast": ""})
    assert negotiate(req) == {"tsize": 77}


def test_client_refuses_a_bigger_blksize():
    c = ClientTransfer.read("f", blksize=512)
    c.start(0)
    out = c.receive(encode(OptionAck(options={"blksize": 1024})), 0)
    assert decode(out[0]) == Error(code=8, message="server raised blksize from 512 to 1024 (RFC 2348/7440)")
    assert c.state is State.FAILED


def test_client_refuses_an_option_it_did_not_ask():
    c = ClientTransfer.read("f")
    c.start(0)
    out = c.receive(encode(OptionAck(options={"tsize": 3})), 0)
    assert decode(out[0]) == Error(code=8, message="server answered option 'tsize' that was not asked")


def test_server_ignored_options_means_defaults():
    c = ClientTransfer.read("f", blksize=1468)
    c.start(0)
    assert c.receive(data(1, b"x" * 100), 0) == [ack(1)]  # a short block at blksize 512: done
    assert c.done and c.blksize == 512


@pytest.mark.parametrize("window", [1, 16])
def test_block_numbers_roll_over_past_65535(window):
    payload = os.urandom(8 * 70_000 + 3)  # 70,001 blocks of 8 bytes
    sim = read_sim(payload, blksize=8, windowsize=window)
    assert bytes(sim.client.received) == payload
    assert sim.client.blocks == 70_001
    sent = datas(sim.sent_down)
    numbers = [struct.unpack("!H", p[2:4])[0] for p in sent[65534:65538]]
    assert numbers == [65535, 0, 1, 2]  # wraps to 0 (what tftp-hpa and curl expect)


def test_write_rolls_over_too():
    payload = os.urandom(8 * 66_000)
    sim = write_sim(payload, blksize=8, windowsize=8)
    assert bytes(sim.server.received) == payload


def test_duplicate_ack_does_not_resend_sorcerers_apprentice():
    s = ServerTransfer(ReadRequest(filename="f"), source=os.urandom(2000))
    first = s.start(0)
    assert first[0][:4] == data(1, b"")[:4]
    second = s.receive(ack(1), 0.1)
    assert second[0][:4] == b"\x00\x03\x00\x02"
    assert s.receive(ack(1), 0.2) == []  # RFC 1123 sec. 4.2.3.1: a duplicate ACK sends nothing
    assert s.receive(ack(1), 0.3) == []
    assert s.receive(ack(0), 0.3) == []  # stale
    assert s.receive(ack(9), 0.3) == []  # from the future: ignored
    assert s.receive(ack(2), 0.4)[0][:4] == b"\x00\x03\x00\x03"


def test_duplicated_link_does_not_double_the_data():
    payload = os.urandom(40_000)
    sim = read_sim(payload, dup=0.5, seed=3)
    assert bytes(sim.client.received) == payload
    assert len(datas(sim.sent_down)) == 40_000 // 512 + 1  # every DATA sent exactly once
    assert sim.server.retransmissions == 0


@pytest.mark.parametrize("window", [1, 4, 16])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_files_identical_over_a_lossy_link(window, seed):
    payload = os.urandom(60_000)
    sim = read_sim(payload, windowsize=window, loss=0.1, seed=seed, retries=50,
                   server_kw={"retries": 50}, blksize=1024)
    assert sim.client.done, sim.client.error
    assert bytes(sim.client.received) == payload
    assert sim.server.retransmissions + sim.client.retransmissions > 0


@pytest.mark.parametrize("window", [1, 8])
def test_uploads_identical_over_a_lossy_link(window):
    payload = os.urandom(50_000)
    sim = write_sim(payload, windowsize=window, loss=0.1, seed=7, retries=50, server_kw={"retries": 50})
    assert sim.client.done and bytes(sim.server.received) == payload


def test_window_gap_is_acked_and_resent():
    s = ServerTransfer(ReadRequest(filename="f", options={"windowsize": 4}), source=bytes(512 * 10))
    c = ClientTransfer.read("f", windowsize=4)
    c.start(0)
    assert c.receive(s.start(0)[0], 0) == [ack(0)]
    window = s.receive(ack(0), 0)
    assert [p[3] for p in window] == [1, 2, 3, 4]
    assert c.receive(window[0], 0) == []
    assert c.receive(window[2], 0) == [ack(1)]  # block 2 lost: ACK the last good block once
    assert c.receive(window[3], 0) == []  # not again for the same gap
    resent = s.receive(ack(1), 0)  # RFC 7440: the sender goes back to block 2
    assert [p[3] for p in resent] == [2, 3, 4, 5]


def test_retransmission_then_give_up_with_an_error():
    s = ServerTransfer(ReadRequest(filename="f"), source=bytes(100), timeout=1.0, retries=2)
    first = s.start(0)
    assert s.next_timeout() == 1.0
    assert s.handle_timeout(0.5) == []  # too early
    assert s.handle_timeout(1.0) == first
    assert s.next_timeout() == 2.0
    assert s.handle_timeout(2.0) == first
    out = s.handle_timeout(3.0)
    assert decode(out[0]) == Error(code=0, message="timed out: no answer after 2 retransmissions")
    assert s.state is State.FAILED and s.next_timeout() is None and s.retransmissions == 2


def test_client_resends_its_request():
    c = ClientTransfer.read("f", timeout=0.5, retries=1)
    req = c.start(0)
    assert c.handle_timeout(0.5) == req
    assert decode(c.handle_timeout(1.0)[0]).code == ErrorCode.NOT_DEFINED
    assert c.state is State.FAILED


def test_last_ack_lost_client_acks_again():
    c = ClientTransfer.read("f")
    c.start(0)
    c.receive(data(1, b"end"), 0)
    assert c.done
    assert c.receive(data(1, b"end"), 1) == [ack(1)]
    s = ServerTransfer(WriteRequest(filename="f"))
    s.start(0)
    assert s.receive(data(1, b"x"), 0) == [ack(1)]
    assert s.receive(data(1, b"x"), 1) == [ack(1)]  # the server, dallying, ACKs again
    assert bytes(s.received) == b"x"


def test_error_from_the_peer_ends_the_transfer():
    c = ClientTransfer.read("nope")
    c.start(0)
    assert c.receive(encode(Error(code=1, message="File not found")), 0) == []
    assert c.state is State.FAILED and c.error == Error(code=1, message="File not found")


@pytest.mark.parametrize(
    "packet,message",
    [
        (b"\x00\x09", "malformed packet: unknown TFTP opcode 9 in bytes 0-1 (expected 1-6: RRQ, WRQ, DATA, ACK, ERROR, OACK)"),
        (encode(ReadRequest(filename="x")), "unexpected RRQ 'x' octet in state TRANSFERRING of client read"),
        (data(2, b"x" * 600), "DATA block 2 carries 600 bytes, more than blksize 512"),
    ],
)
def test_bad_packets_mid_transfer(packet, message):
    c = ClientTransfer.read("f")
    c.start(0)
    c.receive(data(1, bytes(512)), 0)
    out = c.receive(packet, 0)
    assert decode(out[0]) == Error(code=4, message=message)
    assert c.state is State.FAILED


def test_bad_option_in_oack_is_refused_with_error_8():
    c = ClientTransfer.read("f", blksize=1024)
    c.start(0)
    out = c.receive(b"\x00\x06blksize\x00huge\x00", 0)
    assert decode(out[0]).code == ErrorCode.OPTION_REFUSED


def test_transition_tables_cover_every_state():
    for table in (CLIENT_TRANSITIONS, SERVER_TRANSITIONS):
        states = {s for s, _ in table} | set(table.values())
        assert states == set(State) - ({State.OACK_SENT} if table is CLIENT_TRANSITIONS else {State.REQUEST_SENT})
        assert all(isinstance(e, Event) for _, e in table)
        assert State.FAILED not in {s for s, _ in table}  # FAILED is final


def test_illegal_moves_name_state_and_event():
    c = ClientTransfer.read("f")
    with pytest.raises(LocalProtocolError) as info:
        c.receive(ack(0), 0)
    assert str(info.value) == "client read: event receive is not allowed in state IDLE"
    with pytest.raises(LocalProtocolError) as info:
        c.handle_timeout(0)
    assert str(info.value) == "client read: event TIMEOUT is not allowed in state IDLE"
    c.start(0)
    with pytest.raises(LocalProtocolError) as info:
        c.start(0)
    assert str(info.value) == "client read: event REQUEST is not allowed in state REQUEST_SENT"
    s = ServerTransfer(WriteRequest(filename="f"))
    s.start(0)
    s.receive(encode(Error(code=0, message="bye")), 0)
    with pytest.raises(LocalProtocolError) as info:
        s.receive(data(1, b""), 0)
    assert str(info.value) == "server write: event receive is not allowed in state FAILED"


def test_trace_log_shows_the_transfer_packet_by_packet():
    c = ClientTransfer.read("f", trace=True)
    s = ServerTransfer(ReadRequest(filename="f"), source=bytes(600), trace=True)
    c.start(0)
    out = s.start(0)
    t = 0.0
    while not (c.finished and s.finished):
        t += 0.001
        back = [p for d in out for p in c.receive(d, t)]
        out = [p for d in back for p in s.receive(d, t)]
    assert [str(e.packet) for e in c.log] == [
        "RRQ 'f' octet",
        "DATA block=1 (512 bytes)",
        "ACK block=1",
        "DATA block=2 (88 bytes)",
        "ACK block=2",
    ]
    assert [e.what for e in s.log] == ["received", "sent", "received", "sent", "received"]
    assert s.log[-1].state is State.TRANSFERRING and s.state is State.DONE  # logged before handling


def test_transfer_error_names_the_code():
    assert str(TransferError(6, "exists")) == "TFTP error 6 (FILE_EXISTS): exists"
    assert str(TransferError(42, "odd")) == "TFTP error 42 (?): odd"


def test_sink_receives_the_data():
    sink = io.BytesIO()
    c = ClientTransfer.read("f", sink=sink)
    c.start(0)
    c.receive(data(1, b"abc"), 0)
    assert sink.getvalue() == b"abc" and c.received is None
    assert isinstance(decode(ack(3)), Ack) and isinstance(decode(data(1, b"")), Data)


def test_simulate_is_deterministic_and_recovers_from_loss():
    from netedu.protocols.tftp import simulate

    payload = os.urandom(30_000)

    def run():
        c = ClientTransfer.read("f", windowsize=4, timeout=0.5, retries=20)
        ev = simulate(c, lambda req: ServerTransfer(req, source=payload, retries=20, timeout=0.5), loss=0.1, seed=5)
        return c, ev

    c1, ev1 = run()
    c2, ev2 = run()
    assert [str(e) for e in ev1] == [str(e) for e in ev2]
    assert bytes(c1.received) == payload
    assert any(not e.delivered for e in ev1) and any(e.kind == "timeout" for e in ev1)


def test_simulate_gives_up_on_a_dead_link():
    from netedu.protocols.tftp import simulate

    c = ClientTransfer.read("f", timeout=1, retries=2)
    ev = simulate(c, lambda req: ServerTransfer(req, source=b"x"), loss=1.0)
    assert [str(e) for e in ev] == [
        "  0.000  client -> server  RRQ 'f' octet   LOST",
        "  1.000  client  timer fires: retransmit (try 1 of 2)",
        "  1.000  client -> server  RRQ 'f' octet   LOST",
        "  2.000  client  timer fires: retransmit (try 2 of 2)",
        "  2.000  client -> server  RRQ 'f' octet   LOST",
        "  3.000  client  timer fires: give up after 2 retransmissions",
        "  3.000  client -> server  ERROR 0 NOT_DEFINED 'timed out: no answer after 2 retransmissions'   LOST",
    ]
    assert c.state is State.FAILED
