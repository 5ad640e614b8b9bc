"""What a queue agent can choose: ready, a pause reason, or logged out.

One reading of the server's statuses for the availability select and the
`xivo.agent_pause` action, so that both offer and accept the same reasons. Pause
reasons are site configuration (protocol reference §12.6): the statuses whose actions
pause every queue (`queuepause_all`), or on newer servers the `CtiStatuses` of
category 1. They are offered by label, as the presence select offers statuses; the
server is sent their name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .xuc import AgentStatus, fold, pause_reasons
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .xuc import Status, XucClient, XucSnapshot

READY: Final = "ready"
PAUSED: Final = "paused"  # a pause with no reason (or with a reason not listed)
LOGGED_OUT: Final = "logged_out"


def reason_labels(snapshot: XucSnapshot) -> dict[str, Status]:
    """Label of each pause reason -> its status, in the server's order."""
    return status_labels(pause_reasons(snapshot.statuses))


def availability_options(snapshot: XucSnapshot) -> list[str]:
    """`ready`, one option per pause reason (or `paused` when none), `logged_out`.

    `paused` is offered too while the agent is paused for a reason that is not listed
    (a plain `pauseAgent`, or a status the server dropped): the select then shows it
    instead of an unknown state. While logged out, only `ready` (which logs in) and
    `logged_out` are offered, as the official app offers no pause then (§12.3).
    """
    current = current_availability(snapshot)
    if current == LOGGED_OUT:
        return [READY, LOGGED_OUT]  # a logged-out agent cannot pause (see below)
    labels = list(reason_labels(snapshot))
    if not labels or current == PAUSED:
        labels.append(PAUSED)
    return [READY, *labels, LOGGED_OUT]


def current_availability(snapshot: XucSnapshot) -> str | None:
    """The option the agent's state stands for; None while no state is known.

    Wrap-up, calls, ringing and dialing are `ready`: the agent takes queue calls again
    by themselves afterwards, and `ready` is what the official app offers to leave them.
    """
    agent = snapshot.agent
    if agent is None or agent.status is None:
        return None
    if agent.status is AgentStatus.LOGGED_OUT:
        return LOGGED_OUT
    if agent.status is AgentStatus.PAUSED:
        for label, status in reason_labels(snapshot).items():
            if status.name == agent.cause:
                return label
        return PAUSED
    return READY


def find_pause_reason(snapshot: XucSnapshot, text: str) -> Status | None:
    """The pause reason a status name or label names (case and accents ignored)."""
    key = fold(text)
    return next(
        (
            status
            for label, status in reason_labels(snapshot).items()
            if key in {fold(label), fold(status.label), fold(status.name)}
        ),
        None,
    )


def ready_refusal(snapshot: XucSnapshot) -> str | None:
    """Why `ready` cannot be sent (an `exceptions` key), or None.

    Logged out, ready logs in first, on the user's own line: there must be one.
    """
    if current_availability(snapshot) == LOGGED_OUT and snapshot.own_number is None:
        return "no_line"
    return None


def pause_refusal(snapshot: XucSnapshot) -> str | None:
    """Why a pause cannot be sent (an `exceptions` key), or None.

    A logged-out agent cannot pause: the server refuses, and only after the 5 s
    the confirmation is waited for (the official app offers no pause then, §12.3).
    """
    if current_availability(snapshot) == LOGGED_OUT:
        return "agent_logged_out"
    return None


def refused(key: str) -> ServiceValidationError:
    """The translated refusal of an agent command for one of the reasons above."""
    return ServiceValidationError(translation_domain=DOMAIN, translation_key=key)


def select_availability(
    client: XucClient, snapshot: XucSnapshot, option: str
) -> Awaitable[None]:
    """Send what an option asks for; the push that follows shows the result."""
    if option == LOGGED_OUT:
        return client.agent_logout()
    refusal = ready_refusal(snapshot) if option == READY else pause_refusal(snapshot)
    if refusal is not None:
        raise refused(refusal)
    if option == READY:
        return client.agent_ready()
    reason = reason_labels(snapshot).get(option)
    return client.agent_pause(reason.name if reason is not None else None)
