"""Chapter 03 exercises (sockets, bytes and encodings).

* ``03.1`` ``encode_message(text, encoding) -> bytes``: what a socket can send;
* ``03.2`` ``decode_reply(data) -> str``: UTF-8 first, GB2312 when UTF-8 fails;
* ``03.3`` how many bytes ``'你好, world'`` takes in UTF-8 and in GB2312 (a tuple).

Functions run in a child process with a time limit, so an endless loop costs
only that limit.

>>> from netedu.grading.registry import lookup
>>> [o.passed for o in lookup("03.1").run(lambda t, e: t.encode(e))]
[True, True, True, True]
>>> lookup("03.1").run(lambda t, e: t)[0].message
"expected bytes, got a str: 'hello' (a socket sends bytes: call .encode(encoding))"
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netedu.grading.bank._support import function_exercise_runner, problem_outcome
from netedu.grading.registry import Outcome, run_limited, value_exercise

__all__ = ["CALL_LIMIT", "ENCODE_CASES", "DECODE_CASES"]

CALL_LIMIT = 2.0

ENCODE_CASES = [("hello", "utf-8"), ("你好", "utf-8"), ("你好", "gb2312"), ("收到 3 条消息", "gb2312")]
DECODE_CASES = [("hello".encode("utf-8"), "hello"), ("你好".encode("utf-8"), "你好"),
                ("你好".encode("gb2312"), "你好"), ("网络调试助手".encode("gb2312"), "网络调试助手")]


@function_exercise_runner("03.1", "Encode a message to bytes", signature="encode_message(text, encoding)",
                          max_score=len(ENCODE_CASES))
def _encode(answer: Any) -> Iterator[Outcome]:
    for text, enc in ENCODE_CASES:
        name = f"encode_message({text!r}, {enc!r})"
        want = text.encode(enc)
        got = run_limited(answer, text, enc, timeout=CALL_LIMIT)
        if not got.ok:
            msg, hint = f"{name} {got.describe()}", "str.encode(encoding) turns text into bytes"
        elif isinstance(got.value, str):
            msg = f"expected bytes, got a str: {got.value!r} (a socket sends bytes: call .encode(encoding))"
            hint = "in Python 3 sendto() takes bytes, never str"
        elif got.value != want:
            msg = f"{name}: expected {want!r}, got {got.value!r}"
            hint = "use the encoding you were given, not always utf-8"
        else:
            msg, hint = "", ""
        yield problem_outcome(name, msg, hint)


@function_exercise_runner("03.2", "Decode a reply: UTF-8, else GB2312", signature="decode_reply(data)",
                          max_score=len(DECODE_CASES))
def _decode(answer: Any) -> Iterator[Outcome]:
    for data, want in DECODE_CASES:
        name = f"decode_reply({data!r})"
        got = run_limited(answer, data, timeout=CALL_LIMIT)
        if not got.ok:
            msg = f"{name} {got.describe()}"
            hint = "catch UnicodeDecodeError from data.decode('utf-8') and try 'gb2312'"
        elif got.value != want:
            msg = f"{name}: expected {want!r}, got {got.value!r}"
            hint = "errors='replace' hides the problem; decode strictly, and fall back to gb2312"
        else:
            msg = hint = ""
        yield problem_outcome(name, msg, hint)


def _byte_counts(answer: Any) -> tuple[int, int]:
    a, b = answer
    return int(a), int(b)


def _validate_counts(answer: Any) -> str | None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return f"expected a tuple of two ints (utf8_bytes, gb2312_bytes), got {answer!r}"
    return None


value_exercise("03.3", "Bytes of '你好, world' in UTF-8 and GB2312",
               digest="4ef3f22642a4405a9da64a01044b0a7920cf8b308260fa36147cb68798ea32ff",
               normalize=_byte_counts, validate=_validate_counts,
               hint="len(text.encode('utf-8')) and len(text.encode('gb2312')): a Chinese character "
                    "takes 3 bytes in UTF-8 and 2 in GB2312")
