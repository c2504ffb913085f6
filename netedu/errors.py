"""Learner-facing errors.

Each error says what was expected, what was got, and where, in one line, and
subclasses a builtin so that ``except ValueError`` still works.

>>> raise AddressError("Octet 300 (> 255) not permitted in '10.0.300.1'")
Traceback (most recent call last):
...
netedu.errors.AddressError: Octet 300 (> 255) not permitted in '10.0.300.1'
"""

from __future__ import annotations

__all__ = [
    "NeteduError",
    "AddressError",
    "PacketError",
    "ProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "ExerciseError",
]


class NeteduError(Exception):
    """Base class of every error that netedu raises on purpose.

    >>> issubclass(AddressError, NeteduError), issubclass(ValueError, NeteduError)
    (True, False)
    >>> raise NeteduError("something went wrong")
    Traceback (most recent call last):
    ...
    netedu.errors.NeteduError: something went wrong
    """


class AddressError(NeteduError, ValueError):
    """An IPv4 address, mask, prefix or network that is not valid.

    >>> from netedu.addr import subnet_info
    >>> subnet_info("10.0.0.0/33")
    Traceback (most recent call last):
    ...
    netedu.errors.AddressError: Prefix /33 (> 32) not permitted in '10.0.0.0/33': an IPv4 prefix is /0 to /32
    """


class PacketError(NeteduError, ValueError):
    """Bytes that do not decode to a valid packet (a malformed packet).

    >>> from netedu.codecs.tftp import decode
    >>> decode(b"\\x00")
    Traceback (most recent call last):
    ...
    netedu.errors.PacketError: packet of 1 byte is too short: a TFTP packet starts with a 2-byte opcode (RFC 1350 sec. 5)
    """


class ProtocolError(NeteduError):
    """A protocol state machine was asked to do something it cannot.

    >>> from netedu.protocols.tcp import Endpoint
    >>> try:
    ...     Endpoint("a").send(5)
    ... except ProtocolError as exc:
    ...     print(type(exc).__name__, exc)
    LocalProtocolError Cannot send in state CLOSED (event 'send')
    """


class LocalProtocolError(ProtocolError, RuntimeError):
    """The caller misused the API (for example sent data before connecting).

    >>> from netedu.protocols.tcp import Endpoint
    >>> Endpoint("a").send(5)
    Traceback (most recent call last):
    ...
    netedu.errors.LocalProtocolError: Cannot send in state CLOSED (event 'send')
    """


class RemoteProtocolError(ProtocolError, ValueError):
    """The peer sent something that breaks the protocol.

    >>> from netedu.protocols.tcp import Endpoint, Segment
    >>> Endpoint("server").receive(Segment(src="client", dst="server", flags="SYN", seq=100), now=0)
    Traceback (most recent call last):
    ...
    netedu.errors.RemoteProtocolError: Unexpected SYN seq=100 from client in state CLOSED (event 'rcv_syn')
    >>> isinstance(RemoteProtocolError("x"), ValueError)
    True
    """


class ExerciseError(NeteduError, ValueError):
    """An exercise id or a solution notebook that is not valid.

    >>> from netedu.grading.registry import lookup
    >>> lookup("2.1")
    Traceback (most recent call last):
    ...
    netedu.errors.ExerciseError: Exercise id '2.1' is not of the form 'NN.K' (like '02.3')
    """
