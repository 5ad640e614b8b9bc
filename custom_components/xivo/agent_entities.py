"""The queue agent's entities on the account's device: state, availability, recording.

They exist only for a user the server gives an agent id (`UserConfig.agent_id`); other
users see nothing new. The id may first come after a reconnect (an administrator made
the user an agent): the entities are added then, without a reload. They are never
optimistic: each shows what the server's last `AgentStateEvent` said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er

from .agent_availability import (
    availability_options,
    current_availability,
    select_availability,
)
from .const import DOMAIN
from .entity import XivoEntity, account_unique_id
from .helpers import xivo_command
from .queue_devices import queue_name
from .xuc import AgentStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import XivoCoordinator
    from .xuc import XucSnapshot

AGENT_STATES = [status.value for status in AgentStatus]
# The keys of the agent's entities on the account's device, and their platforms.
AGENT_KEYS: Final = {
    "agent_state": Platform.SENSOR,
    "agent_availability": Platform.SELECT,
    "recording": Platform.SWITCH,
}


def follow_agent(
    coordinator: XivoCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    create: Callable[[XivoCoordinator], Iterable[Entity]],
) -> None:
    """Add a platform's agent entities once the user has an agent id (now or later)."""
    added = False

    @callback
    def sync() -> None:
        nonlocal added
        if added or coordinator.data.user.agent_id is None:
            return
        added = True
        async_add_entities(create(coordinator))

    sync()
    if not added:
        _prune_agent_entities(coordinator)
        coordinator.config_entry.async_on_unload(coordinator.async_add_listener(sync))


def _prune_agent_entities(coordinator: XivoCoordinator) -> None:
    """At set-up, a user the server gives no agent keeps no agent entity from before.

    Only once the user's configuration came (an empty one tells nothing yet).
    """
    if not coordinator.data.user.fields:
        return
    registry = er.async_get(coordinator.hass)
    for key, domain in AGENT_KEYS.items():
        unique_id = account_unique_id(coordinator, key)
        entity_id = registry.async_get_entity_id(domain, DOMAIN, unique_id)
        if entity_id is not None:
            registry.async_remove(entity_id)


def queue_names(snapshot: XucSnapshot) -> list[str]:
    """The display names of the agent's queues (by membership, an id until named)."""
    return sorted(
        queue_name(snapshot, queue_id) or str(queue_id)
        for queue_id in snapshot.memberships
    )


class XivoAgentEntity(XivoEntity):
    """An entity of the user's own agent: available while the server says it has one."""

    @property
    def available(self) -> bool:
        """Available while the link is up and the user is still an agent."""
        return super().available and self.coordinator.data.user.agent_id is not None


class XivoAgentStateSensor(XivoAgentEntity, SensorEntity):
    """The agent's state, with the pause reason, since when, and the call it is on."""

    _attr_translation_key = "agent_state"
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = AGENT_STATES

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the agent-state sensor of the account."""
        super().__init__(coordinator, "agent_state")

    @property
    def native_value(self) -> str | None:
        """The state; None (unknown) for a state name the library does not know."""
        agent = self.coordinator.data.agent
        return agent.status.value if agent is not None and agent.status else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Pause reason (status name and label), since, queues, and the current call."""
        snapshot = self.coordinator.data
        agent = snapshot.agent
        if agent is None:
            return {}
        reason = next(
            (status for status in snapshot.statuses if status.name == agent.cause),
            None,
        )
        return {
            "pause_reason": agent.cause,
            "pause_reason_label": reason.label if reason is not None else None,
            "since": agent.since.isoformat() if agent.since else None,
            "queues": queue_names(snapshot),
            "acd_call": agent.acd,
            "call_direction": agent.direction,
        }


class XivoAgentAvailabilitySelect(XivoAgentEntity, SelectEntity):
    """Ready, paused for a reason, or logged out: the agent's control."""

    _attr_translation_key = "agent_availability"

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the availability select of the account."""
        super().__init__(coordinator, "agent_availability")

    @property
    def options(self) -> list[str]:
        """Ready, the server's pause reasons, logged out."""
        return availability_options(self.coordinator.data)

    @property
    def current_option(self) -> str | None:
        """The option the agent's last state stands for."""
        return current_availability(self.coordinator.data)

    @xivo_command
    async def async_select_option(self, option: str) -> None:
        """Send the chosen option; the push that follows shows the result."""
        await select_availability(
            self.coordinator.client, self.coordinator.data, option
        )


class XivoRecordingSwitch(XivoAgentEntity, SwitchEntity):
    """Whether the agent's calls are recorded; off pauses the recording.

    Available only while the server says the agent's recording can be paused
    (`monitorState` ACTIVE or PAUSED): otherwise there is nothing to switch.
    """

    _attr_translation_key = "recording"

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Create the recording switch of the account."""
        super().__init__(coordinator, "recording")

    @property
    def available(self) -> bool:
        """Available while the agent is recorded or its recording is paused."""
        agent = self.coordinator.data.agent
        return super().available and agent is not None and agent.recordable

    @property
    def is_on(self) -> bool | None:
        """Whether the server says the agent is being recorded."""
        agent = self.coordinator.data.agent
        return agent.recording if agent is not None else None

    @xivo_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Resume the recording."""
        await self.coordinator.client.resume_recording()

    @xivo_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause the recording."""
        await self.coordinator.client.pause_recording()
