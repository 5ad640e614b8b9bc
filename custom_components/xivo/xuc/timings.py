"""The time limits of one client, in one object that all its parts read.

The parts read it each time they need a value, so a caller may tune a running client
(tests of the integration speed its keepalive up, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Timings:
    """Seconds, all of them."""

    keepalive_interval: float = 5.0
    """Application ping period (the official client's 5 s), and liveness check period."""

    dead_after: float = 25.0
    """A link on which nothing at all (not even a pong) arrived for this long is dead."""

    logged_on_timeout: float = 15.0
    """How long a new session may wait for `LoggedOn` (xuc itself gives up after 10 s)."""

    command_timeout: float = 10.0
    """How long a request waits for its reply."""

    request_timeout: float = 10.0
    """Each REST call and the WebSocket handshake."""

    greeting_timeout: float = 3.0
    """How long a new session waits for its greeting before it is published anyway."""
