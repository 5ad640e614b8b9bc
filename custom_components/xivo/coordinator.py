"""The push coordinator: one per config entry, fed by the xuc client, never polling."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .calls import CallTracker
from .const import DOMAIN, LOGGER
from .xuc import XucAuthError, XucClient, XucSnapshot

_NOT_HINTS = tuple(
    field.name for field in fields(XucSnapshot) if field.name != "phone_hints"
)

if TYPE_CHECKING:
    from .xuc import XucError

type XivoConfigEntry = ConfigEntry[XivoCoordinator]


class FavoriteContext:
    """Listener context of a favorite's sensor: the number whose phone state it shows."""

    __slots__ = ("number",)

    def __init__(self, number: str) -> None:
        """Follow this number."""
        self.number = number


def changed_hint_numbers(old: XucSnapshot | None, new: XucSnapshot) -> set[str] | None:
    """The numbers whose phone hint changed, if nothing but phone hints changed."""
    if old is None or any(
        getattr(old, name) is not getattr(new, name) for name in _NOT_HINTS
    ):
        return None
    before, after = old.phone_hints, new.phone_hints
    return {number for number, _code in after.items() - before.items()} | (
        before.keys() - after.keys()
    )


class XivoCoordinator(DataUpdateCoordinator[XucSnapshot]):
    """Hands each snapshot the client pushes to the entities, in the same loop turn.

    The link's health is the coordinator's health: when the session drops every entity
    becomes unavailable (logged once by the coordinator), and when the client has
    reconnected and re-synchronised, the fresh snapshot makes them available again.
    """

    config_entry: XivoConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: XivoConfigEntry, client: XucClient
    ) -> None:
        """Attach to a started client."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=None,
        )
        self.client = client
        self._hint_numbers: set[str] | None = None
        self.calls = CallTracker(hass, entry, client)
        entry.async_on_unload(client.add_listener(self._on_snapshot))
        entry.async_on_unload(client.add_connection_listener(self._on_connection))

    async def _async_update_data(self) -> XucSnapshot:
        """Report the pushed snapshot; there is nothing to poll."""
        if not self.client.connected:
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="not_connected"
            )
        return self.client.snapshot

    @callback
    def _on_snapshot(self, snapshot: XucSnapshot) -> None:
        # Targeted only while entities are available: a return must reach them all.
        if self.last_update_success:
            self._hint_numbers = changed_hint_numbers(self.data, snapshot)
        try:
            self.async_set_updated_data(snapshot)
        finally:
            self._hint_numbers = None

    @callback
    def async_update_listeners(self) -> None:
        """Update the listeners; for a phone-hint change, only the favorites concerned.

        With a thousand favorites, a phone-hint event then costs a few listener calls
        instead of a thousand, so set-up and bursts grow linearly.
        """
        numbers = self._hint_numbers
        if numbers is None:
            super().async_update_listeners()
            return
        for update_callback, context in list(self._listeners.values()):
            if not isinstance(context, FavoriteContext) or context.number in numbers:
                update_callback()

    @callback
    def _on_connection(self, connected: bool, error: XucError | None) -> None:
        if connected:
            # The client hands over the resynchronised snapshot right after this.
            LOGGER.info("The session with %s is back", self.client.server)
            return
        self.async_set_update_error(
            UpdateFailed(translation_domain=DOMAIN, translation_key="not_connected")
        )
        if isinstance(error, XucAuthError):
            # The client stops retrying; the user is asked for the new password once.
            self.config_entry.async_start_reauth(self.hass)
