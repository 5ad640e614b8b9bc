"""Call-control actions: answer, hang up, hold, transfer, DTMF, conference.

None of these commands has an acknowledgement on the wire: an action returns once the
command is sent, and the call events that follow tell what happened. Desk phones may
ignore `answer`, `hold` and `conference` (README, "Call control").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .call_control import CALL_COMMANDS, CallCommand, run_call_command
from .const import DOMAIN
from .helpers import translated_errors
from .services import ENTRY_FIELDS, NUMBER_PATTERN, action_client

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine

    from .xuc import XucClient

ATTR_CALL_ID: Final = "call_id"
ATTR_DESTINATION: Final = "destination"
ATTR_ATTENDED: Final = "attended"
ATTR_DIGITS: Final = "digits"

DIGITS_PATTERN: Final = r"^[0-9*#]{1,32}$"

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
ENTRY_SCHEMA: Final = vol.Schema(ENTRY_FIELDS)


type Send = Callable[[XucClient, ServiceCall], Awaitable[None]]


def _for_the_call(command: CallCommand) -> Send:
    """Send a call command for the call the action names, or the one it applies to."""

    def send(client: XucClient, call: ServiceCall) -> Awaitable[None]:
        return run_call_command(
            command, client, client.snapshot, call.data.get(ATTR_CALL_ID)
        )

    return send


_ACTIONS: Final[tuple[tuple[str, vol.Schema, Send], ...]] = (
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
SERVICES: Final = tuple(name for name, _schema, _send in _ACTIONS)


def _handler(send: Send) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        client = action_client(call)
        with translated_errors():
            await send(client, call)

    return handle


@callback
def async_setup_call_services(hass: HomeAssistant) -> None:
    """Register the call-control actions (once, in `async_setup`)."""
    for name, schema, send in _ACTIONS:
        hass.services.async_register(DOMAIN, name, _handler(send), schema=schema)
