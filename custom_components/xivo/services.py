"""Actions: directory look-ups (with response data), favorites, dial, timed presence."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN
from .helpers import translated_errors
from .presence_timer import MAX_DURATION, named_status
from .xuc.matching import DIALABLE_PATTERN, status_labels

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Iterable

    from .data import XivoConfigEntry
    from .xuc import Contact, Status, XucClient, XucSnapshot

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_TERM: Final = "term"
ATTR_CONTACT_ID: Final = "contact_id"
ATTR_SOURCE: Final = "source"
ATTR_USERNAME: Final = "username"
ATTR_NUMBER: Final = "number"
ATTR_STATUS: Final = "status"
ATTR_DURATION: Final = "duration"

SERVICE_DIRECTORY_LOOKUP: Final = "directory_lookup"
SERVICE_DISPLAY_NAME_LOOKUP: Final = "display_name_lookup"
SERVICE_ADD_FAVORITE: Final = "add_favorite"
SERVICE_REMOVE_FAVORITE: Final = "remove_favorite"
SERVICE_DIAL: Final = "dial"
SERVICE_RESET_MISSED_CALLS: Final = "reset_missed_calls"
SERVICE_SET_PRESENCE: Final = "set_presence"

# The library's one grammar of dialable numbers, anchored for the whole value.
NUMBER_PATTERN: Final = rf"^(?:{DIALABLE_PATTERN})$"


def _text(maximum: int) -> vol.All:
    """A non-blank string of at most `maximum` characters, trimmed."""
    return vol.All(cv.string, vol.Strip, vol.Length(min=1, max=maximum))


# Every action names the account it acts for.
ENTRY_FIELDS: dict[vol.Marker, Any] = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}
DIRECTORY_LOOKUP_SCHEMA = vol.Schema(
    {**ENTRY_FIELDS, vol.Required(ATTR_TERM): _text(100)}
)
DISPLAY_NAME_LOOKUP_SCHEMA = vol.Schema(
    {**ENTRY_FIELDS, vol.Required(ATTR_USERNAME): _text(100)}
)
FAVORITE_SCHEMA = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Required(ATTR_CONTACT_ID): _text(200),
        vol.Required(ATTR_SOURCE): _text(200),
    }
)
# Actions that take nothing but the account.
ENTRY_SCHEMA: Final = vol.Schema(ENTRY_FIELDS)
DIAL_SCHEMA = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Required(ATTR_NUMBER): vol.All(
            cv.string, vol.Strip, vol.Match(NUMBER_PATTERN)
        ),
    }
)


def timer_duration(value: timedelta) -> timedelta:
    """A timed status's duration: more than nothing, at most a day.

    A day is the longest status people plan ("off until tomorrow"); longer than that
    is a status to take by hand, not a timer to forget about.
    """
    if not timedelta(0) < value <= MAX_DURATION:
        raise vol.Invalid("the duration must be more than 0 and at most 24 hours")
    return value


DURATION: Final = vol.All(cv.time_period, timer_duration)
# `config_entry_id` first: the voice intent and the device action call it as well.
SET_PRESENCE_SCHEMA = vol.Schema(
    {
        **ENTRY_FIELDS,
        vol.Required(ATTR_STATUS): _text(100),
        vol.Optional(ATTR_DURATION): DURATION,
    }
)


def status_for(statuses: Iterable[Status], text: str) -> Status:
    """The status a name or label means (`named_status`), or a translated refusal."""
    statuses = tuple(statuses)
    status = named_status(statuses, text)
    if status is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_status",
            translation_placeholders={
                "status": text,
                "statuses": ", ".join(status_labels(statuses)),
            },
        )
    return status


def loaded_entry(hass: HomeAssistant, entry_id: str) -> XivoConfigEntry:
    """The loaded XiVO entry an action names, or a translated validation error."""
    entry: XivoConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="integration_not_found",
            translation_placeholders={"target": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_loaded",
            translation_placeholders={"target": entry.title},
        )
    return entry


def contact_data(contact: Contact, snapshot: XucSnapshot) -> dict[str, Any]:
    """A directory row as action response data."""
    state = snapshot.contact_phone_state(contact)
    return {
        "name": contact.name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "number": contact.number,
        "mobile": contact.mobile,
        "favorite": contact.favorite
        or (contact.key is not None and contact.key in snapshot.favorites),
        "status": state.value if state else None,
        "contact_id": contact.contact_id,
        "source": contact.source,
        "fields": dict(contact.fields),
    }


def action_client(call: ServiceCall) -> XucClient:
    """The client of the loaded entry an action names."""
    return loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID]).runtime_data.client


async def _directory_lookup(call: ServiceCall) -> ServiceResponse:
    client = action_client(call)
    with translated_errors():
        result = await client.directory_lookup(call.data[ATTR_TERM])
    snapshot = client.snapshot
    return {
        "contacts": [contact_data(contact, snapshot) for contact in result.contacts]
    }


async def _display_name_lookup(call: ServiceCall) -> ServiceResponse:
    username = call.data[ATTR_USERNAME]
    client = action_client(call)
    with translated_errors():
        name = await client.display_name_lookup(username)
    return {"username": username, "display_name": name}


type Send = Callable[[XucClient, ServiceCall], Awaitable[None]]
"""What a command action sends with the account's client, from the action's data."""
type CommandAction = tuple[str, vol.Schema, Send]


def _command_handler(
    send: Send, check: Callable[[XucClient], None] | None
) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        client = action_client(call)
        if check is not None:
            check(client)
        with translated_errors():
            await send(client, call)

    return handle


@callback
def async_register_commands(
    hass: HomeAssistant,
    actions: Iterable[CommandAction],
    *,
    check: Callable[[XucClient], None] | None = None,
) -> None:
    """Register actions that each send a command, client errors said translated.

    `check(client)` runs first and may refuse (a user who is no agent, say), before
    any argument is checked against the server's state.
    """
    for name, schema, send in actions:
        hass.services.async_register(
            DOMAIN, name, _command_handler(send, check), schema=schema
        )


_COMMANDS: Final[tuple[CommandAction, ...]] = (
    (
        SERVICE_ADD_FAVORITE,
        FAVORITE_SCHEMA,
        lambda client, call: client.add_favorite(
            call.data[ATTR_CONTACT_ID], call.data[ATTR_SOURCE]
        ),
    ),
    (
        SERVICE_REMOVE_FAVORITE,
        FAVORITE_SCHEMA,
        lambda client, call: client.remove_favorite(
            call.data[ATTR_CONTACT_ID], call.data[ATTR_SOURCE]
        ),
    ),
    (
        SERVICE_DIAL,
        DIAL_SCHEMA,
        lambda client, call: client.dial(call.data[ATTR_NUMBER]),
    ),
)


async def _reset_missed_calls(call: ServiceCall) -> None:
    data = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID]).runtime_data
    data.missed.mark_all_done()


async def _set_presence(call: ServiceCall) -> None:
    """Take a status, for a while if a duration is given (see `presence_timer`)."""
    data = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID]).runtime_data
    status = status_for(data.client.snapshot.statuses, call.data[ATTR_STATUS])
    with translated_errors():
        await data.presence.async_set(status.name, call.data.get(ATTR_DURATION))


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, in `async_setup`)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_DIRECTORY_LOOKUP,
        _directory_lookup,
        schema=DIRECTORY_LOOKUP_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_DISPLAY_NAME_LOOKUP,
        _display_name_lookup,
        schema=DISPLAY_NAME_LOOKUP_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    async_register_commands(hass, _COMMANDS)
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESET_MISSED_CALLS,
        _reset_missed_calls,
        schema=ENTRY_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SET_PRESENCE, _set_presence, schema=SET_PRESENCE_SCHEMA
    )
