"""Select entities: the user's presence, and the preferred device."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.select import SelectEntity
from homeassistant.const import EntityCategory

from .const import LOGGER, PREFERRED_DEVICE
from .entity import XivoEntity
from .helpers import xivo_command
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddEntitiesCallback

    from .coordinator import XivoCoordinator
    from .data import XivoConfigEntry
    from .xuc import Status

PARALLEL_UPDATES = 1

# Option of the preferred-device select (translated) -> value on the wire.
DEVICE_VALUES = {
    "phone_device": "TypePhoneDevice",
    "default_device": "TypeDefaultDevice",
}
_DEVICE_OPTIONS = {value: option for option, value in DEVICE_VALUES.items()}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the presence and preferred-device selects."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        [XivoStatusSelect(coordinator), XivoPreferredDeviceSelect(coordinator)]
    )


class XivoStatusSelect(XivoEntity, SelectEntity):
    """The user's presence; options are the statuses the server lists."""

    _attr_translation_key = "status"

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the presence select."""
        super().__init__(coordinator, "status")

    @property
    def _labels(self) -> dict[str, Status]:
        return status_labels(self.coordinator.data.statuses)

    @property
    def options(self) -> list[str]:
        """The statuses' labels, in the server's order."""
        return list(self._labels)

    @property
    def current_option(self) -> str | None:
        """The label of the current status."""
        name = self.coordinator.data.status_name
        return next(
            (label for label, status in self._labels.items() if status.name == name),
            None,
        )

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The status's name (what automations should compare) and its colour."""
        status = self.coordinator.data.status
        return {
            "status_name": status.name if status else None,
            "color": status.color if status else None,
        }

    @xivo_command
    async def async_select_option(self, option: str) -> None:
        """Send the chosen status's name to the server."""
        await self.coordinator.client.change_status(self._labels[option].name)


class XivoPreferredDeviceSelect(XivoEntity, SelectEntity):
    """Preference `PREFERRED_DEVICE`: ring the desk phone, or the default device."""

    _attr_translation_key = "preferred_device"
    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the preferred-device select."""
        super().__init__(coordinator, "preferred_device")
        self._attr_options = list(DEVICE_VALUES)
        self._warned_value: str | None = None

    @property
    def current_option(self) -> str | None:
        """The option of the server's value; an unknown value is shown as unknown."""
        preference = self.coordinator.data.preferences.get(PREFERRED_DEVICE)
        if preference is None:
            return None
        option = _DEVICE_OPTIONS.get(preference.value)
        if option is None and preference.value != self._warned_value:
            self._warned_value = preference.value
            LOGGER.warning(
                "Unknown %s value from the server: %s",
                PREFERRED_DEVICE,
                preference.value,
            )
        return option

    @xivo_command
    async def async_select_option(self, option: str) -> None:
        """Send the preference as the server expects it (a String)."""
        await self.coordinator.client.set_preference(
            PREFERRED_DEVICE, DEVICE_VALUES[option], "String"
        )
