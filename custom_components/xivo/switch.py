"""Switches: mobile-app preference, Do Not Disturb, the three call forwards, agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.exceptions import ServiceValidationError

from .agent_entities import XivoRecordingSwitch, follow_agent
from .const import DOMAIN, MOBILE_APP_INFO
from .entity import XivoDescribedEntity, described_platform_setup
from .helpers import xivo_command
from .queue_devices import QueueEntities
from .queue_entities import QUEUE_MEMBERSHIP, XivoQueueMembershipSwitch
from .xuc import FORWARD_KINDS, parse_bool

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import XivoConfigEntry
    from .xuc import XucClient, XucSnapshot
    from .xuc.models import ForwardKind

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class XivoSwitchDescription(SwitchEntityDescription):
    """How a switch reads its state from the snapshot and sends a change."""

    value_fn: Callable[[XucSnapshot], bool | None]
    set_fn: Callable[[XucClient, XucSnapshot, bool], Awaitable[None]]


def _mobile_app_info(snapshot: XucSnapshot) -> bool | None:
    preference = snapshot.preferences.get(MOBILE_APP_INFO)
    return None if preference is None else parse_bool(preference.value)


async def _set_forward(
    client: XucClient, snapshot: XucSnapshot, kind: ForwardKind, on: bool
) -> None:
    destination = snapshot.user.forward(kind).destination
    if on and not destination:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="forward_without_destination"
        )
    await client.set_forward(kind, on, destination)


def _forward_description(kind: ForwardKind) -> XivoSwitchDescription:
    async def set_fn(client: XucClient, snapshot: XucSnapshot, on: bool) -> None:
        await _set_forward(client, snapshot, kind, on)

    return XivoSwitchDescription(
        key=f"forward_{kind}",
        translation_key=f"forward_{kind}",
        value_fn=lambda snapshot: snapshot.user.forward(kind).enabled,
        set_fn=set_fn,
    )


SWITCHES: tuple[XivoSwitchDescription, ...] = (
    XivoSwitchDescription(
        key="mobile_app_info",
        translation_key="mobile_app_info",
        entity_category=EntityCategory.CONFIG,
        value_fn=_mobile_app_info,
        set_fn=lambda client, _snapshot, on: client.set_preference(
            MOBILE_APP_INFO, "true" if on else "false", "Boolean"
        ),
    ),
    XivoSwitchDescription(
        key="dnd",
        translation_key="dnd",
        value_fn=lambda snapshot: snapshot.user.dnd,
        set_fn=lambda client, _snapshot, on: client.set_dnd(on),
    ),
    *(_forward_description(kind) for kind in FORWARD_KINDS),
)


class XivoSwitch(XivoDescribedEntity[XivoSwitchDescription], SwitchEntity):
    """A switch whose state follows the server's pushes (no optimistic state)."""

    entity_description: XivoSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state the server reported."""
        return self.entity_description.value_fn(self.coordinator.data)

    @xivo_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask the server to turn it on; the push that follows shows the result."""
        await self.entity_description.set_fn(
            self.coordinator.client, self.coordinator.data, True
        )

    @xivo_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask the server to turn it off."""
        await self.entity_description.set_fn(
            self.coordinator.client, self.coordinator.data, False
        )


_account_setup = described_platform_setup(XivoSwitch, SWITCHES)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The account's switches; a queue agent's recording and queue memberships."""
    await _account_setup(hass, entry, async_add_entities)
    coordinator = entry.runtime_data.coordinator
    follow_agent(coordinator, async_add_entities, lambda c: [XivoRecordingSwitch(c)])
    QueueEntities(
        coordinator, async_add_entities, XivoQueueMembershipSwitch, [QUEUE_MEMBERSHIP]
    ).start()
