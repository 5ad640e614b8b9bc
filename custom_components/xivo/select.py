"""Select entities: the user's presence, and the preferred device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import callback

from .agent_entities import XivoAgentAvailabilitySelect, follow_agent
from .const import LOGGER, PREFERRED_DEVICE
from .entity import XivoDescribedEntity
from .helpers import xivo_command
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import XivoCoordinator
    from .data import XivoConfigEntry
    from .presence_timer import PresenceTimer
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


def _preferred_device_value(snapshot: XucSnapshot) -> str | None:
    preference = snapshot.preferences.get(PREFERRED_DEVICE)
    return preference.value if preference is not None else None


def _unknown_device_value(snapshot: XucSnapshot) -> str | None:
    value = _preferred_device_value(snapshot)
    return value if value is not None and value not in _DEVICE_OPTIONS else None


async def _no_direct_change(
    _client: XucClient, _snapshot: XucSnapshot, _option: str
) -> None:  # pragma: no cover - XivoPresenceSelect sends through its timer
    raise NotImplementedError


# The presence: options are the labels of the statuses the server lists.
PRESENCE: Final = XivoSelectDescription(
    key="status",
    translation_key="status",
    options_fn=lambda snapshot: list(status_labels(snapshot.statuses)),
    current_fn=_current_status_label,
    select_fn=_no_direct_change,
    attributes_fn=_status_attributes,
)

SELECTS: Final = (
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


class XivoPresenceSelect(XivoSelect):
    """The presence, which also shows until when a timed status runs (`until`).

    Choosing an option is the plain, untimed way: it goes through the account's
    presence timer so that a running timer is cancelled, even when the option is the
    status the timer set (no push would tell the timer then).
    """

    def __init__(self, coordinator: XivoCoordinator, timer: PresenceTimer) -> None:
        """Create the presence select of an account and its timer."""
        super().__init__(coordinator, PRESENCE)
        self._timer = timer

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The status's name and colour, and `until` (ISO time) while a timer runs."""
        attributes = dict(super().extra_state_attributes or {})
        until = self._timer.until
        if until is not None:
            attributes["until"] = until.isoformat()
        return attributes

    async def async_added_to_hass(self) -> None:
        """Write the state when a timer starts or ends."""
        await super().async_added_to_hass()
        self.async_on_remove(self._timer.add_listener(self.async_write_ha_state))

    @xivo_command
    async def async_select_option(self, option: str) -> None:
        """Take the status this label stands for, untimed."""
        status = status_labels(self.coordinator.data.statuses)[option]
        await self._timer.async_set(status.name)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the presence and preferred-device selects."""
    data = entry.runtime_data
    async_add_entities(
        [
            XivoPresenceSelect(data.coordinator, data.presence),
            *(XivoSelect(data.coordinator, description) for description in SELECTS),
        ]
    )
    # A queue agent's availability (ready, a pause reason, logged out).
    follow_agent(
        data.coordinator, async_add_entities, lambda c: [XivoAgentAvailabilitySelect(c)]
    )
