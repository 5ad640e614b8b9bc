"""Queues of the simulated contact center: configurations, members, callers, statistics.

Choices where the reference is silent (§13, §18.13-18.17):

* ``QueueList`` items are ``{"id", "name", "displayName", "number"}`` (``id`` a
  number, ``number`` a string); every session that asks gets every queue.
* ``QueueMemberList`` items and ``QueueMember`` pushes are ``{"agentId",
  "queueId", "penalty"}``; a removal is a ``QueueMember`` with ``penalty: -1``.
  Pushes go to the sessions that asked ``getList("queuemember")`` (D2: a list
  request subscribes to its changes), filtered by ``agent_scope``.
* ``subscribeToQueueStats`` answers at once with one ``QueueStatistics`` per
  visible queue (every counter), then pushes the counters a change touches only
  (a caller: ``WaitingCalls``, ``LongestWaitTime`` and a total; an agent:
  ``AvailableAgents``, ``LoggedAgents``, ``TalkingAgents``). The queue is named
  by ``queueId``, or by ``queueRef`` (its name) under ``queue_stats_key="ref"``.
  ``LongestWaitTime`` is whole seconds, pushed on events only (not as it grows).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .core import SimSession, SimulatorCore

if TYPE_CHECKING:
    from .data import SimAgent, SimQueue
    from .payloads import Json

CALLER_COUNTERS = ("WaitingCalls", "LongestWaitTime", "TotalNumberCallsEntered")
ABANDON_COUNTERS = (*CALLER_COUNTERS[:2], "TotalNumberCallsAbandonned")
AGENT_COUNTERS = ("AvailableAgents", "LoggedAgents", "TalkingAgents")
ALL_COUNTERS = (*CALLER_COUNTERS, "TotalNumberCallsAbandonned", *AGENT_COUNTERS)


def queue_config(queue: SimQueue) -> Json:
    """A ``QueueList`` item, or a ``QueueConfig``."""
    return {
        "id": queue.queue_id,
        "name": queue.name,
        "displayName": queue.display_name,
        "number": queue.number,
    }


class QueueHooks(SimulatorCore):
    """Who sees what of the queues, their statistics, and the caller hooks."""

    def _own_agent_id(self, session: SimSession) -> int:
        """The agent of a session's user (0: none)."""
        user = self.data.user(session.login)
        return user.agent_id if user is not None else 0

    def _sees_agent(self, session: SimSession, agent_id: int) -> bool:
        """Whether the profile lets this session see this agent's frames (§12.8)."""
        return (
            self.profile.agent_scope == "all" or self._own_agent_id(session) == agent_id
        )

    def _sees_queue(self, session: SimSession, queue_id: int) -> bool:
        """Whether the profile lets this session see this queue's statistics."""
        if self.profile.agent_scope == "all":
            return True
        return (self._own_agent_id(session), queue_id) in self.data.memberships

    def queue_ids_of(self, agent_id: int) -> list[int]:
        """The queues an agent is in, by id."""
        return sorted(q for a, q in self.data.memberships if a == agent_id)

    def _members(self, queue: SimQueue) -> list[SimAgent]:
        return [
            agent
            for agent in self.data.agents
            if (agent.agent_id, queue.queue_id) in self.data.memberships
        ]

    def counters(self, queue: SimQueue, names: tuple[str, ...] = ALL_COUNTERS) -> Json:
        """The named counters of a queue, as their values now."""
        members = self._members(queue)
        now = time.time()
        values: dict[str, float] = {
            "WaitingCalls": len(queue.waiting),
            "LongestWaitTime": int(now - queue.waiting[0]) if queue.waiting else 0,
            "TotalNumberCallsEntered": queue.entered,
            "TotalNumberCallsAbandonned": queue.abandoned,
            "AvailableAgents": sum(a.state == "AgentReady" for a in members),
            "LoggedAgents": sum(a.state != "AgentLoggedOut" for a in members),
            "TalkingAgents": sum(a.state == "AgentOnCall" for a in members),
        }
        return {name: values[name] for name in names}

    def queue_statistics(
        self, queue: SimQueue, names: tuple[str, ...] = ALL_COUNTERS
    ) -> Json:
        """A ``QueueStatistics`` payload, keyed as the profile says (§13.4)."""
        payload: Json = (
            {"queueRef": queue.name}
            if self.profile.queue_stats_key == "ref"
            else {"queueId": queue.queue_id}
        )
        payload["counters"] = [
            {"statName": name, "value": value}
            for name, value in self.counters(queue, names).items()
        ]
        return payload

    async def _push_stats(self, queue: SimQueue, names: tuple[str, ...]) -> None:
        """Push some counters of a queue to the sessions subscribed that may see it."""
        payload = self.queue_statistics(queue, names)
        for session in self.sessions:
            if session.queue_stats and self._sees_queue(session, queue.queue_id):
                await self._send(session, "QueueStatistics", payload)

    async def _push_agent_counters(self, agent_id: int) -> None:
        """An agent changed: the agent counters of its queues."""
        for queue_id in self.queue_ids_of(agent_id):
            queue = self.data.queue(queue_id)
            if queue is not None:
                await self._push_stats(queue, AGENT_COUNTERS)

    async def _send_stats_snapshot(self, session: SimSession) -> None:
        """``subscribeToQueueStats``: every visible queue's counters, then pushes."""
        session.queue_stats = True
        for queue in self.data.queues:
            if self._sees_queue(session, queue.queue_id):
                await self._send(
                    session, "QueueStatistics", self.queue_statistics(queue)
                )

    def _require_queue(self, queue_id: int) -> SimQueue:
        queue = self.data.queue(queue_id)
        if queue is None:
            raise ValueError(f"Unknown queue {queue_id!r}")
        return queue

    async def add_caller(self, queue_id: int, *, waited: float = 0.0) -> int:
        """A caller enters the queue (waiting for ``waited`` s already); the count."""
        queue = self._require_queue(queue_id)
        queue.waiting.append(time.time() - waited)
        queue.waiting.sort()
        queue.entered += 1
        await self._push_stats(queue, CALLER_COUNTERS)
        return len(queue.waiting)

    async def remove_caller(self, queue_id: int, *, abandoned: bool = False) -> int:
        """The longest-waiting caller leaves (answered, or hung up); the count left.

        ValueError when nobody waits.
        """
        queue = self._require_queue(queue_id)
        if not queue.waiting:
            raise ValueError(f"Nobody waits in queue {queue_id}")
        queue.waiting.pop(0)
        queue.abandoned += abandoned
        await self._push_stats(
            queue, ABANDON_COUNTERS if abandoned else CALLER_COUNTERS[:2]
        )
        return len(queue.waiting)

    async def _push_member(self, agent_id: int, queue_id: int, penalty: int) -> None:
        """``QueueMember`` to the sessions that listed members and may see the agent."""
        payload = {"agentId": agent_id, "queueId": queue_id, "penalty": penalty}
        for session in self.sessions:
            if "queuemember" in session.lists and self._sees_agent(session, agent_id):
                await self._send(session, "QueueMember", payload)

    def member_list(self, session: SimSession) -> list[Json]:
        """The ``QueueMemberList`` a session may see."""
        return [
            {"agentId": agent_id, "queueId": queue_id, "penalty": penalty}
            for (agent_id, queue_id), penalty in sorted(self.data.memberships.items())
            if self._sees_agent(session, agent_id)
        ]
