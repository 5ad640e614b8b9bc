"""Voice intents about the user's presence: say it, set it, set it for a while.

How a spoken status is matched is the library's (`xuc.matching.find_status`): a label or
a name, any case, with or without accents, whole or a unique part. An unknown status is
answered with the statuses to choose from, and nothing is sent.

A status for a while is the `xivo.set_presence` action with a duration (the timer and
the status that comes back are `presence_timer.py`'s): the intent calls the action, so
that voice, automations and the device action share one timer per account.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.helpers import intent
import voluptuous as vol

from .intent_base import READ_ONLY_NOTE, Effects, Slot, XivoIntentHandler
from .presence_timer import MAX_DURATION
from .xuc import XucError
from .xuc.matching import find_status, status_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .answers import Request
    from .xuc import Status

INTENT_SET_PRESENCE: Final = "XivoSetPresence"
INTENT_GET_PRESENCE: Final = "XivoGetPresence"
INTENT_SET_PRESENCE_FOR: Final = "XivoSetPresenceFor"

STATUS: Final = Slot(
    "status",
    required=True,
    description=(
        "The status to take, as its label or name on the XiVO server, e.g. 'out to "
        "lunch' or 'Parti Manger'; case and accents do not matter."
    ),
)

_MAX_MINUTES: Final = int(MAX_DURATION.total_seconds()) // 60
MINUTES: Final = Slot(
    "minutes",
    required=False,
    description="How many minutes the status lasts (with the hours, if any).",
    validator=vol.All(vol.Coerce(int), vol.Range(min=0, max=_MAX_MINUTES)),
)
HOURS: Final = Slot(
    "hours",
    required=False,
    description="How many hours the status lasts (with the minutes, if any).",
    validator=vol.All(vol.Coerce(int), vol.Range(min=0, max=_MAX_MINUTES // 60)),
)


def choose_status(
    request: Request, statuses: Sequence[Status], query: str, refusals: str
) -> Status | None:
    """The status among `statuses` that `query` means, or None once refused.

    The refusals are the `common` texts `<refusals>_none` (nothing to choose from)
    and `<refusals>_not_found` (which lists the choices).
    """
    status = find_status(statuses, query)
    if status is None and not statuses:
        request.refuse(f"{refusals}_none")
    elif status is None:
        choices = request.speaker.listing(status_labels(statuses), "or")
        request.refuse(f"{refusals}_not_found", query=query, choices=choices)
    return status


def spoken_status(request: Request) -> Status | None:
    """The status the `status` slot means, or None once the refusal is answered."""
    return choose_status(
        request, request.snapshot.statuses, request.slots[STATUS.name], "status"
    )


class SetPresenceIntentHandler(XivoIntentHandler):
    """Take one of the statuses the server lists."""

    intent_type = INTENT_SET_PRESENCE
    title = "Set XiVO presence"
    effects = Effects.SET
    description = (
        "Sets the user's presence status on the XiVO phone system, for example "
        "available, away, out to lunch or do not disturb. The status must be one the "
        "XiVO server lists (its label or its name); for an unknown one the answer "
        "lists the valid statuses. Setting the same status twice changes nothing more."
    )

    slot_specs = (STATUS,)

    async def _async_answer(self, request: Request) -> None:
        status = spoken_status(request)
        if status is None:
            return
        try:
            # Through the timer, as the select: an untimed status ends a timed one.
            await request.account.presence.async_set(status.name)
        except XucError as err:
            raise request.speaker.server_error(err) from err
        request.response.async_set_speech(
            request.speaker.say("status_set", status=status.label)
        )


class GetPresenceIntentHandler(XivoIntentHandler):
    """Say the current status."""

    intent_type = INTENT_GET_PRESENCE
    title = "Get XiVO presence"
    effects = Effects.READ
    description = (
        "Tells the user's current presence status on the XiVO phone system."
        + READ_ONLY_NOTE
    )

    async def _async_answer(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        snapshot = request.snapshot
        status = snapshot.status
        label = status.label if status else snapshot.status_name
        request.response.async_set_speech(
            request.speaker.say("status_current", status=label)
            if label
            else request.speaker.say("status_unknown")
        )


class SetPresenceForIntentHandler(XivoIntentHandler):
    """Take a status for a while; the status it replaces comes back at the end."""

    intent_type = INTENT_SET_PRESENCE_FOR
    title = "Set XiVO presence for a while"
    effects = Effects.SET
    description = (
        "Sets the user's presence status on the XiVO phone system for a while, e.g. "
        "do not disturb for 45 minutes; at the end the previous status comes back. "
        "Give the minutes, the hours, or both (at most 24 hours in all). The status "
        "must be one the XiVO server lists (its label or its name); for an unknown "
        "one the answer lists the valid statuses. Asking again replaces the timer."
    )

    slot_specs = (STATUS, MINUTES, HOURS)

    async def _async_answer(self, request: Request) -> None:
        slots = request.slots
        hours = int(slots.get(HOURS.name, 0))
        minutes = int(slots.get(MINUTES.name, 0))
        duration = timedelta(hours=hours, minutes=minutes)
        if not timedelta(0) < duration <= MAX_DURATION:
            request.refuse("duration_invalid")
            return
        status = spoken_status(request)
        if status is None:
            return
        await request.call_action(
            "set_presence", {"status": status.name, "duration": duration}
        )
        parts = [
            request.speaker.text(
                f"{unit}_{'one' if count == 1 else 'other'}", count=count
            )
            for unit, count in (("hour", hours), ("minute", minutes))
            if count
        ]
        request.response.async_set_speech(
            request.speaker.say(
                "status_set_for",
                status=status.label,
                duration=request.speaker.listing(parts),
            )
        )
