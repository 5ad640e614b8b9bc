"""Device actions of the account: take a status (for a while), Do Not Disturb, dial.

They act as the matching actions and entities do (the status goes through the
presence timer, so a timed one comes back at the end), with the same translated errors
when the server cannot be reached or refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_TYPE
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN
from .device_account import checked_status, device_entry, status_options
from .helpers import translated_errors
from .services import DURATION, NUMBER_PATTERN, status_for

if TYPE_CHECKING:
    from homeassistant.core import Context, HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .data import XivoData

CONF_STATUS: Final = "status"
CONF_DURATION: Final = "duration"
CONF_DND: Final = "dnd"  # not "enabled": every script step has that key
CONF_NUMBER: Final = "number"

SET_PRESENCE: Final = "set_presence"
SET_DND: Final = "set_dnd"
DIAL: Final = "dial"
ACCOUNT_ACTIONS: Final = (SET_PRESENCE, SET_DND, DIAL)
ACTION_TYPES: Final = ACCOUNT_ACTIONS

# The fields each action needs (validated); the UI's are in the capabilities.
_REQUIRED: Final = {SET_PRESENCE: CONF_STATUS, SET_DND: CONF_DND, DIAL: CONF_NUMBER}

ACTION_SCHEMA = cv.DEVICE_ACTION_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(ACTION_TYPES),
        vol.Optional(CONF_STATUS): cv.string,
        vol.Optional(CONF_DURATION): DURATION,
        vol.Optional(CONF_DND): cv.boolean,
        vol.Optional(CONF_NUMBER): vol.All(
            cv.string, vol.Strip, vol.Match(NUMBER_PATTERN)
        ),
    }
)


async def async_validate_action_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Check the fields each type needs; a status must be one the server lists."""
    config = ACTION_SCHEMA(config)
    action_type = config[CONF_TYPE]
    required = _REQUIRED.get(action_type)
    if required is not None and required not in config:
        raise InvalidDeviceAutomationConfig(f"{action_type} needs {required}")
    if CONF_DURATION in config and action_type != SET_PRESENCE:
        raise InvalidDeviceAutomationConfig(f"a duration is only for {SET_PRESENCE}")
    if action_type == SET_PRESENCE:
        config[CONF_STATUS] = checked_status(
            hass, config[CONF_DEVICE_ID], config[CONF_STATUS]
        )
    return config


def _data(hass: HomeAssistant, device_id: str) -> XivoData:
    entry = device_entry(hass, device_id)
    if entry is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_loaded",
            translation_placeholders={"target": device_id},
        )
    return entry.runtime_data


async def async_call_action_from_config(
    hass: HomeAssistant,
    config: ConfigType,
    variables: dict[str, Any],
    context: Context | None,
) -> None:
    """Act for the device's account."""
    data = _data(hass, config[CONF_DEVICE_ID])
    client = data.client
    action_type = config[CONF_TYPE]
    if action_type == SET_PRESENCE:
        # The list may have changed since the automation was checked.
        status = status_for(client.snapshot.statuses, config[CONF_STATUS])
        with translated_errors():
            await data.presence.async_set(status.name, config.get(CONF_DURATION))
        return
    with translated_errors():
        if action_type == SET_DND:
            await client.set_dnd(config[CONF_DND])
        else:
            await client.dial(config[CONF_NUMBER])


async def async_get_actions(hass: HomeAssistant, device_id: str) -> list[ConfigType]:
    """The actions of the account's device."""
    return [
        {CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id, CONF_TYPE: action_type}
        for action_type in ACCOUNT_ACTIONS
    ]


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
    else:
        return {}
    return {"extra_fields": vol.Schema(fields)}
