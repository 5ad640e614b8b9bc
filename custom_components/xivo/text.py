"""Text entities: the destination of each call forward."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.components.text import TextEntity, TextEntityDescription
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .entity import XivoDescribedEntity, described_platform_setup
from .helpers import xivo_command
from .xuc import FORWARD_KINDS
from .xuc.matching import DESTINATION_PATTERN, MAX_NUMBER_LENGTH, is_destination

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .xuc import ForwardKind, XucClient, XucSnapshot

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class XivoTextDescription(TextEntityDescription):
    """How a text entity reads its value from the snapshot and sends a new one."""

    value_fn: Callable[[XucSnapshot], str]
    set_fn: Callable[[XucClient, XucSnapshot, str], Awaitable[None]]


def _destination_description(kind: ForwardKind) -> XivoTextDescription:
    async def set_fn(client: XucClient, snapshot: XucSnapshot, value: str) -> None:
        """Send the new destination, keeping the forward on or off as it is."""
        enabled = snapshot.user.forward(kind).enabled
        if not is_destination(value) or (enabled and not value):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_destination",
                translation_placeholders={"value": value},
            )
        await client.set_forward(kind, enabled, value)

    return XivoTextDescription(
        key=f"forward_{kind}_destination",
        translation_key=f"forward_{kind}_destination",
        pattern=DESTINATION_PATTERN,
        native_max=MAX_NUMBER_LENGTH,
        value_fn=lambda snapshot: snapshot.user.forward(kind).destination,
        set_fn=set_fn,
    )


TEXTS: Final = tuple(_destination_description(kind) for kind in FORWARD_KINDS)


class XivoText(XivoDescribedEntity[XivoTextDescription], TextEntity):
    """A text whose value follows the server's pushes (no optimistic state)."""

    entity_description: XivoTextDescription

    @property
    def native_value(self) -> str:
        """The value the server holds."""
        return self.entity_description.value_fn(self.coordinator.data)

    @xivo_command
    async def async_set_value(self, value: str) -> None:
        """Send the new value; the push that follows shows the result."""
        await self.entity_description.set_fn(
            self.coordinator.client, self.coordinator.data, value.strip()
        )


# One destination entity per forward.
async_setup_entry = described_platform_setup(XivoText, TEXTS)
