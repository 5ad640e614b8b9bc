"""Async client for the xuc server of XiVO (CTI WebSocket User API 2.0).

Independent of Home Assistant: it needs only aiohttp (and uses orjson when present).
"""

from __future__ import annotations

from .backoff import Backoff
from .client import XucClient
from .directory import fold
from .exceptions import (
    ConnectionFailure,
    XucAuthError,
    XucCommandError,
    XucConnectionError,
    XucError,
    XucHttpsRequiredError,
    XucNotConnectedError,
    XucProtocolError,
    XucTimeoutError,
)
from .models import (
    FORWARD_KINDS,
    Call,
    Contact,
    DirectoryResult,
    Forward,
    ForwardKind,
    PhoneState,
    Preference,
    Status,
    StatusAction,
    UserConfig,
    Voicemail,
    XucSnapshot,
    parse_bool,
    phone_state_from_wire,
)
from .reducer import CallEvent, CallEventType, apply_message

__all__ = [
    "FORWARD_KINDS",
    "Backoff",
    "Call",
    "CallEvent",
    "CallEventType",
    "ConnectionFailure",
    "Contact",
    "DirectoryResult",
    "Forward",
    "ForwardKind",
    "PhoneState",
    "Preference",
    "Status",
    "StatusAction",
    "UserConfig",
    "Voicemail",
    "XucAuthError",
    "XucClient",
    "XucCommandError",
    "XucConnectionError",
    "XucError",
    "XucHttpsRequiredError",
    "XucNotConnectedError",
    "XucProtocolError",
    "XucSnapshot",
    "XucTimeoutError",
    "apply_message",
    "fold",
    "parse_bool",
    "phone_state_from_wire",
]
