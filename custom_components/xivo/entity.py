"""The base entity: one device per account, and state written only when it changed."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER
from .coordinator import XivoCoordinator


class XivoEntity(CoordinatorEntity[XivoCoordinator]):
    """An entity of the xuc user's device.

    Every push reaches every entity in the same loop turn, but an entity writes its
    state only when what it shows changed, so a burst of phone-hint events costs one
    state write per entity that actually changed, not one per entity per event.
    """

    _attr_has_entity_name = True
    _last_written: tuple[bool, Any] | None = None

    def __init__(
        self, coordinator: XivoCoordinator, key: str, context: object | None = None
    ) -> None:
        """Name the entity by its key within the account."""
        super().__init__(coordinator, context)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.unique_id}_{key}"
        user = coordinator.data.user
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=user.full_name or coordinator.client.username,
            manufacturer=MANUFACTURER,
            model="xuc user",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=coordinator.client.server,
        )

    def _fingerprint(self) -> tuple[bool, Any]:
        """What the entity shows: equal fingerprints mean there is nothing to write."""
        if not self.available:
            return (False, None)
        return (
            True,
            (self.state, self.extra_state_attributes, self.capability_attributes),
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        current = self._fingerprint()
        if current == self._last_written:
            return
        self._last_written = current
        self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Remember what the first write showed."""
        await super().async_added_to_hass()
        self._last_written = self._fingerprint()


class XivoDescribedEntity[D: EntityDescription](XivoEntity):
    """An entity made from a description, which also gives its key."""

    entity_description: D

    def __init__(self, coordinator: XivoCoordinator, description: D) -> None:
        """Create the entity of this description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description
