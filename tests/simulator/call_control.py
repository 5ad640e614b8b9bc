"""The call-control commands (§14): they drive the simulated calls and their events.

Choices where the reference is silent (§14.2 infers most of the sequences):

* ``uniqueId``, when given, picks the call by any id it ever had (or its
  ``linkedId``); without it, the most recent applicable call: the ringing one for
  ``answer``, the established or held one for ``hold`` and the transfers, any for
  ``hangup``. No applicable call, or an unknown id, is an ``Error``.
* ``hold`` toggles: on hold → ``EventOnHold``, held → ``EventEstablished``.
* ``directTransfer``: the user leaves the call (``EventReleased``). Under
  unstable ids (G4) the release carries a new ``uniqueId`` under the same
  ``linkedId``. A destination that is a simulated user's line rings that user,
  from the original caller, with the call's attached data.
* ``attendedTransfer``: a second call dialling the destination, its own
  ``linkedId`` (the first call is left as it is: the official WebRTC client holds
  it itself). ``completeTransfer`` releases both legs on the user's side;
  ``cancelTransfer`` the consultation leg only. Either without a transfer in
  progress is an ``Error``.
* ``conference``: recorded (``conferences``), no state change: no sequence is
  known.
* ``sendDtmf``: ``key`` must be one character of ``0-9*#`` (else an ``Error``);
  recorded in ``dtmf``, nothing is pushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .calls import CallHooks
from .errors import CommandError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .core import SimSession
    from .data import SimCall, SimUser
    from .payloads import Json

_STR = "string"  # the argument kind ``commands._check_kind`` knows as text
_UP = ("EventEstablished", "EventOnHold")
_DTMF_KEYS = frozenset("0123456789*#")


class CallControlCommands(CallHooks):
    """``answer``, ``hangup``, ``hold``, the transfers, ``conference``, ``sendDtmf``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No transfer in progress, nothing recorded."""
        super().__init__(*args, **kwargs)
        # login -> (linkedId of the first call, linkedId of the consultation call)
        self.transfers: dict[str, tuple[str, str]] = {}
        self.dtmf: list[tuple[str, str]] = []
        self.conferences: list[str] = []

    def _target(self, user: SimUser, frame: Json, states: tuple[str, ...]) -> SimCall:
        """The call a command acts on: by ``uniqueId``, else the latest in ``states``."""
        command = frame["command"]
        wanted = frame.get("uniqueId")
        mine = [call for call in self._calls.values() if call.login == user.login]
        if wanted:
            for call in mine:
                if call.known_as(wanted):
                    return call
            raise CommandError(f"Cannot {command}: no call {wanted!r}")
        for call in reversed(mine):
            if not states or call.event_type in states:
                return call
        raise CommandError(f"Cannot {command}: no call it applies to")

    async def _cmd_answer(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``answer`` → ``EventEstablished`` on the ringing call."""
        call = self._target(user, frame, ("EventRinging",))
        await self.answer_call(user.login, call.unique_id)

    async def _cmd_hangup(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``hangup`` → ``EventReleased``; a transfer it was part of is over."""
        call = self._target(user, frame, ())
        self._forget_transfer(user.login, call.linked_id)
        await self.hang_up(user.login, call.unique_id)

    async def _cmd_hold(self, session: SimSession, user: SimUser, frame: Json) -> None:
        """``hold`` → ``EventOnHold``, or ``EventEstablished`` for a held call."""
        call = self._target(user, frame, _UP)
        if call.event_type == "EventOnHold":
            await self._call_event(call, "EventEstablished", 1)
        else:
            await self.hold_call(user.login, call.unique_id)

    async def _cmd_direct_transfer(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``directTransfer`` → the user's leg released; the destination rings."""
        call = self._target(user, frame, _UP)
        self._forget_transfer(user.login, call.linked_id)
        self._renew_unique_id(call)
        await self._call_event(call, "EventReleased", 0)
        target = next(
            (
                u
                for u in self.data.users
                if u.has_line and u.line_number == frame["destination"]
            ),
            None,
        )
        if target is not None:
            await self._start_call(
                target,
                call.other_dn,
                call.other_name,
                incoming=True,
                user_data={
                    key: value
                    for key, value in call.user_data.items()
                    if key.startswith("USR_")
                },
            )

    async def _cmd_attended_transfer(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``attendedTransfer`` → a second call dialling the destination."""
        first = self._target(user, frame, _UP)
        if user.login in self.transfers:
            raise CommandError("Cannot attendedTransfer: a transfer is in progress")
        consultation = await self._start_call(
            user, frame["destination"], None, incoming=False
        )
        self.transfers[user.login] = (first.linked_id, consultation.linked_id)

    def _forget_transfer(self, login: str, linked_id: str) -> None:
        """A call of a transfer in progress ended: the transfer is over."""
        if linked_id in self.transfers.get(login, ()):
            del self.transfers[login]

    def _transfer(self, user: SimUser, command: str) -> tuple[str, str]:
        """End the user's transfer in progress: its two linkedIds, or an Error."""
        pair = self.transfers.pop(user.login, None)
        if pair is None:
            raise CommandError(f"Cannot {command}: no transfer in progress")
        return pair

    async def _release(self, linked_id: str) -> None:
        """Release a call on the user's side, if it is still up."""
        call = self._calls.get(linked_id)
        if call is not None:
            await self._call_event(call, "EventReleased", 0)

    async def _cmd_complete_transfer(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``completeTransfer`` → both legs released on the user's side."""
        for linked_id in self._transfer(user, "completeTransfer"):
            await self._release(linked_id)

    async def _cmd_cancel_transfer(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``cancelTransfer`` → the consultation leg released."""
        _first, consultation = self._transfer(user, "cancelTransfer")
        await self._release(consultation)

    async def _cmd_conference(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``conference``: recorded, no state change (no sequence is known)."""
        self.conferences.append(user.login)

    async def _cmd_send_dtmf(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``sendDtmf``: one key of ``0-9*#``, recorded; anything else an Error."""
        key = frame["key"]
        if len(key) != 1 or key not in _DTMF_KEYS:
            raise CommandError(f"Invalid sendDtmf: key {key!r} is not one of 0-9*#")
        self.dtmf.append((user.login, key))


type CallHandler = Callable[
    [CallControlCommands, SimSession, SimUser, Json], Awaitable[None]
]

_CALL = (("uniqueId", _STR, False),)
_DESTINATION = (("destination", _STR, True),)

CALL_COMMANDS: dict[str, tuple[tuple[tuple[str, str, bool], ...], CallHandler]] = {
    "answer": (_CALL, CallControlCommands._cmd_answer),
    "hangup": (_CALL, CallControlCommands._cmd_hangup),
    "hold": (_CALL, CallControlCommands._cmd_hold),
    "directTransfer": (_DESTINATION, CallControlCommands._cmd_direct_transfer),
    "attendedTransfer": (_DESTINATION, CallControlCommands._cmd_attended_transfer),
    "completeTransfer": ((), CallControlCommands._cmd_complete_transfer),
    "cancelTransfer": ((), CallControlCommands._cmd_cancel_transfer),
    "conference": ((), CallControlCommands._cmd_conference),
    "sendDtmf": ((("key", _STR, True),), CallControlCommands._cmd_send_dtmf),
}
"""The call-control commands, for ``commands.py``'s table."""
