"""Event entity: what happens to calls on the user's own line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback

from .entity import XivoEntity
from .xuc import CallEvent, CallEventType

if TYPE_CHECKING:
    from homeassistant.helpers.entity_platform import AddEntitiesCallback

    from .coordinator import XivoConfigEntry, XivoCoordinator

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the call event entity."""
    async_add_entities([XivoCallEvent(entry.runtime_data)])


class XivoCallEvent(XivoEntity, EventEntity):
    """Fires incoming, outgoing, answered, ended, missed and on_hold.

    Each event carries the call's id (two calls at once are told apart), the other
    party's number and, when known, their name.
    """

    _attr_translation_key = "call"

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the call event entity."""
        super().__init__(coordinator, "call")
        self._attr_event_types = [kind.value for kind in CallEventType]

    async def async_added_to_hass(self) -> None:
        """Listen to the calls for as long as the entity exists."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.calls.add_listener(self._on_call))

    @callback
    def _on_call(self, event: CallEvent, name: str | None) -> None:
        call = event.call
        self._trigger_event(
            event.type.value,
            {
                "call_id": call.unique_id,
                "number": call.other_number,
                "name": name,
                "direction": (call.direction or "").lower() or None,
            },
        )
        self.async_write_ha_state()
