"""Binary sensors of the account: the link to the xuc server, on a call, ringing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .entity import XivoDescribedEntity, described_platform_setup
from .xuc.call_state import current_call, ringing_call

if TYPE_CHECKING:
    from collections.abc import Callable

    from .coordinator import XivoCoordinator

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class XivoBinarySensorDescription(BinarySensorEntityDescription):
    """How a binary sensor reads its state; `always_available` for the link's own."""

    value_fn: Callable[[XivoCoordinator], bool]
    always_available: bool = False


BINARY_SENSORS: Final = (
    # The one entity that stays available when the link is down: it says so. Enabled
    # by default: dashboards and "tell me when the phone link is down" automations use it.
    XivoBinarySensorDescription(
        key="connection",
        translation_key="connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        always_available=True,
        value_fn=lambda coordinator: coordinator.client.connected,
    ),
    # The busy light: on while any call is established or on hold.
    XivoBinarySensorDescription(
        key="on_call",
        translation_key="on_call",
        value_fn=lambda coordinator: current_call(coordinator.data.calls) is not None,
    ),
    # On while an incoming call rings (a dialled call's ringback is not ringing).
    XivoBinarySensorDescription(
        key="ringing",
        translation_key="ringing",
        value_fn=lambda coordinator: ringing_call(coordinator.data.calls) is not None,
    ),
)


class XivoBinarySensor(
    XivoDescribedEntity[XivoBinarySensorDescription], BinarySensorEntity
):
    """A binary sensor of the account."""

    entity_description: XivoBinarySensorDescription

    @property
    def available(self) -> bool:
        """Available while the link is up, or always for the link's own sensor."""
        return self.entity_description.always_available or super().available

    @property
    def is_on(self) -> bool:
        """The state from the coordinator."""
        return self.entity_description.value_fn(self.coordinator)


# The account's binary sensors.
async_setup_entry = described_platform_setup(XivoBinarySensor, BINARY_SENSORS)
