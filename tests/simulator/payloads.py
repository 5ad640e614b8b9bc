"""Wire payloads of the user's own state: config, presence lists, preferences, voicemail, line, calls.

Pure functions of the data model and the server profile, so that a greeting, a
command reply and a hook's push build the very same payload, and the profile's
quirks (G1, G3, G6) live in one place. The directory's payloads are in
``directory.py``.
"""

from __future__ import annotations

from typing import Any

from .data import SimCall, SimData, SimUser
from .profile import ServerProfile

type Json = dict[str, Any]

CONFIG_KEYS: tuple[str, ...] = (
    "userId",
    "fullName",
    "firstName",
    "lastName",
    "mobileNumber",
    "agentId",
    "voiceMailId",
    "voiceMailEnabled",
    "dndEnabled",
    "uncFwdEnabled",
    "uncFwdDestination",
    "naFwdEnabled",
    "naFwdDestination",
    "busyFwdEnabled",
    "busyFwdDestination",
    "lineIds",
)
"""Every ``UserConfigUpdate`` field; partial updates carry them all, mostly null."""

FORWARD_ATTRS: dict[str, str] = {"unc": "unc_fwd", "na": "na_fwd", "busy": "busy_fwd"}
"""Wire prefix of each forward → ``SimUser`` attribute holding ``(enabled, dest)``."""

CONFIG_ATTRS: dict[str, str] = {
    "fullName": "full_name",
    "firstName": "first_name",
    "lastName": "last_name",
    "mobileNumber": "mobile_number",
    "agentId": "agent_id",
    "voiceMailId": "voicemail_id",
    "voiceMailEnabled": "voicemail_enabled",
    "dndEnabled": "dnd",
}
"""``UserConfigUpdate`` wire name → ``SimUser`` attribute, for plain fields."""

NO_LINE_ID = "-"
"""``LineConfig.id`` of a user without a line, as xc_webrtc reads it (§19 G6)."""


def statuses_messages(data: SimData) -> list[tuple[str, Any]]:
    """Return the status-list envelope(s) chosen by ``SimData.statuses_message``."""
    messages: list[tuple[str, Any]] = []
    kind = data.statuses_message
    if kind in ("UsersStatuses", "both"):
        messages.append(
            (
                "UsersStatuses",
                [
                    {
                        "name": status.name,
                        "color": status.color,
                        "longName": status.long_name,
                        "actions": [
                            {"name": name, "parameters": parameters}
                            for name, parameters in status.actions
                        ],
                    }
                    for status in data.statuses
                ],
            )
        )
    if kind in ("CtiStatuses", "both"):
        messages.append(
            (
                "CtiStatuses",
                [
                    {
                        "name": status.name,
                        "displayName": status.long_name,
                        "status": status.category,
                    }
                    for status in data.statuses
                ],
            )
        )
    return messages


def full_config(user: SimUser) -> Json:
    """Return the complete ``UserConfigUpdate`` of a user."""
    return {
        "userId": user.user_id,
        "fullName": user.full_name,
        "firstName": user.given_name,
        "lastName": user.family_name,
        "mobileNumber": user.mobile_number,
        "agentId": user.agent_id,
        "voiceMailId": user.voicemail_id,
        "voiceMailEnabled": user.voicemail_enabled,
        "dndEnabled": user.dnd,
        "uncFwdEnabled": user.unc_fwd[0],
        "uncFwdDestination": user.unc_fwd[1],
        "naFwdEnabled": user.na_fwd[0],
        "naFwdDestination": user.na_fwd[1],
        "busyFwdEnabled": user.busy_fwd[0],
        "busyFwdDestination": user.busy_fwd[1],
        "lineIds": [user.effective_line_id] if user.has_line else [],
    }


def partial_config(user: SimUser, keys: set[str], profile: ServerProfile) -> Json:
    """Return the ``UserConfigUpdate`` of one change: ``keys`` real, the rest defaults.

    Every key of ``CONFIG_KEYS`` is present and ``userId`` is always real. The
    ideal server leaves the other keys null. With ``partial_config`` (G1, after
    xivo-ctid, which builds ``{'enablednd': x}`` or one forward's pair), the
    other forwards say ``false`` with a null destination and ``dndEnabled``
    carries its real value; every other key is null, ids and ``voiceMailEnabled``
    included (the reference names defaults only for forwards: the simulator's
    choice).
    """
    full = full_config(user)
    payload: Json = dict.fromkeys(CONFIG_KEYS)
    payload["userId"] = user.user_id
    if profile.partial_config:
        payload["dndEnabled"] = user.dnd
        for prefix in FORWARD_ATTRS:
            payload[f"{prefix}FwdEnabled"] = False
    for key in keys:
        payload[key] = full[key]
    return payload


def preferences(user: SimUser, keys: list[str] | None = None) -> Json:
    """Return a ``UserPreference`` map (all keys, or just ``keys``)."""
    return {
        key: {"value": value, "value_type": value_type}
        for key, (value, value_type) in user.preferences.items()
        if keys is None or key in keys
    }


def voicemail(user: SimUser) -> Json:
    """Return the ``VoiceMailStatusUpdate`` payload of a user."""
    return {
        "newMessages": user.voicemail_new,
        "waitingMessages": 1 if user.voicemail_new > 0 else 0,
        "oldMessages": user.voicemail_old,
    }


def line_config(user: SimUser, profile: ServerProfile) -> Json:
    """Return the ``LineConfig`` of a user's line.

    The ideal server sends ``{"id", "number", "name"}`` (unverified). Without
    ``line_number`` (G6) it sends what xc_webrtc reads instead: ``id``, ``name``,
    ``webRtc: false`` and ``hasDevice: true`` (a desk phone). A user without a
    line gets ``id: "-"`` and an empty ``name`` in either profile (and
    ``hasDevice: false``), and no ``number`` since there is none (the
    simulator's choice).
    """
    payload: Json = {
        "id": user.effective_line_id if user.has_line else NO_LINE_ID,
        "name": user.login if user.has_line else "",
    }
    if not profile.line_number:
        payload.update(webRtc=False, hasDevice=user.has_line)
    elif user.has_line:
        payload["number"] = user.line_number
    return payload


def phone_event(call: SimCall, profile: ServerProfile) -> Json:
    """Return the ``PhoneEvent`` payload of a call's current state.

    ``callDirection`` follows the profile (G3): the explicit word, the
    ``DirectionUnknown`` the fidelity review remembers, or no key at all.
    """
    payload: Json = {
        "eventType": call.event_type,
        "DN": call.line_number,
        "otherDN": call.other_dn,
        "otherDName": call.other_name,
        "linkedId": call.linked_id,
        "uniqueId": call.unique_id,
        "queueName": "",
        "userData": dict(call.user_data),
    }
    if profile.call_direction == "explicit":
        payload["callDirection"] = call.direction
    elif profile.call_direction == "unknown":
        payload["callDirection"] = "DirectionUnknown"
    return payload
