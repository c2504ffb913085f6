"""Chapter 01 exercises: layers, well-known ports, encapsulation, port ranges.

* ``01.1`` the TCP/IP layer of each protocol (a dict), one point per protocol;
* ``01.2`` the well-known port of each service (a dict), one point per service;
* ``01.3`` the order of the headers in a TFTP request on Ethernet (a list);
* ``01.4`` ``port_range(port)``: well-known, registered or dynamic (a function).

Plain-value answers are stored only as salted digests.

>>> from netedu.grading.registry import lookup
>>> [o.passed for o in lookup("01.3").run(["Ethernet", "IP", "UDP", "TFTP"])]
[True]
>>> lookup("01.1").run(["HTTP"])[0].message
'expected a dict like {"HTTP": "application", ...}, got a list'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netedu.grading.registry import Case, Outcome, answer_digest, exercise, function_exercise, value_exercise

__all__ = ["canonical_layer", "port_range_reference"]

_LAYER_DIGESTS = {
    "HTTP": "4d34f2b05463a6d244ebc14bc979d4a0a3fe82b842fd6d9dd075438f1ce1f379",
    "DNS": "b5503f5d7bc5e0a044c84c2e6dd748ddd5a906a17f46d1407b659aafa954be06",
    "TFTP": "aabb420e99b48b3aa321a6b659ffa8fc25c23e076fad0cd3e2d330d09ba78d15",
    "TCP": "1bfe8ea7c388954cacd8ed93a71a7407ca26aead0f2ca932b887f8cb6242cab6",
    "UDP": "be193df6446b4d5facdfae4c68a4bcde95f20d7a320f7916471e1b53729ae930",
    "IP": "1466cb72bf9ad6c70eddb1538abfee905857d3e635e16aec2c8c950c148fd7f4",
    "ICMP": "956a8bdc162fe4cb72b8baaf799db7576a23d2d860900fbdc8baf0cd8ff4781f",
    "Ethernet": "66db4fa5ec6db8a69b6afe7635d91d36aa6017d4a6b404ab6249b8837bce7eb2",
}

_LAYER_HINTS = {
    "HTTP": "what a web browser and a web server say to each other",
    "DNS": "a program asks a name server for an address: programs talking",
    "TFTP": "a file-transfer program's own messages, carried inside UDP",
    "TCP": "ports, connections and reliable delivery between programs",
    "UDP": "ports and datagrams between programs, no connection",
    "IP": "addresses and routing of packets from host to host across networks",
    "ICMP": "error and echo (ping) messages that travel inside IP, about IP",
    "Ethernet": "frames between machines on the same cable or switch, with MAC addresses",
}

_SYNONYMS = {
    "application": "application", "应用层": "application", "app": "application",
    "transport": "transport", "传输层": "transport",
    "network": "network", "internet": "network", "网络层": "network", "网际层": "network",
    "link": "link", "data link": "link", "network interface": "link", "network access": "link",
    "链路层": "link", "网络接口层": "link", "数据链路层": "link",
}

_PORT_DIGESTS = {
    "HTTP": "cbf607886da4b759ea218a397a755be392e49ee0ae3481462ab76c80071de82c",
    "HTTPS": "8f3ac51a57d88ebe78f661e5c33ab7b26f035882897684e5f4d63daafa489120",
    "FTP": "87adb1d753d2c9cf86a4d2676fd3a10035b59d43715d171c2104e2e50f95353e",
    "SSH": "ab4e9d3f128996479ae687949a7ddfca17e69deb09fb1d04e9c74dd6c294b8b4",
    "DNS": "86bcc2e13c5dde5ca2918843b50fd6628a3d8bfdb1577509f23fc17f2cbe65a4",
    "TFTP": "cd0256ff6c2c45625b88b36a16488846c00cdcdd62769c7b023a6005b1e93bb1",
}

_PORT_HINTS = {
    "HTTP": "the notes name it: the web without encryption",
    "HTTPS": "the web over TLS; look it up with socket.getservbyname('https')",
    "FTP": "the notes name it: FTP's control connection",
    "SSH": "the notes name it: secure shell",
    "DNS": "name look-ups, over UDP and TCP; try socket.getservbyname('domain')",
    "TFTP": "the port chapter 06's server listens on; try socket.getservbyname('tftp', 'udp')",
}


def canonical_layer(name: Any) -> str:
    """Map a layer name (English or the notes' Chinese) to one of the four TCP/IP layers.

    >>> canonical_layer("Transport layer"), canonical_layer("网际层"), canonical_layer("Network Interface")
    ('transport', 'network', 'link')
    >>> canonical_layer("session")
    'session'
    """
    text = " ".join(str(name).strip().lower().replace("-", " ").split())
    if text.endswith(" layer"):
        text = text[: -len(" layer")]
    return _SYNONYMS.get(text, text)


def _lookup_key(answer: dict, key: str) -> tuple[bool, Any]:
    for k, v in answer.items():
        if isinstance(k, str) and k.strip().lower() == key.lower():
            return True, v
    return False, None


def _dict_runner(exercise_id: str, answer: Any, digests: dict[str, str], hints: dict[str, str],
                 canon: Any, example: str) -> Iterator[Outcome]:
    if not isinstance(answer, dict):
        what = "nothing yet (replace the ...)" if answer is Ellipsis or answer is None else f"a {type(answer).__name__}"
        yield Outcome(name="answer", passed=False, points=0, max_points=len(digests),
                      message=f"expected a dict like {example}, got {what}")
        return
    for key, digest in digests.items():
        found, value = _lookup_key(answer, key)
        if not found:
            yield Outcome(name=key, passed=False, points=0, max_points=1,
                          message=f"{key}: no entry in your dict", hint=hints[key])
            continue
        try:
            ok = answer_digest(f"{exercise_id}/{key}", canon(value)) == digest
        except Exception:  # noqa: BLE001
            ok = False
        yield Outcome(name=key, passed=ok, points=1 if ok else 0, max_points=1,
                      message="" if ok else f"{key}: {value!r} is not right", hint="" if ok else hints[key])


@exercise("01.1", "The TCP/IP layer of each protocol", max_score=len(_LAYER_DIGESTS))
def _layers(answer: Any) -> Iterator[Outcome]:
    yield from _dict_runner("01.1", answer, _LAYER_DIGESTS, _LAYER_HINTS, canonical_layer,
                            '{"HTTP": "application", ...}')


def _port_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a bool is not a port")
    return int(str(value).strip())


@exercise("01.2", "Well-known ports", max_score=len(_PORT_DIGESTS))
def _ports(answer: Any) -> Iterator[Outcome]:
    yield from _dict_runner("01.2", answer, _PORT_DIGESTS, _PORT_HINTS, _port_number, '{"HTTP": 80, ...}')


_HEADER_NAMES = {"ipv4": "ip", "ethernet ii": "ethernet", "eth": "ethernet", "ether": "ethernet"}


def _headers(answer: Any) -> list[str]:
    return [_HEADER_NAMES.get(" ".join(h.strip().lower().split()), " ".join(h.strip().lower().split()))
            for h in answer]


def _headers_problem(answer: Any) -> str | None:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(h, str) for h in answer):
        return f"expected a list of header names like ['...', '...'], got {type(answer).__name__}"
    if len(answer) != 4:
        return f"expected 4 header names (one per layer), got {len(answer)}"
    return None


value_exercise("01.3", "The order of encapsulation", points=2,
               digest="482f2e9a3257f69337457c51164a907b5a7d95c1b22bb171a18a672f8d556192",
               normalize=_headers, validate=_headers_problem,
               hint="each layer wraps what the layer above hands it; the first bytes on the wire "
                    "belong to the lowest layer")


def port_range_reference(port: int) -> str:
    """The IANA range of a port number (RFC 6335 sec. 6): the reference for ``01.4``.

    >>> port_range_reference(69), port_range_reference(8080), port_range_reference(50000)
    ('well-known', 'registered', 'dynamic')
    >>> port_range_reference(70000)
    'invalid'
    """
    if not isinstance(port, int) or port < 0 or port > 65535:
        return "invalid"
    if port <= 1023:
        return "well-known"
    if port <= 49151:
        return "registered"
    return "dynamic"


def _case(port: int, hint: str = "", grading_only: bool = False) -> Case:
    return Case(args=(port,), name=f"port_range({port})", hint=hint, grading_only=grading_only)


def _random_ports(rng: Any) -> list[Case]:
    return [_case(rng.randrange(0, 65536), grading_only=True) for _ in range(6)]


function_exercise(
    "01.4", "The range of a port number", reference=port_range_reference,
    cases=[
        _case(80, hint="0 to 1023 are the well-known ports"),
        _case(0, hint="0 is the first well-known port number (it means 'any' to bind)"),
        _case(1023, hint="1023 is the last well-known port"),
        _case(1024, hint="registered ports start at 1024"),
        _case(49151, hint="registered ports end at 49151 (RFC 6335), not at 65535 as the notes say"),
        _case(49152, hint="the dynamic (private, ephemeral) ports are 49152 to 65535"),
        _case(65535, hint="65535 = 2**16 - 1 is the largest port number"),
        _case(65536, hint="a port is 16 bits: anything above 65535 is 'invalid'"),
        _case(-1, hint="negative numbers are 'invalid'"),
    ],
    random_cases=_random_ports, n_random=6, seed=1,
)
