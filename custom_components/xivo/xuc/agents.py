"""Contact-center agents and queues: models and the reading of their frames (§12, §13).

No source shows a captured frame of these types (§12.3, §13.2: assembled from the
fields the official clients read), so every reader here is liberal: ids may come as
numbers or numeric strings, a field of the wrong type is dropped rather than refused,
and only a frame without the one field it is about (an agent id, a queue id or name)
is a protocol error. Nothing here knows the snapshot: `agent_reducer` applies these
readings to it, keeping only what concerns the user's own agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
import logging
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol

from .exceptions import XucProtocolError
from .logonce import OnceLog
from .payload import require_dict, wire_text
from .scalars import parse_bool, parse_code, parse_number

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

_LOGGER = logging.getLogger(__name__)
_LOG: Final = OnceLog(_LOGGER)


class AgentStatus(StrEnum):
    """The state of an agent, from `AgentStateEvent.name` (§12.3)."""

    LOGGED_OUT = "logged_out"
    LOGGED_IN = "logged_in"
    READY = "ready"
    PAUSED = "paused"
    WRAPUP = "wrapup"
    ON_CALL = "on_call"
    RINGING = "ringing"
    DIALING = "dialing"


AGENT_STATUS_BY_NAME: Final[Mapping[str, AgentStatus]] = MappingProxyType(
    {
        "AgentLoggedOut": AgentStatus.LOGGED_OUT,
        "AgentLogin": AgentStatus.LOGGED_IN,
        "AgentReady": AgentStatus.READY,
        "AgentOnPause": AgentStatus.PAUSED,
        "AgentOnWrapup": AgentStatus.WRAPUP,
        "AgentOnCall": AgentStatus.ON_CALL,
        "AgentRinging": AgentStatus.RINGING,
        "AgentDialing": AgentStatus.DIALING,
    }
)
"""The wire names (§12.3); `AgentLoggedIn` appears in no source, `AgentLogin` does."""

_RECORDABLE: Final = frozenset({"ACTIVE", "PAUSED"})
# The longest time in a state taken as true (ten years); beyond, `since` is unknown.
_MAX_SINCE_SECONDS: Final = 10 * 365 * 86400
# Two readings of one state whose start differ by less than this are the same state:
# `since` is whole seconds counted at the server, the start is computed at receipt.
SINCE_TOLERANCE: Final = timedelta(seconds=2)


@dataclass(frozen=True, slots=True)
class AgentState:
    """One agent's state, as the latest `AgentStateEvent` about it told."""

    agent_id: int
    status: AgentStatus | None  # None: a state name this library does not know
    wire_name: str  # the `name` as received
    phone_number: str | None  # `phoneNb`; "" and the literal "null" -> None
    since: datetime | None  # aware UTC; None if absent or logged out
    queue_ids: tuple[int, ...] = ()  # `queues` as given, non-int items dropped
    cause: str | None = None  # the pause reason (a status name), only while paused
    acd: bool = False
    direction: str | None = None  # "Incoming" / "Outgoing" / other as received
    monitor_state: str | None = None  # "ACTIVE" / "PAUSED" / other as received

    @property
    def recordable(self) -> bool:
        """Whether the agent's recording can be paused or resumed (§12.7)."""
        return self.monitor_state in _RECORDABLE

    @property
    def recording(self) -> bool:
        """Whether the agent's calls are being recorded now (§12.7)."""
        return self.monitor_state == "ACTIVE"

    def same_as(self, other: AgentState | None) -> bool:
        """Whether `other` tells the same: equal but for a start within the tolerance.

        A server resends a state unchanged (`getAgentStates` at every connect, a
        repeated push); its start, computed anew at receipt, moves by the time in
        between rounded to the second. That is no change, and must cost no publish.
        """
        if other is None or self.since is None or other.since is None:
            return self == other
        return abs(self.since - other.since) < SINCE_TOLERANCE and _fields_but_since(
            self
        ) == _fields_but_since(other)


def _fields_but_since(state: AgentState) -> tuple[Any, ...]:
    return (
        state.agent_id,
        state.status,
        state.wire_name,
        state.phone_number,
        state.queue_ids,
        state.cause,
        state.acd,
        state.direction,
        state.monitor_state,
    )


@dataclass(frozen=True, slots=True)
class Queue:
    """A queue's configuration (`QueueList` item, `QueueConfig`)."""

    queue_id: int
    name: str  # technical name (PhoneEvent.queueName, QueueStatistics.queueRef)
    display_name: str  # `displayName`, falls back to `name`
    number: str | None = None


@dataclass(frozen=True, slots=True)
class QueueStats:
    """A queue's statistics counters, merged from `QueueStatistics` messages."""

    counters: Mapping[str, float]  # statName -> value

    def _counter(self, name: str) -> float | None:
        return self.counters.get(name)

    @property
    def waiting_calls(self) -> int | None:
        """Calls waiting in the queue now (`WaitingCalls`)."""
        value = self._counter("WaitingCalls")
        return None if value is None else max(int(value), 0)

    @property
    def longest_wait(self) -> float | None:
        """The longest current wait, in seconds (`LongestWaitTime`, §13.4)."""
        value = self._counter("LongestWaitTime")
        return None if value is None else max(value, 0.0)

    @property
    def available_agents(self) -> int | None:
        """Agents ready to take a call of the queue (`AvailableAgents`)."""
        value = self._counter("AvailableAgents")
        return None if value is None else max(int(value), 0)


# --- pause reasons ---------------------------------------------------------------------


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class StatusLike(Protocol):
    """What `pause_reasons` reads of a status (`models.Status` is one)."""

    @property
    def actions(self) -> Sequence[_Named]:
        """The PBX actions the status runs (`UsersStatuses`)."""
        ...

    @property
    def category(self) -> int | None:
        """`CtiStatuses.status`: 1 is a pause, by the seed's names (§12.6)."""
        ...


def pause_reasons[S: StatusLike](statuses: Iterable[S]) -> tuple[S, ...]:
    """The statuses that are pause reasons, in the server's order (§12.6).

    A status whose `actions` hold `queuepause_all` (`UsersStatuses`, as the official
    agent app classifies them); a status without actions (`CtiStatuses` carries none)
    whose category is 1, which the seed gives exactly those statuses.
    """
    return tuple(
        status
        for status in statuses
        if (
            any(action.name == "queuepause_all" for action in status.actions)
            if status.actions
            else status.category == 1
        )
    )


# --- readers ---------------------------------------------------------------------------


def positive_id(value: object) -> int | None:
    """An id as the wire may carry it (number or numeric string) if positive, else None.

    What a user without an agent gets as `agentId` is not known (§18.1): 0, -1, null
    and absence all mean "none".
    """
    number = parse_code(value)
    return number if number is not None and number > 0 else None


def agent_id_of(payload: Any) -> int | None:
    """The agent a frame is about (`agentId`), cheaply: the filter of every push."""
    if not isinstance(payload, dict):
        return None
    raw = payload.get("agentId")
    if raw.__class__ is int:  # the common case, and no bool (a subclass)
        return raw if raw > 0 else None
    return positive_id(raw)


def _phone_number(value: object) -> str | None:
    text = wire_text(value)
    if text is None:
        return None
    text = text.strip()
    return None if text in {"", "null"} else text


def _since(value: object, received: datetime) -> datetime | None:
    seconds = parse_number(value)
    if seconds is None or not 0 <= seconds <= _MAX_SINCE_SECONDS:
        return None
    return received - timedelta(seconds=seconds)


def _status(name: str) -> AgentStatus | None:
    status = AGENT_STATUS_BY_NAME.get(name)
    if status is None:
        _LOG.warning(
            f"agent-state:{name:.40}",
            "Unknown agent state %.40r; the agent's state is shown as unknown",
            name,
        )
    return status


def parse_agent_state(payload: Any, received: datetime) -> AgentState:
    """Read an `AgentStateEvent`; `received` (aware) dates its `since` seconds.

    Raises `XucProtocolError` without an agent id or a state name.
    """
    data = require_dict(payload, "AgentStateEvent")
    agent_id = agent_id_of(data)
    name = wire_text(data.get("name"))
    if agent_id is None or not name:
        raise XucProtocolError("AgentStateEvent lacks an agent id or a state name")
    status = _status(name)
    queues = data.get("queues")
    return AgentState(
        agent_id=agent_id,
        status=status,
        wire_name=name,
        phone_number=_phone_number(data.get("phoneNb")),
        since=None
        if status is AgentStatus.LOGGED_OUT
        else _since(data.get("since"), received),
        queue_ids=tuple(item for item in queues if item.__class__ is int and item >= 0)
        if isinstance(queues, list)
        else (),
        cause=(wire_text(data.get("cause")) or None)
        if status is AgentStatus.PAUSED
        else None,
        acd=parse_bool(data.get("acd")),
        direction=wire_text(data.get("direction")) or None,
        monitor_state=wire_text(data.get("monitorState")) or None,
    )


def _items(payload: Any, msg_type: str) -> list[Any]:
    """A list message's items: a bare array, or the first array inside an object."""
    if isinstance(payload, dict):
        payload = next(
            (value for value in payload.values() if isinstance(value, list)), None
        )
    if not isinstance(payload, list):
        raise XucProtocolError(f"{msg_type} payload is not a list")
    return payload


def parse_queue(item: Any) -> Queue | None:
    """A queue from a `QueueList` item or a `QueueConfig`; None without id or name."""
    if not isinstance(item, dict):
        return None
    queue_id = positive_id(item.get("id"))
    name = wire_text(item.get("name"))
    if queue_id is None or not name:
        return None
    return Queue(
        queue_id=queue_id,
        name=name,
        display_name=wire_text(item.get("displayName")) or name,
        number=wire_text(item.get("number")) or None,
    )


def parse_queues(payload: Any, msg_type: str) -> list[Queue]:
    """The queues of a `QueueList` (or of a `QueueConfig`, one object or several).

    A non-empty list none of whose items can be read is a protocol error.
    """
    items = [payload] if isinstance(payload, dict) and "id" in payload else None
    items = items or _items(payload, msg_type)
    queues = [queue for queue in map(parse_queue, items) if queue is not None]
    if items and not queues:
        raise XucProtocolError(f"{msg_type} has no queue with an id and a name")
    return queues


@dataclass(frozen=True, slots=True)
class Membership:
    """One `QueueMember`: an agent in a queue; a negative penalty: no longer in it."""

    agent_id: int
    queue_id: int
    penalty: int

    @property
    def member(self) -> bool:
        """Whether the agent is in the queue (§13.2: a negative penalty removes)."""
        return self.penalty >= 0


def parse_membership(item: Any) -> Membership | None:
    """A `QueueMember` (or list item); None if it lacks an agent or a queue.

    A missing penalty is read as 0 (a member), the liberal reading; a penalty that is
    no whole number makes the item unreadable.
    """
    if not isinstance(item, dict):
        return None
    agent_id = agent_id_of(item)
    queue_id = positive_id(item.get("queueId"))
    penalty = parse_code(item.get("penalty", 0))
    if agent_id is None or queue_id is None or penalty is None:
        return None
    return Membership(agent_id=agent_id, queue_id=queue_id, penalty=penalty)


def parse_memberships(payload: Any) -> list[Membership]:
    """The items of a `QueueMemberList` that can be read (others dropped)."""
    items = _items(payload, "QueueMemberList")
    return [m for m in map(parse_membership, items) if m is not None]


@dataclass(frozen=True, slots=True)
class StatsReading:
    """One `QueueStatistics`: the queue (by id, else by name) and its counters."""

    queue_id: int | None
    queue_ref: str | None
    counters: Mapping[str, float]


def parse_queue_stats(payload: Any) -> StatsReading:
    """Read a `QueueStatistics` (§13.4); counters that are no number are dropped.

    `counters` is a list of `{statName, value}`; an object of names to values is
    read too (no source shows one; it costs nothing to accept).

    Raises `XucProtocolError` when neither `queueId` nor `queueRef` names the queue.
    """
    data = require_dict(payload, "QueueStatistics")
    queue_id = positive_id(data.get("queueId"))
    queue_ref = wire_text(data.get("queueRef")) or None
    if queue_id is None and queue_ref is None:
        raise XucProtocolError("QueueStatistics names no queue")
    raw = data.get("counters")
    if isinstance(raw, dict):  # `{statName: value}`, the liberal reading
        raw = [{"statName": name, "value": value} for name, value in raw.items()]
    counters: dict[str, float] = {}
    for item in raw if isinstance(raw, list) else ():
        if not isinstance(item, dict):
            continue
        name = wire_text(item.get("statName"))
        value = parse_number(item.get("value"))
        if name and value is not None:
            counters[name] = value
    return StatsReading(queue_id=queue_id, queue_ref=queue_ref, counters=counters)
