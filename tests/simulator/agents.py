"""Agents of the simulated contact center: their states, their commands, the hooks.

Choices where the reference is silent (§12, §18.1-18.11):

* ``AgentStateEvent``: ``{"agentId", "name", "phoneNb", "since", "queues",
  "acd", "monitorState"}``, plus ``cause`` while paused for a reason and
  ``direction`` while on a call. ``phoneNb`` is the string ``"null"`` when
  logged out (S3 guards against it); ``since`` whole seconds; ``queues`` the ids
  of the agent's queues. ``getAgentStates`` answers one event per visible agent;
  after ``subscribeToAgentEvents`` every change is pushed, filtered by
  ``agent_scope`` (``"all"``: every agent, the no-profile server of §12.8).
* ``agentLogin``: an unknown line is ``{"Error": "PhoneNumberUnknown"}``; logged
  in on another line ``{"Error": "LoggedInOnAnotherPhone", "phoneNb",
  "RequestedNb"}`` (the agent stays); a line another agent uses logs that one out
  first (the takeover of §12.4). Both errors go to the sender as ``AgentError``,
  or ``Error`` under ``agent_error_type``. A login gives ``AgentLogin`` then
  ``AgentReady``.
* Every state command pushes the resulting state, also when nothing changed
  (logging in on the same line, unpausing a ready agent). Pausing or unpausing a
  logged-out agent, an unknown ``reason``, or a recording command while recording
  is off (``monitorState`` neither ``ACTIVE`` nor ``PAUSED``) is an ``Error``.
* Commands without ``agentid``/``agentId`` act on the user's own agent (§12.1).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .data import SimAgent, SimData, SimQueue
from .errors import CommandError
from .queues import QueueHooks, queue_config

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .core import SimSession
    from .data import SimUser
    from .payloads import Json

_STR = "string"  # the argument kinds of ``commands._check_kind``
_INT = "integer"
PAUSED = "AgentOnPause"
LOGGED_OUT = "AgentLoggedOut"
RECORDABLE = ("ACTIVE", "PAUSED")
LIST_TYPES = ("queue", "queuemember", "agent")


class AgentHooks(QueueHooks):
    """Agent state: its frame, who sees it, and the hooks that change it."""

    def agent_state(self, agent: SimAgent) -> Json:
        """The ``AgentStateEvent`` payload of an agent now."""
        payload: Json = {
            "agentId": agent.agent_id,
            "name": agent.state,
            "phoneNb": agent.phone_number or "null",
            "since": max(int(time.time() - agent.since), 0),
            "queues": self.queue_ids_of(agent.agent_id),
            "acd": agent.acd,
            "monitorState": agent.monitor_state,
        }
        if agent.state == PAUSED and agent.cause:
            payload["cause"] = agent.cause
        if agent.direction and agent.state not in (PAUSED, LOGGED_OUT):
            payload["direction"] = agent.direction
        return payload

    async def _push_agent(self, agent: SimAgent) -> None:
        """The agent's state to every subscribed session that may see it."""
        payload = self.agent_state(agent)
        for session in self.sessions:
            if session.agent_events and self._sees_agent(session, agent.agent_id):
                await self._send(session, "AgentStateEvent", payload)

    def _require_agent(self, agent_id: int) -> SimAgent:
        agent = self.data.agent(agent_id)
        if agent is None:
            raise ValueError(f"Unknown agent {agent_id!r}")
        return agent

    async def set_agent_state(
        self,
        agent_id: int,
        state: str,
        *,
        phone_number: str | None = None,
        cause: str | None = None,
        acd: bool = False,
        direction: str | None = None,
    ) -> None:
        """Any agent changes state (another client, a call, a supervisor); pushed.

        Logged out, the agent loses its line; otherwise ``phone_number`` (if given)
        replaces it. The state's start is now.
        """
        agent = self._require_agent(agent_id)
        agent.state = state
        agent.since = time.time()
        agent.cause = cause if state == PAUSED else None
        agent.acd = acd
        agent.direction = direction
        if state == LOGGED_OUT:
            agent.phone_number = None
        elif phone_number is not None:
            agent.phone_number = phone_number
        await self._push_agent(agent)
        await self._push_agent_counters(agent_id)

    async def set_monitor_state(self, agent_id: int, monitor_state: str) -> None:
        """Recording of the agent's calls turned on (``ACTIVE``), paused, or off."""
        agent = self._require_agent(agent_id)
        agent.monitor_state = monitor_state
        await self._push_agent(agent)

    async def set_membership(self, agent_id: int, queue_id: int, penalty: int) -> None:
        """An agent joins a queue, changes penalty, or leaves it (``penalty < 0``)."""
        agent = self._require_agent(agent_id)
        self._require_queue(queue_id)
        if penalty < 0:
            self.data.memberships.pop((agent_id, queue_id), None)
            penalty = -1
        else:
            self.data.memberships[(agent_id, queue_id)] = penalty
        await self._push_member(agent_id, queue_id, penalty)
        await self._push_agent(agent)  # its `queues` changed
        await self._push_agent_counters(agent_id)
        queue = self.data.queue(queue_id)
        if queue is not None and penalty < 0:
            await self._push_stats(queue, ("AvailableAgents", "LoggedAgents"))

    async def login_agent(self, agent_id: int, phone_number: str) -> None:
        """Log an agent in on a line; another agent on that line is logged out first."""
        for other in self.data.agents:
            if other.agent_id != agent_id and other.phone_number == phone_number:
                await self.set_agent_state(other.agent_id, LOGGED_OUT)
        await self.set_agent_state(agent_id, "AgentLogin", phone_number=phone_number)
        await self.set_agent_state(agent_id, "AgentReady")


class AgentCommands(AgentHooks):
    """The agent and queue commands, and the lists (``getList``)."""

    def _agent_of(self, user: SimUser, frame: Json, key: str) -> SimAgent:
        """The agent a command names (``key``), else the user's own (§12.1)."""
        agent_id = frame.get(key, user.agent_id)
        agent = self.data.agent(agent_id) if agent_id else None
        if agent is None:
            raise CommandError(f"Cannot {frame['command']}: no agent {agent_id!r}")
        return agent

    async def _agent_error(self, session: SimSession, payload: Json) -> None:
        await self._send(session, self.profile.agent_error_type, payload)

    async def _cmd_agent_login(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``agentLogin``: the cases of §12.4, the takeover included."""
        agent = self._agent_of(user, frame, "agentid")
        number = frame["agentphonenumber"]
        lines = {u.line_number for u in self.data.users if u.has_line}
        if number not in lines:
            await self._agent_error(session, {"Error": "PhoneNumberUnknown"})
        elif agent.state == LOGGED_OUT:
            await self.login_agent(agent.agent_id, number)
        elif agent.phone_number not in (None, number):
            await self._agent_error(
                session,
                {
                    "Error": "LoggedInOnAnotherPhone",
                    "phoneNb": agent.phone_number,
                    "RequestedNb": number,
                },
            )
        else:
            await self._push_agent(agent)  # already there: it stays

    async def _cmd_agent_logout(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``agentLogout`` → ``AgentLoggedOut``."""
        agent = self._agent_of(user, frame, "agentid")
        await self.set_agent_state(agent.agent_id, LOGGED_OUT)

    def _logged_in(self, user: SimUser, frame: Json) -> SimAgent:
        agent = self._agent_of(user, frame, "agentid")
        if agent.state == LOGGED_OUT:
            raise CommandError(f"Cannot {frame['command']}: the agent is logged out")
        return agent

    async def _cmd_pause_agent(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``pauseAgent`` [``reason``: a status name] → ``AgentOnPause``."""
        agent = self._logged_in(user, frame)
        reason = frame.get("reason")
        if reason is not None and self.data.status(reason) is None:
            raise CommandError(f"Invalid pauseAgent: unknown reason {reason!r}")
        await self.set_agent_state(agent.agent_id, PAUSED, cause=reason)

    async def _cmd_unpause_agent(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``unpauseAgent`` → ``AgentReady`` (from pause, wrap-up, or ready)."""
        agent = self._logged_in(user, frame)
        await self.set_agent_state(agent.agent_id, "AgentReady")

    async def _recording(self, user: SimUser, frame: Json, monitor_state: str) -> None:
        agent = self._agent_of(user, frame, "agentid")
        if agent.monitor_state not in RECORDABLE:
            raise CommandError(f"Cannot {frame['command']}: recording is off")
        await self.set_monitor_state(agent.agent_id, monitor_state)

    async def _cmd_monitor_pause(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``monitorPause`` → ``monitorState: PAUSED``."""
        await self._recording(user, frame, "PAUSED")

    async def _cmd_monitor_unpause(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``monitorUnpause`` → ``monitorState: ACTIVE``."""
        await self._recording(user, frame, "ACTIVE")

    def _queue_of(self, frame: Json) -> SimQueue:
        queue = self.data.queue(frame["queueId"])
        if queue is None:
            raise CommandError(
                f"Cannot {frame['command']}: no queue {frame['queueId']}"
            )
        return queue

    async def _cmd_set_agent_queue(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``setAgentQueue`` (camelCase ``agentId``) → ``QueueMember``."""
        agent = self._agent_of(user, frame, "agentId")
        queue = self._queue_of(frame)
        if frame["penalty"] < 0:
            raise CommandError("Invalid setAgentQueue: a penalty is 0 or more")
        await self.set_membership(agent.agent_id, queue.queue_id, frame["penalty"])

    async def _cmd_remove_agent_from_queue(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``removeAgentFromQueue`` → ``QueueMember`` with ``penalty: -1``."""
        agent = self._agent_of(user, frame, "agentId")
        queue = self._queue_of(frame)
        await self.set_membership(agent.agent_id, queue.queue_id, -1)

    async def _cmd_get_agent_states(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getAgentStates`` → one ``AgentStateEvent`` per visible agent."""
        for agent in self.data.agents:
            if self._sees_agent(session, agent.agent_id):
                await self._send(session, "AgentStateEvent", self.agent_state(agent))

    async def _cmd_subscribe_agents(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``subscribeToAgentEvents``: no reply; changes are pushed from now on."""
        session.agent_events = True

    async def _cmd_subscribe_queue_stats(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``subscribeToQueueStats`` → the counters now, then changes."""
        await self._send_stats_snapshot(session)

    async def _cmd_get_list(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getList`` of ``queue``, ``queuemember`` or ``agent`` (§13.1)."""
        object_type = frame["objectType"]
        if object_type not in LIST_TYPES:
            raise CommandError(f"Unsupported objectType {object_type!r} for getList")
        session.lists.add(object_type)
        if object_type == "queue":
            payload: list[Json] = [queue_config(q) for q in self.data.queues]
            await self._send(session, "QueueList", payload)
        elif object_type == "queuemember":
            await self._send(session, "QueueMemberList", self.member_list(session))
        else:
            payload = [_agent_config(self.data, a) for a in self.data.agents]
            await self._send(session, "AgentList", payload)


def _agent_config(data: SimData, agent: SimAgent) -> Json:
    """An ``AgentList`` item (§13.2)."""
    user = data.user(agent.login) if agent.login else None
    return {
        "id": agent.agent_id,
        "userId": user.user_id if user is not None else None,
        "firstName": agent.first_name,
        "lastName": agent.last_name,
        "number": agent.number,
    }


type AgentHandler = Callable[
    [AgentCommands, SimSession, SimUser, Json], Awaitable[None]
]

_AGENT = (("agentid", _INT, False),)
_QUEUE = (("agentId", _INT, False), ("queueId", _INT, True))

AGENT_COMMANDS: dict[str, tuple[tuple[tuple[str, str, bool], ...], AgentHandler]] = {
    "agentLogin": (
        (("agentphonenumber", _STR, True), *_AGENT),
        AgentCommands._cmd_agent_login,
    ),
    "agentLogout": (_AGENT, AgentCommands._cmd_agent_logout),
    "pauseAgent": ((*_AGENT, ("reason", _STR, False)), AgentCommands._cmd_pause_agent),
    "unpauseAgent": (_AGENT, AgentCommands._cmd_unpause_agent),
    "monitorPause": (_AGENT, AgentCommands._cmd_monitor_pause),
    "monitorUnpause": (_AGENT, AgentCommands._cmd_monitor_unpause),
    "setAgentQueue": (
        (*_QUEUE, ("penalty", _INT, True)),
        AgentCommands._cmd_set_agent_queue,
    ),
    "removeAgentFromQueue": (_QUEUE, AgentCommands._cmd_remove_agent_from_queue),
    "getAgentStates": ((), AgentCommands._cmd_get_agent_states),
    "subscribeToAgentEvents": ((), AgentCommands._cmd_subscribe_agents),
    "subscribeToQueueStats": ((), AgentCommands._cmd_subscribe_queue_stats),
    "getList": ((("objectType", _STR, True),), AgentCommands._cmd_get_list),
}
"""The contact-center commands, for ``commands.py``'s table."""

AGENT_STATE_COMMANDS: frozenset[str] = frozenset(
    {
        "agentLogin",
        "agentLogout",
        "pauseAgent",
        "unpauseAgent",
        "setAgentQueue",
        "removeAgentFromQueue",
        "monitorPause",
        "monitorUnpause",
    }
)
"""The commands above that change the server's state (the others only read it)."""

DEFAULT_QUEUES: tuple[tuple[int, str, str, str], ...] = (
    (1, "bluesky", "Blue Sky", "3000"),
    (2, "support", "Support", "3001"),
)


def make_agent(
    data: SimData,
    login: str = "alice",
    *,
    agent_id: int = 12,
    number: str = "2000",
    queues: dict[int, int] | None = None,
    state: str = LOGGED_OUT,
    monitor_state: str = "DISABLED",
) -> SimAgent:
    """Make a user an agent, by default in the two ``DEFAULT_QUEUES`` (penalty 0).

    The queues are created when missing; ``queues`` maps queue id to penalty. A
    logged-in ``state`` puts the agent on the user's line.
    """
    user = data.user(login)
    if user is None:
        raise ValueError(f"Unknown login {login!r}")
    for queue_id, name, display, queue_number in DEFAULT_QUEUES:
        if data.queue(queue_id) is None:
            data.queues.append(SimQueue(queue_id, name, display, queue_number))
    user.agent_id = agent_id
    first, _, last = user.full_name.partition(" ")
    agent = SimAgent(
        agent_id,
        number,
        login,
        first,
        last,
        state=state,
        since=time.time(),
        phone_number=None if state == LOGGED_OUT else user.line_number,
        monitor_state=monitor_state,
    )
    data.agents = [a for a in data.agents if a.agent_id != agent_id] + [agent]
    for queue_id, penalty in (queues if queues is not None else {1: 0, 2: 0}).items():
        data.memberships[(agent_id, queue_id)] = penalty
    return agent


def add_agents(
    data: SimData, count: int, *, first_id: int = 100, queue_id: int | None = 1
) -> list[SimAgent]:
    """``count`` agents of no user of interest, ready, in ``queue_id`` if it exists.

    The colleagues whose events a no-profile server pushes too (§12.8).
    """
    agents = [
        SimAgent(
            agent_id,
            str(5000 + agent_id),
            first_name="Agent",
            last_name=str(agent_id),
            state="AgentReady",
            since=time.time(),
            phone_number=str(6000 + agent_id),
        )
        for agent_id in range(first_id, first_id + count)
    ]
    data.agents.extend(agents)
    if queue_id is not None and data.queue(queue_id) is not None:
        for agent in agents:
            data.memberships[(agent.agent_id, queue_id)] = 0
    return agents
