"""Config-entry diagnostics a user can attach to a bug report, with nothing personal in it.

Besides the entry and the snapshot, they carry the last frames exchanged with the server
(`protocol_journal`) and every message type it sent since set-up with its first instance
(`server_profile`): that is how the project learns a real server's dialect from the field.
Secrets (password, token) and personal data (numbers, names, destinations, logins) are
redacted everywhere, in frames too; the non-personal user configuration (DND and forward
flags, ids) is kept because it is what most bug reports are about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME

from .const import CONF_PHONE_NUMBER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import XivoConfigEntry
    from .xuc import XucSnapshot

_SECRETS: Final = frozenset({CONF_PASSWORD, "token"})
# The entry: its title, unique id and login name the person.
ENTRY_KEYS: Final = _SECRETS | {"title", "unique_id", CONF_USERNAME, CONF_PHONE_NUMBER}
# The snapshot's models (and the user configuration's wire keys they keep).
SNAPSHOT_KEYS: Final = _SECRETS | {
    "first_name",
    "last_name",
    "full_name",
    "number",
    "mobile",
    "phone_hints",
    "line_number",
    "phone_number",
    "other_number",
    "other_name",
    "user_data",
    "fullName",
    "firstName",
    "lastName",
    "mobileNumber",
    "uncFwdDestination",
    "naFwdDestination",
    "busyFwdDestination",
}
# Frames on the wire, whatever their type (xuc's key names).
WIRE_KEYS: Final = SNAPSHOT_KEYS | {
    "login",
    "username",
    "name",
    "displayName",
    "destination",
    "DN",
    "otherDN",
    "otherDName",
    "userData",
    "phoneNumber",
    "phoneNumbers",
    "entries",
    "term",
    "variables",
    "email",
    # Agent frames: the line an agent logs on, in each spelling xuc uses (§12).
    "phoneNb",
    "agentphonenumber",
    "RequestedNb",
}
# Status lists name statuses, not people: their names are kept, they explain the presence.
_STATUS_MESSAGES: Final = frozenset({"UsersStatuses", "CtiStatuses"})
_STATUS_KEYS: Final = WIRE_KEYS - {"name", "displayName"}


def plain(value: Any) -> Any:
    """Models as JSON-ready values (`asdict` cannot copy their read-only mappings)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: plain(getattr(value, field.name)) for field in fields(value)
        }
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _snapshot_data(snapshot: XucSnapshot) -> dict[str, Any]:
    """The snapshot, redacted; favorites and calls as lists (a key may be a number)."""
    data: dict[str, Any] = plain(snapshot)
    favorites = list(data.pop("favorites").values())
    for contact in favorites:
        contact["fields"] = REDACTED  # its directory cells: every one is personal
    data["favorites"] = favorites
    data["calls"] = list(data.pop("calls").values())
    return async_redact_data(data, SNAPSHOT_KEYS)


def redact_frame(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One journal or profile frame with its personal values redacted."""
    kind = entry.get("msg_type")
    keys = _STATUS_KEYS if kind in _STATUS_MESSAGES else WIRE_KEYS
    return async_redact_data(dict(entry), keys)


def _line(snapshot: XucSnapshot) -> str:
    has_line = snapshot.has_line
    if has_line is None:
        return "unknown"
    return "present" if has_line else "none"


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: XivoConfigEntry
) -> dict[str, Any]:
    """Everything useful to debug an entry, nothing that identifies or unlocks it."""
    data = entry.runtime_data
    client, coordinator = data.client, data.coordinator
    snapshot = coordinator.data
    return {
        "entry": async_redact_data(entry.as_dict(), ENTRY_KEYS),
        "connection": {
            "connected": client.connected,
            "last_update_success": coordinator.last_update_success,
            "last_error": coordinator.last_error,
            "line": _line(snapshot),
        },
        "snapshot": _snapshot_data(snapshot),
        "protocol_journal": [redact_frame(frame) for frame in client.journal],
        "server_profile": {
            msg_type: {
                "count": seen["count"],
                "first": redact_frame({"msg_type": msg_type, "frame": seen["first"]}),
            }
            for msg_type, seen in client.server_profile.items()
        },
    }
