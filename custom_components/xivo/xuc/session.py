"""A session with xuc as the protocol sees it: the greeting, frames applied, follow-ups.

The session is the link's handler. It turns each frame into a new snapshot through the
pure reducer, hands replies to the correlator, tells the listeners, and sends what a
message calls for (phone-hint subscriptions, a fresh list of favorites). It sends
through the link but knows nothing of sockets. Once the session is up, the frequent
pushes of one read burst make one snapshot, published before the link waits again, in
the same loop turn (see `batch`).

Real servers greet in any order and may not answer everything (protocol reference,
G2, G7, G8), so a new session is published once its greeting has settled — this
session's `Favorites` came and the user has a name — or after `greeting_timeout`,
whichever is first; what comes later is applied as it comes. A new session starts from
the last known snapshot (presence, statuses, preferences, voicemail, configuration,
favorites and phone hints), since a server need not resend what did not change: fresh
values replace them as they arrive. Calls start empty; the server resends them.
A session whose `UserConfigUpdate` names a real agent asks, once, for the agent's
queues, memberships and state, and subscribes to its events (`_agent_requests`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final

from .agent_control import AGENT_FRAME_TYPES
from .agent_reducer import QUIET_TYPES, quiet, stats_wanted
from .agents import positive_id
from .batch import PushBatch
from .codec import BadFrameError, decode, encode
from .exceptions import (
    ConnectionFailure,
    XucConnectionError,
    XucError,
    XucNotConnectedError,
    XucProtocolError,
    XucTimeoutError,
)
from .hints import FollowedNumbers
from .listeners import Listeners
from .logonce import OnceLog
from .models import EMPTY_MAPPING, XucSnapshot
from .payload import error_code
from .reducer import HANDLERS, PASSIVE_MESSAGE_TYPES, apply_message
from .user_config import agent_id_counts

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from .correlation import Correlator
    from .journal import ProtocolJournal
    from .phone_events import CallEvent
    from .timings import Timings

_LOGGER = logging.getLogger(__name__)

_FOLLOW_UP_TYPES: Final = frozenset({"Favorites", "LineConfig", "FavoriteUpdated"})
_GREETING_TYPES: Final = frozenset({"Favorites", "UserConfigUpdate"})


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
        # Agent commands waiting for their confirmation see these frames, applied.
        self.agent_frames: Listeners[[str, Any, XucSnapshot]] = Listeners()

        self.snapshot = XucSnapshot(phone_number=phone_number)
        # Built during a (re)connect, published once synchronised.
        self._pending = self.snapshot
        self._synced = False
        self.connected = False
        self._logged_on: asyncio.Future[None] | None = None
        self._settled: asyncio.Future[None] | None = None
        self._favorites_came = False
        self._followed = FollowedNumbers()
        self._batch = PushBatch()
        self._asked_agent: int | None = None  # the agent this session asked about

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
        """Follow these numbers too (now and in later sessions); see `hints`."""
        self._followed.add(numbers)
        await self._follow_hints()

    async def _follow_hints(self) -> None:
        """Send the whole set of numbers followed, if it changed since last sent."""
        numbers = self._followed.take(self._current)
        if numbers is None:
            return
        try:
            await self.send(
                {
                    "claz": "web",
                    "command": "subscribeToPhoneHints",
                    "phoneNumbers": sorted(numbers),
                }
            )
        except BaseException:
            self._followed.unsent(numbers)
            raise

    @property
    def _current(self) -> XucSnapshot:
        return self.snapshot if self._synced else self._pending

    # ------------------------------------------------------------------ greeting

    async def session_opening(self) -> None:
        """Wait for `LoggedOn`, ask for what is not pushed, let the greeting settle."""
        self._synced = False
        self._pending = self.snapshot.evolve(
            calls=EMPTY_MAPPING, phone_number=self.phone_number
        )
        self._favorites_came = False
        self._asked_agent = None
        self._followed.new_session()
        self._correlator.reset()  # a new session owes nothing
        loop = asyncio.get_running_loop()
        try:
            self._logged_on = loop.create_future()
            try:
                async with asyncio.timeout(self._timings.logged_on_timeout):
                    await self._logged_on
            except TimeoutError:
                raise XucTimeoutError(
                    "the server did not log the session on in time"
                ) from None
            self._logged_on = None
            await self._sync()
            if not self._greeted:
                self._settled = loop.create_future()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._timings.greeting_timeout):
                        await self._settled
        finally:
            # Nobody waits any more: the reader must not fail these futures.
            self._logged_on = self._settled = None
        self._report_greeting()

    async def _sync(self) -> None:
        """The requests of a new session; only their sending is awaited."""
        await self.get_config("line")
        await self.send({"claz": "web", "command": "getCurrentCallsPhoneEvents"})
        # Best effort (G2): its reply is applied whenever it comes.
        self._correlator.expect("Favorites", seconds=self._timings.command_timeout)
        await self.send({"claz": "web", "command": "getFavorites"})
        await self._follow_hints()  # the last session's set, at once

    @property
    def _greeted(self) -> bool:
        """Whether this session's favorites came and the user has a name."""
        return self._favorites_came and self._pending.user.full_name is not None

    def _report_greeting(self) -> None:
        if not self._favorites_came:
            self._log.warning(
                "favorites",
                "No Favorites reply from %s within %.1f s; starting without it "
                "(favorites are applied when they come)",
                self._host,
                self._timings.greeting_timeout,
            )
        if self._pending.user.full_name is None:
            _LOGGER.debug("No user name from %s in the greeting", self._host)

    def session_up(self) -> None:
        """Publish the synchronised snapshot: connection listeners first."""
        self.snapshot = self._pending
        self._synced = True
        self.connected = True
        self.connection_listeners.notify(True, None)
        self.snapshot_listeners.notify(self.snapshot)

    def link_closed(self) -> None:
        """The reader ended (or the client stops): a greeting in progress fails.

        What was read before the end is published first.
        """
        self.frames_read()
        if self._logged_on is not None and not self._logged_on.done():
            self._logged_on.set_exception(
                XucConnectionError("the server closed the session before LoggedOn")
            )
        if self._settled is not None and not self._settled.done():
            self._settled.set_exception(
                XucConnectionError("the server closed the session during its greeting")
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

    def stopped(self) -> None:
        """The client stopped on purpose: requests fail, no listener is told."""
        self._correlator.fail_all(XucNotConnectedError("the client was stopped"))
        self.connected = False

    # ------------------------------------------------------------------ frames

    def frame_received(self, data: str) -> Awaitable[None] | None:
        """Decode and apply one frame (synchronously: this is the hot path).

        Once the session is up, the frequent pushes go to the batch (see `batch`) and
        reach the listeners at the next `frames_read()`, which the link calls before it
        waits for the socket, in the same loop turn; any other message first publishes
        what is pending, so it is handled, and heard, in the order it came.
        """
        try:
            message = decode(data, self._max_frame_chars)
        except BadFrameError as err:
            self._log.warning(err.kind, "%s", err)
            return None
        msg_type = message["msgType"]
        self._journal.received(msg_type, data)
        payload = message.get("ctiMessage")
        agent_requests = (
            self._agent_requests(payload) if msg_type == "UserConfigUpdate" else None
        )
        batched = self._batch.appliers.get(msg_type)
        if batched is not None and self._synced:
            try:
                batched(self.snapshot, payload)
            except XucProtocolError as err:
                self._malformed(msg_type, err)
            # None of them answers a request today; the correlator decides (it is
            # free when nothing waits).
            self._correlator.resolve(msg_type, payload)
            return agent_requests
        self.frames_read()
        return self._apply(msg_type, payload) or agent_requests

    def frames_read(self) -> None:
        """Publish the pushes applied since the last snapshot, if any (one notification)."""
        if self._batch.pending:
            self.snapshot = self._batch.publish(self.snapshot)
            self.snapshot_listeners.notify(self.snapshot)

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
            self._malformed(msg_type, err)
            return None
        if msg_type == "LoggedOn":
            if self._logged_on is not None and not self._logged_on.done():
                self._logged_on.set_result(None)
        elif msg_type == "LoggedOnError":
            self._logged_on_error(payload)
        elif msg_type == "Error":
            code = error_code(payload)
            self._log.warning(f"error:{code}", "The server reported an error: %s", code)
        self._correlator.resolve(msg_type, payload)
        if new is not current:
            if self._synced:
                self.snapshot = new
                # Another queue's statistics: kept, but nothing the user sees changed.
                if msg_type not in QUIET_TYPES or not quiet(current, new):
                    self.snapshot_listeners.notify(new)
            else:
                self._pending = new
        if msg_type in _GREETING_TYPES and not self._synced:
            self._greeting_step(msg_type)
        if msg_type in AGENT_FRAME_TYPES:
            self.agent_frames.notify(msg_type, payload, new)
        for event in events:
            self.call_listeners.notify(event)
        if msg_type in _FOLLOW_UP_TYPES or stats_wanted(msg_type, current, new):
            return self._follow_up(msg_type, payload)
        return None

    def _malformed(self, msg_type: str, err: XucProtocolError) -> None:
        self._log.warning(
            f"shape:{msg_type}", "Ignoring malformed %s message: %s", msg_type, err
        )

    def _greeting_step(self, msg_type: str) -> None:
        """A greeting frame was applied: the greeting may have settled."""
        self._favorites_came |= msg_type == "Favorites"
        settled = self._settled
        if settled is not None and not settled.done() and self._greeted:
            settled.set_result(None)

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

    def _agent_requests(self, payload: Any) -> Awaitable[None] | None:
        """What the official agent app asks (§12.2, §13), once the session names an agent.

        The id is read as `user_config` reads it; a user without an agent gets none.
        """
        agent_id = self._current.user.agent_id
        if isinstance(payload, dict) and agent_id_counts(payload):
            agent_id = positive_id(payload["agentId"])
        if agent_id is None:
            self._asked_agent = None  # no agent now: one that comes back is asked about
            return None
        if agent_id == self._asked_agent:
            return None
        self._asked_agent = agent_id  # once per session (and per agent, if it changes)
        return self._ask_agent_state()

    async def _ask_agent_state(self) -> None:
        with contextlib.suppress(XucNotConnectedError):
            for object_type in ("queue", "queuemember"):
                await self.send(
                    {"claz": "web", "command": "getList", "objectType": object_type}
                )
            for command in (
                "getAgentStates",
                "subscribeToAgentEvents",
                "subscribeToQueueStats",
            ):
                await self.send({"claz": "web", "command": command})

    async def _follow_up(self, msg_type: str, payload: Any) -> None:
        """Requests a message calls for: new phone-hint subscriptions, a fresh list.

        They run in the reader; a link that dropped meanwhile ends them quietly (the
        next session asks again).
        """
        with contextlib.suppress(XucNotConnectedError):
            if msg_type in {"Favorites", "LineConfig"}:
                await self._follow_hints()
            elif (
                msg_type == "FavoriteUpdated"
                and isinstance(payload, dict)
                and payload.get("action") == "Added"
            ):
                # No row comes with a new favorite (from any client): fetch the list.
                await self.send({"claz": "web", "command": "getFavorites"})
            elif msg_type == "QueueMember":  # a queue joined, its statistics unknown
                await self.send({"claz": "web", "command": "subscribeToQueueStats"})
