"""Text entities: the destination of each call forward."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from homeassistant.components.text import TextEntity
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .entity import XivoEntity
from .helpers import xivo_command
from .xuc import FORWARD_KINDS

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddEntitiesCallback

    from .coordinator import XivoConfigEntry, XivoCoordinator
    from .xuc.models import ForwardKind

PARALLEL_UPDATES = 1

DESTINATION_PATTERN: Final = r"[0-9+*#]*"
_DESTINATION_RE: Final = re.compile(DESTINATION_PATTERN)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add one destination entity per forward."""
    coordinator = entry.runtime_data
    async_add_entities(
        XivoForwardDestination(coordinator, kind) for kind in FORWARD_KINDS
    )


class XivoForwardDestination(XivoEntity, TextEntity):
    """Where a forward sends calls: digits, `+`, `*` and `#` only."""

    _attr_pattern = DESTINATION_PATTERN
    _attr_native_max = 40

    def __init__(self, coordinator: XivoCoordinator, kind: ForwardKind) -> None:
        """Create the destination entity of one forward."""
        super().__init__(coordinator, f"forward_{kind}_destination")
        self._kind: ForwardKind = kind
        self._attr_translation_key = f"forward_{kind}_destination"

    @property
    def native_value(self) -> str:
        """The destination the server holds."""
        return self.coordinator.data.user.forward(self._kind).destination

    @xivo_command
    async def async_set_value(self, value: str) -> None:
        """Send the new destination, keeping the forward on or off as it is."""
        value = value.strip()
        enabled = self.coordinator.data.user.forward(self._kind).enabled
        if not _DESTINATION_RE.fullmatch(value) or (enabled and not value):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_destination",
                translation_placeholders={"value": value},
            )
        await self.coordinator.client.set_forward(self._kind, enabled, value)
