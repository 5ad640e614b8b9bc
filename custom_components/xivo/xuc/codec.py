"""Frames on the wire: JSON in and out, and the checks a server frame must pass."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

json_loads: Callable[[str | bytes], Any]
try:  # orjson ships with Home Assistant; fall back to the standard library elsewhere.
    from orjson import dumps as _orjson_dumps, loads as json_loads

    def encode(frame: dict[str, Any]) -> str:
        """One client frame as the text sent on the WebSocket."""
        return _orjson_dumps(frame).decode()

except ImportError:  # pragma: no cover - exercised only without orjson
    json_loads = json.loads

    def encode(frame: dict[str, Any]) -> str:
        """One client frame as the text sent on the WebSocket."""
        return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


PING_FRAME: Final = '{"claz":"ping"}'
MAX_FRAME_CHARS: Final = 1024 * 1024


class BadFrameError(Exception):
    """A server frame that is dropped; `kind` names the problem (one warning each)."""

    def __init__(self, kind: str, message: str) -> None:
        """Say what is wrong, without quoting the frame (it may be huge or personal)."""
        super().__init__(message)
        self.kind = kind


def decode(data: str, max_chars: int = MAX_FRAME_CHARS) -> dict[str, Any]:
    """A server envelope `{"msgType": <str>, "ctiMessage": ...}`, decoded.

    Raises `BadFrameError` for a frame longer than `max_chars`, one that is not JSON, or
    one that is not such an envelope. The length is checked first, so an absurd frame
    costs no decoding.
    """
    if len(data) > max_chars:
        raise BadFrameError(
            "huge", f"Ignoring frames larger than {max_chars} characters"
        )
    try:
        message = json_loads(data)
    except ValueError:
        raise BadFrameError("json", "Ignoring frames that are not JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("msgType"), str):
        raise BadFrameError("envelope", "Ignoring frames without a msgType")
    return message
