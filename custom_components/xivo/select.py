"""Select entities: the user's presence, and the preferred device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import callback

from .const import LOGGER, PREFERRED_DEVICE
from .entity import XivoDescribedEntity, described_platform_setup
from .helpers import xivo_command
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .xuc import XucClient, XucSnapshot

PARALLEL_UPDATES = 1

# Option of the preferred-device select (translated) -> value on the wire.
DEVICE_VALUES: Final = {
    "phone_device": "TypePhoneDevice",
    "default_device": "TypeDefaultDevice",
}
_DEVICE_OPTIONS: Final = {value: option for option, value in DEVICE_VALUES.items()}


@dataclass(frozen=True, kw_only=True)
class XivoSelectDescription(SelectEntityDescription):
    """How a select reads its options and choice from the snapshot, and sends one.

    `unknown_fn` returns a value the server holds that no option stands for (it is
    shown as unknown and logged once per value).
    """

    options_fn: Callable[[XucSnapshot], list[str]]
    current_fn: Callable[[XucSnapshot], str | None]
    select_fn: Callable[[XucClient, XucSnapshot, str], Awaitable[None]]
    attributes_fn: Callable[[XucSnapshot], dict[str, Any]] | None = None
    unknown_fn: Callable[[XucSnapshot], str | None] | None = None


def _current_status_label(snapshot: XucSnapshot) -> str | None:
    return next(
        (
            label
            for label, status in status_labels(snapshot.statuses).items()
            if status.name == snapshot.status_name
        ),
        None,
    )


def _status_attributes(snapshot: XucSnapshot) -> dict[str, Any]:
    """The status's name (what automations should compare) and its colour."""
    status = snapshot.status
    return {
        "status_name": status.name if status else None,
        "color": status.color if status else None,
    }


async def _change_status(client: XucClient, snapshot: XucSnapshot, option: str) -> None:
    await client.change_status(status_labels(snapshot.statuses)[option].name)


def _preferred_device_value(snapshot: XucSnapshot) -> str | None:
    preference = snapshot.preferences.get(PREFERRED_DEVICE)
    return preference.value if preference is not None else None


def _unknown_device_value(snapshot: XucSnapshot) -> str | None:
    value = _preferred_device_value(snapshot)
    return value if value is not None and value not in _DEVICE_OPTIONS else None


SELECTS: Final = (
    # The presence: options are the labels of the statuses the server lists.
    XivoSelectDescription(
        key="status",
        translation_key="status",
        options_fn=lambda snapshot: list(status_labels(snapshot.statuses)),
        current_fn=_current_status_label,
        select_fn=_change_status,
        attributes_fn=_status_attributes,
    ),
    # Preference `PREFERRED_DEVICE`: ring the desk phone, or the default device.
    XivoSelectDescription(
        key="preferred_device",
        translation_key="preferred_device",
        entity_category=EntityCategory.CONFIG,
        options=list(DEVICE_VALUES),
        options_fn=lambda _snapshot: list(DEVICE_VALUES),
        current_fn=lambda snapshot: _DEVICE_OPTIONS.get(
            _preferred_device_value(snapshot) or ""
        ),
        select_fn=lambda client, _snapshot, option: client.set_preference(
            PREFERRED_DEVICE, DEVICE_VALUES[option], "String"
        ),
        unknown_fn=_unknown_device_value,
    ),
)


class XivoSelect(XivoDescribedEntity[XivoSelectDescription], SelectEntity):
    """A select whose choice follows the server's pushes (no optimistic state)."""

    entity_description: XivoSelectDescription

    _warned_value: str | None = None

    @property
    def options(self) -> list[str]:
        """The options the snapshot offers."""
        return self.entity_description.options_fn(self.coordinator.data)

    @property
    def current_option(self) -> str | None:
        """The option the server's value stands for."""
        return self.entity_description.current_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Attributes the description gives, if any."""
        attributes_fn = self.entity_description.attributes_fn
        return attributes_fn(self.coordinator.data) if attributes_fn else None

    async def async_added_to_hass(self) -> None:
        """Say at once if the server's value is one no option stands for."""
        await super().async_added_to_hass()
        self._warn_unknown_value()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._warn_unknown_value()
        super()._handle_coordinator_update()

    def _warn_unknown_value(self) -> None:
        unknown_fn = self.entity_description.unknown_fn
        value = unknown_fn(self.coordinator.data) if unknown_fn else None
        if value is not None and value != self._warned_value:
            self._warned_value = value
            LOGGER.warning(
                "The server holds a %s value no option stands for: %s",
                self.entity_description.key,
                value,
            )

    @xivo_command
    async def async_select_option(self, option: str) -> None:
        """Send the chosen option; the push that follows shows the result."""
        await self.entity_description.select_fn(
            self.coordinator.client, self.coordinator.data, option
        )


# The presence and preferred-device selects.
async_setup_entry = described_platform_setup(XivoSelect, SELECTS)
