"""The XiVO integration: presence, preferences and favorites of a xuc user, live."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import (
    CONF_PASSWORD,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    EVENT_HOMEASSISTANT_STOP,
    Platform,
)
from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .agent_services import async_setup_agent_services
from .call_services import async_setup_call_services
from .calls import CallTracker
from .const import CONF_PHONE_NUMBER, DOMAIN
from .coordinator import XivoCoordinator
from .data import XivoConfigEntry, XivoData
from .device_trigger import DeviceEvents
from .intent import async_remove_intents, async_setup_intents
from .issues import clear_failures, record_failure
from .missed_calls import MissedCalls
from .presence_timer import PresenceTimer, async_remove_timer
from .services import async_setup_services
from .xuc import XucAuthError, XucClient, XucError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant
    from homeassistant.helpers.typing import ConfigType

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TEXT,
    Platform.TODO,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whatever the number of entries."""
    async_setup_services(hass)
    async_setup_call_services(hass)
    async_setup_agent_services(hass)
    return True


def create_client(hass: HomeAssistant, values: Mapping[str, Any]) -> XucClient:
    """A client for the account described by config-entry data."""
    verify_ssl = bool(values.get(CONF_VERIFY_SSL, True))
    return XucClient(
        async_get_clientsession(hass, verify_ssl=verify_ssl),
        str(values[CONF_URL]),
        str(values[CONF_USERNAME]),
        str(values[CONF_PASSWORD]),
        verify_ssl=verify_ssl,
        phone_number=str(values.get(CONF_PHONE_NUMBER) or "") or None,
    )


async def async_setup_entry(hass: HomeAssistant, entry: XivoConfigEntry) -> bool:
    """Log in, open the session, then set up the entities."""
    client = create_client(hass, entry.data)
    try:
        await client.start()
    except XucAuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except XucError as err:
        record_failure(hass, entry, err)
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="cannot_connect"
        ) from err
    clear_failures(hass, entry)
    entry.async_on_unload(client.stop)
    entry.async_on_unload(_stop_with_home_assistant(hass, client))

    coordinator = XivoCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    calls = CallTracker(hass, entry, client)
    DeviceEvents(hass, entry, client, calls)  # the device triggers' bus events
    missed = MissedCalls(hass, entry, client, calls)
    await missed.async_load()
    presence = PresenceTimer(hass, entry, client)
    await presence.async_load()
    entry.runtime_data = XivoData(
        client=client,
        coordinator=coordinator,
        calls=calls,
        missed=missed,
        presence=presence,
    )
    # The history may hold calls missed while Home Assistant was off.
    entry.async_create_background_task(
        hass, missed.async_refresh(), "xivo call history at start"
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_setup_intents(hass)
    return True


def _stop_with_home_assistant(hass: HomeAssistant, client: XucClient) -> CALLBACK_TYPE:
    """Stop the client when Home Assistant stops; return the undo for unload."""
    pending: list[CALLBACK_TYPE] = []

    async def stop_client(_event: Event) -> None:
        pending.clear()  # the listener is gone once fired: nothing left to remove
        await client.stop()

    pending.append(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, stop_client))

    @callback
    def remove_listener() -> None:
        while pending:
            pending.pop()()

    return remove_listener


async def async_unload_entry(hass: HomeAssistant, entry: XivoConfigEntry) -> bool:
    """Unload the entities; the session is stopped by the unload callbacks."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    others = [
        other
        for other in hass.config_entries.async_loaded_entries(DOMAIN)
        if other.entry_id != entry.entry_id
    ]
    if unloaded and not others:
        # Voice intents speak for a loaded account; with none left, they go too.
        async_remove_intents(hass)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: XivoConfigEntry) -> None:
    """A removed account leaves no repair issue nor timed status behind."""
    clear_failures(hass, entry)
    await async_remove_timer(hass, entry.entry_id)
