"""Acting on the user's calls (§14) and reading the call history (§15).

A mixin of `XucClient`, kept apart so the façade stays readable: it needs only the
client's `_command` (send a command, no reply exists) and `_request` (send, wait for
the reply). No call command is acknowledged (§14.1): each returns once sent, and its
outcome arrives as `PhoneEvent`s. What desk phones may ignore (`answer`, `hold`,
`conference`, `sendDtmf`) is in §14.4: the client sends them all the same.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, Protocol

from .history import HISTORY_REPLY, history_request, parse_history
from .matching import is_dialable

if TYPE_CHECKING:
    import asyncio

    from .history import HistoryEntry

MAX_DTMF_DIGITS: Final = 32
"""The most digits one `send_dtmf` takes (a PIN, a conference code, an IVR path)."""

DTMF_PATTERN: Final = rf"[0-9*#]{{1,{MAX_DTMF_DIGITS}}}"
"""What `send_dtmf` accepts: the keys of a phone's keypad (no `+`: it is no key)."""

_DTMF_RE: Final = re.compile(DTMF_PATTERN)


def is_dtmf(text: str) -> bool:
    """Whether a text is a sequence of keypad keys `send_dtmf` takes (`DTMF_PATTERN`)."""
    return _DTMF_RE.fullmatch(text) is not None


class _Client(Protocol):
    """What the mixin needs from the client."""

    _history_lock: asyncio.Lock

    def _require_connected(self) -> None: ...

    async def _command(self, command: str, **arguments: Any) -> None: ...

    async def _request(
        self, frame: dict[str, Any], reply_type: str, *, lock: asyncio.Lock
    ) -> Any: ...


def _call_arguments(unique_id: str | None) -> dict[str, Any]:
    """`uniqueId` only when given: older servers know no argument (§14.3)."""
    return {"uniqueId": unique_id} if unique_id else {}


class CallControl:
    """The call commands and the call history of `XucClient`.

    Every command raises `XucNotConnectedError` when the link is down, and the
    arguments are checked before anything is sent (ValueError).
    """

    async def answer(self: _Client, unique_id: str | None = None) -> None:
        """Answer the ringing call (`unique_id`: that leg, else the server chooses)."""
        await self._command("answer", **_call_arguments(unique_id))

    async def hangup(self: _Client, unique_id: str | None = None) -> None:
        """Hang up a call (`unique_id`: that leg, else the server chooses)."""
        await self._command("hangup", **_call_arguments(unique_id))

    async def hold(self: _Client, unique_id: str | None = None) -> None:
        """Put a call on hold, or take it back: there is one command for both (§14.1)."""
        await self._command("hold", **_call_arguments(unique_id))

    async def transfer(
        self: _Client, destination: str, *, attended: bool = False
    ) -> None:
        """Transfer the call to `destination` (`directTransfer`).

        `attended`: call the destination first (`attendedTransfer`, a second call), to
        be ended by `complete_transfer` or `cancel_transfer`. Raises ValueError for a
        destination that is not a dialable number (`matching.DIALABLE_PATTERN`).
        """
        if not is_dialable(destination):
            raise ValueError(f"{destination!r} is not a number that can be dialled")
        command = "attendedTransfer" if attended else "directTransfer"
        await self._command(command, destination=destination)

    async def complete_transfer(self: _Client) -> None:
        """Join the two parties of an attended transfer (the user leaves both)."""
        await self._command("completeTransfer")

    async def cancel_transfer(self: _Client) -> None:
        """End the consultation call of an attended transfer, back to the first one."""
        await self._command("cancelTransfer")

    async def conference(self: _Client) -> None:
        """Join the user's calls into a conference (Snom desk phones only, §14.4)."""
        await self._command("conference")

    async def send_dtmf(self: _Client, digits: str) -> None:
        """Send keypad keys on the current call, one `sendDtmf` frame per key.

        One key per frame because the only DTMF sender that is documented takes
        exactly one character (§14.1); they are sent back to back, the protocol sets
        no pace. Raises ValueError unless `digits` is 1 to `MAX_DTMF_DIGITS` of
        `0-9*#`, before anything is sent.
        """
        if not is_dtmf(digits):
            raise ValueError(
                f"DTMF must be 1 to {MAX_DTMF_DIGITS} of the keys 0-9, * and #"
            )
        self._require_connected()
        for key in digits:
            await self._command("sendDtmf", key=key)

    async def call_history(
        self: _Client, *, size: int | None = None, days: int | None = None
    ) -> tuple[HistoryEntry, ...]:
        """The user's last `size` calls (1-100) or last `days` days (1-30), as sent.

        Exactly one of the two (ValueError otherwise). Replies carry no request id, so
        one history request is in flight at a time; `XucTimeoutError` when no reply
        comes within the command time-out, `XucProtocolError` when it is no history.
        """
        frame = history_request(size=size, days=days)
        self._require_connected()
        payload = await self._request(frame, HISTORY_REPLY, lock=self._history_lock)
        return parse_history(payload)
