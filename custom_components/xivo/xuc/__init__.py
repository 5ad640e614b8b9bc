"""Async client for the xuc server of XiVO (CTI WebSocket User API 2.0).

Independent of Home Assistant: it needs only aiohttp (and uses orjson when present).
"""

from __future__ import annotations

from .agent_control import AGENT_CONFIRM_TIMEOUT
from .agents import (
    AgentState,
    AgentStatus,
    Queue,
    QueueStats,
    pause_reasons,
)
from .backoff import Backoff
from .call_control import DTMF_PATTERN, MAX_DTMF_DIGITS, is_dtmf
from .client import XucClient
from .directory import fold
from .exceptions import (
    ConnectionFailure,
    XucAgentError,
    XucAuthError,
    XucCommandError,
    XucConnectionError,
    XucError,
    XucHttpsRequiredError,
    XucNoAgentError,
    XucNotConnectedError,
    XucProtocolError,
    XucTimeoutError,
)
from .history import (
    MAX_HISTORY_DAYS,
    MAX_HISTORY_SIZE,
    HistoryEntry,
    parse_history,
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
    "AGENT_CONFIRM_TIMEOUT",
    "DTMF_PATTERN",
    "FORWARD_KINDS",
    "MAX_DTMF_DIGITS",
    "MAX_HISTORY_DAYS",
    "MAX_HISTORY_SIZE",
    "AgentState",
    "AgentStatus",
    "Backoff",
    "Call",
    "CallEvent",
    "CallEventType",
    "ConnectionFailure",
    "Contact",
    "DirectoryResult",
    "Forward",
    "ForwardKind",
    "HistoryEntry",
    "PhoneState",
    "Preference",
    "Queue",
    "QueueStats",
    "Status",
    "StatusAction",
    "UserConfig",
    "Voicemail",
    "XucAgentError",
    "XucAuthError",
    "XucClient",
    "XucCommandError",
    "XucConnectionError",
    "XucError",
    "XucHttpsRequiredError",
    "XucNoAgentError",
    "XucNotConnectedError",
    "XucProtocolError",
    "XucSnapshot",
    "XucTimeoutError",
    "apply_message",
    "fold",
    "is_dtmf",
    "parse_bool",
    "parse_history",
    "pause_reasons",
    "phone_state_from_wire",
]
