"""The account behind a device, for the device triggers, conditions and actions.

A device automation names a device; what it offers and checks (the server's statuses,
whether the user is an agent) belongs to the account of that device, looked up at the
moment it is needed: an entry reloaded since the automation was set up is the one used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .presence_timer import named_status
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import XivoConfigEntry


def device_entry(hass: HomeAssistant, device_id: str) -> XivoConfigEntry | None:
    """The loaded XiVO entry of a device, or None (unknown device, entry not loaded)."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    for entry_id in device.config_entries:
        entry: XivoConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
        if (
            entry is not None
            and entry.domain == DOMAIN
            and entry.state is ConfigEntryState.LOADED
        ):
            return entry
    return None


def status_options(hass: HomeAssistant, device_id: str) -> dict[str, str]:
    """Status name -> label, as the device's server lists them (empty if unknown)."""
    entry = device_entry(hass, device_id)
    if entry is None:
        return {}
    statuses = entry.runtime_data.client.snapshot.statuses
    return {status.name: label for label, status in status_labels(statuses).items()}


def checked_status(hass: HomeAssistant, device_id: str, text: str) -> str:
    """The name of the status a configured text means, or a clear error.

    Checked against the server's list when the account is loaded; before that (Home
    Assistant starting, the server away), the text is taken as it is written: refusing
    it would disable the automation for good.
    """
    entry = device_entry(hass, device_id)
    if entry is None:
        return text
    statuses = entry.runtime_data.client.snapshot.statuses
    if not statuses:
        return text
    status = named_status(statuses, text)
    if status is None:
        known = ", ".join(status.name for status in statuses)
        raise InvalidDeviceAutomationConfig(
            f"Unknown XiVO status {text!r}; the server lists: {known}"
        )
    return status.name
