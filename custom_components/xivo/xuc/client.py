"""The xuc client: one account's session kept alive, a live snapshot, typed commands.

One instance serves one account. `start()` connects once (its errors reach the caller, so
a setup can tell refused credentials from an unreachable server), then the link keeps
the session up in the background (see `transport`). This module is the façade: the
public state, the listeners, and every command (the call commands and the call history
in `call_control`, the agent's in `agent_control`). The pieces live in their own modules: `transport` (socket,
keepalive, reconnection), `session` (greeting, frames, follow-ups), `correlation`
(replies to requests), `codec` (JSON), `auth` (tokens).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
import logging
from typing import TYPE_CHECKING, Any, Final

from .agent_control import AgentControl
from .auth import XucAuth, normalize_base_url
from .backoff import Backoff
from .call_control import CallControl
from .codec import MAX_FRAME_CHARS
from .correlation import Match, always
from .directory import parse_directory
from .exceptions import XucCommandError, XucNotConnectedError, XucTimeoutError
from .history import HistoryCorrelator
from .journal import ProtocolJournal
from .session import Session
from .timings import Timings
from .transport import Link

if TYPE_CHECKING:
    import aiohttp

    from .exceptions import XucError
    from .models import DirectoryResult, ForwardKind, XucSnapshot
    from .phone_events import CallEvent

_LOGGER = logging.getLogger(__name__)

_FORWARD_COMMANDS: Final[Mapping[ForwardKind, str]] = {
    "unconditional": "uncFwd",
    "no_answer": "naFwd",
    "busy": "busyFwd",
}

type SnapshotListener = Callable[[XucSnapshot], None]
type ConnectionListener = Callable[[bool, XucError | None], None]
type CallListener = Callable[[CallEvent], None]


class XucClient(AgentControl, CallControl):
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
        greeting_timeout: float = 3.0,
        backoff: Backoff | None = None,
        max_frame_chars: int = MAX_FRAME_CHARS,
    ) -> None:
        """Prepare a client; nothing is sent before `login()` or `start()`.

        `keepalive_interval` paces the application ping and the liveness check; a link
        on which nothing at all (not even a pong) arrived for `dead_after` seconds is
        dead. `greeting_timeout` bounds how long a new session waits for its greeting
        (its favorites, the user's name) before it is published anyway; a server that
        never answers `getFavorites` still gives a started client. Raises ValueError
        for a URL that is not http(s).
        """
        self._base_url = normalize_base_url(url)
        self.username = username
        self.timings = Timings(
            keepalive_interval=keepalive_interval,
            dead_after=dead_after,
            logged_on_timeout=logged_on_timeout,
            command_timeout=command_timeout,
            request_timeout=request_timeout,
            greeting_timeout=greeting_timeout,
        )
        self._auth = XucAuth(
            session,
            self._base_url,
            username,
            password,
            verify_ssl=verify_ssl,
            request_timeout=request_timeout,
        )
        self._correlator = HistoryCorrelator()
        self._journal = ProtocolJournal()
        self._session = Session(
            self._send_text,
            self._correlator,
            self._journal,
            self.timings,
            phone_number=phone_number or None,
            max_frame_chars=max_frame_chars,
            host=self._base_url.host,
        )
        self._link = Link(
            session,
            self._base_url,
            self._auth,
            self._session,
            timings=self.timings,
            backoff=backoff or Backoff(),
            verify_ssl=verify_ssl,
            name=username,
        )
        self._directory_lock = asyncio.Lock()
        self._favorites_lock = asyncio.Lock()
        self._display_name_lock = asyncio.Lock()
        self._history_lock = asyncio.Lock()
        self._last_penalties: dict[int, int] = {}  # queue id -> penalty, at leaving

    async def _send_text(self, text: str) -> None:
        await self._link.send_text(text)

    # ------------------------------------------------------------------ public state

    @property
    def snapshot(self) -> XucSnapshot:
        """The latest complete snapshot of the user."""
        return self._session.snapshot

    @property
    def connected(self) -> bool:
        """Whether the session is up and synchronised."""
        return self._session.connected

    @property
    def server(self) -> str:
        """The server's base URL (no credentials)."""
        return str(self._base_url)

    @property
    def journal(self) -> list[dict[str, Any]]:
        """The last frames in and out, oldest first (see `journal.ProtocolJournal`).

        Each is `{"direction": "in"|"out", "at": <ISO-8601 UTC>, "msg_type"` (in) or
        `"command"` (out)`: ..., "frame": <the decoded JSON>}`; keep-alive pings are
        left out. Personal data is not redacted: the reader does it.
        """
        return self._journal.entries

    @property
    def server_profile(self) -> dict[str, dict[str, Any]]:
        """Every message type the server sent: `{"count": n, "first": <frame>}`."""
        return self._journal.profile

    @property
    def phone_number(self) -> str | None:
        """The phone number the user configured, followed with the favorites."""
        return self._session.phone_number

    @property
    def backoff(self) -> Backoff:
        """The reconnection back-off (replaceable, e.g. by tests)."""
        return self._link.backoff

    @backoff.setter
    def backoff(self, backoff: Backoff) -> None:
        self._link.backoff = backoff

    def add_listener(self, listener: SnapshotListener) -> Callable[[], None]:
        """Call `listener(snapshot)` after each read burst of frames that changed it.

        Frames read together (one burst from the socket) are published as one
        snapshot, in the loop turn they were read: no push waits for a later turn.
        """
        return self._session.snapshot_listeners.add(listener)

    def add_connection_listener(
        self, listener: ConnectionListener
    ) -> Callable[[], None]:
        """Call `listener(True, None)` on (re)connect, `listener(False, ...)` otherwise.

        `listener(False, None)` when a session that was up is lost, then
        `listener(False, error)` after each failed reconnection attempt, with that
        attempt's error: a caller can count attempts in a row that failed with the
        same `XucConnectionError.failure` (the integration raises a repair issue after
        three) and clear its count at the next `listener(True, None)`. An
        `XucAuthError` means the server refused the credentials: the client then stops
        retrying until it is restarted.
        """
        return self._session.connection_listeners.add(listener)

    def add_call_listener(self, listener: CallListener) -> Callable[[], None]:
        """Call `listener(event)` for each call event on the user's own line."""
        return self._session.call_listeners.add(listener)

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
        await self._link.open()
        self._link.supervise()

    async def stop(self) -> None:
        """Close the session and end every task of the client; never raises.

        Stopping on purpose is not a lost link: listeners are not told.
        """
        try:
            await self._link.stop()
        except Exception:  # stopping must always succeed
            _LOGGER.exception("Error while stopping the xuc client")
        self._session.stopped()

    # ------------------------------------------------------------------ commands

    async def subscribe_phone_hints(self, numbers: Iterable[str]) -> None:
        """Follow the phone state of these numbers too (`PhoneHintStatusEvent` pushes).

        The favorites, the own line and the configured phone number are always
        followed. Each subscription carries the whole set followed (right whether
        the server adds to its set or replaces it), and is sent only when that set
        changed; later sessions follow these numbers too.
        """
        await self._session.subscribe_phone_hints(numbers)

    async def get_config(self, object_type: str = "line") -> None:
        """Ask for a configuration object; `line` answers with the user's line."""
        await self._session.get_config(object_type)

    def _watch_agent_frames(
        self, callback: Callable[[str, Any, XucSnapshot], None]
    ) -> Callable[[], None]:
        """Show `callback` each agent frame until the returned callable is called."""
        return self._session.agent_frames.add(callback)

    def _require_connected(self) -> None:
        if not self._session.connected:
            raise XucNotConnectedError("not connected to the server")

    async def _command(self, command: str, **arguments: Any) -> None:
        """Send a command whose outcome arrives as a push (no direct reply)."""
        self._require_connected()
        await self._session.send({"claz": "web", "command": command, **arguments})

    async def _request(
        self,
        frame: dict[str, Any],
        reply_type: str,
        *,
        lock: asyncio.Lock,
        match: Match = always,
    ) -> Any:
        """Send a frame and wait for its reply; one at a time per reply type."""
        try:
            return await self._correlator.request(
                lambda: self._session.send(frame),
                reply_type,
                seconds=self.timings.command_timeout,
                lock=lock,
                match=match,
            )
        except TimeoutError:
            raise XucTimeoutError(f"no {reply_type} reply from the server") from None

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
        if not any(status.name == name for status in self.snapshot.statuses):
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
