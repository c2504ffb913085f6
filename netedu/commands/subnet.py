"""Placeholder: replaced by the module's owner. Not a finished command."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add nothing yet."""
