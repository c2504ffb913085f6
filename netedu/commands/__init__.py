"""Subcommands of the ``netedu`` command, one module each.

Each module defines ``register(subparsers)``, which adds its parser and sets
``func`` to a function ``(args) -> int``. Heavy imports happen inside ``func``.

>>> COMMAND_MODULES[:2]
('lab', 'subnet')
"""

COMMAND_MODULES = ("lab", "subnet", "grading", "echo", "tftp")
