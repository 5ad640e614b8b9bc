"""Reading decoded JSON payloads: the two checks every message handler shares.

A server may put any JSON where a field is expected; these turn it into the value a
handler can use or into `XucProtocolError`, never into another exception.
"""

from __future__ import annotations

from typing import Any

from .exceptions import XucProtocolError


def require_dict(payload: Any, msg_type: str) -> dict[str, Any]:
    """The payload as an object, or `XucProtocolError` naming the message type."""
    if not isinstance(payload, dict):
        raise XucProtocolError(f"{msg_type} payload is not an object")
    return payload


def error_code(payload: Any) -> str:
    """What an `Error` frame says, without the rest of it (numbers are personal data).

    `{"Error": "PhoneNumberUnknown", ...}` says `PhoneNumberUnknown`; a bare text says
    itself; at most 80 characters.
    """
    code = payload.get("Error") if isinstance(payload, dict) else payload
    return (wire_text(code) or "an unreadable error")[:80]


def wire_text(value: Any) -> str | None:
    """A scalar as text (numbers too: ids come both ways); None for null, bool, objects."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)
