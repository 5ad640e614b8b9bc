"""Device conditions of the account: on a call, ringing, a presence, an agent's state.

Each is read from the account's latest snapshot when the condition is checked, so it
says what the server says now. An account that is not loaded, or whose link is down,
holds no condition: nothing is known of its state then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.const import CONF_DEVICE_ID, CONF_TYPE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .agent_availability import LOGGED_OUT, PAUSED, READY
from .device_account import (
    agent_is,
    check_fields,
    checked_status,
    device_entry,
    listed,
    status_options,
)
from .xuc.call_state import current_call, ringing_call

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.helpers.condition import ConditionCheckerType
    from homeassistant.helpers.typing import ConfigType, TemplateVarsType

    from .xuc import XucSnapshot

CONF_STATUS: Final = "status"
CONF_STATE: Final = "state"

IS_ON_CALL: Final = "is_on_call"
IS_RINGING: Final = "is_ringing"
PRESENCE_IS: Final = "presence_is"
AGENT_IS: Final = "agent_is"  # for a queue agent only
ACCOUNT_CONDITIONS: Final = (IS_ON_CALL, IS_RINGING, PRESENCE_IS)
CONDITION_TYPES: Final = (*ACCOUNT_CONDITIONS, AGENT_IS)
AGENT_STATES: Final = (READY, PAUSED, LOGGED_OUT)
# The field each type needs (and the only one it takes).
_REQUIRED: Final = {PRESENCE_IS: CONF_STATUS, AGENT_IS: CONF_STATE}
_ALLOWED: Final = {kind: {field} for kind, field in _REQUIRED.items()}

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(CONDITION_TYPES),
        vol.Optional(CONF_STATUS): cv.string,
        vol.Optional(CONF_STATE): vol.In(AGENT_STATES),
    }
)


def _test_for(config: ConfigType) -> Callable[[XucSnapshot], bool]:
    """What a condition of this configuration reads in a snapshot."""
    condition_type = config[CONF_TYPE]
    if condition_type == IS_ON_CALL:
        return lambda snapshot: current_call(snapshot.calls) is not None
    if condition_type == IS_RINGING:
        return lambda snapshot: ringing_call(snapshot.calls) is not None
    if condition_type == AGENT_IS:
        state = config[CONF_STATE]
        return lambda snapshot: agent_is(snapshot) == state
    status = config[CONF_STATUS]
    return lambda snapshot: snapshot.status_name == status


async def async_validate_condition_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Check the type and its field; a presence must be a status the server lists."""
    config = CONDITION_SCHEMA(config)
    check_fields(config, _REQUIRED, _ALLOWED)
    if config[CONF_TYPE] == PRESENCE_IS:
        config[CONF_STATUS] = checked_status(
            hass, config[CONF_DEVICE_ID], config[CONF_STATUS]
        )
    return config


@callback
def async_condition_from_config(
    hass: HomeAssistant, config: ConfigType
) -> ConditionCheckerType:
    """A checker that reads the account's snapshot at each check."""
    device_id = config[CONF_DEVICE_ID]
    test = _test_for(config)

    def check(hass: HomeAssistant, variables: TemplateVarsType = None) -> bool:
        entry = device_entry(hass, device_id)
        if entry is None:
            return False
        client = entry.runtime_data.client
        return client.connected and test(client.snapshot)

    return check


async def async_get_conditions(hass: HomeAssistant, device_id: str) -> list[ConfigType]:
    """The conditions of the account's device (`agent_is` for an agent only)."""
    return listed(hass, device_id, ACCOUNT_CONDITIONS, (AGENT_IS,), condition="device")


async def async_get_condition_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """`presence_is` offers the server's statuses, `agent_is` the agent's states."""
    if config[CONF_TYPE] == AGENT_IS:
        return {
            "extra_fields": vol.Schema({vol.Required(CONF_STATE): vol.In(AGENT_STATES)})
        }
    if config[CONF_TYPE] != PRESENCE_IS:
        return {}
    options = status_options(hass, config[CONF_DEVICE_ID])
    return {
        "extra_fields": vol.Schema(
            {vol.Required(CONF_STATUS): vol.In(options) if options else cv.string}
        )
    }
