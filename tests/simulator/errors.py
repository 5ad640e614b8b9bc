"""The one exception of the simulator's command layer, shared by every command module."""

from __future__ import annotations


class CommandError(Exception):
    """A client frame the simulated server refuses; its text becomes ``Error``."""
