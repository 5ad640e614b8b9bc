"""The protocol journal: the last frames in and out, and every message type the server spoke.

Real servers differ by version (see the protocol reference, §8 and §19); a user's
diagnostics are how the project learns what theirs sends. So the client keeps the last
frames exchanged (keep-alive pings left out) and, since it was created, each message
type the server sent with its count and its first instance.

It is on the hot path of every frame, so recording stores references only (the decoded
frame and a wall-clock float); the dictionaries and ISO times are built when read.
Frames are stored as decoded and must not be mutated. Redacting personal data is the
reader's job (the integration's diagnostics), but secrets are never stored: the token
only travels in the WebSocket URL, which is no frame, and the payload of a message that
carries one (`AuthenticationToken`) is replaced.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
import time
from typing import Any, Final

JOURNAL_SIZE: Final = 200
REDACTED: Final = "**REDACTED**"
# Message types whose payload is a credential.
_SECRET_TYPES: Final = frozenset({"AuthenticationToken"})

# (received, wall-clock time, msgType or command, frame)
_Entry = tuple[bool, float, str | None, Any]


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


class ProtocolJournal:
    """The last `size` frames in and out, oldest first, and the server's profile."""

    __slots__ = ("_entries", "_profile")

    def __init__(self, size: int = JOURNAL_SIZE) -> None:
        """An empty journal."""
        self._entries: deque[_Entry] = deque(maxlen=size)
        # msgType -> [count, first frame]
        self._profile: dict[str, list[Any]] = {}

    def received(self, msg_type: str, message: dict[str, Any]) -> None:
        """A decoded server envelope (`msgType` already read by the caller)."""
        if msg_type in _SECRET_TYPES:
            message = {"msgType": msg_type, "ctiMessage": REDACTED}
        self._entries.append((True, time.time(), msg_type, message))
        seen = self._profile.get(msg_type)
        if seen is None:
            self._profile[msg_type] = [1, message]
        else:
            seen[0] += 1

    def sent(self, frame: dict[str, Any]) -> None:
        """A command frame the client sent (pings are not recorded)."""
        self._entries.append((False, time.time(), frame.get("command"), frame))

    @property
    def entries(self) -> list[dict[str, Any]]:
        """`{"direction", "at", "msg_type"|"command", "frame"}` per frame, oldest first."""
        return [
            {
                "direction": "in" if received else "out",
                "at": _iso(at),
                "msg_type" if received else "command": name,
                "frame": frame,
            }
            for received, at, name, frame in self._entries
        ]

    @property
    def profile(self) -> dict[str, dict[str, Any]]:
        """Each message type seen: `{"count": n, "first": <its first frame>}`."""
        return {
            msg_type: {"count": count, "first": first}
            for msg_type, (count, first) in self._profile.items()
        }
