"""The account behind a device, for the device triggers, conditions and actions.

A device automation names a device; what it offers and checks (the server's statuses
and pause reasons, whether the user is an agent) belongs to the account of that device, looked up at the
moment it is needed: an entry reloaded since the automation was set up is the one used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import device_registry as dr

from .agent_availability import (
    LOGGED_OUT,
    PAUSED,
    READY,
    find_pause_reason,
    reason_labels,
)
from .const import DOMAIN
from .presence_timer import named_status
from .xuc import AgentStatus
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Set as AbstractSet

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import XivoConfigEntry
    from .xuc import XucSnapshot


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


def listed(
    hass: HomeAssistant,
    device_id: str,
    account_types: Iterable[str],
    agent_types: Iterable[str],
    **base: str,
) -> list[ConfigType]:
    """The automations of one kind the device offers: the agent ones for an agent only.

    `base` is what the kind adds (`platform: device` for a trigger, `condition: device`
    for a condition).
    """
    types = [*account_types, *(agent_types if is_agent(hass, device_id) else ())]
    return [
        {**base, "domain": DOMAIN, "device_id": device_id, "type": kind}
        for kind in types
    ]


def check_fields(
    config: ConfigType,
    required: Mapping[str, str],
    allowed: Mapping[str, AbstractSet[str]],
) -> None:
    """Each type has the field it needs (`required`) and none of another type's.

    One schema lists every field a trigger, condition or action may have, so that the
    editor and YAML share it; which fields go with which type is checked here, with an
    error that names both.
    """
    kind = config["type"]
    field = required.get(kind)
    if field is not None and field not in config:
        raise InvalidDeviceAutomationConfig(f"{kind} needs {field}")
    every = set().union(*allowed.values())
    extra = (every & config.keys()) - allowed.get(kind, set())
    if extra:
        raise InvalidDeviceAutomationConfig(
            f"{kind} takes no {', '.join(sorted(extra))}"
        )


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


def is_agent(hass: HomeAssistant, device_id: str) -> bool:
    """Whether the device's user is a queue agent (the server gave an agent id)."""
    entry = device_entry(hass, device_id)
    return (
        entry is not None
        and entry.runtime_data.client.snapshot.user.agent_id is not None
    )


def agent_is(snapshot: XucSnapshot) -> str | None:
    """`ready`, `paused` or `logged_out`, as the availability select reads the agent.

    Wrap-up, a call, ringing and dialing are `ready` (the agent takes queue calls again
    by themselves afterwards); None while no state is known.
    """
    agent = snapshot.agent
    if agent is None or agent.status is None:
        return None
    if agent.status is AgentStatus.LOGGED_OUT:
        return LOGGED_OUT
    return PAUSED if agent.status is AgentStatus.PAUSED else READY


def pause_reason_options(hass: HomeAssistant, device_id: str) -> dict[str, str]:
    """Pause reason name -> label, as the device's server lists them (empty if none)."""
    entry = device_entry(hass, device_id)
    if entry is None:
        return {}
    snapshot = entry.runtime_data.client.snapshot
    return {status.name: label for label, status in reason_labels(snapshot).items()}


def checked_pause_reason(hass: HomeAssistant, device_id: str, text: str) -> str:
    """The name of the pause reason a configured text means, or a clear error.

    As for statuses, checked only once the account is loaded and lists reasons.
    """
    entry = device_entry(hass, device_id)
    if entry is None:
        return text
    snapshot = entry.runtime_data.client.snapshot
    reasons = reason_labels(snapshot)
    if not reasons:
        return text
    reason = find_pause_reason(snapshot, text)
    if reason is None:
        known = ", ".join(status.name for status in reasons.values())
        raise InvalidDeviceAutomationConfig(
            f"Unknown XiVO pause reason {text!r}; the server lists: {known}"
        )
    return reason.name
