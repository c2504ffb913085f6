"""Practice questions: reproducible from a seed, right answers judged right, worked answers in binary."""

from __future__ import annotations

import itertools
import random

import pytest

from netedu.addr import KINDS, judge, make_question, questions, subnet_info
from netedu.errors import AddressError


def test_same_seed_same_questions_other_seed_other_questions():
    a = list(itertools.islice(questions(2026), 50))
    assert a == list(itertools.islice(questions(2026), 50))
    assert a != list(itertools.islice(questions(2027), 50))


def test_every_kind_appears_and_answers_check():
    seen = set()
    for q in itertools.islice(questions(0), 2000):
        seen.add(q.kind)
        assert q.check(q.answer), q
        assert q.explanation
        assert q.prompt.endswith("?") or q.prompt.endswith(")")
    assert seen == set(KINDS)


def test_answers_are_right_by_an_independent_computation():
    rng = random.Random(1)
    for _ in range(1000):
        q = make_question(rng)
        if q.kind in ("network", "broadcast", "host_range"):
            cidr = q.prompt.rsplit(" of ", 1)[1].split("?")[0]
            info = subnet_info(cidr)
            want = {"network": info.network, "broadcast": info.broadcast,
                    "host_range": f"{info.first_host} - {info.last_host}"}[q.kind]
            assert q.answer == want
        if q.kind in ("network", "broadcast", "same_subnet"):
            assert "|" in q.explanation  # the worked answer shows the bits, split at the prefix


def test_wrong_answers_are_judged_wrong():
    for q in itertools.islice(questions(4), 500):
        assert not q.check("")
        assert not q.check("nonsense")
        if q.kind == "same_subnet":
            assert not q.check("no" if q.answer == "yes" else "yes")


@pytest.mark.parametrize(
    "kind, answer, given, ok",
    [
        ("network", "10.0.0.0", " 10.0.0.0 ", True),
        ("network", "10.0.0.0", "10.0.0.0/8", True),
        ("broadcast", "10.0.0.255", "10.0.0.254", False),
        ("host_range", "10.0.0.1 - 10.0.0.254", "10.0.0.1-10.0.0.254", True),
        ("host_range", "10.0.0.1 - 10.0.0.254", "10.0.0.1, 10.0.0.254", True),
        ("host_range", "10.0.0.1 - 10.0.0.254", "10.0.0.1 10.0.0.254", True),
        ("host_range", "10.0.0.1 - 10.0.0.254", "10.0.0.254 - 10.0.0.1", False),
        ("usable_hosts", "1022", "1,022", True),
        ("usable_hosts", "1022", "1024", False),
        ("class", "C", "Class c", True),
        ("mask_for_hosts", "255.255.255.192", "26", True),
        ("mask_for_hosts", "255.255.255.192", "/25", False),
        ("mask_for_hosts", "255.255.255.192", "255.0.255.0", False),
        ("same_subnet", "yes", "Y", True),
        ("same_subnet", "no", "different", True),
        ("same_subnet", "no", "maybe", False),
    ],
)
def test_judge(kind, answer, given, ok):
    assert judge(kind, answer, given) is ok


def test_errors():
    with pytest.raises(AddressError) as e:
        make_question(1)  # type: ignore[arg-type]
    assert str(e.value) == "Expected a random.Random (e.g. random.Random(0)), got int"
    with pytest.raises(AddressError) as e:
        next(questions(1.5))  # type: ignore[arg-type]
    assert str(e.value) == "A seed must be a whole number, got float 1.5"
