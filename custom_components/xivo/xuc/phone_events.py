"""Calls on the user's own line, from `PhoneEvent` and `CurrentCallsPhoneEvents`.

Real servers change a call's `uniqueId` during the call (transfers, queues, originate)
and keep its `linkedId`, send `callDirection` values nobody documented (or none), and
may send event types no source names. So, as the official web client does
(protocol reference §16.4, §19 G3/G4):

* a call is one call by its `linkedId` (its `uniqueId` when it has none); the latest
  `uniqueId` is kept as the handle for call commands;
* `EventReleased` removes every call whose `uniqueId` or `linkedId` matches, and a call
  whose `linkedId` is the event's `uniqueId`: no phantom call is left behind;
* `Incoming`/`Outgoing` (any case) are taken as given; anything else means unknown, and
  the first event tells (`EventDialing` outgoing, `EventRinging` incoming). A call of
  unknown direction is never reported missed;
* an unknown event type leaves the call as it is; a resync replaces every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import logging
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .exceptions import XucProtocolError
from .models import Call
from .payload import require_dict, wire_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .models import XucSnapshot

_LOGGER = logging.getLogger(__name__)


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


CallEvents = tuple[CallEvent, ...]
_NO_EVENTS: Final[CallEvents] = ()

_RELEASED: Final = "EventReleased"
_STATE_BY_EVENT: Final[Mapping[str, str]] = MappingProxyType(
    {
        "EventDialing": "dialing",
        "EventRinging": "ringing",
        "EventEstablished": "established",
        "EventOnHold": "on_hold",
    }
)
_DIRECTION_BY_WORD: Final[Mapping[str, str]] = MappingProxyType(
    {"incoming": "Incoming", "outgoing": "Outgoing"}
)
# The direction a call's first event tells when the server gave none.
_DIRECTION_BY_FIRST_EVENT: Final[Mapping[str, str]] = MappingProxyType(
    {"EventDialing": "Outgoing", "EventRinging": "Incoming"}
)
_ATTACHED_DATA_PREFIX: Final = "USR_"

# Unknown event types are logged once per type for the life of the process (not per
# client: the reducer is a pure function with no client to hang the memory on), and
# only the first few types, so a server inventing names cannot grow the set.
_UNKNOWN_TYPES_LOGGED: set[str] = set()
_UNKNOWN_TYPES_LOG_LIMIT: Final = 16


def _log_unknown_event_type(event_type: str) -> None:
    if (
        event_type in _UNKNOWN_TYPES_LOGGED
        or len(_UNKNOWN_TYPES_LOGGED) >= _UNKNOWN_TYPES_LOG_LIMIT
    ):
        return
    _UNKNOWN_TYPES_LOGGED.add(event_type)
    _LOGGER.warning(
        "Ignoring PhoneEvent type %.40r: its call keeps its state (logged once)",
        event_type,
    )


def _direction(value: Any) -> str | None:
    """`Incoming` or `Outgoing` in any case; None (unknown) for anything else."""
    word = wire_text(value)
    return None if word is None else _DIRECTION_BY_WORD.get(word.strip().casefold())


def _attached_data(value: Any, known: Mapping[str, str]) -> Mapping[str, str]:
    """The known attached data with the event's `USR_*` keys over it.

    Merged rather than replaced: an event that omits `userData` or part of it does not
    erase what earlier events attached to the call.
    """
    if not isinstance(value, dict):
        return known
    fresh = {
        key: text
        for key, raw in value.items()
        if isinstance(key, str)
        and key.startswith(_ATTACHED_DATA_PREFIX)
        and (text := wire_text(raw)) is not None
        and known.get(key) != text
    }
    return MappingProxyType({**known, **fresh}) if fresh else known


def _find(calls: dict[str, Call], key: str, unique_id: str | None) -> str | None:
    """The key of the stored call an event is about (§16.4 step 1).

    By the call's key first, then by the channel: a call first seen without its
    `linkedId` is stored by its `uniqueId`.
    """
    if key in calls:
        return key
    if unique_id is not None:
        for stored_key, call in calls.items():
            if call.unique_id == unique_id:
                return stored_key
    return None


def _merged(base: Call, data: dict[str, Any], unique_id: str | None) -> Call:
    """The call with what the event tells; empty values never replace known ones."""
    return Call(
        unique_id=unique_id or base.unique_id,
        state=base.state,
        direction=_direction(data.get("callDirection")) or base.direction,
        other_number=wire_text(data.get("otherDN")) or base.other_number,
        other_name=wire_text(data.get("otherDName")) or base.other_name,
        linked_id=base.linked_id or wire_text(data.get("linkedId")) or None,
        answered=base.answered,
        queue_name=wire_text(data.get("queueName")) or base.queue_name,
        user_data=_attached_data(data.get("userData"), base.user_data),
    )


def _ended(call: Call) -> CallEvent:
    missed = not call.answered and call.direction == "Incoming"
    return CallEvent(
        CallEventType.MISSED if missed else CallEventType.ENDED,
        Call(
            unique_id=call.unique_id,
            state="released",
            direction=call.direction,
            other_number=call.other_number,
            other_name=call.other_name,
            linked_id=call.linked_id,
            answered=call.answered,
            queue_name=call.queue_name,
            user_data=call.user_data,
        ),
    )


def _release(
    calls: dict[str, Call], data: dict[str, Any], key: str, unique_id: str | None
) -> CallEvents:
    """Remove every call the release matches; one ended or missed event for each.

    A call matches by its key, by its `uniqueId` or `linkedId` (§16.4 step 6), or by
    a `linkedId` equal to the event's `uniqueId` (step 2). The calls are released as
    they stood: what the release itself carries is not news.
    """
    linked_id = wire_text(data.get("linkedId")) or None
    gone = [
        stored_key
        for stored_key, call in calls.items()
        if stored_key == key
        or (unique_id is not None and unique_id in {call.unique_id, call.linked_id})
        or (linked_id is not None and call.linked_id == linked_id)
    ]
    return tuple(_ended(calls.pop(stored_key)) for stored_key in gone)


def _step(calls: dict[str, Call], data: dict[str, Any]) -> CallEvents:
    """Advance the calls with one `PhoneEvent`; return the events it amounts to."""
    unique_id = wire_text(data.get("uniqueId")) or None
    key = wire_text(data.get("linkedId")) or unique_id
    event_type = wire_text(data.get("eventType"))
    if key is None or event_type is None:
        raise XucProtocolError("PhoneEvent lacks an eventType or a uniqueId")
    if event_type == _RELEASED:
        return _release(calls, data, key, unique_id)
    state = _STATE_BY_EVENT.get(event_type)
    if state is None:
        _log_unknown_event_type(event_type)
        return _NO_EVENTS
    found = _find(calls, key, unique_id)
    if found is None:
        base = Call(
            unique_id=key,
            state="",
            direction=_DIRECTION_BY_FIRST_EVENT.get(event_type),
        )
    else:
        base = calls[found]
    call = _merged(base, data, unique_id)
    kind: CallEventType | None = None
    if found is None and state in {"ringing", "dialing"}:
        kind = {
            "Incoming": CallEventType.INCOMING,
            "Outgoing": CallEventType.OUTGOING,
        }.get(call.direction or "")
    elif state == "established" and not call.answered:
        kind = CallEventType.ANSWERED
    elif state == "on_hold" and call.state != "on_hold":
        kind = CallEventType.ON_HOLD
    call = Call(
        unique_id=call.unique_id,
        state=state,
        direction=call.direction,
        other_number=call.other_number,
        other_name=call.other_name,
        linked_id=call.linked_id,
        # A call on hold was answered, even when its first event here is the hold
        # (a resync after a reconnect replays each call's latest event only).
        answered=call.answered or state in {"established", "on_hold"},
        queue_name=call.queue_name,
        user_data=call.user_data,
    )
    if found is not None and found != call.key:
        del calls[found]  # first seen without its linkedId: now keyed by it
    calls[call.key] = call  # in place when the key did not change: the order is kept
    return (CallEvent(kind, call),) if kind is not None else _NO_EVENTS


def apply_phone_event(
    snapshot: XucSnapshot, payload: Any
) -> tuple[XucSnapshot, CallEvents]:
    """One `PhoneEvent`: the calls after it, and the call events it amounts to."""
    calls = dict(snapshot.calls)
    events = _step(calls, require_dict(payload, "PhoneEvent"))
    if calls == snapshot.calls:
        return snapshot, events
    return snapshot.evolve(calls=MappingProxyType(calls)), events


def apply_current_calls(
    snapshot: XucSnapshot, payload: Any
) -> tuple[XucSnapshot, CallEvents]:
    """A resync: the calls the server lists replace all others; no events for old news.

    The listed events are replayed in order. Items that cannot be read are skipped,
    unless none can: then the message raises and the calls known stay.
    """
    events = require_dict(payload, "CurrentCallsPhoneEvents").get("events")
    if not isinstance(events, list):
        raise XucProtocolError("CurrentCallsPhoneEvents has no list of events")
    calls: dict[str, Call] = {}
    read = 0
    for item in events:
        if not isinstance(item, dict):
            continue
        try:
            _step(calls, item)
        except XucProtocolError:
            continue
        read += 1
    if events and not read:
        raise XucProtocolError("CurrentCallsPhoneEvents has no readable event")
    if calls == snapshot.calls:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(calls=MappingProxyType(calls)), _NO_EVENTS
