"""Turn server messages into a new snapshot: the pure heart of the client.

`apply_message` never mutates its input and never performs I/O (bar one warning per
unknown call event or agent state name, see `phone_events` and `agents`; an agent's
state reads the clock, to date its `since` seconds), so it can be fed any frame (tests
feed it arbitrary JSON) and the only exception it may raise is `XucProtocolError`, for
a payload of the wrong shape. Messages that change nothing return the very same snapshot object,
which lets callers skip notifying anyone.

Nothing known is erased by a message that cannot be read: a list of statuses,
preferences or favorites none of whose items can be read raises `XucProtocolError`
(the client logs it and drops it) instead of replacing what the snapshot holds.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .agent_reducer import AGENT_HANDLERS, agent_changes
from .directory import parse_directory
from .exceptions import XucProtocolError
from .hints import read_phone_hint
from .models import (
    Contact,
    Preference,
    UserConfig,
    Voicemail,
    XucSnapshot,
    parse_code,
    phone_state_from_wire,
)
from .payload import require_dict, wire_text
from .phone_events import (
    CallEvent,
    CallEvents,
    CallEventType,
    apply_current_calls,
    apply_phone_event,
)
from .presence import apply_statuses, apply_user_status
from .user_config import user_config_changes

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


__all__ = [
    "HANDLERS",
    "PASSIVE_MESSAGE_TYPES",
    "CallEvent",
    "CallEventType",
    "Reduction",
    "apply_message",
    "favorite_key",
]

Reduction = tuple[XucSnapshot, CallEvents]
_NO_EVENTS: Final[CallEvents] = ()

# Message types the client understands but that carry no user state (replies that the
# client hands to whoever waits for them, or features this client does not use).
PASSIVE_MESSAGE_TYPES: Final = frozenset(
    {
        "LoggedOn",
        "LoggedOnError",
        "Error",
        "DirectoryResult",
        "ContactSheet",
        "FavoriteContactSheet",
        "UserDisplayName",
        "AuthenticationToken",
        "RightProfile",
        "Sheet",
        "IceConfig",
        "WebRTCCmd",
        "FlashTextEvent",
        "QueueCalls",
        "GetQueueStatistics",
        "AgentConfig",
        "AgentDirectory",
        "AgentError",
        "AgentList",
        "AgentListen",
        "AgentStatistics",
        "AgentGroupList",
        "ConferenceList",
        "ConferenceEvent",
        "ConferenceParticipantEvent",
        "ConferenceCommandError",
        "CallHistory",
        "CallHistoryByDays",
        "CustomerCallHistoryResponseWithId",
        "RichCallHistory",
        "DialByUsername",
        "VideoStatusEvent",
        "MeetingRoomInvite",
        "MeetingRoomInviteAck",
        "MeetingRoomInviteResponse",
    }
)


def _apply_users_statuses(snapshot: XucSnapshot, payload: Any) -> Reduction:
    return apply_statuses(snapshot, payload, "UsersStatuses"), _NO_EVENTS


def _apply_cti_statuses(snapshot: XucSnapshot, payload: Any) -> Reduction:
    return apply_statuses(snapshot, payload, "CtiStatuses"), _NO_EVENTS


def _apply_user_status(snapshot: XucSnapshot, payload: Any) -> Reduction:
    return apply_user_status(snapshot, payload), _NO_EVENTS


def _apply_user_config(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """Merge the fields that change what is known (`user_config.user_config_changes`)."""
    data = require_dict(payload, "UserConfigUpdate")
    current = snapshot.user.fields
    changes = user_config_changes(current, data)
    if not changes:
        return snapshot, _NO_EVENTS
    user = UserConfig(fields=MappingProxyType({**current, **changes}))
    return snapshot.evolve(user=user, **agent_changes(snapshot, user)), _NO_EVENTS


def _preference_items(payload: Any) -> list[tuple[str | None, Any]]:
    """Accept `{KEY: {value, value_type}}`, `[{key, value, value_type}]` or one such object.

    A list item without a key comes with the key None: it counts as unreadable.
    """
    if isinstance(payload, list):
        return [
            (wire_text(item.get("key")) or None, item)
            if isinstance(item, dict)
            else (None, item)
            for item in payload
        ]
    data = require_dict(payload, "UserPreference")
    if wire_text(data.get("key")) and "value" in data:
        return [(str(data["key"]), data)]
    return [(str(key), value) for key, value in data.items()]


def _preference(key: str, raw: Any) -> Preference | None:
    """One preference from its wire item, or None when it has no usable value."""
    wire = raw.get("value") if isinstance(raw, dict) else raw
    if isinstance(wire, bool):
        # A JSON boolean instead of the documented "true"/"false" string.
        return Preference(
            key=key, value="true" if wire else "false", value_type="Boolean"
        )
    value = wire_text(wire)
    if value is None:
        return None
    value_type = "String"
    if isinstance(raw, dict):
        value_type = (
            wire_text(raw.get("value_type"))
            or wire_text(raw.get("valueType"))
            or "String"
        )
    return Preference(key=key, value=value, value_type=value_type)


def _apply_preferences(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """Update the preferences the message carries; an empty message changes nothing."""
    items = _preference_items(payload)
    preferences = dict(snapshot.preferences)
    read = 0
    for key, raw in items:
        preference = None if key is None else _preference(key, raw)
        if preference is not None:
            preferences[preference.key] = preference
            read += 1
    if items and not read:
        raise XucProtocolError("UserPreference has no readable preference")
    if preferences == snapshot.preferences:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(preferences=MappingProxyType(preferences)), _NO_EVENTS


def favorite_key(contact: Contact) -> str:
    """The key of a favorite: its `source/contact_id`, else its number."""
    return contact.key or f"number/{contact.number}"


def _apply_favorites(snapshot: XucSnapshot, payload: Any) -> Reduction:
    result = parse_directory(payload)
    favorites = {
        favorite_key(contact): replace(contact, favorite=True)
        for contact in result.contacts
    }
    if favorites == snapshot.favorites and snapshot.favorites_received:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(
        favorites=MappingProxyType(favorites), favorites_received=True
    ), _NO_EVENTS


def _apply_favorite_updated(snapshot: XucSnapshot, payload: Any) -> Reduction:
    data = require_dict(payload, "FavoriteUpdated")
    if wire_text(data.get("action")) != "Removed":
        # "Added" brings no row; the client asks for the list again.
        return snapshot, _NO_EVENTS
    contact_id = wire_text(data.get("contact_id", data.get("contactId")))
    key = f"{wire_text(data.get('source')) or ''}/{contact_id}"
    if key not in snapshot.favorites:
        return snapshot, _NO_EVENTS
    favorites = {k: v for k, v in snapshot.favorites.items() if k != key}
    return snapshot.evolve(favorites=MappingProxyType(favorites)), _NO_EVENTS


def _apply_phone_hint(snapshot: XucSnapshot, payload: Any) -> Reduction:
    number, code = read_phone_hint(payload)
    if snapshot.phone_hints.get(number) == code:
        return snapshot, _NO_EVENTS
    hints = dict(snapshot.phone_hints)
    hints[number] = code
    return snapshot.evolve(phone_hints=MappingProxyType(hints)), _NO_EVENTS


def _apply_phone_status(snapshot: XucSnapshot, payload: Any) -> Reduction:
    state = phone_state_from_wire(
        require_dict(payload, "PhoneStatusUpdate").get("status")
    )
    if state == snapshot.own_phone_status:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(own_phone_status=state), _NO_EVENTS


def _apply_voicemail(snapshot: XucSnapshot, payload: Any) -> Reduction:
    data = require_dict(payload, "VoiceMailStatusUpdate")
    voicemail = Voicemail(
        new=max(parse_code(data.get("newMessages")) or 0, 0),
        waiting=max(parse_code(data.get("waitingMessages")) or 0, 0),
        old=max(parse_code(data.get("oldMessages")) or 0, 0),
    )
    if voicemail == snapshot.voicemail:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(voicemail=voicemail), _NO_EVENTS


def _apply_line_config(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """The user's line: its id (`"-"`: no line) and, when the server sends it, its number.

    Real servers may leave the number out (G6): then the number known stays, unless the
    line id says it belonged to another line (or to none).
    """
    data = require_dict(payload, "LineConfig")
    line_id = wire_text(data.get("id")) or snapshot.line_id
    number = wire_text(data.get("number")) or None
    if number is None:
        same_line = snapshot.line_id in {None, line_id}
        number = snapshot.line_number if same_line and line_id != "-" else None
    if line_id == snapshot.line_id and number == snapshot.line_number:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(line_id=line_id, line_number=number), _NO_EVENTS


HANDLERS: Final[Mapping[str, Callable[[XucSnapshot, Any], Reduction]]] = (
    MappingProxyType(
        {
            "UsersStatuses": _apply_users_statuses,
            "CtiStatuses": _apply_cti_statuses,
            "UserStatusUpdate": _apply_user_status,
            "UserConfigUpdate": _apply_user_config,
            "UserPreference": _apply_preferences,
            "Favorites": _apply_favorites,
            "FavoriteUpdated": _apply_favorite_updated,
            "PhoneHintStatusEvent": _apply_phone_hint,
            "PhoneStatusUpdate": _apply_phone_status,
            "VoiceMailStatusUpdate": _apply_voicemail,
            "LineConfig": _apply_line_config,
            "PhoneEvent": apply_phone_event,
            "CurrentCallsPhoneEvents": apply_current_calls,
            **AGENT_HANDLERS,
        }
    )
)


def apply_message(snapshot: XucSnapshot, msg_type: str, payload: Any) -> Reduction:
    """Apply one server message; unknown and passive types leave the snapshot as it is."""
    handler = HANDLERS.get(msg_type)
    if handler is None:
        return snapshot, _NO_EVENTS
    return handler(snapshot, payload)
