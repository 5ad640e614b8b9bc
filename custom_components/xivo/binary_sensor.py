"""Binary sensor: is the link to the xuc server up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.const import EntityCategory

from .entity import XivoEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddEntitiesCallback

    from .coordinator import XivoConfigEntry, XivoCoordinator

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the connection sensor."""
    async_add_entities([XivoConnectionSensor(entry.runtime_data)])


class XivoConnectionSensor(XivoEntity, BinarySensorEntity):
    """The one entity that stays available when the link is down: it says so."""

    _attr_translation_key = "connection"
    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the connection sensor."""
        super().__init__(coordinator, "connection")

    @property
    def available(self) -> bool:
        """Always available: its state is the link's state."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the session with the server is up."""
        return self.coordinator.client.connected
