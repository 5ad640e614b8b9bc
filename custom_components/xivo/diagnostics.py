"""Config-entry diagnostics: entry, link state and snapshot, with secrets redacted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD

from .const import CONF_PHONE_NUMBER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import XivoConfigEntry
    from .xuc import XucSnapshot

# Secrets, and phone numbers (personal data of the user and their contacts).
TO_REDACT: Final = {
    CONF_PASSWORD,
    "token",
    CONF_PHONE_NUMBER,
    "mobileNumber",
    "mobile",
    "number",
    "phone_hints",
    "line_number",
    "uncFwdDestination",
    "naFwdDestination",
    "busyFwdDestination",
    "other_number",
    "fields",
}


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
    """The snapshot, with favorites as a list: their keys may hold a phone number."""
    data: dict[str, Any] = plain(snapshot)
    data["favorites"] = list(data["favorites"].values())
    return data


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: XivoConfigEntry
) -> dict[str, Any]:
    """Everything useful to debug an entry, nothing that identifies or unlocks it."""
    coordinator = entry.runtime_data
    client = coordinator.client
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "connection": {
            "connected": client.connected,
            "last_update_success": coordinator.last_update_success,
        },
        "snapshot": async_redact_data(_snapshot_data(coordinator.data), TO_REDACT),
    }
