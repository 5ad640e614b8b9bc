"""Event entity: what happens to calls on the user's own line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback

from .entity import XivoEntity
from .xuc import CallEvent, CallEventType

if TYPE_CHECKING:
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .calls import CallTracker
    from .coordinator import XivoCoordinator
    from .data import XivoConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the call event entity."""
    data = entry.runtime_data
    async_add_entities([XivoCallEvent(data.coordinator, data.calls)])


class XivoCallEvent(XivoEntity, EventEntity):
    """Fires incoming, outgoing, answered, ended, missed and on_hold.

    Each event carries the call's id (two calls at once are told apart), the other
    party's number and, when known, their name; for a call through a queue, the queue
    and the data attached to the call (`USR_*`), so a notification can say where a
    caller comes from.
    """

    entity_description = EventEntityDescription(
        key="call",
        translation_key="call",
        event_types=[kind.value for kind in CallEventType],
    )

    def __init__(self, coordinator: XivoCoordinator, calls: CallTracker) -> None:
        """Create the call event entity."""
        super().__init__(coordinator, self.entity_description.key)
        self._calls = calls

    async def async_added_to_hass(self) -> None:
        """Listen to the calls for as long as the entity exists."""
        await super().async_added_to_hass()
        self.async_on_remove(self._calls.add_listener(self._on_call))

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
                "queue": call.queue_name,
                "user_data": dict(call.user_data),
            },
        )
        self.async_write_ha_state()
