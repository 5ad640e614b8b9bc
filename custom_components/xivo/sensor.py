"""Sensors: one per favorite contact (live phone state), own line, voicemail."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .coordinator import FavoriteContext
from .entity import XivoDescribedEntity, XivoEntity
from .xuc import PhoneState, XucSnapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.helpers.entity_platform import AddEntitiesCallback

    from .coordinator import XivoConfigEntry, XivoCoordinator

PARALLEL_UPDATES = 0

PHONE_STATES = [state.value for state in PhoneState]


@dataclass(frozen=True, kw_only=True)
class XivoSensorDescription(SensorEntityDescription):
    """How a sensor reads its value from the snapshot."""

    value_fn: Callable[[XucSnapshot], str | int | None]


SENSORS: tuple[XivoSensorDescription, ...] = (
    XivoSensorDescription(
        key="phone_state",
        translation_key="phone_state",
        device_class=SensorDeviceClass.ENUM,
        options=PHONE_STATES,
        value_fn=lambda snapshot: snapshot.own_phone_state,
    ),
    XivoSensorDescription(
        key="voicemail_new",
        translation_key="voicemail_new",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: (
            snapshot.voicemail.new if snapshot.voicemail else None
        ),
    ),
    XivoSensorDescription(
        key="voicemail_old",
        translation_key="voicemail_old",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: (
            snapshot.voicemail.old if snapshot.voicemail else None
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's sensors, and keep one sensor per favorite as the list changes."""
    coordinator = entry.runtime_data
    async_add_entities(
        [
            *(XivoSensor(coordinator, description) for description in SENSORS),
            XivoMissedCallsSensor(coordinator),
        ]
    )

    registry = er.async_get(hass)
    known: dict[str, XivoFavoriteSensor] = {}
    seen: list[object] = [None]

    @callback
    def sync_favorites() -> None:
        favorites = coordinator.data.favorites
        if favorites is seen[0] or not coordinator.last_update_success:
            return
        seen[0] = favorites
        for key in [key for key in known if key not in favorites]:
            entity = known.pop(key)
            if entity.entity_id and registry.async_get(entity.entity_id):
                registry.async_remove(entity.entity_id)
        new = [
            XivoFavoriteSensor(coordinator, key)
            for key in favorites
            if key not in known
        ]
        known.update((entity.favorite_key, entity) for entity in new)
        if new:
            async_add_entities(new)

    sync_favorites()
    entry.async_on_unload(coordinator.async_add_listener(sync_favorites))


class XivoSensor(XivoDescribedEntity[XivoSensorDescription], SensorEntity):
    """A sensor of the account."""

    entity_description: XivoSensorDescription

    @property
    def native_value(self) -> str | int | None:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.coordinator.data)


class XivoFavoriteSensor(XivoEntity, SensorEntity):
    """A favorite contact, named after them; state is their phone's live state."""

    _attr_translation_key = "favorite"
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = PHONE_STATES

    def __init__(self, coordinator: XivoCoordinator, key: str) -> None:
        """Create the sensor of the favorite with this `source/contact_id` key."""
        contact = coordinator.data.favorites[key]
        self._hint_context = FavoriteContext(contact.number)
        super().__init__(coordinator, f"favorite_{key}", self._hint_context)
        self.favorite_key = key
        self._attr_name = contact.name or contact.number

    @callback
    def _handle_coordinator_update(self) -> None:
        contact = self.coordinator.data.favorites.get(self.favorite_key)
        if contact is not None:
            self._hint_context.number = (
                contact.number
            )  # the contact's number may change
        super()._handle_coordinator_update()

    @property
    def available(self) -> bool:
        """Available while the link is up and the contact is still a favorite."""
        return (
            super().available and self.favorite_key in self.coordinator.data.favorites
        )

    @property
    def native_value(self) -> str | None:
        """The contact's phone state (None for a code without a name)."""
        data = self.coordinator.data
        contact = data.favorites.get(self.favorite_key)
        return data.contact_phone_state(contact) if contact else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Number, mobile, and the ids the favorite actions take."""
        contact = self.coordinator.data.favorites.get(self.favorite_key)
        if contact is None:
            return {}
        return {
            "number": contact.number,
            "mobile": contact.mobile,
            "contact_id": contact.contact_id,
            "source": contact.source,
        }


class XivoMissedCallsSensor(XivoEntity, RestoreSensor):
    """Calls that rang and ended unanswered since the last reset; survives restarts."""

    _attr_translation_key = "missed_calls"
    _attr_state_class = SensorStateClass.TOTAL

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the missed-calls counter."""
        super().__init__(coordinator, "missed_calls")

    async def async_added_to_hass(self) -> None:
        """Restore the count saved before the restart, then follow the calls."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and isinstance(last.native_value, (int, float, str)):
            with contextlib.suppress(ValueError):
                self.coordinator.calls.restore_missed_calls(
                    int(float(last.native_value))
                )
        self.async_on_remove(
            self.coordinator.calls.add_count_listener(self._handle_coordinator_update)
        )
        self._handle_coordinator_update()

    @property
    def native_value(self) -> int:
        """The number of missed calls."""
        return self.coordinator.calls.missed_calls
