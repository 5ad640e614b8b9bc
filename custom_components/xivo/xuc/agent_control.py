"""Controlling the user's own agent (§12.2, §12.7) and its queue memberships (§13.3).

A mixin of `XucClient`, as `call_control` is. No agent command has a reply of its
own: its outcome is a push. So each command waits, as the official agent app does
(`XucAgentUser`: 5 s), for the push that shows it done — an `AgentStateEvent` of the
own agent in the target state, or a `QueueMember` for the queue — and fails with
`XucTimeoutError` when none comes. When the snapshot already shows the target state,
the command is still sent (the server is the judge) but nothing is awaited: no push
may come for a change that is none.

Spelling (§12.2): `agentid` in lower case for the agent commands, `agentId` in
camelCase for the queue commands. Every command names the own agent explicitly: the
contract of this library, and what a supervisor-style server needs; servers also act
on the own agent without it (§12.1).

Refusals (§12.4, §12.5): an `AgentError` while a command waits — or a generic `Error`
naming one of the documented agent errors, which servers may use instead (§18.7) —
fails it with `XucAgentError`. Which command a refusal answers is not in the frame:
while several commands wait, it fails them all.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Final, Protocol

from .agents import AgentState, AgentStatus, agent_id_of, parse_membership
from .exceptions import (
    XucAgentError,
    XucNoAgentError,
    XucNotConnectedError,
    XucTimeoutError,
)
from .payload import wire_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from .exceptions import XucError
    from .models import XucSnapshot

AGENT_CONFIRM_TIMEOUT: Final = 5.0
"""Seconds an agent command waits for the push that confirms it (the official app's)."""

AGENT_ERRORS: Final = frozenset({"PhoneNumberUnknown", "LoggedInOnAnotherPhone"})
"""The documented agent errors; a generic `Error` naming one is an agent error too."""

AGENT_FRAME_TYPES: Final = frozenset(
    {"AgentStateEvent", "QueueMember", "AgentError", "Error"}
)
"""The frames a waiting agent command is shown (see `Session.agent_frames`)."""

type AgentFrameCallback = Callable[[str, Any, XucSnapshot], None]
type Confirms = Callable[[str, Any, XucSnapshot], bool]


def agent_error_of(msg_type: str, payload: Any) -> XucAgentError | None:
    """The agent error a frame carries, or None (§12.4: `Error` with a capital E)."""
    if msg_type not in {"AgentError", "Error"}:
        return None
    data = payload if isinstance(payload, dict) else {}
    code = wire_text(data.get("Error")) or wire_text(data.get("error"))
    if msg_type == "Error" and code not in AGENT_ERRORS:
        return None
    return XucAgentError(
        code or wire_text(payload) or "AgentError",
        phone_number=wire_text(data.get("phoneNb")) or None,
        requested_number=wire_text(data.get("RequestedNb")) or None,
    )


class _Client(Protocol):
    """What the mixin needs from the client."""

    agent_confirm_timeout: float
    _last_penalties: dict[int, int]

    @property
    def snapshot(self) -> XucSnapshot: ...

    async def _command(self, command: str, **arguments: Any) -> None: ...

    def _watch_agent_frames(
        self, callback: AgentFrameCallback
    ) -> Callable[[], None]: ...

    def add_connection_listener(
        self, listener: Callable[[bool, XucError | None], None]
    ) -> Callable[[], None]: ...

    def _own_agent(self) -> int: ...

    async def _agent_command(
        self,
        command: str,
        arguments: dict[str, Any],
        *,
        done: Callable[[XucSnapshot], bool],
        confirms: Confirms,
    ) -> None: ...

    async def agent_login(self, phone_number: str | None = None) -> None: ...

    async def _to_state(
        self,
        command: str,
        test: Callable[[AgentState], bool],
        *,
        already: Callable[[AgentState], bool] | None = None,
        **arguments: Any,
    ) -> None: ...


def _state_is(test: Callable[[AgentState], bool]) -> Callable[[XucSnapshot], bool]:
    """A test of the snapshot: the own agent's known state passes `test`."""

    def done(snapshot: XucSnapshot) -> bool:
        return snapshot.agent is not None and test(snapshot.agent)

    return done


def _state_event(own: int, test: Callable[[AgentState], bool]) -> Confirms:
    """A confirmation: an `AgentStateEvent` of the own agent, its state passing `test`."""
    reached = _state_is(test)

    def confirms(msg_type: str, payload: Any, snapshot: XucSnapshot) -> bool:
        return (
            msg_type == "AgentStateEvent"
            and agent_id_of(payload) == own
            and reached(snapshot)
        )

    return confirms


def _member_event(own: int, queue_id: int, *, member: bool) -> Confirms:
    """A confirmation: a `QueueMember` of the own agent for the queue, in or out."""

    def confirms(msg_type: str, payload: Any, _snapshot: XucSnapshot) -> bool:
        if msg_type != "QueueMember":
            return False
        membership = parse_membership(payload)
        return (
            membership is not None
            and membership.agent_id == own
            and membership.queue_id == queue_id
            and membership.member == member
        )

    return confirms


def _status_is(*statuses: AgentStatus) -> Callable[[AgentState], bool]:
    return lambda state: state.status in statuses


def _monitor_is(monitor_state: str) -> Callable[[AgentState], bool]:
    return lambda state: state.monitor_state == monitor_state


class AgentControl:
    """The agent commands of `XucClient` (the user's own agent only).

    Each raises `XucNoAgentError` for a user without an agent and
    `XucNotConnectedError` when the link is down, before anything is sent;
    `XucTimeoutError` when the confirming push does not come within
    `agent_confirm_timeout` seconds, `XucAgentError` when the server refuses.
    """

    agent_confirm_timeout: float = AGENT_CONFIRM_TIMEOUT

    def _own_agent(self: _Client) -> int:
        agent_id = self.snapshot.user.agent_id
        if agent_id is None:
            raise XucNoAgentError("the user is not a contact-center agent")
        return agent_id

    async def _agent_command(
        self: _Client,
        command: str,
        arguments: dict[str, Any],
        *,
        done: Callable[[XucSnapshot], bool],
        confirms: Confirms,
    ) -> None:
        """Send a command, then wait for the frame that `confirms` it.

        The watch starts before the frame is sent (the push may come in the same
        read as the next reply), and a lost link fails the wait at once.
        """
        outcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def frame(msg_type: str, payload: Any, snapshot: XucSnapshot) -> None:
            if outcome.done():
                return
            error = agent_error_of(msg_type, payload)
            if error is not None:
                outcome.set_exception(error)
            elif confirms(msg_type, payload, snapshot):
                outcome.set_result(None)

        def link(up: bool, _error: XucError | None) -> None:
            if not up and not outcome.done():
                outcome.set_exception(
                    XucNotConnectedError("the link to the server dropped")
                )

        already = done(self.snapshot)
        stop_frames = self._watch_agent_frames(frame)
        stop_link = self.add_connection_listener(link)
        try:
            await self._command(command, **arguments)
            if already:
                return
            async with asyncio.timeout(self.agent_confirm_timeout):
                await outcome
        except TimeoutError:
            raise XucTimeoutError(
                f"no confirmation of {command} from the server"
            ) from None
        finally:
            stop_frames()
            stop_link()
            if outcome.done() and not outcome.cancelled():
                outcome.exception()  # retrieved: an error after `already` is moot

    async def _to_state(
        self: _Client,
        command: str,
        test: Callable[[AgentState], bool],
        *,
        already: Callable[[AgentState], bool] | None = None,
        **arguments: Any,
    ) -> None:
        """An agent command (`agentid`) confirmed by the own agent's state passing `test`.

        `already` (by default `test`) tells when the snapshot shows it done already.
        """
        own = self._own_agent()
        await self._agent_command(
            command,
            {"agentid": own, **arguments},
            done=_state_is(already or test),
            confirms=_state_event(own, test),
        )

    async def agent_login(self: _Client, phone_number: str | None = None) -> None:
        """Log the agent in on `phone_number`, by default the user's own line.

        The own line is the `LineConfig` number, else the configured phone number
        (§12.4: "the same as the one used for user login"). Beware: on a line another
        agent uses, the server logs that agent out (§12.4). ValueError when no number
        is known. Confirmed by any state but logged out; already logged in on that
        number, nothing is awaited.
        """
        self._own_agent()
        number = (phone_number or "").strip() or self.snapshot.own_number
        if not number:
            raise ValueError("no phone number to log the agent in on")

        def logged_in(state: AgentState) -> bool:
            return state.status is not AgentStatus.LOGGED_OUT

        try:
            await self._to_state(
                "agentLogin",
                logged_in,
                already=lambda s: logged_in(s) and s.phone_number == number,
                agentphonenumber=number,
            )
        except XucAgentError as err:
            # `PhoneNumberUnknown` names no number (§12.4): name the one asked for.
            err.requested_number = err.requested_number or number
            raise

    async def agent_logout(self: _Client) -> None:
        """Log the agent out (`agentLogout`)."""
        await self._to_state("agentLogout", _status_is(AgentStatus.LOGGED_OUT))

    async def agent_pause(self: _Client, reason: str | None = None) -> None:
        """Pause the agent (`pauseAgent`), for `reason` (a status name) when given.

        Confirmed by the paused state, whatever its cause: what a server puts there
        for a reason is not known (§18.3). Already paused for that reason (or paused,
        without one), nothing is awaited.
        """
        paused = _status_is(AgentStatus.PAUSED)
        await self._to_state(
            "pauseAgent",
            paused,
            already=lambda s: paused(s) and (not reason or s.cause == reason),
            **({"reason": reason} if reason else {}),
        )

    async def agent_ready(self: _Client) -> None:
        """Make the agent ready (`unpauseAgent`); logged out, log it in first.

        The login is `agent_login()` on the user's own line, with its warning.
        """
        self._own_agent()
        agent = self.snapshot.agent
        if agent is not None and agent.status is AgentStatus.LOGGED_OUT:
            await self.agent_login()
        await self._to_state("unpauseAgent", _status_is(AgentStatus.READY))

    async def join_queue(
        self: _Client, queue_id: int, penalty: int | None = None
    ) -> None:
        """Put the agent in a queue, or change its penalty there (`setAgentQueue`).

        `penalty` by default: the agent's penalty in that queue, else the one it had
        when it last left it through this client, else 0. ValueError if negative (a
        negative penalty means "not a member", §13.2).
        """
        own = self._own_agent()
        if penalty is None:
            penalty = self.snapshot.memberships.get(
                queue_id, self._last_penalties.get(queue_id, 0)
            )
        if penalty < 0:
            raise ValueError("a queue penalty is zero or more")
        await self._agent_command(
            "setAgentQueue",
            {"agentId": own, "queueId": queue_id, "penalty": penalty},
            done=lambda snapshot: snapshot.memberships.get(queue_id) == penalty,
            confirms=_member_event(own, queue_id, member=True),
        )

    async def leave_queue(self: _Client, queue_id: int) -> None:
        """Take the agent out of a queue (`removeAgentFromQueue`); its penalty is kept."""
        own = self._own_agent()
        if queue_id in self.snapshot.memberships:
            self._last_penalties[queue_id] = self.snapshot.memberships[queue_id]
        await self._agent_command(
            "removeAgentFromQueue",
            {"agentId": own, "queueId": queue_id},
            done=lambda snapshot: queue_id not in snapshot.memberships,
            confirms=_member_event(own, queue_id, member=False),
        )

    async def pause_recording(self: _Client) -> None:
        """Pause the recording of the agent's calls (`monitorPause`, §12.7)."""
        await self._to_state("monitorPause", _monitor_is("PAUSED"))

    async def resume_recording(self: _Client) -> None:
        """Resume the recording of the agent's calls (`monitorUnpause`, §12.7)."""
        await self._to_state("monitorUnpause", _monitor_is("ACTIVE"))
