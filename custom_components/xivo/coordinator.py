"""The push coordinator: one per config entry, fed by the xuc client, never polling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .calls import CallTracker
from .const import DOMAIN, LOGGER
from .xuc import XucAuthError, XucClient, XucSnapshot

if TYPE_CHECKING:
    from .xuc import XucError

type XivoConfigEntry = ConfigEntry[XivoCoordinator]


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
        self.async_set_updated_data(snapshot)

    @callback
    def _on_connection(self, connected: bool, error: XucError | None) -> None:
        if connected:
            LOGGER.info("The session with %s is back", self.client.server)
            self.async_set_updated_data(self.client.snapshot)
            return
        self.async_set_update_error(
            UpdateFailed(translation_domain=DOMAIN, translation_key="not_connected")
        )
        if isinstance(error, XucAuthError):
            # The client stops retrying; the user is asked for the new password once.
            self.config_entry.async_start_reauth(self.hass)
