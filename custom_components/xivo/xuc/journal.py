"""The protocol journal: the last frames in and out, and every message type the server spoke.

Real servers differ by version (see the protocol reference, §8 and §19); a user's
diagnostics are how the project learns what theirs sends. So the client keeps the last
frames exchanged (keep-alive pings left out) and, since it was created, each message
type the server sent with its count and its first instance.

It is on the hot path of every frame, so recording keeps a reference to the frame's
text, which exists anyway, and a wall-clock float; frames are decoded, and dictionaries
and ISO times built, only when the journal is read. Text is also what holds least
memory: the decoded frames are freed once applied. A frame over `MAX_KEPT_CHARS` is
kept as a note of its size. Redacting personal data is the reader's job (the
integration's diagnostics), but secrets are never stored: the token only travels in the
WebSocket URL, which is no frame, and the payload of a message that carries one
(`AuthenticationToken`) is replaced.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
import time
from typing import Any, Final

from .codec import encode, json_loads

JOURNAL_SIZE: Final = 200
# The server names its message types, so the profile holds at most this many of them
# (XiVO defines about eighty); the types past it are counted, not kept.
MAX_PROFILE_TYPES: Final = 200
OTHER_TYPES: Final = "(other types)"
MAX_KEPT_CHARS: Final = 64 * 1024
REDACTED: Final = "**REDACTED**"
# Message types whose payload is a credential.
_SECRET_TYPES: Final = frozenset({"AuthenticationToken"})

# (received, wall-clock time, frame text): the names are read back from the frames.
_Entry = tuple[bool, float, str]


def _kept(text: str, name: str | None, received: bool) -> str:
    """The text to keep for a frame: itself, or a note when it is too large or secret."""
    if received and name in _SECRET_TYPES:
        return encode({"msgType": name, "ctiMessage": REDACTED})
    if len(text) > MAX_KEPT_CHARS:
        note = f"{len(text)} characters, not kept"
        if received:
            return encode({"msgType": name, "ctiMessage": note})
        return encode({"command": name, "frame": note})
    return text


def _decoded(text: str) -> dict[str, Any]:
    """A recorded frame, decoded again (only frames that decoded are recorded)."""
    frame: dict[str, Any] = json_loads(text)
    return frame


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

    def received(self, msg_type: str, text: str) -> None:
        """A server frame, by its text, once it decoded to an envelope of `msg_type`."""
        if len(text) > MAX_KEPT_CHARS or msg_type in _SECRET_TYPES:
            text = _kept(text, msg_type, received=True)
        self._entries.append((True, time.time(), text))
        seen = self._profile.get(msg_type)
        if seen is not None:
            seen[0] += 1
        elif len(self._profile) < MAX_PROFILE_TYPES:
            self._profile[msg_type] = [1, text]
        else:
            other = self._profile.setdefault(OTHER_TYPES, [0, text])
            other[0] += 1

    def sent(self, command: str | None, text: str) -> None:
        """A command frame the client sent, by its text (pings are not recorded)."""
        self._entries.append((False, time.time(), _kept(text, command, False)))

    @property
    def entries(self) -> list[dict[str, Any]]:
        """`{"direction", "at", "msg_type"|"command", "frame"}` per frame, oldest first."""
        entries = []
        for received, at, text in self._entries:
            frame = _decoded(text)
            name = frame.get("msgType" if received else "command")
            entries.append(
                {
                    "direction": "in" if received else "out",
                    "at": _iso(at),
                    "msg_type" if received else "command": name,
                    "frame": frame,
                }
            )
        return entries

    @property
    def profile(self) -> dict[str, dict[str, Any]]:
        """Each message type seen: `{"count": n, "first": <its first frame>}`."""
        return {
            msg_type: {"count": count, "first": _decoded(first)}
            for msg_type, (count, first) in self._profile.items()
        }
