"""The xuc client: one WebSocket session kept alive, a live snapshot, typed commands.

One instance serves one account. `start()` connects once (its errors reach the caller, so
a setup can tell refused credentials from an unreachable server), then a background task
keeps the link: it reads frames, sends the application ping every 5 s as the official
client does, watches liveness with WebSocket protocol pings, and reconnects with
exponential back-off, renewing the token first. `stop()` leaves no task behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
import contextlib
import json
import logging
import time
from typing import Any, Final

import aiohttp

from .auth import XucAuth, api_url, normalize_base_url
from .backoff import Backoff
from .directory import parse_directory
from .exceptions import (
    XucAuthError,
    XucCommandError,
    XucConnectionError,
    XucError,
    XucNotConnectedError,
    XucProtocolError,
    XucTimeoutError,
)
from .models import DirectoryResult, ForwardKind, XucSnapshot
from .reducer import HANDLERS, PASSIVE_MESSAGE_TYPES, CallEvent, apply_message

_json_loads: Callable[[str], Any]
try:  # orjson ships with Home Assistant; fall back to the standard library elsewhere.
    from orjson import dumps as _orjson_dumps, loads as _json_loads

    def _json_dumps(frame: dict[str, Any]) -> str:
        return _orjson_dumps(frame).decode()

except ImportError:  # pragma: no cover - exercised only without orjson
    _json_loads = json.loads

    def _json_dumps(frame: dict[str, Any]) -> str:
        return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


_LOGGER = logging.getLogger(__name__)

CTI_PATH: Final = "/xuc/api/2.0/cti"
PING_FRAME: Final = '{"claz":"ping"}'
MAX_FRAME_CHARS: Final = 1024 * 1024
# Frames a little over the application limit are read and dropped; only absurd ones make
# aiohttp fail the link (then the client reconnects).
_WS_MAX_MSG_SIZE: Final = 16 * MAX_FRAME_CHARS

_FORWARD_COMMANDS: Final[Mapping[ForwardKind, str]] = {
    "unconditional": "uncFwd",
    "no_answer": "naFwd",
    "busy": "busyFwd",
}

# A reply later than this many command time-outs is taken as never coming.
_OWED_REPLY_WINDOW: Final = 3.0
# While a late reply is owed, how long a reply waits to see if another one follows.
_LATE_REPLY_GRACE: Final = 0.5
_FOLLOW_UP_TYPES: Final = frozenset({"Favorites", "LineConfig", "FavoriteUpdated"})

_FollowUp = tuple[str, Any, XucSnapshot]
SnapshotListener = Callable[[XucSnapshot], None]
ConnectionListener = Callable[[bool, XucError | None], None]
CallListener = Callable[[CallEvent], None]


class _Waiter:
    """A command waiting for the reply frame that answers it."""

    __slots__ = ("_timer", "future", "match", "msg_type")

    def __init__(self, msg_type: str, match: Callable[[Any], bool]) -> None:
        self.msg_type = msg_type
        self.match = match
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._timer: asyncio.TimerHandle | None = None

    def settle(self, payload: Any) -> None:
        """This reply is the answer."""
        self.cancel_timer()
        if not self.future.done():
            self.future.set_result(payload)

    def candidate(self, payload: Any, grace: float) -> None:
        """This reply is the answer unless another one comes within `grace` seconds."""
        self.cancel_timer()
        self._timer = asyncio.get_running_loop().call_later(grace, self.settle, payload)

    def cancel_timer(self) -> None:
        """Forget a pending candidate (the request is over)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _always(_payload: Any) -> bool:
    return True


class XucClient:
    """A session with a xuc server for one user."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        username: str,
        password: str,
        *,
        verify_ssl: bool = True,
        phone_number: str | None = None,
        keepalive_interval: float = 5.0,
        dead_after: float = 25.0,
        logged_on_timeout: float = 15.0,
        command_timeout: float = 10.0,
        request_timeout: float = 10.0,
        backoff: Backoff | None = None,
        max_frame_chars: int = MAX_FRAME_CHARS,
    ) -> None:
        """Prepare a client; nothing is sent before `login()` or `start()`.

        `keepalive_interval` paces the application ping and the liveness check; a link
        on which nothing at all (not even a pong) arrived for `dead_after` seconds is
        dead. Raises ValueError for a URL that is not http(s).
        """
        self._session = session
        self._base_url = normalize_base_url(url)
        self._verify_ssl = verify_ssl
        self.username = username
        self.phone_number = phone_number or None
        self._auth = XucAuth(
            session,
            self._base_url,
            username,
            password,
            verify_ssl=verify_ssl,
            request_timeout=request_timeout,
        )
        self._keepalive_interval = keepalive_interval
        self._dead_after = dead_after
        self._logged_on_timeout = logged_on_timeout
        self._command_timeout = command_timeout
        self._request_timeout = request_timeout
        self.backoff = backoff or Backoff()
        self._max_frame_chars = max_frame_chars

        self._snapshot = XucSnapshot()
        self._pending = (
            XucSnapshot()
        )  # built during a (re)connect, published once synced
        self._synced = False
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._keepalive: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._logged_on: asyncio.Future[None] | None = None
        self._last_seen = 0.0
        self._subscribed: set[str] = set()
        self._waiters: list[_Waiter] = []
        # Replies still owed by requests that timed out, with how long to expect them.
        self._owed: list[tuple[str, float]] = []
        self._directory_lock = asyncio.Lock()
        self._favorites_lock = asyncio.Lock()
        self._display_name_lock = asyncio.Lock()
        self._stopping = False
        self._connected = False
        self._warned: set[str] = set()

        self._snapshot_listeners: list[SnapshotListener] = []
        self._connection_listeners: list[ConnectionListener] = []
        self._call_listeners: list[CallListener] = []

    # ------------------------------------------------------------------ public state

    @property
    def snapshot(self) -> XucSnapshot:
        """The latest complete snapshot of the user."""
        return self._snapshot

    @property
    def connected(self) -> bool:
        """Whether the session is up and synchronised."""
        return self._connected

    @property
    def server(self) -> str:
        """The server's base URL (no credentials)."""
        return str(self._base_url)

    def add_listener(self, listener: SnapshotListener) -> Callable[[], None]:
        """Call `listener(snapshot)` after each frame that changed the snapshot."""
        return self._add(self._snapshot_listeners, listener)

    def add_connection_listener(
        self, listener: ConnectionListener
    ) -> Callable[[], None]:
        """Call `listener(True, None)` on (re)connect, `listener(False, error)` on loss.

        The error is an `XucAuthError` when the server refused the credentials while
        reconnecting: the client then stops retrying until it is restarted.
        """
        return self._add(self._connection_listeners, listener)

    def add_call_listener(self, listener: CallListener) -> Callable[[], None]:
        """Call `listener(event)` for each call event on the user's own line."""
        return self._add(self._call_listeners, listener)

    @staticmethod
    def _add(listeners: list[Any], listener: Any) -> Callable[[], None]:
        listeners.append(listener)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                listeners.remove(listener)

        return remove

    # ------------------------------------------------------------------ lifecycle

    async def login(self) -> str:
        """Check the credentials with a REST login; return the login the server knows."""
        token = await self._auth.login()
        return token.login

    async def start(self) -> None:
        """Connect and synchronise, then keep the link up in the background.

        Raises `XucAuthError` if the credentials are refused, `XucConnectionError` or
        `XucTimeoutError` if the server cannot be reached or does not answer.
        """
        self._stopping = False
        await self._open()
        self._supervisor = asyncio.create_task(
            self._supervise(), name=f"xuc supervisor {self.username}"
        )

    async def stop(self) -> None:
        """Close the session and end every task of the client."""
        self._stopping = True
        self._logged_on = None  # a connection in progress is abandoned, not failed
        tasks = [
            task
            for task in (self._supervisor, self._keepalive, self._reader)
            if task is not None
        ]
        for task in tasks:
            task.cancel()
        await self._close_ws()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._supervisor = self._keepalive = self._reader = None
        self._fail_waiters(XucNotConnectedError("the client was stopped"))
        # Stopping on purpose is not a lost link: listeners are not told.
        self._connected = False

    async def _open(self) -> None:
        """Open one WebSocket session: token, handshake, `LoggedOn`, initial sync."""
        token = await self._auth.fresh_token()
        try:
            ws = await self._ws_connect(token.value)
        except _HandshakeRefusedError:
            # The token was refused at the door: a fresh login gets a new one.
            _LOGGER.debug("WebSocket handshake refused the token; logging in again")
            self._auth.token = None
            token = await self._auth.login()
            try:
                ws = await self._ws_connect(token.value)
            except _HandshakeRefusedError as err:
                raise XucConnectionError(
                    f"WebSocket handshake refused (HTTP {err.status})"
                ) from None

        loop = asyncio.get_running_loop()
        self._ws = ws
        self._synced = False
        self._pending = XucSnapshot()
        self._subscribed = set()
        self._owed = []  # a new session owes nothing
        self._last_seen = time.monotonic()
        self._logged_on = loop.create_future()
        self._reader = asyncio.create_task(
            self._read_loop(ws), name=f"xuc reader {self.username}"
        )
        try:
            async with asyncio.timeout(self._logged_on_timeout):
                await self._logged_on
            await self._sync()
        except TimeoutError:
            await self._abort_open()
            raise XucTimeoutError(
                "the server did not log the session on in time"
            ) from None
        except BaseException:
            await self._abort_open()
            raise
        self._keepalive = asyncio.create_task(
            self._keepalive_loop(ws), name=f"xuc keepalive {self.username}"
        )
        self.backoff.reset()
        self._snapshot = self._pending
        self._synced = True
        self._connected = True
        _LOGGER.debug("Session with %s is up", self._base_url.host)
        self._notify_connection(True, None)
        self._notify_snapshot()

    async def _abort_open(self) -> None:
        # Nobody waits for LoggedOn any more: the reader must not fail that future.
        self._logged_on = None
        await self._close_ws()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    async def _ws_connect(self, token: str) -> aiohttp.ClientWebSocketResponse:
        scheme = "wss" if self._base_url.scheme == "https" else "ws"
        url = api_url(self._base_url, CTI_PATH).with_scheme(scheme)
        try:
            async with asyncio.timeout(self._request_timeout):
                return await self._session.ws_connect(
                    url.with_query(token=token),
                    ssl=self._verify_ssl,
                    autoping=False,
                    heartbeat=None,
                    max_msg_size=_WS_MAX_MSG_SIZE,
                    timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
                )
        except aiohttp.WSServerHandshakeError as err:
            # The error's text holds the URL, hence the token: never chain it.
            if err.status in {401, 403}:
                raise _HandshakeRefusedError(err.status) from None
            raise XucConnectionError(
                f"WebSocket handshake failed (HTTP {err.status})"
            ) from None
        except TimeoutError:
            raise XucTimeoutError("WebSocket handshake timed out") from None
        except aiohttp.ClientSSLError as err:
            raise XucConnectionError(
                f"WebSocket TLS error ({type(err).__name__})"
            ) from None
        except aiohttp.ClientError as err:
            raise XucConnectionError(
                f"WebSocket connection failed ({type(err).__name__})"
            ) from None

    async def _sync(self) -> None:
        """Ask for what the server does not push on its own, and wait for the favorites."""
        await self.get_config("line")
        await self._send_frame({"claz": "web", "command": "getCurrentCallsPhoneEvents"})
        await self._request(
            {"claz": "web", "command": "getFavorites"},
            "Favorites",
            lock=self._favorites_lock,
        )
        if self.phone_number:
            await self.subscribe_phone_hints([self.phone_number])

    async def _supervise(self) -> None:
        """Wait for the link to drop, then reconnect with back-off until stopped."""
        while not self._stopping:
            if self._reader is not None:
                await asyncio.wait([self._reader])
            await self._link_lost(None)
            while not self._stopping:
                delay = self.backoff.next()
                _LOGGER.debug(
                    "Reconnecting to %s in %.1f s", self._base_url.host, delay
                )
                await asyncio.sleep(delay)
                try:
                    await self._open()
                    break
                except XucAuthError as err:
                    _LOGGER.warning(
                        "The server refused the credentials of %s; not retrying",
                        self.username,
                    )
                    self._notify_connection(False, err)
                    return
                except XucError as err:
                    _LOGGER.debug("Reconnection failed: %s", err)

    async def _link_lost(self, error: XucError | None) -> None:
        if self._keepalive is not None:
            self._keepalive.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keepalive
            self._keepalive = None
        await self._close_ws()
        self._fail_waiters(XucNotConnectedError("the link to the server dropped"))
        if self._connected:
            self._connected = False
            _LOGGER.info("Lost the session with %s; reconnecting", self._base_url.host)
            self._notify_connection(False, error)

    async def _close_ws(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None and not ws.closed:
            with contextlib.suppress(Exception):
                await ws.close()

    # ------------------------------------------------------------------ reading

    async def _read_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read frames until the link closes; bad frames are dropped, never fatal."""
        try:
            while True:
                msg = await ws.receive()
                self._last_seen = time.monotonic()
                if msg.type is aiohttp.WSMsgType.TEXT:
                    follow_up = self._handle_text(msg.data)
                    if follow_up is not None:
                        await self._follow_up(*follow_up)
                elif msg.type is aiohttp.WSMsgType.PING:
                    await ws.pong(msg.data)
                elif msg.type is aiohttp.WSMsgType.PONG:
                    continue
                elif msg.type is aiohttp.WSMsgType.BINARY:
                    self._warn_once("binary", "Ignoring binary frames from the server")
                else:  # CLOSE, CLOSING, CLOSED, ERROR
                    break
        except (ConnectionError, aiohttp.ClientError) as err:
            _LOGGER.debug("Link error: %s", type(err).__name__)
        finally:
            if self._logged_on is not None and not self._logged_on.done():
                self._logged_on.set_exception(
                    XucConnectionError("the server closed the session before LoggedOn")
                )

    def _handle_text(self, data: str) -> _FollowUp | None:
        """Decode and apply one frame (synchronously: this is the hot path)."""
        if len(data) > self._max_frame_chars:
            self._warn_once(
                "huge",
                "Ignoring frames larger than %d characters",
                self._max_frame_chars,
            )
            return None
        try:
            message = _json_loads(data)
        except ValueError:
            self._warn_once("json", "Ignoring frames that are not JSON")
            return None
        if not isinstance(message, dict) or not isinstance(message.get("msgType"), str):
            self._warn_once("envelope", "Ignoring frames without a msgType")
            return None
        return self._apply(message["msgType"], message.get("ctiMessage"))

    def _apply(self, msg_type: str, payload: Any) -> _FollowUp | None:
        """Apply one decoded message: state, replies; say which request it calls for."""
        if msg_type not in HANDLERS and msg_type not in PASSIVE_MESSAGE_TYPES:
            self._warn_once(
                f"type:{msg_type}", "Ignoring unknown message type %s", msg_type
            )
            return None
        current = self._snapshot if self._synced else self._pending
        try:
            new, events = apply_message(current, msg_type, payload)
        except XucProtocolError as err:
            self._warn_once(
                f"shape:{msg_type}", "Ignoring malformed %s message: %s", msg_type, err
            )
            return None
        if msg_type == "LoggedOn":
            if self._logged_on is not None and not self._logged_on.done():
                self._logged_on.set_result(None)
        elif msg_type == "LoggedOnError":
            self._logged_on_error(payload)
        elif msg_type == "Error":
            self._warn_once(
                f"error:{payload!r:.80}",
                "The server reported an error: %.200r",
                payload,
            )
        self._resolve_waiters(msg_type, payload)
        if new is not current:
            if self._synced:
                self._snapshot = new
                self._notify_snapshot()
            else:
                self._pending = new
        for event in events:
            for listener in tuple(self._call_listeners):
                _call_listener(listener, event)
        return (msg_type, payload, new) if msg_type in _FOLLOW_UP_TYPES else None

    def _logged_on_error(self, payload: Any) -> None:
        reason = payload.get("Error") if isinstance(payload, dict) else None
        if self._logged_on is not None and not self._logged_on.done():
            self._logged_on.set_exception(
                XucConnectionError(f"the server refused the CTI session ({reason})")
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
                await self._send_frame({"claz": "web", "command": "getFavorites"})

    async def subscribe_phone_hints(self, numbers: Iterable[str]) -> None:
        """Follow the phone state of these numbers (`PhoneHintStatusEvent` pushes).

        Only numbers not yet followed on this session are sent; after a reconnect the
        favorites, the own line and the configured phone number are followed again.
        """
        new = sorted(
            {number for number in numbers if number and number not in self._subscribed}
        )
        if not new:
            return
        await self._send_frame(
            {"claz": "web", "command": "subscribeToPhoneHints", "phoneNumbers": new}
        )
        self._subscribed.update(new)

    async def get_config(self, object_type: str = "line") -> None:
        """Ask for a configuration object; `line` answers with the user's line."""
        await self._send_frame(
            {"claz": "web", "command": "getConfig", "objectType": object_type}
        )

    def _warn_once(self, kind: str, message: str, *args: Any) -> None:
        """Log a warning the first time a kind of problem is seen, debug afterwards."""
        if kind in self._warned:
            _LOGGER.debug(message, *args)
            return
        self._warned.add(kind)
        _LOGGER.warning("%s (further ones are logged at debug level)", message % args)

    def _notify_snapshot(self) -> None:
        snapshot = self._snapshot
        for listener in tuple(self._snapshot_listeners):
            _call_listener(listener, snapshot)

    def _notify_connection(self, connected: bool, error: XucError | None) -> None:
        for listener in tuple(self._connection_listeners):
            _call_listener(listener, connected, error)

    # ------------------------------------------------------------------ liveness

    async def _keepalive_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Application ping every interval; protocol ping when quiet; close when dead.

        A quiet link is healthy as long as it answers protocol pings with pongs, so a
        server that pushes nothing for hours is never dropped.
        """
        try:
            while not ws.closed:
                await asyncio.sleep(self._keepalive_interval)
                idle = time.monotonic() - self._last_seen
                if idle >= self._dead_after:
                    _LOGGER.warning(
                        "No answer from %s for %.0f s; reconnecting",
                        self._base_url.host,
                        idle,
                    )
                    if self._reader is not None:
                        self._reader.cancel()
                    await ws.close()
                    return
                await ws.send_str(PING_FRAME)
                if idle >= self._keepalive_interval:
                    await ws.ping()
        except (ConnectionError, aiohttp.ClientError) as err:
            _LOGGER.debug("Keepalive stopped: %s", type(err).__name__)

    # ------------------------------------------------------------------ commands

    async def _send_frame(self, frame: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            raise XucNotConnectedError("not connected to the server")
        try:
            await ws.send_str(_json_dumps(frame))
        except (ConnectionError, aiohttp.ClientError) as err:
            raise XucNotConnectedError(
                f"sending failed ({type(err).__name__})"
            ) from None

    async def _command(self, command: str, **arguments: Any) -> None:
        """Send a command whose outcome arrives as a push (no direct reply)."""
        if not self._connected:
            raise XucNotConnectedError("not connected to the server")
        await self._send_frame({"claz": "web", "command": command, **arguments})

    async def _request(
        self,
        frame: dict[str, Any],
        reply_type: str,
        *,
        lock: asyncio.Lock,
        match: Callable[[Any], bool] = _always,
    ) -> Any:
        """Send a frame and wait for its reply; one at a time per reply type.

        The protocol has no request id, so requests answered by the same message type
        are serialised: a reply can then only belong to the request in flight.
        """
        async with lock:
            waiter = _Waiter(reply_type, match)
            self._waiters.append(waiter)
            try:
                await self._send_frame(frame)
                async with asyncio.timeout(self._command_timeout):
                    return await waiter.future
            except TimeoutError:
                # The reply may still come: it must not answer the next request.
                self._owed.append(
                    (
                        reply_type,
                        time.monotonic() + _OWED_REPLY_WINDOW * self._command_timeout,
                    )
                )
                raise XucTimeoutError(
                    f"no {reply_type} reply from the server"
                ) from None
            finally:
                waiter.cancel_timer()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)

    def _resolve_waiters(self, msg_type: str, payload: Any) -> None:
        """Hand a reply to the request waiting for it.

        After a request of this type timed out, its reply may still come, ahead of the
        next request's own (the server answers in order). So while such a reply is owed,
        a reply is only a candidate: a second reply soon after replaces it (the first
        was the late one), else the candidate is the answer (the late one was lost).
        """
        if not self._waiters and not self._owed:
            return  # the common case: a push nobody asked for
        now = time.monotonic()
        self._owed = [(kind, until) for kind, until in self._owed if until > now]
        owed = next(
            (i for i, (kind, _until) in enumerate(self._owed) if kind == msg_type), None
        )
        waiter = next(
            (
                waiter
                for waiter in self._waiters
                if waiter.msg_type == msg_type
                and not waiter.future.done()
                and waiter.match(payload)
            ),
            None,
        )
        if owed is not None:
            del self._owed[owed]
            if waiter is None:
                _LOGGER.debug("Dropping a late %s reply", msg_type)
                return
            waiter.candidate(payload, min(_LATE_REPLY_GRACE, self._command_timeout / 4))
            return
        if waiter is not None:
            waiter.settle(payload)

    def _fail_waiters(self, error: XucError) -> None:
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.set_exception(error)

    def _require_connected(self) -> None:
        if not self._connected:
            raise XucNotConnectedError("not connected to the server")

    async def directory_lookup(self, term: str) -> DirectoryResult:
        """Search the directory (`directoryLookUp`) and return the rows found."""
        if not term.strip():
            raise ValueError("the search term is empty")
        self._require_connected()
        payload = await self._request(
            {"claz": "web", "command": "directoryLookUp", "term": term},
            "DirectoryResult",
            lock=self._directory_lock,
        )
        return parse_directory(payload)

    async def get_favorites(self) -> None:
        """Ask for the favorites again; the snapshot is updated from the reply."""
        self._require_connected()
        await self._request(
            {"claz": "web", "command": "getFavorites"},
            "Favorites",
            lock=self._favorites_lock,
        )

    async def _change_favorite(
        self, command: str, expected: str, contact_id: str, source: str
    ) -> None:
        if not contact_id or not source:
            raise ValueError("a favorite needs a contact id and a source")
        self._require_connected()

        def answers(payload: Any) -> bool:
            return (
                isinstance(payload, dict)
                and str(payload.get("contact_id", payload.get("contactId")))
                == contact_id
                and str(payload.get("source")) == source
            )

        reply = await self._request(
            {
                "claz": "web",
                "command": command,
                "contactId": contact_id,
                "source": source,
            },
            "FavoriteUpdated",
            lock=self._favorites_lock,
            match=answers,
        )
        if reply.get("action") != expected:
            raise XucCommandError(
                f"{command} refused by the server ({reply.get('action')})"
            )
        await self.get_favorites()

    async def add_favorite(self, contact_id: str, source: str) -> None:
        """Make a directory contact a favorite; wait until the server confirms it."""
        await self._change_favorite("addFavorite", "Added", contact_id, source)

    async def remove_favorite(self, contact_id: str, source: str) -> None:
        """Remove a favorite; wait until the server confirms it."""
        await self._change_favorite("removeFavorite", "Removed", contact_id, source)

    async def display_name_lookup(self, username: str) -> str | None:
        """The display name of a user, from its username (`displayNameLookup`)."""
        if not username.strip():
            raise ValueError("the username is empty")
        self._require_connected()

        def answers(payload: Any) -> bool:
            return not isinstance(payload, dict) or payload.get("username") in (
                None,
                username,
            )

        payload = await self._request(
            {"claz": "web", "command": "displayNameLookup", "username": username},
            "UserDisplayName",
            lock=self._display_name_lock,
            match=answers,
        )
        name = payload.get("displayName") if isinstance(payload, dict) else payload
        return str(name) if name else None

    async def change_status(self, name: str) -> None:
        """Take one of the statuses the server lists (by its `name`)."""
        if not any(status.name == name for status in self._snapshot.statuses):
            raise ValueError(f"unknown status {name!r}")
        await self._command("userStatusUpdate", status=name)

    async def set_preference(self, key: str, value: str, value_type: str) -> None:
        """Set a user preference; values travel as strings with their type."""
        await self._command(
            "setUserPreference", key=key, value=value, value_type=value_type
        )

    async def set_dnd(self, enabled: bool) -> None:
        """Turn Do Not Disturb on or off."""
        await self._command("dnd", state=enabled)

    async def set_forward(
        self, kind: ForwardKind, enabled: bool, destination: str
    ) -> None:
        """Set one of the three call forwards (state and destination together)."""
        await self._command(
            _FORWARD_COMMANDS[kind], state=enabled, destination=destination
        )

    async def dial(
        self, destination: str, variables: Mapping[str, str] | None = None
    ) -> None:
        """Place a call from the user's device."""
        arguments: dict[str, Any] = {"destination": destination}
        if variables:
            arguments["variables"] = dict(variables)
        await self._command("dial", **arguments)

    def __repr__(self) -> str:
        """Identify the client without any secret."""
        return f"XucClient({self.username!r} @ {self._base_url.host})"


def _call_listener(listener: Callable[..., None], *args: Any) -> None:
    """Run a listener; its bug is logged, never allowed to break the session."""
    try:
        listener(*args)
    except Exception:
        _LOGGER.exception("Error in a xuc client listener")


class _HandshakeRefusedError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
