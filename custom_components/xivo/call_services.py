"""Call actions: answer, hang up, hold, transfer, DTMF, conference, and the history.

None of these commands has an acknowledgement on the wire: an action returns once the
command is sent, and the call events that follow tell what happened. Desk phones may
ignore `answer`, `hold` and `conference` (README, "Call control").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .call_control import CALL_COMMANDS, CallCommand, run_call_command
from .const import DOMAIN
from .helpers import translated_errors
from .services import (
    ENTRY_FIELDS,
    ENTRY_SCHEMA,
    NUMBER_PATTERN,
    CommandAction,
    Send,
    action_client,
    async_register_commands,
)
from .xuc.call_control import DTMF_PATTERN
from .xuc.history import MAX_HISTORY_DAYS, MAX_HISTORY_SIZE

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .xuc import XucClient
    from .xuc.history import HistoryEntry

ATTR_CALL_ID: Final = "call_id"
ATTR_DESTINATION: Final = "destination"
ATTR_ATTENDED: Final = "attended"
ATTR_DIGITS: Final = "digits"
ATTR_SIZE: Final = "size"
ATTR_DAYS: Final = "days"
SERVICE_GET_CALL_HISTORY: Final = "get_call_history"

# The library's grammar of keypad keys, anchored for the whole value.
DIGITS_PATTERN: Final = rf"^(?:{DTMF_PATTERN})$"

CALL_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Optional(ATTR_CALL_ID): vol.All(
            cv.string, vol.Strip, vol.Length(min=1, max=64)
        ),
    }
)
TRANSFER_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Required(ATTR_DESTINATION): vol.All(
            cv.string, vol.Strip, vol.Match(NUMBER_PATTERN)
        ),
        vol.Optional(ATTR_ATTENDED, default=False): cv.boolean,
    }
)
DTMF_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Required(ATTR_DIGITS): vol.All(
            cv.string, vol.Strip, vol.Match(DIGITS_PATTERN)
        ),
    }
)
DEFAULT_HISTORY_DAYS: Final = 10


def _ten_days_by_default(data: dict[str, Any]) -> dict[str, Any]:
    """Neither a size nor days: the last ten days, as xuc gives for a null size."""
    if ATTR_SIZE in data or ATTR_DAYS in data:
        return data
    return {**data, ATTR_DAYS: DEFAULT_HISTORY_DAYS}


# The last `size` calls, or the last `days` days.
HISTORY_SCHEMA: Final = vol.All(
    vol.Schema(
        {
            **ENTRY_FIELDS,
            vol.Exclusive(ATTR_SIZE, "range"): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=MAX_HISTORY_SIZE)
            ),
            vol.Exclusive(ATTR_DAYS, "range"): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=MAX_HISTORY_DAYS)
            ),
        }
    ),
    lambda data: (
        data if ATTR_SIZE in data or ATTR_DAYS in data else {**data, ATTR_DAYS: 10}
    ),
)


def _for_the_call(command: CallCommand) -> Send:
    """Send a call command for the call the action names, or the one it applies to."""

    def send(client: XucClient, call: ServiceCall) -> Awaitable[None]:
        return run_call_command(
            command, client, client.snapshot, call.data.get(ATTR_CALL_ID)
        )

    return send


_ACTIONS: Final[tuple[CommandAction, ...]] = (
    *((command.key, CALL_SCHEMA, _for_the_call(command)) for command in CALL_COMMANDS),
    (
        "transfer",
        TRANSFER_SCHEMA,
        lambda client, call: client.transfer(
            call.data[ATTR_DESTINATION], attended=call.data[ATTR_ATTENDED]
        ),
    ),
    ("complete_transfer", ENTRY_SCHEMA, lambda client, _: client.complete_transfer()),
    ("cancel_transfer", ENTRY_SCHEMA, lambda client, _: client.cancel_transfer()),
    ("conference", ENTRY_SCHEMA, lambda client, _: client.conference()),
    (
        "send_dtmf",
        DTMF_SCHEMA,
        lambda client, call: client.send_dtmf(call.data[ATTR_DIGITS]),
    ),
)


def history_data(entry: HistoryEntry) -> dict[str, Any]:
    """One history entry as action response data (the other party's number and name)."""
    return {
        "start": entry.start.isoformat(),
        "duration_s": entry.duration_s,
        "status": entry.status,
        "direction": entry.direction,
        "number": entry.number,
        "name": entry.name,
    }


async def _get_call_history(call: ServiceCall) -> ServiceResponse:
    client = action_client(call)
    with translated_errors():
        entries = await client.call_history(
            size=call.data.get(ATTR_SIZE), days=call.data.get(ATTR_DAYS)
        )
    return {"calls": [history_data(entry) for entry in entries]}


@callback
def async_setup_call_services(hass: HomeAssistant) -> None:
    """Register the call-control actions (once, in `async_setup`)."""
    async_register_commands(hass, _ACTIONS)
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_CALL_HISTORY,
        _get_call_history,
        schema=HISTORY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
