"""The base entities: one device per account, named after the user."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER
from .coordinator import XivoCoordinator

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import XivoConfigEntry

type PlatformSetup = Callable[
    ["HomeAssistant", "XivoConfigEntry", "AddConfigEntryEntitiesCallback"],
    Coroutine[Any, Any, None],
]


def account_device_info(coordinator: XivoCoordinator) -> DeviceInfo:
    """The account's device: a service, named after the user (the login until known)."""
    entry = coordinator.config_entry
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id))},
        name=coordinator.data.user.full_name or coordinator.client.username,
        manufacturer=MANUFACTURER,
        model="xuc user",
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=coordinator.client.server,
    )


def account_unique_id(coordinator: XivoCoordinator, key: str) -> str:
    """The unique id of an account's entity: the entry's unique id and the entity's key."""
    entry = coordinator.config_entry
    return f"{entry.unique_id}_{key}"


class XivoEntity(CoordinatorEntity[XivoCoordinator]):
    """An entity of the account that follows every snapshot the client pushes."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: XivoCoordinator, key: str) -> None:
        """Name the entity by its key within the account."""
        super().__init__(coordinator)
        self._attr_unique_id = account_unique_id(coordinator, key)
        self._attr_device_info = account_device_info(coordinator)


class XivoDescribedEntity[D: EntityDescription](XivoEntity):
    """An entity made from a description, which also gives its key."""

    entity_description: D

    def __init__(self, coordinator: XivoCoordinator, description: D) -> None:
        """Create the entity of this description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description


def described_platform_setup[D: EntityDescription](
    entity_class: Callable[[XivoCoordinator, D], XivoDescribedEntity[D]],
    descriptions: Iterable[D],
) -> PlatformSetup:
    """A platform's `async_setup_entry` that adds one entity per description."""

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: XivoConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        coordinator = entry.runtime_data.coordinator
        async_add_entities(
            entity_class(coordinator, description) for description in descriptions
        )

    return async_setup_entry
