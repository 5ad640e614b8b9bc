"""Turn server messages into a new snapshot: the pure heart of the client.

`apply_message` never mutates its input and never performs I/O, so it can be fed any
frame (tests feed it arbitrary JSON) and the only exception it may raise is
`XucProtocolError`, for a payload of the wrong shape. Messages that change nothing return
the very same snapshot object, which lets callers skip notifying anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .directory import parse_directory
from .exceptions import XucProtocolError
from .models import (
    Call,
    Contact,
    Preference,
    Status,
    StatusAction,
    UserConfig,
    Voicemail,
    XucSnapshot,
    parse_code,
    phone_state_from_wire,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


class CallEventType(StrEnum):
    """What happened to a call on the user's own line."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ANSWERED = "answered"
    ENDED = "ended"
    MISSED = "missed"
    ON_HOLD = "on_hold"


@dataclass(frozen=True, slots=True)
class CallEvent:
    """A call event, with the call as it stands after it."""

    type: CallEventType
    call: Call


Reduction = tuple[XucSnapshot, tuple[CallEvent, ...]]
_NO_EVENTS: Final[tuple[CallEvent, ...]] = ()

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
        "QueueStatistics",
        "QueueConfig",
        "QueueList",
        "QueueMember",
        "QueueMemberList",
        "QueueCalls",
        "GetQueueStatistics",
        "AgentConfig",
        "AgentDirectory",
        "AgentError",
        "AgentList",
        "AgentListen",
        "AgentStatistics",
        "AgentGroupList",
        "AgentStateEvent",
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


def _require_dict(payload: Any, msg_type: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise XucProtocolError(f"{msg_type} payload is not an object")
    return payload


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)


def _status_list(payload: Any, msg_type: str) -> list[dict[str, Any]]:
    """Find the list of statuses: a bare array, or the first array inside an object."""
    if isinstance(payload, dict):
        payload = next(
            (value for value in payload.values() if isinstance(value, list)), None
        )
    if not isinstance(payload, list):
        raise XucProtocolError(f"{msg_type} payload is not a list of statuses")
    return [
        item for item in payload if isinstance(item, dict) and _text(item.get("name"))
    ]


def _parse_actions(raw: Any) -> tuple[StatusAction, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        StatusAction(
            name=str(item["name"]), parameters=_text(item.get("parameters")) or ""
        )
        for item in raw
        if isinstance(item, dict) and _text(item.get("name"))
    )


def _apply_statuses(snapshot: XucSnapshot, payload: Any, msg_type: str) -> XucSnapshot:
    """Replace the list of statuses, keeping what the other message type told of each.

    Servers may send both `UsersStatuses` (label, colour, actions) and `CtiStatuses`
    (label, category): fields one of them lacks are kept from the other.
    """
    previous = {status.name: status for status in snapshot.statuses}
    statuses: list[Status] = []
    seen: set[str] = set()
    for item in _status_list(payload, msg_type):
        name = str(item["name"])
        if name in seen:
            continue
        seen.add(name)
        old = previous.get(name)
        label = _text(item.get("displayName")) or _text(item.get("longName"))
        actions = _parse_actions(item.get("actions"))
        statuses.append(
            Status(
                name=name,
                label=label or (old.label if old else name),
                color=_text(item.get("color")) or (old.color if old else None),
                category=parse_code(item.get("status"))
                if "status" in item
                else (old.category if old else None),
                actions=actions or (old.actions if old else ()),
            )
        )
    new = tuple(statuses)
    return snapshot if new == snapshot.statuses else snapshot.evolve(statuses=new)


def _apply_users_statuses(snapshot: XucSnapshot, payload: Any) -> Reduction:
    return _apply_statuses(snapshot, payload, "UsersStatuses"), _NO_EVENTS


def _apply_cti_statuses(snapshot: XucSnapshot, payload: Any) -> Reduction:
    return _apply_statuses(snapshot, payload, "CtiStatuses"), _NO_EVENTS


def _apply_user_status(snapshot: XucSnapshot, payload: Any) -> Reduction:
    name = _text(_require_dict(payload, "UserStatusUpdate").get("status"))
    if name is None:
        raise XucProtocolError("UserStatusUpdate has no status name")
    if name == snapshot.status_name:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(status_name=name), _NO_EVENTS


def _apply_user_config(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """Merge the non-null fields: partial updates carry nulls for what did not change."""
    data = _require_dict(payload, "UserConfigUpdate")
    current = snapshot.user.fields
    changes = {
        key: value
        for key, value in data.items()
        if value is not None and current.get(key, None) != value
    }
    if not changes:
        return snapshot, _NO_EVENTS
    fields = MappingProxyType({**current, **changes})
    return snapshot.evolve(user=UserConfig(fields=fields)), _NO_EVENTS


def _preference_items(payload: Any) -> list[tuple[str, Any]]:
    """Accept `{KEY: {value, value_type}}`, `[{key, value, value_type}]` or one such object."""
    if isinstance(payload, list):
        return [
            (str(item["key"]), item)
            for item in payload
            if isinstance(item, dict) and _text(item.get("key"))
        ]
    data = _require_dict(payload, "UserPreference")
    if _text(data.get("key")) and "value" in data:
        return [(str(data["key"]), data)]
    return [(str(key), value) for key, value in data.items()]


def _apply_preferences(snapshot: XucSnapshot, payload: Any) -> Reduction:
    preferences = dict(snapshot.preferences)
    for key, raw in _preference_items(payload):
        wire = raw.get("value") if isinstance(raw, dict) else raw
        if isinstance(wire, bool):
            # A JSON boolean instead of the documented "true"/"false" string.
            value: str | None = "true" if wire else "false"
            value_type = "Boolean"
        else:
            value = _text(wire)
            value_type = "String"
            if isinstance(raw, dict):
                value_type = (
                    _text(raw.get("value_type"))
                    or _text(raw.get("valueType"))
                    or "String"
                )
        if value is None:
            continue
        preferences[key] = Preference(key=key, value=value, value_type=value_type)
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
    if favorites == snapshot.favorites:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(favorites=MappingProxyType(favorites)), _NO_EVENTS


def _apply_favorite_updated(snapshot: XucSnapshot, payload: Any) -> Reduction:
    data = _require_dict(payload, "FavoriteUpdated")
    if _text(data.get("action")) != "Removed":
        # "Added" brings no row; the client asks for the list again.
        return snapshot, _NO_EVENTS
    contact_id = _text(data.get("contact_id", data.get("contactId")))
    key = f"{_text(data.get('source')) or ''}/{contact_id}"
    if key not in snapshot.favorites:
        return snapshot, _NO_EVENTS
    favorites = {k: v for k, v in snapshot.favorites.items() if k != key}
    return snapshot.evolve(favorites=MappingProxyType(favorites)), _NO_EVENTS


def _apply_phone_hint(snapshot: XucSnapshot, payload: Any) -> Reduction:
    data = _require_dict(payload, "PhoneHintStatusEvent")
    number = _text(data.get("number"))
    code = parse_code(data.get("status"))
    if number is None or code is None:
        raise XucProtocolError(
            "PhoneHintStatusEvent lacks a number or a numeric status"
        )
    if snapshot.phone_hints.get(number) == code:
        return snapshot, _NO_EVENTS
    hints = dict(snapshot.phone_hints)
    hints[number] = code
    return snapshot.evolve(phone_hints=MappingProxyType(hints)), _NO_EVENTS


def _apply_phone_status(snapshot: XucSnapshot, payload: Any) -> Reduction:
    state = phone_state_from_wire(
        _require_dict(payload, "PhoneStatusUpdate").get("status")
    )
    if state == snapshot.own_phone_status:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(own_phone_status=state), _NO_EVENTS


def _apply_voicemail(snapshot: XucSnapshot, payload: Any) -> Reduction:
    data = _require_dict(payload, "VoiceMailStatusUpdate")
    voicemail = Voicemail(
        new=max(parse_code(data.get("newMessages")) or 0, 0),
        waiting=max(parse_code(data.get("waitingMessages")) or 0, 0),
        old=max(parse_code(data.get("oldMessages")) or 0, 0),
    )
    if voicemail == snapshot.voicemail:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(voicemail=voicemail), _NO_EVENTS


def _apply_line_config(snapshot: XucSnapshot, payload: Any) -> Reduction:
    number = _text(_require_dict(payload, "LineConfig").get("number"))
    if number is None or number == snapshot.line_number:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(line_number=number), _NO_EVENTS


def _call_step(calls: dict[str, Call], data: dict[str, Any]) -> CallEvent | None:
    """Advance one call with one `PhoneEvent`; return the event it amounts to."""
    unique_id = _text(data.get("uniqueId")) or _text(data.get("linkedId")) or None
    event_type = _text(data.get("eventType"))
    if unique_id is None or event_type is None:
        raise XucProtocolError("PhoneEvent lacks an eventType or a uniqueId")
    call = calls.get(unique_id)
    other_number = _text(data.get("otherDN"))
    other_name = _text(data.get("otherDName"))
    direction = _text(data.get("callDirection"))
    if call is None:
        if event_type == "EventReleased":
            return None
        if direction is None:
            direction = "Outgoing" if event_type == "EventDialing" else "Incoming"
        call = Call(
            unique_id=unique_id,
            state="",
            direction=direction,
            linked_id=_text(data.get("linkedId")),
        )
        new_call = True
    else:
        new_call = False
    call = replace(
        call,
        other_number=other_number or call.other_number,
        other_name=other_name or call.other_name,
    )
    kind: CallEventType | None = None
    if event_type in {"EventRinging", "EventDialing"}:
        call = replace(
            call, state="ringing" if event_type == "EventRinging" else "dialing"
        )
        if new_call:
            kind = (
                CallEventType.OUTGOING
                if call.direction == "Outgoing"
                else CallEventType.INCOMING
            )
    elif event_type == "EventEstablished":
        kind = None if call.answered else CallEventType.ANSWERED
        call = replace(call, state="established", answered=True)
    elif event_type == "EventOnHold":
        kind = None if call.state == "on_hold" else CallEventType.ON_HOLD
        call = replace(call, state="on_hold")
    elif event_type == "EventReleased":
        calls.pop(unique_id, None)
        missed = not call.answered and call.direction != "Outgoing"
        return CallEvent(
            CallEventType.MISSED if missed else CallEventType.ENDED,
            replace(call, state="released"),
        )
    else:
        return None
    calls[unique_id] = call
    return CallEvent(kind, call) if kind is not None else None


def _apply_phone_event(snapshot: XucSnapshot, payload: Any) -> Reduction:
    calls = dict(snapshot.calls)
    event = _call_step(calls, _require_dict(payload, "PhoneEvent"))
    if calls == snapshot.calls:
        return snapshot, (event,) if event else _NO_EVENTS
    return snapshot.evolve(calls=MappingProxyType(calls)), (
        event,
    ) if event else _NO_EVENTS


def _apply_current_calls(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """Rebuild the calls in progress after a (re)connect; no events for old news."""
    events = _require_dict(payload, "CurrentCallsPhoneEvents").get("events")
    if not isinstance(events, list):
        raise XucProtocolError("CurrentCallsPhoneEvents has no list of events")
    calls: dict[str, Call] = {}
    for item in events:
        if isinstance(item, dict):
            _call_step(calls, item)
    if calls == snapshot.calls:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(calls=MappingProxyType(calls)), _NO_EVENTS


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
            "PhoneEvent": _apply_phone_event,
            "CurrentCallsPhoneEvents": _apply_current_calls,
        }
    )
)


def apply_message(snapshot: XucSnapshot, msg_type: str, payload: Any) -> Reduction:
    """Apply one server message; unknown and passive types leave the snapshot as it is."""
    handler = HANDLERS.get(msg_type)
    if handler is None:
        return snapshot, _NO_EVENTS
    return handler(snapshot, payload)
