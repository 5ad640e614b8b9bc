"""The simulator's shared state and its transport: sessions, and how a frame goes out.

Every other part of the simulator (REST auth, the WebSocket sessions, commands,
hooks, calls, faults, observation) is a layer on ``SimulatorCore``: they share
one state, built here once, and one way to write a frame, so that the silence
switch and closed links are honoured in a single place.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
import itertools
import json
import logging
import time
from typing import TYPE_CHECKING, Any, Literal

from .data import SimCall, SimData, SimUser, default_data
from .payloads import Json
from .profile import IDEAL, ServerProfile

if TYPE_CHECKING:
    from aiohttp import web

_LOGGER = logging.getLogger(__name__)

type LoggedOnErrorKind = Literal["loggedOnFailed", "loggedOnTimeout"]


@dataclass
class IssuedToken:
    """An issued token; kept after expiry so ``TokenExpired`` can be told apart."""

    login: str
    expires_at: float
    revoked: bool = False

    def expired(self) -> bool:
        """Whether the token is past its TTL (wall clock) or was expired by a hook."""
        return self.revoked or time.time() >= self.expires_at


class SimSession:
    """One open WebSocket link of one user, with its phone-hint subscriptions.

    ``config_pending`` is set while a ``config_last`` greeting still holds the
    user's ``UserConfigUpdate`` back; ``config_timer`` sends it if no
    ``Favorites`` reply does first.
    """

    def __init__(self, login: str, ws: web.WebSocketResponse) -> None:
        """Bind the session to its user; commands are queued to keep their order."""
        self.login = login
        self.ws = ws
        self.hints: set[str] = set()
        self.queue: asyncio.Queue[Json] = asyncio.Queue()
        self.send_lock = asyncio.Lock()
        self.worker: asyncio.Task[None] | None = None
        self.config_pending = False
        self.config_timer: asyncio.Task[None] | None = None
        # Contact center (``agents.py``): what this link asked to be told.
        self.agent_events = False  # subscribeToAgentEvents
        self.queue_stats = False  # subscribeToQueueStats
        self.lists: set[str] = set()  # getList object types (live updates follow)

    @property
    def closed(self) -> bool:
        """Whether the socket is closed or closing."""
        return self.ws.closed

    def __repr__(self) -> str:
        """Short form for assertion messages."""
        return f"<SimSession {self.login} closed={self.closed}>"


class SimulatorCore:
    """State shared by every layer of the simulator, and the primitives to send frames."""

    def __init__(
        self,
        data: SimData | None = None,
        profile: ServerProfile = IDEAL,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Prepare the state; nothing listens until ``start()``."""
        self.data: SimData = data if data is not None else default_data()
        self.profile = profile
        self.host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._sessions: list[SimSession] = []
        self._tokens: dict[str, IssuedToken] = {}
        self._calls: dict[str, SimCall] = {}
        self._call_seq = itertools.count(1)
        self._handler_tasks: set[asyncio.Task[Any]] = set()
        self._frame_event = asyncio.Event()
        self._greeted_logins: set[str] = set()

        # Fault switches.
        self.refuse_logins: bool = False
        self.logged_on_error: LoggedOnErrorKind | None = None
        self.drop_commands: set[str] = set()
        self._silent = False
        self._reply_delay = 0.0
        self._http_failure: int | None = None

        # Observation.
        self.received: list[tuple[str, Json]] = []
        self.invalid_frames: list[tuple[str, str | bytes]] = []
        self.login_count = 0
        self.check_count = 0
        self.ws_connect_count = 0
        self.ws_rejected_count = 0

    @property
    def profile(self) -> ServerProfile:
        """The server's behaviour (``profile.py``); assign a new one at any time."""
        return self._profile

    @profile.setter
    def profile(self, profile: ServerProfile) -> None:
        """Keep a copy, so that tweaking ``sim.profile`` never alters ``IDEAL``/``REAL``."""
        self._profile = replace(profile)

    @property
    def sessions(self) -> list[SimSession]:
        """Open WebSocket links, oldest first."""
        return [session for session in self._sessions if not session.closed]

    @property
    def silent(self) -> bool:
        """Whether ``go_silent()`` is in force."""
        return self._silent

    def _require_user(self, login: str) -> SimUser:
        """Return a user or fail loudly: a hook on an unknown login is a test bug."""
        user = self.data.user(login)
        if user is None:
            raise ValueError(f"Unknown login {login!r}")
        return user

    async def _send(self, session: SimSession, msg_type: str, payload: Any) -> None:
        """Send one envelope to one session, unless silent or closed."""
        if self._silent:
            return
        text = json.dumps(
            {"msgType": msg_type, "ctiMessage": payload}, ensure_ascii=False
        )
        await self._write(session, text)

    async def _write(self, session: SimSession, data: str | bytes) -> None:
        """Write a frame, ignoring links that are going away."""
        if session.closed:
            return
        async with session.send_lock:
            try:
                if isinstance(data, bytes):
                    await session.ws.send_bytes(data)
                else:
                    await session.ws.send_str(data)
            except (ConnectionError, RuntimeError) as err:
                _LOGGER.debug("Dropping frame to %r: %s", session, err)

    async def _push(self, login: str, msg_type: str, payload: Any) -> None:
        """Send one envelope to every open socket of a user."""
        for session in self.sessions:
            if session.login == login:
                await self._send(session, msg_type, payload)
