"""A session with xuc as the protocol sees it: the greeting, frames applied, follow-ups.

The session is the link's handler. It turns each frame into a new snapshot through the
pure reducer, hands replies to the correlator, tells the listeners, and sends what a
message calls for (phone-hint subscriptions, a fresh list of favorites). It sends
through the link but knows nothing of sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final

from .codec import BadFrameError, decode, encode
from .exceptions import (
    ConnectionFailure,
    XucConnectionError,
    XucError,
    XucNotConnectedError,
    XucProtocolError,
    XucTimeoutError,
)
from .listeners import Listeners
from .logonce import OnceLog
from .models import XucSnapshot
from .reducer import HANDLERS, PASSIVE_MESSAGE_TYPES, apply_message

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from .correlation import Correlator
    from .journal import ProtocolJournal
    from .phone_events import CallEvent
    from .timings import Timings

_LOGGER = logging.getLogger(__name__)

_FOLLOW_UP_TYPES: Final = frozenset({"Favorites", "LineConfig", "FavoriteUpdated"})


class Session:
    """What the client knows of its session: snapshot, greeting, subscriptions."""

    def __init__(
        self,
        send_text: Callable[[str], Awaitable[None]],
        correlator: Correlator,
        journal: ProtocolJournal,
        timings: Timings,
        *,
        phone_number: str | None,
        max_frame_chars: int,
        host: str | None,
    ) -> None:
        """Nothing known yet; frames arrive once the link is open."""
        self._send_text = send_text
        self._correlator = correlator
        self._journal = journal
        self._timings = timings
        self.phone_number = phone_number
        self._max_frame_chars = max_frame_chars
        self._host = host
        self._log = OnceLog(_LOGGER)
        self.snapshot_listeners: Listeners[[XucSnapshot]] = Listeners()
        self.connection_listeners: Listeners[[bool, XucError | None]] = Listeners()
        self.call_listeners: Listeners[[CallEvent]] = Listeners()
        self.favorites_lock = asyncio.Lock()

        self.snapshot = XucSnapshot()
        # Built during a (re)connect, published once synchronised.
        self._pending = XucSnapshot()
        self._synced = False
        self.connected = False
        self._logged_on: asyncio.Future[None] | None = None
        self._subscribed: set[str] = set()

    # ------------------------------------------------------------------ sending

    async def send(self, frame: dict[str, Any]) -> None:
        """Send one command frame (`XucNotConnectedError` without a socket)."""
        text = encode(frame)
        self._journal.sent(frame.get("command"), text)
        await self._send_text(text)

    async def get_config(self, object_type: str) -> None:
        """Ask for a configuration object (`line` answers with `LineConfig`)."""
        await self.send(
            {"claz": "web", "command": "getConfig", "objectType": object_type}
        )

    async def subscribe_phone_hints(self, numbers: Iterable[str]) -> None:
        """Follow the phone state of these numbers; only new ones are sent."""
        new = sorted(
            {number for number in numbers if number and number not in self._subscribed}
        )
        if not new:
            return
        await self.send(
            {"claz": "web", "command": "subscribeToPhoneHints", "phoneNumbers": new}
        )
        self._subscribed.update(new)

    # ------------------------------------------------------------------ greeting

    async def session_opening(self) -> None:
        """Wait for `LoggedOn`, then ask for what the server does not push by itself."""
        self._synced = False
        self._pending = XucSnapshot()
        self._subscribed = set()
        self._correlator.reset()  # a new session owes nothing
        self._logged_on = asyncio.get_running_loop().create_future()
        try:
            try:
                async with asyncio.timeout(self._timings.logged_on_timeout):
                    await self._logged_on
            except TimeoutError:
                raise XucTimeoutError(
                    "the server did not log the session on in time"
                ) from None
            await self._sync()
        finally:
            # Nobody waits for LoggedOn any more: the reader must not fail that future.
            self._logged_on = None

    async def _sync(self) -> None:
        await self.get_config("line")
        await self.send({"claz": "web", "command": "getCurrentCallsPhoneEvents"})
        try:
            await self._correlator.request(
                lambda: self.send({"claz": "web", "command": "getFavorites"}),
                "Favorites",
                seconds=self._timings.command_timeout,
                lock=self.favorites_lock,
            )
        except TimeoutError:
            raise XucTimeoutError("no Favorites reply from the server") from None
        if self.phone_number:
            await self.subscribe_phone_hints([self.phone_number])

    def session_up(self) -> None:
        """Publish the synchronised snapshot: connection listeners first."""
        self.snapshot = self._pending
        self._synced = True
        self.connected = True
        self.connection_listeners.notify(True, None)
        self.snapshot_listeners.notify(self.snapshot)

    def link_closed(self) -> None:
        """The reader ended: a greeting still waiting for `LoggedOn` fails."""
        if self._logged_on is not None and not self._logged_on.done():
            self._logged_on.set_exception(
                XucConnectionError("the server closed the session before LoggedOn")
            )

    def session_lost(self) -> None:
        """The socket is gone: requests fail; listeners hear of a session that was up."""
        self._correlator.fail_all(
            XucNotConnectedError("the link to the server dropped")
        )
        if self.connected:
            self.connected = False
            _LOGGER.info("Lost the session with %s; reconnecting", self._host)
            self.connection_listeners.notify(False, None)

    def attempt_failed(self, error: XucError) -> None:
        """A reconnection attempt failed: listeners hear of each one, with its error."""
        self.connection_listeners.notify(False, error)

    def abandon(self) -> None:
        """The client is stopping: a greeting in progress is abandoned, not failed."""
        self._logged_on = None

    def stopped(self) -> None:
        """The client stopped on purpose: requests fail, no listener is told."""
        self._correlator.fail_all(XucNotConnectedError("the client was stopped"))
        self.connected = False

    # ------------------------------------------------------------------ frames

    def frame_received(self, data: str) -> Awaitable[None] | None:
        """Decode and apply one frame (synchronously: this is the hot path)."""
        try:
            message = decode(data, self._max_frame_chars)
        except BadFrameError as err:
            self._log.warning(err.kind, "%s", err)
            return None
        msg_type = message["msgType"]
        self._journal.received(msg_type, data)
        return self._apply(msg_type, message.get("ctiMessage"))

    def _apply(self, msg_type: str, payload: Any) -> Awaitable[None] | None:
        """Apply one message: state, replies; return the requests it calls for."""
        if msg_type not in HANDLERS and msg_type not in PASSIVE_MESSAGE_TYPES:
            self._log.warning(
                f"type:{msg_type}", "Ignoring unknown message type %s", msg_type
            )
            return None
        current = self.snapshot if self._synced else self._pending
        try:
            new, events = apply_message(current, msg_type, payload)
        except XucProtocolError as err:
            self._log.warning(
                f"shape:{msg_type}", "Ignoring malformed %s message: %s", msg_type, err
            )
            return None
        if msg_type == "LoggedOn":
            if self._logged_on is not None and not self._logged_on.done():
                self._logged_on.set_result(None)
        elif msg_type == "LoggedOnError":
            self._logged_on_error(payload)
        elif msg_type == "Error":
            self._log.warning(
                f"error:{payload!r:.80}",
                "The server reported an error: %.200r",
                payload,
            )
        self._correlator.resolve(msg_type, payload)
        if new is not current:
            if self._synced:
                self.snapshot = new
                self.snapshot_listeners.notify(new)
            else:
                self._pending = new
        for event in events:
            self.call_listeners.notify(event)
        if msg_type in _FOLLOW_UP_TYPES:
            return self._follow_up(msg_type, payload, new)
        return None

    def _logged_on_error(self, payload: Any) -> None:
        reason = payload.get("Error") if isinstance(payload, dict) else None
        if self._logged_on is not None and not self._logged_on.done():
            # `loggedOnTimeout` is the server's own time-out: worth another try.
            self._logged_on.set_exception(
                XucConnectionError(
                    f"the server refused the CTI session ({reason})",
                    failure=ConnectionFailure.SESSION_REFUSED
                    if reason == "loggedOnFailed"
                    else None,
                )
            )

    async def _follow_up(
        self, msg_type: str, payload: Any, snapshot: XucSnapshot
    ) -> None:
        """Requests a message calls for: new phone-hint subscriptions, a fresh list.

        They run in the reader; a link that dropped meanwhile ends them quietly (the
        next session asks again).
        """
        with contextlib.suppress(XucNotConnectedError):
            if msg_type == "Favorites":
                numbers = [contact.number for contact in snapshot.favorites.values()]
                await self.subscribe_phone_hints(numbers)
            elif msg_type == "LineConfig" and snapshot.line_number:
                await self.subscribe_phone_hints([snapshot.line_number])
            elif (
                msg_type == "FavoriteUpdated"
                and isinstance(payload, dict)
                and payload.get("action") == "Added"
            ):
                # No row comes with a new favorite (from any client): fetch the list.
                await self.send({"claz": "web", "command": "getFavorites"})
