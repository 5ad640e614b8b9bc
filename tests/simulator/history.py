"""The users' call history: entries written as simulated calls end, and its requests.

Entries have the rich user form of the 2022.10 doc sample (§15.2): ``start``
(``YYYY-MM-DD HH:MM:SS``, local time), ``duration`` (``HH:MM:SS``), ``status``, and
``src*``/``dst*`` usernames, numbers, first and last names and phone states. They
are kept newest first, per user. Choices where the reference is silent:

* A call ends into the history as ``missed`` (incoming, never answered),
  ``answered`` (incoming, answered) or ``emitted`` (outgoing, whatever its end);
  the duration runs from the answer to the end (0 when never answered). The
  source is the caller: the other party of an incoming call, the user of an
  outgoing one.
* The calls still up and answered are listed as ``ongoing`` too, as the official
  client expects of a call being written.
* ``getUserCallHistory`` with a ``null`` size gives the last 10 days (D13);
  ``getUserCallHistoryByDays`` the last ``days`` days; both answer
  ``history_reply`` (``CallHistory`` as documented; ``CallHistoryByDays`` or
  ``RichCallHistory`` to play newer servers), an array of entries. With
  ``refuse_history`` both are answered with an ``Error``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .core import SimulatorCore
from .errors import CommandError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .core import SimSession
    from .data import SimCall, SimUser
    from .payloads import Json

_DAY = 86400.0
_DEFAULT_DAYS = 10


def wire_time(seconds: float) -> str:
    """A Unix time as the history's ``start``: local time, no zone."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def wire_duration(seconds: float) -> str:
    """A number of seconds as the history's ``HH:MM:SS``."""
    whole = max(0, round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _count(frame: Json, name: str, *, nullable: bool) -> int | None:
    """A whole-number argument (``null`` where the reference allows it)."""
    value = frame.get(name)
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CommandError(f"Invalid {frame['command']}: {name!r} must be a number")
    return value


class HistoryHooks(SimulatorCore):
    """Per-user call history: written by ending calls, seeded by ``add_history``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No history yet; answer with ``CallHistory``."""
        super().__init__(*args, **kwargs)
        self.history: dict[str, list[Json]] = {}
        self.history_reply = "CallHistory"
        self.refuse_history = False
        # linkedId -> [when the call started, when it was answered or None]
        self._call_times: dict[str, list[float | None]] = {}

    def add_history(self, login: str, *entries: Json) -> None:
        """Seed a user's history (calls made while no client listened); newest first.

        Entries are the wire dicts (see ``history_entry``), kept as given: a test
        may seed a malformed one on purpose.
        """
        self._require_user(login)
        # Added before the older ones, so that calls of the same second stay newest
        # first (the sort is stable).
        entries_now = [*entries, *self.history.get(login, [])]
        entries_now.sort(key=lambda entry: str(entry.get("start", "")), reverse=True)
        self.history[login] = entries_now

    def _username_of(self, number: str) -> str:
        """The XiVO login behind a number, or "" for an outside number."""
        for user in self.data.users:
            if user.has_line and user.line_number == number:
                return user.login
        for contact in self.data.directory:
            if number and contact.number == number and contact.username:
                return contact.username
        return ""

    def _party(self, number: str, name: str, username: str) -> dict[str, Any]:
        first, _, last = name.partition(" ")
        return {
            "Username": username,
            "Num": number,
            "FirstName": first,
            "LastName": last,
            "PhoneStatus": self.data.phone_state(number),
        }

    def history_entry(
        self,
        login: str,
        *,
        status: str,
        number: str,
        name: str = "",
        start: float | None = None,
        duration_s: float = 0,
        outgoing: bool | None = None,
    ) -> Json:
        """One wire entry of ``login``'s history with the party ``number``/``name``.

        The caller is the source: the user for an ``outgoing`` call (by default,
        an ``emitted`` one), else the other party. ``start`` is a Unix time (now by
        default).
        """
        user = self._require_user(login)
        mine = self._party(user.line_number, user.full_name, user.login)
        mine["FirstName"], mine["LastName"] = user.given_name, user.family_name
        theirs = self._party(number, name, self._username_of(number))
        if outgoing is None:
            outgoing = status == "emitted"
        src, dst = (mine, theirs) if outgoing else (theirs, mine)
        entry: Json = {
            "start": wire_time(time.time() if start is None else start),
            "duration": wire_duration(duration_s),
            "status": status,
        }
        for prefix, party in (("src", src), ("dst", dst)):
            entry.update({f"{prefix}{key}": value for key, value in party.items()})
        return entry

    def _history_note(self, call: SimCall) -> None:
        """Follow a call's life (start, answer); write its entry when it ends."""
        now = time.time()
        times = self._call_times.setdefault(call.linked_id, [now, None])
        if call.event_type == "EventEstablished" and times[1] is None:
            times[1] = now
        if call.event_type != "EventReleased":
            return
        del self._call_times[call.linked_id]
        started, answered = times
        assert started is not None
        incoming = call.direction == "Incoming"
        status = "emitted" if not incoming else "answered" if answered else "missed"
        entry = self.history_entry(
            call.login,
            status=status,
            number=call.other_dn,
            name=call.other_name,
            start=started,
            duration_s=now - answered if answered else 0,
        )
        self.add_history(call.login, entry)

    def _ongoing(self, login: str) -> list[Json]:
        """Entries for the user's answered calls still up."""
        entries = []
        for call in self._calls.values():
            times = self._call_times.get(call.linked_id)
            if call.login != login or times is None or times[1] is None:
                continue
            started, answered = times
            assert started is not None
            entry = self.history_entry(
                login,
                status="ongoing",
                number=call.other_dn,
                name=call.other_name,
                start=started,
                duration_s=time.time() - answered,
                outgoing=call.direction != "Incoming",
            )
            entries.append(entry)
        return entries

    def history_of(
        self, login: str, *, size: int | None = None, days: int | None = None
    ) -> list[Json]:
        """The entries a request answers: the last ``size``, else the last ``days``."""
        entries = self._ongoing(login) + self.history.get(login, [])
        entries.sort(key=lambda entry: str(entry.get("start", "")), reverse=True)
        if size is not None:
            return entries[:size]
        since = wire_time(time.time() - (days or _DEFAULT_DAYS) * _DAY)
        return [entry for entry in entries if str(entry.get("start", "")) >= since]

    async def _answer_history(
        self, session: SimSession, user: SimUser, entries: list[Json]
    ) -> None:
        if self.refuse_history:
            raise CommandError("Call history is not available")
        await self._send(session, self.history_reply, entries)

    async def _cmd_user_call_history(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getUserCallHistory`` (``size``, or null: 10 days) → ``history_reply``."""
        size = _count(frame, "size", nullable=True)
        entries = self.history_of(user.login, size=size, days=_DEFAULT_DAYS)
        await self._answer_history(session, user, entries)

    async def _cmd_user_call_history_by_days(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getUserCallHistoryByDays`` (``days``) → ``history_reply``."""
        days = _count(frame, "days", nullable=False)
        await self._answer_history(
            session, user, self.history_of(user.login, days=days)
        )


type HistoryHandler = Callable[
    [HistoryHooks, SimSession, SimUser, Json], Awaitable[None]
]

HISTORY_COMMANDS: dict[
    str, tuple[tuple[tuple[str, str, bool], ...], HistoryHandler]
] = {
    "getUserCallHistory": ((), HistoryHooks._cmd_user_call_history),
    "getUserCallHistoryByDays": ((), HistoryHooks._cmd_user_call_history_by_days),
}
"""The history commands, for ``commands.py``'s table (arguments checked here)."""
