"""Voice intents about the user's own calls: answer, hang up, hold, missed, voicemail.

Answer, hang up and hold are the call commands the buttons and the actions send
(`call_control.py`): the same call is picked (the ringing one, the latest one up) and
the same `exceptions` text says when there is none. The missed calls are the open
items of the call-back list (`missed_calls.py`), most recent first; calling the last
caller back ticks that item done, as calling back from the list would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

from homeassistant.helpers import intent

from .call_control import ANSWER, HANGUP, HOLD, run_call_command
from .intent_base import (
    CONFIRM_NOTE,
    MAX_SPOKEN,
    READ_ONLY_NOTE,
    Effects,
    XivoIntentHandler,
)
from .intent_contacts import dial
from .xuc import Contact, XucError
from .xuc.call_state import current_call
from .xuc.matching import display_name

if TYPE_CHECKING:
    from .answers import Request
    from .call_control import CallCommand
    from .missed_calls import MissedCall
    from .xuc import XucSnapshot

INTENT_ANSWER: Final = "XivoAnswer"
INTENT_HANG_UP: Final = "XivoHangUp"
INTENT_HOLD: Final = "XivoHold"
INTENT_MISSED_CALLS: Final = "XivoMissedCalls"
INTENT_CALL_BACK: Final = "XivoCallBack"
INTENT_VOICEMAIL: Final = "XivoVoicemail"


class _CallCommandHandler(XivoIntentHandler):
    """One of the shared call commands, for the call it applies to."""

    command: ClassVar[CallCommand]
    done_key: ClassVar[str]  # the `common` text once the command is sent

    def _done_key(self, snapshot: XucSnapshot) -> str:
        """What is said once sent, from the calls as they were before."""
        return self.done_key

    async def _async_answer(self, request: Request) -> None:
        snapshot = request.snapshot
        try:
            await run_call_command(self.command, request.account.client, snapshot)
        except XucError as err:
            raise request.speaker.server_error(err) from err
        request.response.async_set_speech(request.speaker.say(self._done_key(snapshot)))


class AnswerIntentHandler(_CallCommandHandler):
    """Pick up the ringing call."""

    intent_type = INTENT_ANSWER
    title = "Answer the ringing XiVO call"
    effects = Effects.ACT
    command = ANSWER
    done_key = "call_answered"
    description = (
        "Answers the call ringing on the user's XiVO phone (the most recent one). "
        "When no call rings, nothing is done and the answer says so. Desk phones may "
        "ignore it. Not idempotent: it acts on a live call."
    )


class HangUpIntentHandler(_CallCommandHandler):
    """Hang up the latest call in progress."""

    intent_type = INTENT_HANG_UP
    title = "Hang up the XiVO call"
    effects = Effects.ACT
    command = HANGUP
    done_key = "call_hung_up"
    description = (
        "Hangs up the user's current call on the XiVO phone system (the most recent "
        "call in progress or on hold); with no call, nothing is done and the answer "
        "says so." + CONFIRM_NOTE
    )


class HoldIntentHandler(_CallCommandHandler):
    """Put the latest call in progress on hold (or take it back)."""

    intent_type = INTENT_HOLD
    title = "Put the XiVO call on hold"
    effects = Effects.ACT
    command = HOLD
    done_key = "call_held"
    description = (
        "Puts the user's current XiVO call on hold, or takes a held call back (the "
        "server toggles). With no call, nothing is done and the answer says so. Desk "
        "phones may ignore it. Not idempotent: a second use takes the call back."
    )

    def _done_key(self, snapshot: XucSnapshot) -> str:
        call = current_call(snapshot.calls)
        return "call_resumed" if call and call.state == "on_hold" else self.done_key


def open_missed_calls(request: Request) -> list[MissedCall]:
    """The missed calls still to call back, most recent first."""
    return [item for item in request.account.missed.items if not item.done]


def caller(item: MissedCall) -> str:
    """A missed caller as said: the name when known, else the number.

    Said as contacts are (`display_name`): a name typed in lower case gets capitals.
    """
    return display_name(Contact(full_name=item.name or "", number=item.number))


class MissedCallsIntentHandler(XivoIntentHandler):
    """Say who called: the open missed calls, the latest three named."""

    intent_type = INTENT_MISSED_CALLS
    title = "Who called (XiVO missed calls)"
    effects = Effects.READ
    description = (
        "Tells the user's missed calls still to call back on the XiVO phone system "
        "(the missed-calls list), most recent first: how many, and who called, at "
        "most the three most recent callers." + READ_ONLY_NOTE
    )

    async def _async_answer(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        speaker = request.speaker
        items = open_missed_calls(request)
        callers = speaker.listing(caller(item) for item in items[:MAX_SPOKEN])
        if not items:
            text = speaker.say("missed_none")
        elif len(items) == 1:
            text = speaker.say("missed_one", caller=callers)
        elif len(items) <= MAX_SPOKEN:
            text = speaker.say("missed_some", count=len(items), callers=callers)
        else:
            text = speaker.say("missed_many", count=len(items), callers=callers)
        request.response.async_set_speech(text)


class CallBackIntentHandler(XivoIntentHandler):
    """Call the most recent missed caller back, and tick that missed call done."""

    intent_type = INTENT_CALL_BACK
    title = "Call back the last XiVO caller"
    effects = Effects.ACT
    description = (
        "Calls back the most recent missed caller still on the user's XiVO "
        "missed-calls list, from the user's phone, and ticks that missed call done. "
        "With no missed call, nothing is done and the answer says so." + CONFIRM_NOTE
    )

    async def _async_answer(self, request: Request) -> None:
        items = open_missed_calls(request)
        if not items:
            request.refuse("call_back_none")
            return
        item = items[0]
        await dial(request, item.number)
        request.account.missed.set_done(item.key, done=True)
        request.response.async_set_speech(
            request.speaker.say("calling_back", caller=caller(item), number=item.number)
        )


class VoicemailIntentHandler(XivoIntentHandler):
    """Say how many voicemail messages are new."""

    intent_type = INTENT_VOICEMAIL
    title = "XiVO voicemail"
    effects = Effects.READ
    description = (
        "Tells whether the user has new voicemail messages on the XiVO phone system, "
        "and how many." + READ_ONLY_NOTE
    )

    async def _async_answer(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        voicemail = request.snapshot.voicemail
        speaker = request.speaker
        if voicemail is None:
            text = speaker.say("voicemail_unknown")
        elif voicemail.new == 0:
            text = speaker.say("voicemail_none")
        elif voicemail.new == 1:
            text = speaker.say("voicemail_one")
        else:
            text = speaker.say("voicemail_some", count=voicemail.new)
        request.response.async_set_speech(text)
