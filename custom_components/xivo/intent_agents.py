"""Voice intents for contact-center agents: pause, ready, log out, paused?, waiting calls.

Only an account whose user has a XiVO agent (`UserConfig.agent_id`) can use them; for
another the answer says so and nothing is sent. The commands are the library's
(`xuc/agent_control.py`): each waits for the server's confirmation, and its errors are
said with the `exceptions` texts. A pause reason is one of the statuses the server marks
as pause reasons (`xuc.pause_reasons`), matched as a spoken status is.

The queues' figures are those of the agent's own queues (`snapshot.memberships`): the
calls waiting are summed, and the longest wait is the longest of any of them.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, ClassVar, Final

from homeassistant.helpers import intent

from .agent_availability import pause_refusal, ready_refusal
from .intent_base import CONFIRM_NOTE, READ_ONLY_NOTE, Effects, Slot, XivoIntentHandler
from .intent_presence import choose_status
from .xuc import AgentStatus, XucError, pause_reasons

if TYPE_CHECKING:
    from .answers import Request
    from .xuc import XucSnapshot

INTENT_AGENT_PAUSE: Final = "XivoAgentPause"
INTENT_AGENT_READY: Final = "XivoAgentReady"
INTENT_AGENT_LOGOUT: Final = "XivoAgentLogout"
INTENT_AGENT_PAUSED: Final = "XivoAgentPaused"
INTENT_QUEUE_CALLS: Final = "XivoQueueCalls"

REASON: Final = Slot(
    "reason",
    required=False,
    description=(
        "Why the agent pauses: one of the XiVO server's pause reasons, by its label "
        "or name (e.g. 'lunch'); case and accents do not matter. Leave it out for a "
        "pause without a reason."
    ),
)


class _AgentIntentHandler(XivoIntentHandler):
    """An intent for the account's agent: refused for an account without one."""

    async def _async_answer(self, request: Request) -> None:
        if request.snapshot.user.agent_id is None:
            request.refuse_with("no_agent")  # what the agent actions say
            return
        try:
            await self._async_answer_agent(request)
        except XucError as err:
            raise request.speaker.server_error(err) from err

    @abstractmethod
    async def _async_answer_agent(self, request: Request) -> None:
        """Answer for the account's agent (a client error is said by the caller)."""


class AgentPauseIntentHandler(_AgentIntentHandler):
    """Pause the agent in all its queues, with a reason or without."""

    intent_type = INTENT_AGENT_PAUSE
    title = "Pause the XiVO agent"
    effects = Effects.SET
    description = (
        "Pauses the user's XiVO contact-center agent in all its queues (no queue "
        "call is offered until it is ready again), optionally with a pause reason the "
        "server lists. Only for a user who is a XiVO agent. Pausing twice is pausing "
        "once."
    )
    slot_specs = (REASON,)

    async def _async_answer_agent(self, request: Request) -> None:
        if (refusal := pause_refusal(request.snapshot)) is not None:
            request.refuse_with(refusal)  # what the action says
            return
        if REASON.name not in request.slots:
            await request.account.client.agent_pause()
            request.response.async_set_speech(request.speaker.say("agent_paused"))
            return
        reason = choose_status(
            request,
            pause_reasons(request.snapshot.statuses),
            request.slots[REASON.name],
            "pause_reason",
        )
        if reason is None:
            return
        await request.account.client.agent_pause(reason.name)
        request.response.async_set_speech(
            request.speaker.say("agent_paused_for", reason=reason.label)
        )


class _AgentCommandHandler(_AgentIntentHandler):
    """A command without slots, and what is said once the server confirmed it."""

    done_key: ClassVar[str]

    async def _async_answer_agent(self, request: Request) -> None:
        await self._send(request)
        request.response.async_set_speech(request.speaker.say(self.done_key))

    @abstractmethod
    async def _send(self, request: Request) -> None:
        """Send the command and wait for its confirmation."""


class AgentReadyIntentHandler(_AgentCommandHandler):
    """Ready for queue calls: out of pause, logged in first if logged out."""

    intent_type = INTENT_AGENT_READY
    title = "Make the XiVO agent ready"
    effects = Effects.ACT
    done_key = "agent_ready"
    description = (
        "Makes the user's XiVO contact-center agent ready to take queue calls: ends "
        "a pause, and first logs the agent in on the user's own phone number when it "
        "is logged out. Only for a user who is a XiVO agent." + CONFIRM_NOTE
    )

    async def _async_answer_agent(self, request: Request) -> None:
        if (refusal := ready_refusal(request.snapshot)) is not None:
            request.refuse_with(refusal)  # what the action says
            return
        await super()._async_answer_agent(request)

    async def _send(self, request: Request) -> None:
        # The library logs the agent in first when it is logged out.
        await request.account.client.agent_ready()


class AgentLogoutIntentHandler(_AgentCommandHandler):
    """Log the agent out of its queues."""

    intent_type = INTENT_AGENT_LOGOUT
    title = "Log the XiVO agent out"
    effects = Effects.SET
    done_key = "agent_logged_out"
    description = (
        "Logs the user's XiVO contact-center agent out of its queues: it takes no "
        "queue call until it logs in again. Only for a user who is a XiVO agent. "
        "Logging out twice is logging out once."
    )

    async def _send(self, request: Request) -> None:
        await request.account.client.agent_logout()


def _agent_state_key(snapshot: XucSnapshot) -> tuple[str, str | None]:
    """What "am I paused?" answers: a `common` key, and the pause reason's label."""
    agent = snapshot.agent
    if agent is None or agent.status is None:
        return "agent_state_unknown", None
    if agent.status is AgentStatus.PAUSED:
        if not agent.cause:
            return "agent_is_paused", None
        reason = next((s for s in snapshot.statuses if s.name == agent.cause), None)
        return "agent_is_paused_for", reason.label if reason else agent.cause
    if agent.status is AgentStatus.LOGGED_OUT:
        return "agent_is_logged_out", None
    return "agent_is_not_paused", None


class AgentPausedIntentHandler(_AgentIntentHandler):
    """Say whether the agent is paused (and why), ready, or logged out."""

    intent_type = INTENT_AGENT_PAUSED
    title = "Is the XiVO agent paused"
    effects = Effects.READ
    description = (
        "Tells whether the user's XiVO contact-center agent is paused (and for what "
        "reason), not paused, or logged out of its queues. Only for a user who is a "
        "XiVO agent." + READ_ONLY_NOTE
    )

    async def _async_answer_agent(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        key, reason = _agent_state_key(request.snapshot)
        request.response.async_set_speech(request.speaker.say(key, reason=reason))


def _wait(request: Request, seconds: float) -> str:
    """A wait as said: "2 minutes and 5 seconds", "40 seconds"."""
    minutes, secs = divmod(round(seconds), 60)
    parts = [
        request.speaker.text(f"{unit}_{'one' if count == 1 else 'other'}", count=count)
        for unit, count in (("minute", minutes), ("second", secs))
        if count
    ]
    return request.speaker.listing(parts) or request.speaker.text(
        "second_other", count=0
    )


class QueueCallsIntentHandler(_AgentIntentHandler):
    """Say how many calls wait in the agent's queues, and the longest wait."""

    intent_type = INTENT_QUEUE_CALLS
    title = "Calls waiting in the XiVO queues"
    effects = Effects.READ
    description = (
        "Tells how many calls are waiting in the queues of the user's XiVO "
        "contact-center agent (all its queues together), and how long the longest "
        "has waited. Only for a user who is a XiVO agent." + READ_ONLY_NOTE
    )

    async def _async_answer_agent(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        snapshot = request.snapshot
        speaker = request.speaker
        if not snapshot.memberships:
            request.response.async_set_speech(speaker.say("queues_none"))
            return
        stats = [
            snapshot.queue_stats[queue_id]
            for queue_id in snapshot.memberships
            if queue_id in snapshot.queue_stats
        ]
        counts = [s.waiting_calls for s in stats if s.waiting_calls is not None]
        if not counts:
            request.response.async_set_speech(speaker.say("queues_unknown"))
            return
        waiting = sum(counts)
        waits = [s.longest_wait for s in stats if s.longest_wait is not None]
        if waiting == 0:
            text = speaker.say("queues_no_call")
        elif not waits:
            key = "queues_one_call" if waiting == 1 else "queues_calls"
            text = speaker.say(key, count=waiting)
        else:
            key = "queues_one_call_wait" if waiting == 1 else "queues_calls_wait"
            text = speaker.say(key, count=waiting, wait=_wait(request, max(waits)))
        request.response.async_set_speech(text)
