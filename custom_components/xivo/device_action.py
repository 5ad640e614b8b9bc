"""Device actions of the account: a status (for a while), Do Not Disturb, dial, agents.

They call the integration's own actions (`xivo.set_presence`, `xivo.dial`,
`xivo.agent_pause`, `xivo.agent_ready`), so that a device action and the action it
stands for check, send and fail alike, with the same translated errors; Do Not Disturb,
which has no action of its own, is sent as its switch sends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import CONF_DEVICE_ID, CONF_TYPE
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN
from .device_account import (
    check_fields,
    checked_pause_reason,
    checked_status,
    device_entry,
    listed,
    pause_reason_options,
    status_options,
)
from .helpers import translated_errors
from .services import ATTR_CONFIG_ENTRY_ID, DURATION, NUMBER_PATTERN

if TYPE_CHECKING:
    from homeassistant.core import Context, HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import XivoConfigEntry

CONF_STATUS: Final = "status"
CONF_DURATION: Final = "duration"
CONF_DND: Final = "dnd"  # not "enabled": every script step has that key
CONF_NUMBER: Final = "number"
CONF_REASON: Final = "reason"

SET_PRESENCE: Final = "set_presence"
SET_DND: Final = "set_dnd"
DIAL: Final = "dial"
AGENT_PAUSE: Final = "agent_pause"
AGENT_READY: Final = "agent_ready"
ACCOUNT_ACTIONS: Final = (SET_PRESENCE, SET_DND, DIAL)
AGENT_ACTIONS: Final = (AGENT_PAUSE, AGENT_READY)  # for a queue agent only
ACTION_TYPES: Final = (*ACCOUNT_ACTIONS, *AGENT_ACTIONS)

# The fields each action needs, and those it may have; the UI's are the capabilities.
_REQUIRED: Final = {SET_PRESENCE: CONF_STATUS, SET_DND: CONF_DND, DIAL: CONF_NUMBER}
_ALLOWED: Final = {
    SET_PRESENCE: {CONF_STATUS, CONF_DURATION},
    SET_DND: {CONF_DND},
    DIAL: {CONF_NUMBER},
    AGENT_PAUSE: {CONF_REASON},
    AGENT_READY: set(),
}
# The integration action each type calls, and the fields it passes on.
_SERVICES: Final = {
    SET_PRESENCE: ("set_presence", (CONF_STATUS, CONF_DURATION)),
    DIAL: ("dial", (CONF_NUMBER,)),
    AGENT_PAUSE: ("agent_pause", (CONF_REASON,)),
    AGENT_READY: ("agent_ready", ()),
}

ACTION_SCHEMA = cv.DEVICE_ACTION_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(ACTION_TYPES),
        vol.Optional(CONF_STATUS): cv.string,
        vol.Optional(CONF_DURATION): DURATION,
        vol.Optional(CONF_DND): cv.boolean,
        vol.Optional(CONF_NUMBER): vol.All(
            cv.string, vol.Strip, vol.Match(NUMBER_PATTERN)
        ),
        vol.Optional(CONF_REASON): vol.All(
            cv.string, vol.Strip, vol.Length(min=1, max=100)
        ),
    }
)


async def async_validate_action_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Check the fields of each type; a status or a reason must be one the server lists."""
    config = ACTION_SCHEMA(config)
    check_fields(config, _REQUIRED, _ALLOWED)
    device_id = config[CONF_DEVICE_ID]
    if CONF_STATUS in config:
        config[CONF_STATUS] = checked_status(hass, device_id, config[CONF_STATUS])
    if CONF_REASON in config:
        config[CONF_REASON] = checked_pause_reason(hass, device_id, config[CONF_REASON])
    return config


def _entry(hass: HomeAssistant, device_id: str) -> XivoConfigEntry:
    entry = device_entry(hass, device_id)
    if entry is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_loaded",
            translation_placeholders={"target": device_id},
        )
    return entry


async def async_call_action_from_config(
    hass: HomeAssistant,
    config: ConfigType,
    variables: dict[str, Any],
    context: Context | None,
) -> None:
    """Act for the device's account."""
    entry = _entry(hass, config[CONF_DEVICE_ID])
    action_type = config[CONF_TYPE]
    if action_type == SET_DND:
        with translated_errors():
            await entry.runtime_data.client.set_dnd(config[CONF_DND])
        return
    service, fields = _SERVICES[action_type]
    data = {name: config[name] for name in fields if name in config}
    await hass.services.async_call(
        DOMAIN,
        service,
        {ATTR_CONFIG_ENTRY_ID: entry.entry_id, **data},
        blocking=True,
        context=context,
    )


async def async_get_actions(hass: HomeAssistant, device_id: str) -> list[ConfigType]:
    """The actions of the account's device (the agent ones for an agent only)."""
    return listed(hass, device_id, ACCOUNT_ACTIONS, AGENT_ACTIONS)


async def async_get_action_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """The fields of each action; a status is chosen from the server's list."""
    action_type = config[CONF_TYPE]
    if action_type == SET_PRESENCE:
        options = status_options(hass, config[CONF_DEVICE_ID])
        fields: dict[vol.Marker, Any] = {
            vol.Required(CONF_STATUS): vol.In(options) if options else cv.string,
            vol.Optional(CONF_DURATION): cv.positive_time_period_dict,
        }
    elif action_type == SET_DND:
        fields = {vol.Required(CONF_DND, default=True): cv.boolean}
    elif action_type == DIAL:
        fields = {vol.Required(CONF_NUMBER): cv.string}
    elif action_type == AGENT_PAUSE:
        reasons = pause_reason_options(hass, config[CONF_DEVICE_ID])
        fields = {vol.Optional(CONF_REASON): vol.In(reasons) if reasons else cv.string}
    else:
        return {}
    return {"extra_fields": vol.Schema(fields)}
