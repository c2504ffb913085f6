"""Bank ch03: encodings. Right answers score full marks; wrong ones get 0 and a message, never a hang."""

from __future__ import annotations

import time

from netedu.grading.registry import lookup


def encode_message(text, encoding):
    return text.encode(encoding)


def decode_reply(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb2312")


def _score(ex_id, answer):
    outs = lookup(ex_id).run(answer)
    return sum(o.points for o in outs), sum(o.max_points for o in outs), outs


def test_right_answers_full_marks():
    assert _score("03.1", encode_message)[:2] == (4, 4)
    assert _score("03.2", decode_reply)[:2] == (4, 4)
    assert _score("03.3", (13, 11))[:2] == (1, 1)
    assert _score("03.3", [13, 11])[:2] == (1, 1)


def test_wrong_answers():
    pts, _, outs = _score("03.1", lambda t, e: t.encode("utf-8"))
    assert pts == 2
    assert outs[2].message == "encode_message('你好', 'gb2312'): expected b'\\xc4\\xe3\\xba\\xc3', got b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'"
    pts, _, outs = _score("03.2", lambda d: d.decode("utf-8", errors="replace"))
    assert pts == 2 and "errors='replace'" in outs[2].hint
    pts, _, outs = _score("03.2", lambda d: d.decode("utf-8"))
    assert pts == 2 and outs[2].message.startswith("decode_reply(b'\\xc4\\xe3\\xba\\xc3') raised UnicodeDecodeError")
    pts, _, outs = _score("03.3", (12, 11))
    assert pts == 0 and outs[0].message == "not the right answer: got (12, 11)"
    assert _score("03.3", 13)[2][0].message.startswith("expected a tuple of two ints")
    assert _score("03.1", ...)[2][0].message == "expected a function encode_message(text, encoding), got nothing yet (replace the ...)"


def test_endless_loop_costs_only_the_limit():
    def spin(*_):
        while True:
            pass

    t0 = time.monotonic()
    pts, _, outs = _score("03.2", spin)
    assert pts == 0 and "did not return in time" in outs[0].message
    assert time.monotonic() - t0 < 4 * 2.0 + 3
