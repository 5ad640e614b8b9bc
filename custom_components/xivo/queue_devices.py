"""One device per queue the agent belongs to, kept as memberships come and go.

A queue's device hangs off the account's device (`via_device`) and is named after the
queue's display name. It lives exactly as long as the membership: when a `QueueMember`
ends it (a negative penalty), or a fresh list no longer has it, the device is removed
from the device registry, and its entities with it. The same rule, run once the
memberships are known, removes at set-up the devices of memberships that ended while
Home Assistant was off.

Each platform keeps its own entities of each queue (`QueueEntities`); the registry
side (`QueueDevices`) is one per account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER
from .coordinator import XivoCoordinator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .xuc import XucSnapshot

QUEUE_MARK: Final = "_queue_"


def queue_identifier(coordinator: XivoCoordinator, queue_id: int) -> str:
    """The device-registry identifier of a queue's device within the account."""
    return f"{coordinator.config_entry.unique_id}{QUEUE_MARK}{queue_id}"


def queue_name(snapshot: XucSnapshot, queue_id: int) -> str | None:
    """A queue's display name; None until the server has described it."""
    queue = snapshot.queues.get(queue_id)
    return queue.display_name if queue is not None else None


def queue_device_info(coordinator: XivoCoordinator, queue_id: int) -> DeviceInfo:
    """A queue's device, reached through the account's device.

    Named as the server names the queue; until it has, "Queue 3" in the user's
    language (the `queue` device translation), renamed once the name comes.
    """
    info = DeviceInfo(
        identifiers={(DOMAIN, queue_identifier(coordinator, queue_id))},
        manufacturer=MANUFACTURER,
        model="xuc queue",
        via_device=(DOMAIN, str(coordinator.config_entry.unique_id)),
    )
    name = queue_name(coordinator.data, queue_id)
    if name is None:
        info["translation_key"] = "queue"
        info["translation_placeholders"] = {"queue_id": str(queue_id)}
    else:
        info["name"] = name
    return info


def memberships_known(coordinator: XivoCoordinator) -> bool:
    """Whether the memberships in the snapshot are the server's, not "not told yet".

    The client asks for the queue members before the agent states, and the server
    answers in order: once the own agent's state has come, so has its list. A user
    whose configuration came without an agent id has no membership at all. Until one
    of these, an empty mapping must not remove anyone's devices.
    """
    snapshot = coordinator.data
    if not coordinator.last_update_success:
        return False
    if snapshot.agent is not None:
        return True
    return bool(snapshot.user.fields) and snapshot.user.agent_id is None


class _MembershipFollower:
    """Runs `_apply` now and after each snapshot whose parts it reads changed.

    Subclasses say which parts of the snapshot they read (`_parts`) and when the
    snapshot can be trusted (`_ready`).
    """

    def __init__(self, coordinator: XivoCoordinator) -> None:
        self._coordinator = coordinator
        self._seen: tuple[object, ...] | None = None

    def start(self) -> None:
        """Apply today's snapshot, then follow the pushes until the entry unloads."""
        entry = self._coordinator.config_entry
        self._sync()
        entry.async_on_unload(self._coordinator.async_add_listener(self._sync))

    def _parts(self, snapshot: XucSnapshot) -> tuple[object, ...]:
        raise NotImplementedError

    def _ready(self) -> bool:
        return self._coordinator.last_update_success

    def _apply(self, snapshot: XucSnapshot) -> None:
        raise NotImplementedError

    @callback
    def _sync(self) -> None:
        snapshot = self._coordinator.data
        parts = self._parts(snapshot)
        if _same(self._seen, parts) or not self._ready():
            return
        self._seen = parts
        self._apply(snapshot)


class QueueDevices(_MembershipFollower):
    """Removes the devices of ended memberships, and renames those of renamed queues."""

    def __init__(self, coordinator: XivoCoordinator) -> None:
        """Prepare the queue devices of one account."""
        super().__init__(coordinator)
        self._registry = dr.async_get(coordinator.hass)

    def _parts(self, snapshot: XucSnapshot) -> tuple[object, ...]:
        return (snapshot.memberships, snapshot.queues)

    def _ready(self) -> bool:
        return memberships_known(self._coordinator)

    def _apply(self, snapshot: XucSnapshot) -> None:
        entry = self._coordinator.config_entry
        prefix = f"{entry.unique_id}{QUEUE_MARK}"
        for device in dr.async_entries_for_config_entry(self._registry, entry.entry_id):
            queue_id = _queue_id(device, prefix)
            if queue_id is None:
                continue
            if queue_id not in snapshot.memberships:
                self._registry.async_remove_device(device.id)
            elif (name := queue_name(snapshot, queue_id)) not in {None, device.name}:
                self._registry.async_update_device(device.id, name=name)


def _same(seen: tuple[object, ...] | None, now: tuple[object, ...]) -> bool:
    """Whether the snapshot parts a sync reads are the very objects it read last time.

    Snapshots share unchanged parts, so identity says "unchanged" at no cost: most
    pushes (presence, phone hints, other agents) leave the memberships alone.
    """
    return seen is not None and all(a is b for a, b in zip(seen, now, strict=True))


def _queue_id(device: dr.DeviceEntry, prefix: str) -> int | None:
    """The queue a device of this account stands for, if it is a queue's device."""
    for domain, identifier in device.identifiers:
        if domain == DOMAIN and identifier.startswith(prefix):
            tail = identifier.removeprefix(prefix)
            return int(tail) if tail.isdigit() else None
    return None


@dataclass(frozen=True, kw_only=True)
class QueueEntityDescription(EntityDescription):
    """A queue entity; `present_fn` says whether the server gives what it shows."""

    present_fn: Callable[[XucSnapshot, int], bool] = lambda _snapshot, _queue: True


class XivoQueueEntity[D: QueueEntityDescription](CoordinatorEntity[XivoCoordinator]):
    """An entity of one of the agent's queues, on that queue's device."""

    _attr_has_entity_name = True
    entity_description: D

    def __init__(
        self, coordinator: XivoCoordinator, queue_id: int, description: D
    ) -> None:
        """Create the entity of this description for this queue."""
        super().__init__(coordinator)
        self.queue_id = queue_id
        self.entity_description = description
        self._attr_unique_id = (
            f"{queue_identifier(coordinator, queue_id)}_{description.key}"
        )
        self._attr_device_info = queue_device_info(coordinator, queue_id)

    @property
    def available(self) -> bool:
        """Available while the link is up and the agent is still a member."""
        return super().available and self.queue_id in self.coordinator.data.memberships


class QueueEntities[D: QueueEntityDescription](_MembershipFollower):
    """A platform's entities of each queue: added as memberships come, forgotten as they go.

    Removal is `QueueDevices`' work (the device goes, and its entities with it); here a
    queue that comes back gets fresh entities. An entity whose description is not
    `present` yet (a counter the server has not sent) is added when it comes.
    """

    def __init__(
        self,
        coordinator: XivoCoordinator,
        async_add_entities: AddConfigEntryEntitiesCallback,
        entity_class: Callable[[XivoCoordinator, int, D], XivoQueueEntity[D]],
        descriptions: Iterable[D],
    ) -> None:
        """Prepare the queue entities of one platform."""
        super().__init__(coordinator)
        self._add = async_add_entities
        self._entity_class = entity_class
        self._descriptions = tuple(descriptions)
        self._known: set[tuple[int, str]] = set()

    def _parts(self, snapshot: XucSnapshot) -> tuple[object, ...]:
        return (snapshot.memberships, snapshot.queue_stats)

    def _apply(self, snapshot: XucSnapshot) -> None:
        memberships = snapshot.memberships
        self._known = {key for key in self._known if key[0] in memberships}
        new = [
            self._entity_class(self._coordinator, queue_id, description)
            for queue_id in memberships
            for description in self._descriptions
            if (queue_id, description.key) not in self._known
            and description.present_fn(snapshot, queue_id)
        ]
        self._known.update(
            (entity.queue_id, entity.entity_description.key) for entity in new
        )
        if new:
            self._add(new)
