"""netedu.protocols: sans-I/O state machines (see :mod:`netedu.protocols.tftp`)."""
