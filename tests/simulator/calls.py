"""Calls on the users' lines: ids like Asterisk's, ``PhoneEvent`` pushes and line hints.

A call gets two Asterisk-like ids (``epoch.sequence``): ``linkedId`` for the
call, allocated first, and ``uniqueId`` for the user's leg, so they differ as in
the real sample (D8). A server with unstable ids (G4) gives the leg a new
``uniqueId`` when the call is answered and on every transfer; the hooks accept
any id the call ever had, so a test can keep the one ``incoming_call`` returned.
A queue call carries its queue's ``queueName`` in every event, and attached data
(``USR_*``) join the ``XIVO_*`` keys of ``userData``. Ending calls write the call
history (``history.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
import time
from typing import Any

from . import payloads
from .data import SimCall, SimUser
from .history import HistoryHooks
from .hooks import StateHooks
from .payloads import Json

HINT_OF_EVENT: dict[str, int] = {
    "EventDialing": 1,
    "EventRinging": 8,
    "EventEstablished": 1,
    "EventOnHold": 16,
}
"""Line hint implied by the state of a call that is still up."""


class CallHooks(HistoryHooks, StateHooks):
    """Start, answer, hold, transfer and end calls, pushing what xuc pushes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No call came through a queue yet."""
        super().__init__(*args, **kwargs)
        self._queue_names: dict[str, str] = {}  # linkedId -> queue name

    def _phone_event(self, call: SimCall) -> Json:
        """The ``PhoneEvent`` of a call's current state, with its queue if any."""
        event = payloads.phone_event(call, self.profile)
        if call.linked_id in self._queue_names:
            event["queueName"] = self._queue_names[call.linked_id]
        return event

    def _next_call_id(self) -> str:
        """Return a fresh Asterisk-like channel id."""
        return f"{int(time.time())}.{next(self._call_seq)}"

    def _name_of_number(self, number: str) -> str:
        """Directory name for a number, or "" when unknown."""
        for contact in self.data.directory:
            if number in (contact.number, contact.mobile) and number:
                return contact.display_name
        return ""

    def _call(self, login: str, call_id: str) -> SimCall:
        """Return a user's call by any of its ids, or fail loudly (a test bug)."""
        for call in self._calls.values():
            if call.login == login and call.known_as(call_id):
                return call
        raise ValueError(f"No call {call_id!r} for {login!r}")

    def current_calls(self, login: str) -> list[Json]:
        """Return the latest ``PhoneEvent`` of each call on a user's line."""
        return [
            self._phone_event(call)
            for call in self._calls.values()
            if call.login == login
        ]

    async def _start_call(
        self,
        user: SimUser,
        other_dn: str,
        other_name: str | None,
        *,
        incoming: bool,
        queue: str = "",
        user_data: Mapping[str, str] | None = None,
    ) -> SimCall:
        """Track a new call, push its first ``PhoneEvent`` and the line hint."""
        linked_id = self._next_call_id()
        call = SimCall(
            login=user.login,
            unique_id=self._next_call_id(),
            linked_id=linked_id,
            line_number=user.line_number,
            other_dn=other_dn,
            other_name=(
                other_name if other_name is not None else self._name_of_number(other_dn)
            ),
            direction="Incoming" if incoming else "Outgoing",
            event_type="EventRinging" if incoming else "EventDialing",
        )
        if incoming:
            call.user_data = {
                "XIVO_USERID": str(user.user_id),
                "XIVO_SRCNUM": other_dn,
                "XIVO_DSTNUM": user.line_number,
                **(user_data or {}),
            }
        if queue:
            self._queue_names[linked_id] = queue
        self._calls[linked_id] = call
        self._history_note(call)
        await self._push(user.login, "PhoneEvent", self._phone_event(call))
        await self.set_phone_state(user.line_number, HINT_OF_EVENT[call.event_type])
        return call

    async def incoming_call(
        self,
        login: str,
        caller_number: str,
        caller_name: str | None = None,
        *,
        queue: str = "",
        user_data: Mapping[str, str] | None = None,
    ) -> str:
        """Ring the user's line (EventRinging, hint 8); return the call's uniqueId.

        ``queue``: the call came through that queue; ``user_data``: its attached
        data (``USR_*`` keys, as ``setData`` names them).
        """
        user = self._require_user(login)
        if not user.has_line:
            raise ValueError(f"{login!r} has no line to ring")
        call = await self._start_call(
            user,
            caller_number,
            caller_name,
            incoming=True,
            queue=queue,
            user_data=user_data,
        )
        return call.unique_id

    def _renew_unique_id(self, call: SimCall) -> None:
        """Give the user's leg a new uniqueId, if the profile says ids are unstable."""
        if self.profile.stable_unique_id:
            return
        call.former_ids.append(call.unique_id)
        call.unique_id = self._next_call_id()

    async def _call_event(self, call: SimCall, event_type: str, hint: int) -> None:
        """Move a call to a new state, push its ``PhoneEvent`` and the line hint."""
        call.event_type = event_type
        self._history_note(call)
        await self._push(call.login, "PhoneEvent", self._phone_event(call))
        if event_type == "EventReleased":
            del self._calls[call.linked_id]
            self._queue_names.pop(call.linked_id, None)
            others = [c for c in self._calls.values() if c.login == call.login]
            hint = HINT_OF_EVENT[others[-1].event_type] if others else 0
        await self.set_phone_state(call.line_number, hint)

    async def answer_call(self, login: str, unique_id: str) -> None:
        """The call is answered: EventEstablished, hint 1 (a new uniqueId if unstable)."""
        call = self._call(login, unique_id)
        if not call.answered:
            call.answered = True
            self._renew_unique_id(call)
        await self._call_event(call, "EventEstablished", 1)

    async def transfer_call(
        self, login: str, unique_id: str, number: str, name: str | None = None
    ) -> str:
        """The other side transferred the call to ``number``: EventEstablished with it.

        Returns the call's uniqueId after the transfer (new if ids are unstable).
        """
        call = self._call(login, unique_id)
        call.other_dn = number
        call.other_name = name if name is not None else self._name_of_number(number)
        call.answered = True
        self._renew_unique_id(call)
        await self._call_event(call, "EventEstablished", 1)
        return call.unique_id

    async def hang_up(self, login: str, unique_id: str) -> None:
        """The call ends: EventReleased (latest uniqueId), hint 0 or another call's."""
        await self._call_event(self._call(login, unique_id), "EventReleased", 0)

    async def hold_call(self, login: str, unique_id: str) -> None:
        """The call is put on hold: EventOnHold, hint 16."""
        await self._call_event(self._call(login, unique_id), "EventOnHold", 16)
