"""Sensors: one per favorite contact (live phone state), own line, voicemail, agent."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_platform, entity_registry as er

from .agent_entities import XivoAgentStateSensor, follow_agent
from .const import DOMAIN, LOGGER
from .entity import (
    XivoDescribedEntity,
    XivoEntity,
    account_device_info,
    account_unique_id,
)
from .helpers import xivo_command
from .queue_devices import QueueDevices, QueueEntities
from .queue_entities import QUEUE_SENSORS, XivoQueueSensor
from .xuc import PhoneState, XucSnapshot

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import XivoCoordinator
    from .data import XivoConfigEntry
    from .missed_calls import MissedCalls
    from .xuc import Contact

PARALLEL_UPDATES = 0

PHONE_STATES = [state.value for state in PhoneState]
SERVICE_CALL_CONTACT: Final = "call_contact"
MAX_FAVORITE_SENSORS: Final = 1000


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
        # Few people act on old messages: the new-messages count is what dashboards show.
        entity_registry_enabled_default=False,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda snapshot: (
            snapshot.voicemail.old if snapshot.voicemail else None
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's sensors, and keep one sensor per favorite as the list changes."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        [
            *(XivoSensor(coordinator, description) for description in SENSORS),
            XivoMissedCallsSensor(coordinator, entry.runtime_data.missed),
        ]
    )
    FavoriteSensors(hass, coordinator, async_add_entities).start()
    # A queue agent: their state, and the counters of each queue they belong to. The
    # queue devices are followed once per account, here.
    follow_agent(coordinator, async_add_entities, lambda c: [XivoAgentStateSensor(c)])
    QueueEntities(
        coordinator, async_add_entities, XivoQueueSensor, QUEUE_SENSORS
    ).start()
    QueueDevices(coordinator).start()
    # A tile card's tap action calls the colleague in one touch.
    entity_platform.async_get_current_platform().async_register_entity_service(
        SERVICE_CALL_CONTACT, None, _call_contact
    )


async def _call_contact(entity: SensorEntity, call: ServiceCall) -> None:
    """`xivo.call_contact`: dial the number of the favorite a sensor shows."""
    if not isinstance(entity, XivoFavoriteSensor):
        raise _not_a_favorite(entity.entity_id)
    await entity.async_call_contact()


def _not_a_favorite(entity_id: str) -> ServiceValidationError:
    """The translated refusal of `xivo.call_contact` for what is not a favorite."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="not_a_favorite",
        translation_placeholders={"entity_id": entity_id},
    )


class FavoriteSensors:
    """Keeps one sensor per favorite: added and removed live, stale ones pruned once.

    At most `MAX_FAVORITE_SENSORS` are created (logged once with the count): a favorites
    list is a person's speed-dial, and a server that sends thousands is a misconfigured
    directory, not a list anyone watches.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: XivoCoordinator,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """Prepare the favorites' sensors of one account."""
        self._coordinator = coordinator
        self._add = async_add_entities
        self._registry = er.async_get(hass)
        self._known: dict[str, XivoFavoriteSensor] = {}
        self._seen: Mapping[str, Contact] | None = None
        self._warned_cap = False
        self._pruned = False

    def start(self) -> None:
        """Create the sensors of today's favorites, then follow the list."""
        entry = self._coordinator.config_entry
        self._sync()
        entry.async_on_unload(self._coordinator.async_add_listener(self._sync))

    @callback
    def _sync(self) -> None:
        snapshot = self._coordinator.data
        favorites = snapshot.favorites
        if favorites is self._seen or not self._coordinator.last_update_success:
            return
        self._seen = favorites
        for key in [key for key in self._known if key not in favorites]:
            entity = self._known.pop(key)
            if entity.entity_id and self._registry.async_get(entity.entity_id):
                self._registry.async_remove(entity.entity_id)
        if snapshot.favorites_received and not self._pruned:
            self._pruned = True
            self._prune_stale(favorites)
        room = MAX_FAVORITE_SENSORS - len(self._known)
        wanted = [key for key in favorites if key not in self._known]
        if len(wanted) > room and not self._warned_cap:
            self._warned_cap = True
            LOGGER.warning(
                "The server lists %d favorites; sensors are created for the first %d only",
                len(favorites),
                MAX_FAVORITE_SENSORS,
            )
        new = [XivoFavoriteSensor(self._coordinator, key) for key in wanted[:room]]
        self._known.update((entity.favorite_key, entity) for entity in new)
        if new:
            self._add(new)

    def _prune_stale(self, favorites: Mapping[str, Contact]) -> None:
        """Remove the registry entries of favorites removed while Home Assistant was off."""
        entry = self._coordinator.config_entry
        prefix = account_unique_id(self._coordinator, "favorite_")
        for registry_entry in er.async_entries_for_config_entry(
            self._registry, entry.entry_id
        ):
            unique_id = registry_entry.unique_id
            if (
                registry_entry.domain == Platform.SENSOR
                and unique_id.startswith(prefix)
                and unique_id.removeprefix(prefix) not in favorites
            ):
                self._registry.async_remove(registry_entry.entity_id)


class XivoSensor(XivoDescribedEntity[XivoSensorDescription], SensorEntity):
    """A sensor of the account."""

    entity_description: XivoSensorDescription

    @property
    def native_value(self) -> str | int | None:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.coordinator.data)


def favorite_name(contact: Contact) -> str:
    """What a favorite's sensor is called: the contact's name, else their number."""
    return contact.name or contact.number


class XivoFavoriteSensor(SensorEntity):
    """A favorite contact, named after them; state is their phone's live state.

    It listens to its own favorite only (`XivoCoordinator.async_add_favorite_listener`),
    not to every snapshot. When the server renames the contact, the name Home Assistant
    shows follows (the entity registry's original name), never the entity id.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "favorite"
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = PHONE_STATES
    # Static facts of the contact: in the state, not in the recorder's history.
    _unrecorded_attributes = frozenset({"number", "mobile", "contact_id", "source"})

    def __init__(self, coordinator: XivoCoordinator, key: str) -> None:
        """Create the sensor of the favorite with this `source/contact_id` key."""
        contact = coordinator.data.favorites[key]
        self.coordinator = coordinator
        self.favorite_key = key
        self._attr_unique_id = account_unique_id(coordinator, f"favorite_{key}")
        self._attr_device_info = account_device_info(coordinator)
        self._attr_name = favorite_name(contact)

    async def async_added_to_hass(self) -> None:
        """Follow this favorite for as long as the entity exists."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_favorite_listener(
                self.favorite_key, self._on_favorite_changed
            )
        )

    @callback
    def _on_favorite_changed(self) -> None:
        contact = self.coordinator.data.favorites.get(self.favorite_key)
        if contact is not None and favorite_name(contact) != self._attr_name:
            self._attr_name = favorite_name(contact)
            if self.registry_entry is not None:
                er.async_get(self.hass).async_update_entity(
                    self.entity_id, original_name=self._attr_name
                )
        self.async_write_ha_state()

    @xivo_command
    async def async_call_contact(self) -> None:
        """Dial the favorite's number from the user's preferred device."""
        contact = self.coordinator.data.favorites.get(self.favorite_key)
        if contact is None or not contact.number:
            raise _not_a_favorite(self.entity_id)
        await self.coordinator.client.dial(contact.number)

    @property
    def available(self) -> bool:
        """Available while the link is up and the contact is still a favorite."""
        return (
            self.coordinator.last_update_success
            and self.favorite_key in self.coordinator.data.favorites
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
    """The missed calls still to call back (the open items of the call-back list).

    The list survives restarts in its own store; a count saved by a version that only
    counted is restored once, until the next reset.
    """

    _attr_translation_key = "missed_calls"
    _attr_state_class = SensorStateClass.TOTAL_INCREASING

    def __init__(self, coordinator: XivoCoordinator, missed: MissedCalls) -> None:
        """Create the missed-calls counter."""
        super().__init__(coordinator, "missed_calls")
        self._missed = missed

    async def async_added_to_hass(self) -> None:
        """Restore an old count, then follow the list."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and isinstance(last.native_value, (int, float, str)):
            with contextlib.suppress(ValueError):
                self._missed.restore_count(int(float(last.native_value)))
        self.async_on_remove(self._missed.add_listener(self._handle_coordinator_update))
        self._handle_coordinator_update()

    @property
    def native_value(self) -> int:
        """The number of missed calls still open."""
        return self._missed.open_count
