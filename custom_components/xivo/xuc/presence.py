"""Presence: the statuses a server offers and the one the user is in.

Servers may send `UsersStatuses` (label, colour, actions) and `CtiStatuses` (label,
category) for the same statuses; each list replaces the previous one but keeps, for a
status both name, what the other message told. The presence select needs options, so an
empty list is ignored, and a list none of whose items has a name raises instead of
erasing the known statuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .exceptions import XucProtocolError
from .models import Status, StatusAction, parse_code
from .payload import require_dict, wire_text

if TYPE_CHECKING:
    from .models import XucSnapshot


def _status_list(payload: Any, msg_type: str) -> list[dict[str, Any]] | None:
    """Find the list of statuses: a bare array, or the first array inside an object.

    None for an empty list: the presence select needs options, so an empty list is
    not taken as "no statuses any more" but ignored.
    """
    if isinstance(payload, dict):
        payload = next(
            (value for value in payload.values() if isinstance(value, list)), None
        )
    if not isinstance(payload, list):
        raise XucProtocolError(f"{msg_type} payload is not a list of statuses")
    if not payload:
        return None
    items = [
        item
        for item in payload
        if isinstance(item, dict) and wire_text(item.get("name"))
    ]
    if not items:
        raise XucProtocolError(f"{msg_type} has no status with a name")
    return items


def _parse_actions(raw: Any) -> tuple[StatusAction, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        StatusAction(
            name=str(item["name"]), parameters=wire_text(item.get("parameters")) or ""
        )
        for item in raw
        if isinstance(item, dict) and wire_text(item.get("name"))
    )


def apply_statuses(snapshot: XucSnapshot, payload: Any, msg_type: str) -> XucSnapshot:
    """Replace the list of statuses, keeping what the other message type told of each.

    Servers may send both `UsersStatuses` (label, colour, actions) and `CtiStatuses`
    (label, category): fields one of them lacks are kept from the other.
    """
    items = _status_list(payload, msg_type)
    if items is None:
        return snapshot
    previous = {status.name: status for status in snapshot.statuses}
    statuses: list[Status] = []
    seen: set[str] = set()
    for item in items:
        name = str(item["name"])
        if name in seen:
            continue
        seen.add(name)
        old = previous.get(name)
        label = wire_text(item.get("displayName")) or wire_text(item.get("longName"))
        actions = _parse_actions(item.get("actions"))
        statuses.append(
            Status(
                name=name,
                label=label or (old.label if old else name),
                color=wire_text(item.get("color")) or (old.color if old else None),
                category=parse_code(item.get("status"))
                if "status" in item
                else (old.category if old else None),
                actions=actions or (old.actions if old else ()),
            )
        )
    new = tuple(statuses)
    return snapshot if new == snapshot.statuses else snapshot.evolve(statuses=new)


def status_name_of(payload: Any) -> str | None:
    """The status a `UserStatusUpdate` names; None for a null or empty one (G9).

    A payload without a status, or whose status is not a name, is a protocol error.
    """
    data = require_dict(payload, "UserStatusUpdate")
    if "status" not in data:
        raise XucProtocolError("UserStatusUpdate has no status")
    status = data["status"]
    name = wire_text(status)
    if name is None and status is not None:
        raise XucProtocolError("UserStatusUpdate status is not a name")
    return name or None


def apply_user_status(snapshot: XucSnapshot, payload: Any) -> XucSnapshot:
    """The current presence; a null (or empty) status is ignored, as GLPI does (G9)."""
    name = status_name_of(payload)
    if not name or name == snapshot.status_name:
        return snapshot
    return snapshot.evolve(status_name=name)
