"""How the contact-center frames change the snapshot: the user's own agent only.

A server without a supervisor profile sends **every** agent's `AgentStateEvent` and
every queue's statistics (§12.8), maybe a thousand a second in a big call center. So
each handler first asks whether the frame is about the user's own agent (or one of
its queues) and returns the very snapshot it was given when not: no copy, no
publish. Until the user's `agentId` is known, no agent frame is kept.

Two frames change the snapshot without changing anything the user's agent shows: the
statistics of a queue the agent is not in, and the configuration of such a queue
(kept so that a membership that comes later finds its name and counters at once).
`quiet` tells the session so, and it skips telling the listeners.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .agents import (
    QueueStats,
    agent_id_of,
    parse_agent_state,
    parse_membership,
    parse_memberships,
    parse_queue_stats,
    parse_queues,
)
from .exceptions import XucProtocolError
from .models import EMPTY_MAPPING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .models import UserConfig, XucSnapshot
    from .phone_events import CallEvents

type Reduction = tuple[XucSnapshot, CallEvents]
_NO_EVENTS: Final[CallEvents] = ()

QUIET_TYPES: Final = frozenset({"QueueStatistics", "QueueConfig", "QueueList"})
"""Types whose change may concern only queues the agent is not in (see `quiet`)."""


def agent_changes(snapshot: XucSnapshot, user: UserConfig) -> dict[str, Any]:
    """The snapshot's changes when `user` replaces its user: none, unless the agent changed.

    What was known of a previous agent (its state, its memberships) is not the new
    agent's: it goes, and the new agent's frames fill it again. The reducer and the
    batch of frequent pushes both apply this with a new `UserConfigUpdate`.
    """
    if user.agent_id == snapshot.user.agent_id or (
        snapshot.agent is None and not snapshot.memberships
    ):
        return {}
    return {"agent": None, "memberships": EMPTY_MAPPING}


def apply_agent_state(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """The own agent's state; another agent's event is dropped before it is read.

    Whether `getAgentStates` answers one event per agent or one list is not known
    (§18.8): a list of events is read too, its last own item counting.
    """
    own = snapshot.user.agent_id
    if isinstance(payload, list):
        mine = [item for item in payload if agent_id_of(item) == own]
        payload = mine[-1] if mine and own is not None else {}
    if own is None or agent_id_of(payload) != own:
        if not isinstance(payload, dict):
            raise XucProtocolError("AgentStateEvent payload is not an object")
        return snapshot, _NO_EVENTS
    state = parse_agent_state(payload, datetime.now(UTC))
    if state.same_as(snapshot.agent):
        return snapshot, _NO_EVENTS
    return snapshot.evolve(agent=state), _NO_EVENTS


def _with_queues(snapshot: XucSnapshot, payload: Any, msg_type: str) -> Reduction:
    """Merge queue configurations by id (a list may name only some of them)."""
    read = {queue.queue_id: queue for queue in parse_queues(payload, msg_type)}
    changed = {qid: q for qid, q in read.items() if snapshot.queues.get(qid) != q}
    if not changed:
        return snapshot, _NO_EVENTS
    merged = MappingProxyType({**snapshot.queues, **changed})
    return snapshot.evolve(queues=merged), _NO_EVENTS


def apply_queue_list(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """`QueueList`: every queue's configuration, merged into those known."""
    return _with_queues(snapshot, payload, "QueueList")


def apply_queue_config(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """`QueueConfig`: one queue's configuration changed (or was added)."""
    return _with_queues(snapshot, payload, "QueueConfig")


def _with_memberships(snapshot: XucSnapshot, memberships: dict[int, int]) -> Reduction:
    if memberships == snapshot.memberships:
        return snapshot, _NO_EVENTS
    return snapshot.evolve(memberships=MappingProxyType(memberships)), _NO_EVENTS


def apply_member_list(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """`QueueMemberList`: the whole list, so it replaces the own agent's memberships.

    A membership that ended while the link was down must not stay; the other agents'
    items are ignored. Items that cannot be read are dropped.
    """
    own = snapshot.user.agent_id
    members = parse_memberships(payload)
    if own is None:
        return snapshot, _NO_EVENTS
    memberships = {
        m.queue_id: m.penalty for m in members if m.agent_id == own and m.member
    }
    return _with_memberships(snapshot, memberships)


def apply_member(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """`QueueMember`: the own agent joined a queue, changed penalty, or left (< 0)."""
    own = snapshot.user.agent_id
    if own is None or agent_id_of(payload) != own:
        if not isinstance(payload, dict):
            raise XucProtocolError("QueueMember payload is not an object")
        return snapshot, _NO_EVENTS
    membership = parse_membership(payload)
    if membership is None:
        raise XucProtocolError("QueueMember lacks a queue id or a whole penalty")
    memberships = dict(snapshot.memberships)
    if membership.member:
        memberships[membership.queue_id] = membership.penalty
    else:
        memberships.pop(membership.queue_id, None)
    return _with_memberships(snapshot, memberships)


def _queue_id_by_name(queues: Mapping[int, Any], name: str) -> int | None:
    return next((qid for qid, queue in queues.items() if queue.name == name), None)


def apply_queue_stats(snapshot: XucSnapshot, payload: Any) -> Reduction:
    """`QueueStatistics`: counters merged (a message may carry a subset, §13.4).

    A message may name its queue by `queueRef`, the queue's technical name, instead
    of `queueId`; it is mapped through the queues known, and dropped when no known
    queue has that name (the `QueueList` that would tell has not come).
    """
    reading = parse_queue_stats(payload)
    queue_id = reading.queue_id
    if queue_id is None and reading.queue_ref is not None:
        queue_id = _queue_id_by_name(snapshot.queues, reading.queue_ref)
    if queue_id is None or not reading.counters:
        return snapshot, _NO_EVENTS
    old = snapshot.queue_stats.get(queue_id)
    counters = dict(old.counters) if old is not None else {}
    counters.update(reading.counters)
    if old is not None and counters == old.counters:
        return snapshot, _NO_EVENTS
    stats = dict(snapshot.queue_stats)
    stats[queue_id] = QueueStats(counters=MappingProxyType(counters))
    return snapshot.evolve(queue_stats=MappingProxyType(stats)), _NO_EVENTS


def quiet(old: XucSnapshot, new: XucSnapshot) -> bool:
    """Whether a change by one of `QUIET_TYPES` concerns no queue the agent is in.

    Only the two fields those types write are compared, and only for the agent's
    queues: a handful of look-ups, whatever the number of queues.
    """
    for queue_id in new.memberships:
        if old.queue_stats.get(queue_id) is not new.queue_stats.get(queue_id):
            return False
        if old.queues.get(queue_id) is not new.queues.get(queue_id):
            return False
    return True


def stats_wanted(msg_type: str, old: XucSnapshot, new: XucSnapshot) -> bool:
    """Whether the agent just joined a queue: its statistics are to be asked for.

    A server that filters statistics by profile (§12.8) sends a queue's only while
    the agent is in it, and may not push them until they change: what is known of a
    queue joined again may be stale, of a new one nothing. Subscribing again asks for
    the current ones (a subscription reads, it changes nothing on the server). A
    `QueueMemberList` is no join: the session's own subscription follows it.
    """
    return msg_type == "QueueMember" and any(
        queue_id not in old.memberships for queue_id in new.memberships
    )


AGENT_HANDLERS: Final[Mapping[str, Callable[[XucSnapshot, Any], Reduction]]] = (
    MappingProxyType(
        {
            "AgentStateEvent": apply_agent_state,
            "QueueList": apply_queue_list,
            "QueueConfig": apply_queue_config,
            "QueueMemberList": apply_member_list,
            "QueueMember": apply_member,
            "QueueStatistics": apply_queue_stats,
        }
    )
)
