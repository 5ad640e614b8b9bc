"""The entities of a queue's device: membership, waiting calls, longest wait, agents.

The counters are the server's `QueueStatistics`, pushed live; a counter the server has
never sent for a queue shows as unknown, except the available agents, whose sensor
exists only once the server sent that counter (not every server computes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import UnitOfTime
from homeassistant.core import callback

from .helpers import xivo_command
from .queue_devices import QueueEntityDescription, XivoQueueEntity

if TYPE_CHECKING:
    from collections.abc import Callable

    from .coordinator import XivoCoordinator
    from .xuc import QueueStats, XucSnapshot


def _stats(snapshot: XucSnapshot, queue_id: int) -> QueueStats | None:
    return snapshot.queue_stats.get(queue_id)


@dataclass(frozen=True, kw_only=True)
class QueueSensorDescription(QueueEntityDescription, SensorEntityDescription):
    """A counter of a queue, read from its statistics."""

    value_fn: Callable[[QueueStats], float | None]


def _has_available_agents(snapshot: XucSnapshot, queue_id: int) -> bool:
    stats = _stats(snapshot, queue_id)
    return stats is not None and stats.available_agents is not None


QUEUE_SENSORS: tuple[QueueSensorDescription, ...] = (
    QueueSensorDescription(
        key="queue_waiting_calls",
        translation_key="queue_waiting_calls",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda stats: stats.waiting_calls,
    ),
    QueueSensorDescription(
        key="queue_longest_wait",
        translation_key="queue_longest_wait",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda stats: stats.longest_wait,
    ),
    QueueSensorDescription(
        key="queue_available_agents",
        translation_key="queue_available_agents",
        state_class=SensorStateClass.MEASUREMENT,
        present_fn=_has_available_agents,
        value_fn=lambda stats: stats.available_agents,
    ),
)


class XivoQueueSensor(XivoQueueEntity[QueueSensorDescription], SensorEntity):
    """A live counter of one of the agent's queues."""

    entity_description: QueueSensorDescription

    @property
    def native_value(self) -> float | None:
        """The counter's last value; None until the server sent it."""
        stats = _stats(self.coordinator.data, self.queue_id)
        return self.entity_description.value_fn(stats) if stats is not None else None


@dataclass(frozen=True, kw_only=True)
class QueueSwitchDescription(QueueEntityDescription, SwitchEntityDescription):
    """The agent's membership of a queue."""


QUEUE_MEMBERSHIP = QueueSwitchDescription(
    key="queue_membership", translation_key="queue_membership"
)


class XivoQueueMembershipSwitch(XivoQueueEntity[QueueSwitchDescription], SwitchEntity):
    """On while the agent is a member of the queue; off makes the agent leave it.

    Leaving ends the membership, and with it the queue's device (see `queue_devices`):
    the switch is there to leave, and to come back at once (with the last penalty the
    server gave) as long as the server has not yet confirmed the leave.
    """

    entity_description: QueueSwitchDescription

    def __init__(
        self,
        coordinator: XivoCoordinator,
        queue_id: int,
        description: QueueSwitchDescription,
    ) -> None:
        """Create the membership switch of this queue; remember the penalty."""
        super().__init__(coordinator, queue_id, description)
        self._penalty = coordinator.data.memberships.get(queue_id)

    @callback
    def _handle_coordinator_update(self) -> None:
        penalty = self.coordinator.data.memberships.get(self.queue_id)
        if penalty is not None:
            self._penalty = penalty
        super()._handle_coordinator_update()

    @property
    def is_on(self) -> bool:
        """Whether the server says the agent is a member."""
        return self.queue_id in self.coordinator.data.memberships

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The penalty (0 = first served), as the server gave it."""
        return {"penalty": self._penalty}

    @xivo_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Join the queue again, with the last known penalty (0 if none)."""
        await self.coordinator.client.join_queue(self.queue_id, self._penalty or 0)

    @xivo_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Leave the queue (its device goes once the server confirms)."""
        await self.coordinator.client.leave_queue(self.queue_id)
