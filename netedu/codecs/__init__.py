"""netedu.codecs: bytes <-> frozen dataclasses, with no I/O (see :mod:`netedu.codecs.tftp`)."""
