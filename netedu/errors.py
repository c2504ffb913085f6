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
    """Base class of every error that netedu raises on purpose."""


class AddressError(NeteduError, ValueError):
    """An IPv4 address, mask, prefix or network that is not valid."""


class PacketError(NeteduError, ValueError):
    """Bytes that do not decode to a valid packet (a malformed packet)."""


class ProtocolError(NeteduError):
    """A protocol state machine was asked to do something it cannot."""


class LocalProtocolError(ProtocolError, RuntimeError):
    """The caller misused the API (for example sent data before connecting)."""


class RemoteProtocolError(ProtocolError, ValueError):
    """The peer sent something that breaks the protocol."""


class ExerciseError(NeteduError, ValueError):
    """An exercise id or a solution notebook that is not valid."""
