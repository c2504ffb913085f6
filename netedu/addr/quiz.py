"""Subnetting practice questions, reproducible from a seed.

:func:`make_question` draws one question from a ``random.Random``;
:func:`questions` yields an endless, reproducible series for a seed, so a
whole class can share one seed and get the same questions. Each
:class:`Question` knows its right answer, judges a typed answer leniently
(``'/26'`` and ``'255.255.255.192'`` are the same mask) and carries the worked
answer in binary. The subnetting trainer widget is a view over this module.

>>> q = next(questions(seed=0))
>>> q.check(q.answer)
True
>>> [q.kind for q in itertools.islice(questions(seed=1), 4)] == [q.kind for q in itertools.islice(questions(seed=1), 4)]
True
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address

from netedu.addr.classes import address_class
from netedu.addr.parse import _address, _prefix, dotted_binary, prefix_to_mask
from netedu.addr.plan import prefix_for_hosts
from netedu.addr.subnet import binary_view, same_subnet, subnet_info
from netedu.errors import AddressError

__all__ = ["KINDS", "Question", "make_question", "questions", "judge"]

# The kinds of question, in the order make_question cycles through them at random.
KINDS = ("network", "broadcast", "host_range", "usable_hosts", "class", "mask_for_hosts", "same_subnet")

_YES = {"yes", "y", "true", "same", "same subnet", "1"}
_NO = {"no", "n", "false", "different", "not", "0"}


def judge(kind: str, answer: str, given: str) -> bool:
    """True when ``given`` (what a learner typed) means the right ``answer`` for a question of ``kind``.

    Spaces and case do not matter; an address may carry a ``/prefix``; a mask
    may be a prefix or dotted; a host range is two addresses separated by
    ``-``, ``,``, ``to`` or spaces; yes/no accepts y/n, true/false, same/different.

    >>> judge("mask_for_hosts", "255.255.255.192", "/26")
    True
    >>> judge("host_range", "10.0.0.1 - 10.0.0.6", "10.0.0.1 to 10.0.0.6")
    True
    >>> judge("network", "10.0.0.0", "10.0.0.0/29"), judge("network", "10.0.0.0", "10.0.0.8")
    (True, False)
    >>> judge("colour", "x", "x")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Unknown question kind 'colour': expected one of network, broadcast, host_range, usable_hosts, class, mask_for_hosts, same_subnet
    """
    if kind not in KINDS:
        raise AddressError(f"Unknown question kind {kind!r}: expected one of {', '.join(KINDS)}") from None
    g = given.strip().lower()
    if not g:
        return False
    try:
        if kind in ("network", "broadcast"):
            return _address(g.split("/")[0]) == _address(answer)
        if kind == "host_range":
            parts = [p for p in re.split(r"\s*(?:-|–|,|\bto\b|\s)\s*", g) if p]
            want = [_address(p) for p in re.split(r"\s*-\s*", answer)]
            return len(parts) == 2 and [_address(p) for p in parts] == want
        if kind == "usable_hosts":
            return int(g.replace(",", "").replace("_", "")) == int(answer)
        if kind == "class":
            g = g.removeprefix("class").strip()
            return g.upper() == answer.upper()
        if kind == "mask_for_hosts":
            return _prefix(g, None) == _prefix(answer, None)
        # same_subnet
        if g in _YES:
            return answer == "yes"
        if g in _NO:
            return answer == "no"
        return False
    except (ValueError, AddressError):
        return False


@dataclass(frozen=True, kw_only=True)
class Question:
    """One practice question: the prompt, the right answer, and the worked answer in binary.

    >>> q = Question(kind="class", prompt="Class of 10.1.2.3?", answer="A", explanation="0... is class A")
    >>> q.check("a"), q.check("class A"), q.check("B")
    (True, True, False)
    >>> Question(kind="class", prompt="?", answer="", explanation="")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A question needs a right answer, got ''
    """

    kind: str
    prompt: str
    answer: str
    explanation: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise AddressError(f"Unknown question kind {self.kind!r}: expected one of {', '.join(KINDS)}") from None
        if not self.answer:
            raise AddressError(f"A question needs a right answer, got {self.answer!r}") from None

    def check(self, given: str) -> bool:
        """True when ``given`` is a right answer (see :func:`judge`).

        >>> Question(kind="usable_hosts", prompt="?", answer="62", explanation="").check(" 62 ")
        True
        """
        return judge(self.kind, self.answer, given)


def _random_host(rng: random.Random, prefix: int) -> str:
    """A unicast class A-C address (not 0/8 or 127/8) that is a host of its /prefix."""
    while True:
        first = rng.randint(1, 223)
        if first == 127:
            continue
        value = (first << 24) | rng.getrandbits(24)
        host = value & ((1 << (32 - prefix)) - 1)
        if prefix >= 31 or 0 < host < (1 << (32 - prefix)) - 1:
            return str(IPv4Address(value))


def _and_lines(address: str, prefix: int) -> str:
    info = subnet_info(address, prefix)
    return info.binary()


def make_question(rng: random.Random) -> Question:
    """Draw one question from ``rng``; the same generator state gives the same question.

    >>> q = make_question(random.Random(42))
    >>> q == make_question(random.Random(42)), q.kind in KINDS, q.check(q.answer)
    (True, True, True)
    >>> make_question(42)
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Expected a random.Random (e.g. random.Random(0)), got int
    """
    if not isinstance(rng, random.Random):
        raise AddressError(f"Expected a random.Random (e.g. random.Random(0)), got {type(rng).__name__}") from None
    kind = rng.choice(KINDS)
    prefix = rng.randint(16, 30)
    address = _random_host(rng, prefix)
    info = subnet_info(address, prefix)
    host_bits = 32 - prefix
    cidr = f"{address}/{prefix}"
    if kind == "network":
        return Question(
            kind=kind,
            prompt=f"What is the network address (网络号) of {cidr}?",
            answer=info.network,
            explanation=(
                f"Network = address AND mask: keep the {prefix} network bits, set the {host_bits} host bits to 0.\n"
                f"{_and_lines(address, prefix)}"
            ),
        )
    if kind == "broadcast":
        return Question(
            kind=kind,
            prompt=f"What is the broadcast address (广播地址) of {cidr}?",
            answer=str(info.broadcast),
            explanation=(
                f"Broadcast = network bits kept, all {host_bits} host bits set to 1.\n"
                f"{_and_lines(address, prefix)}"
            ),
        )
    if kind == "host_range":
        return Question(
            kind=kind,
            prompt=f"What is the range of usable host addresses of {cidr}? (first - last)",
            answer=f"{info.first_host} - {info.last_host}",
            explanation=(
                f"First host = network + 1 = {info.first_host}; last host = broadcast - 1 = {info.last_host}.\n"
                f"{_and_lines(address, prefix)}"
            ),
        )
    if kind == "usable_hosts":
        return Question(
            kind=kind,
            prompt=f"How many usable host addresses does a /{prefix} subnet have (e.g. {cidr})?",
            answer=str(info.usable_hosts),
            explanation=(
                f"/{prefix} leaves 32 - {prefix} = {host_bits} host bits: 2^{host_bits} - 2 = "
                f"{info.num_addresses} - 2 = {info.usable_hosts} (the network and broadcast addresses are not hosts).\n"
                f"Mask {binary_view(info.netmask, prefix)}"
            ),
        )
    if kind == "class":
        cls = address_class(address)
        return Question(
            kind=kind,
            prompt=f"Which class (A-E) is the address {address}?",
            answer=cls.name,
            explanation=(
                f"The first octet {address.split('.')[0]} is {dotted_binary(address)[:8]} in binary; "
                f"it starts with {cls.leading_bits}, so class {cls.name} "
                f"({cls.first} to {cls.last})."
            ),
        )
    if kind == "mask_for_hosts":
        hosts = rng.randint(2, 2000)
        p = prefix_for_hosts(hosts)
        h = 32 - p
        mask = str(prefix_to_mask(p))
        return Question(
            kind=kind,
            prompt=f"A LAN needs {hosts} hosts. What is the longest mask (smallest subnet) that fits? (/P or dotted)",
            answer=mask,
            explanation=(
                f"Need 2^h - 2 >= {hosts}: h = {h} host bits gives {2**h - 2} hosts"
                + (f" (h = {h - 1} gives only {2**(h - 1) - 2})" if h > 2 else "")
                + f". Prefix = 32 - {h} = /{p}.\nMask {binary_view(mask, p)} = {mask}"
            ),
        )
    # same_subnet: half the time a neighbour in the same subnet, half the time just outside.
    net = int(IPv4Address(info.network))
    size = 1 << host_bits
    other_value = int(IPv4Address(address))
    while other_value == int(IPv4Address(address)):
        if rng.random() < 0.5:
            other_value = net + rng.randint(1, size - 2)
        else:
            other_value = (net + size * rng.choice((-1, 1)) + rng.randint(1, size - 2)) & 0xFFFFFFFF
    other = str(IPv4Address(other_value))
    mask = str(prefix_to_mask(prefix))
    same = same_subnet(address, other, prefix)
    other_net = subnet_info(other, prefix).network
    return Question(
        kind="same_subnet",
        prompt=f"With mask {mask} (/{prefix}), are {address} and {other} in the same subnet (同一网段)? (yes/no)",
        answer="yes" if same else "no",
        explanation=(
            f"AND each address with the mask and compare the network bits:\n"
            f"{address:<15} {binary_view(address, prefix)} -> {info.network}\n"
            f"{other:<15} {binary_view(other, prefix)} -> {other_net}\n"
            + ("Same network bits: same subnet." if same else "Different network bits: different subnets.")
        ),
    )


def questions(seed: int = 0) -> Iterator[Question]:
    """An endless series of questions; the same seed gives the same series.

    >>> a = [q.prompt for q in itertools.islice(questions(7), 5)]
    >>> a == [q.prompt for q in itertools.islice(questions(7), 5)]
    True
    >>> next(questions("x"))
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: A seed must be a whole number, got str 'x'
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise AddressError(f"A seed must be a whole number, got {type(seed).__name__} {seed!r}") from None
    rng = random.Random(seed)
    while True:
        yield make_question(rng)

