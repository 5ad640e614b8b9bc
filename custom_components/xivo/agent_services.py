"""Queue-agent actions: log in, log out, ready, pause (with a reason).

Each waits for the server's confirming `AgentStateEvent`, up to 5 s as the official
agent app does (the library's `AGENT_CONFIRM_TIMEOUT`); no confirmation is the
translated time-out. Logging in on a line another agent uses logs that agent out
(protocol reference §12.4): the action's description says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .agent_availability import (
    find_pause_reason,
    pause_refusal,
    ready_refusal,
    reason_labels,
    refused,
)
from .const import DOMAIN
from .services import (
    ENTRY_FIELDS,
    ENTRY_SCHEMA,
    NUMBER_PATTERN,
    CommandAction,
    async_register_commands,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .xuc import XucClient

ATTR_PHONE_NUMBER: Final = "phone_number"
ATTR_REASON: Final = "reason"

LOGIN_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Optional(ATTR_PHONE_NUMBER): vol.All(
            cv.string, vol.Strip, vol.Match(NUMBER_PATTERN)
        ),
    }
)
PAUSE_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Optional(ATTR_REASON): vol.All(
            cv.string, vol.Strip, vol.Length(min=1, max=100)
        ),
    }
)


def no_agent() -> ServiceValidationError:
    """The translated refusal for a user the server gives no agent."""
    return ServiceValidationError(translation_domain=DOMAIN, translation_key="no_agent")


async def _login(client: XucClient, call: ServiceCall) -> None:
    """Log in on the number given, else on the user's own line."""
    number = call.data.get(ATTR_PHONE_NUMBER) or client.snapshot.own_number
    if number is None:
        raise refused("no_line")
    await client.agent_login(number)


def _ready(client: XucClient, _call: ServiceCall) -> Awaitable[None]:
    """Ready; logged out, logged in first on the user's own line (there must be one)."""
    if (refusal := ready_refusal(client.snapshot)) is not None:
        raise refused(refusal)
    return client.agent_ready()


def _pause(client: XucClient, call: ServiceCall) -> Awaitable[None]:
    """Pause for the reason named (its status name is sent), or with no reason."""
    if (refusal := pause_refusal(client.snapshot)) is not None:
        raise refused(refusal)
    text: str | None = call.data.get(ATTR_REASON)
    if text is None:
        return client.agent_pause()
    snapshot = client.snapshot
    reason = find_pause_reason(snapshot, text)
    if reason is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_pause_reason",
            translation_placeholders={
                "reason": text,
                "reasons": ", ".join(reason_labels(snapshot)) or "-",
            },
        )
    return client.agent_pause(reason.name)


_ACTIONS: Final[tuple[CommandAction, ...]] = (
    ("agent_login", LOGIN_SCHEMA, _login),
    ("agent_logout", ENTRY_SCHEMA, lambda client, _call: client.agent_logout()),
    ("agent_ready", ENTRY_SCHEMA, _ready),
    ("agent_pause", PAUSE_SCHEMA, _pause),
)


def _check_agent(client: XucClient) -> None:
    """Refuse a user who is no agent, before anything else.

    A reason would be checked against nothing then; the library refuses too.
    """
    if client.snapshot.user.agent_id is None:
        raise no_agent()


@callback
def async_setup_agent_services(hass: HomeAssistant) -> None:
    """Register the agent actions (once, in `async_setup`)."""
    async_register_commands(hass, _ACTIONS, check=_check_agent)
