"""A simulated XiVO xuc CTI server: REST auth plus the User API 2.0 WebSocket.

The simulator is an independent implementation of the server side of
``/work/shared/xuc-protocol.md`` (it deliberately imports nothing from
``custom_components``), so that client bugs show up as protocol errors instead of
being mirrored by shared code. It listens on a real loopback socket, so the
client under test uses its real aiohttp stack.

Choices made where the protocol reference is silent (each one is the simulator's,
not a verified fact about xuc):

* Frames after the WebSocket handshake: ``LoggedOn`` ``{"userId", "login"}``,
  then ``UsersStatuses`` and/or ``CtiStatuses`` (in that order, per
  ``SimData.statuses_message``), the full ``UserConfigUpdate``,
  ``UserStatusUpdate``, ``UserPreference`` (all keys), ``VoiceMailStatusUpdate``.
  No ``PhoneStatusUpdate`` and no ``RightProfile`` are sent.
* HTTP statuses: 401 for bad credentials and bad tokens, 400 for ``InvalidJson``
  (also when the Content-Type is not JSON). ``/auth/check`` errors are
  ``TokenExpired`` (known but expired token) and ``InvalidToken`` (unknown or
  missing). The token may come as ``Authorization: Bearer``, ``X-Auth-Token``
  or ``?token=``. A bad token on ``/cti`` is refused with 401 and the same JSON
  body, before any upgrade. A token expiring does not close an open socket.
* ``Error`` payloads are ``{"Error": "<text>"}``, sent to the sender only, for an
  invalid JSON frame, a binary frame, a frame that is not an object, an unknown
  ``claz``, an unknown or unimplemented command, and a missing or ill-typed
  argument. Extra keys are tolerated. The link stays open.
* ``{"claz":"ping"}`` gets no reply. WebSocket-level pings get a pong (answered
  by the simulator itself, so that ``go_silent()`` can withhold it).
* ``displayNameLookup`` for an unknown username answers
  ``{"username": u, "displayName": ""}`` rather than an ``Error``.
* ``addFavorite``/``removeFavorite`` that cannot apply answer
  ``FavoriteUpdated`` with ``action: "Failed"``. ``FavoriteUpdated`` and every
  other per-user change go to all sockets of that user.
* ``directoryLookUp`` matches the term, case- and accent-insensitively, as a
  substring of the first name, the last name, "first last", or the number; an
  empty term returns no entries. Rows always have the five columns
  first, last, number, mobile, favourite ("true"/"false").
* ``setUserPreference`` accepts any key; ``value_type`` must be ``String`` or
  ``Boolean`` and a ``Boolean`` value must be ``"true"`` or ``"false"``.
* ``getConfig`` only knows ``objectType: "line"``; ``LineConfig`` is
  ``{"id": <line id>, "number": <line number>, "name": <login>}`` (unverified).
* ``VoiceMailStatusUpdate.waitingMessages`` is 1 when there are new messages,
  else 0 (the Asterisk MWI "waiting" flag).
* Phone hints are pushed only when a number's code actually changes;
  subscriptions add up until ``unsubscribeFromAllPhoneHints``.
* ``LoggedOnError`` is sent right after the handshake (no 10 s wait), then the
  socket is closed with code 1000. ``stop()`` closes sockets with 1001.
* While silent (``go_silent()``), frames from the client are still read and
  recorded in ``received`` but never answered, pushes are dropped, WebSocket
  pings get no pong, and sockets opened meanwhile get no greeting; a close
  frame from the client is still acknowledged so a client giving up can close
  fast. REST keeps answering. ``send_raw``, ``close_sessions`` and ``stop``
  act even while silent.
* ``delay_replies`` delays the handling of each command (replies and their
  side effects, in order) but not pongs, pushes from hooks or the greeting.
* ``fail_http`` applies to every HTTP route, including the ``/cti`` handshake.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import itertools
import json
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self
import unicodedata

from aiohttp import WSCloseCode, WSMsgType, web

from .data import (
    PREFERENCE_TYPES,
    SimContact,
    SimData,
    SimStatus,
    SimUser,
    default_data,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_LOGGER = logging.getLogger(__name__)

API_PREFIX = "/xuc/api/2.0"
LOGIN_PATH = f"{API_PREFIX}/auth/login"
CHECK_PATH = f"{API_PREFIX}/auth/check"
CTI_PATH = f"{API_PREFIX}/cti"

_MAX_MSG_SIZE = 1024 * 1024
_WS_CLOSE_TIMEOUT = 2.0
_SHUTDOWN_TIMEOUT = 1.0

type Json = dict[str, Any]
type LoggedOnErrorKind = Literal["loggedOnFailed", "loggedOnTimeout"]

CONFIG_KEYS: tuple[str, ...] = (
    "userId",
    "fullName",
    "firstName",
    "lastName",
    "mobileNumber",
    "agentId",
    "voiceMailId",
    "voiceMailEnabled",
    "dndEnabled",
    "uncFwdEnabled",
    "uncFwdDestination",
    "naFwdEnabled",
    "naFwdDestination",
    "busyFwdEnabled",
    "busyFwdDestination",
    "lineIds",
)
"""Every ``UserConfigUpdate`` field; partial updates carry them all, mostly null."""

_FORWARDS: dict[str, str] = {"unc": "unc_fwd", "na": "na_fwd", "busy": "busy_fwd"}
"""Wire prefix of each forward → ``SimUser`` attribute holding ``(enabled, dest)``."""

# Argument kinds for command validation.
_STR = "string"
_BOOL = "boolean"
_STR_LIST = "array of strings"
_STR_MAP = "object of strings"

type _ArgSpec = tuple[str, str, bool]
"""(argument name, kind, required)."""


class CommandError(Exception):
    """A client frame the simulated server refuses; its text becomes ``Error``."""


@dataclass
class SimCall:
    """A call on a user's line, tracked to build ``PhoneEvent``s and resyncs."""

    login: str
    unique_id: str
    linked_id: str
    line_number: str
    other_dn: str
    other_name: str
    direction: str
    user_data: dict[str, str] = field(default_factory=dict)
    event_type: str = "EventDialing"

    def event(self) -> Json:
        """Return the ``PhoneEvent`` payload for the call's current state."""
        return {
            "eventType": self.event_type,
            "DN": self.line_number,
            "otherDN": self.other_dn,
            "otherDName": self.other_name,
            "linkedId": self.linked_id,
            "uniqueId": self.unique_id,
            "queueName": "",
            "callDirection": self.direction,
            "userData": dict(self.user_data),
        }


@dataclass
class _Token:
    """An issued token; kept after expiry so ``TokenExpired`` can be told apart."""

    login: str
    expires_at: float
    revoked: bool = False

    def expired(self) -> bool:
        """Whether the token is past its TTL (wall clock) or was expired by a hook."""
        return self.revoked or time.time() >= self.expires_at


class SimSession:
    """One open WebSocket link of one user, with its phone-hint subscriptions."""

    def __init__(self, login: str, ws: web.WebSocketResponse) -> None:
        """Bind the session to its user; commands are queued to keep their order."""
        self.login = login
        self.ws = ws
        self.hints: set[str] = set()
        self.queue: asyncio.Queue[Json] = asyncio.Queue()
        self.send_lock = asyncio.Lock()
        self.worker: asyncio.Task[None] | None = None

    @property
    def closed(self) -> bool:
        """Whether the socket is closed or closing."""
        return self.ws.closed

    def __repr__(self) -> str:
        """Short form for assertion messages."""
        return f"<SimSession {self.login} closed={self.closed}>"


def _fold(text: str) -> str:
    """Fold case and accents, so "ÉMILIE" and "emilie" match like a French user expects."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _error_body(error: str, message: str) -> Json:
    """Return the documented REST error shape."""
    return {"error": error, "message": message}


class XucSimulator:
    """A xuc server on 127.0.0.1 for tests and demos, with hooks to drive and break it.

    Start it with ``await sim.start()``; ``sim.url`` is then the base URL to give
    the client. State lives in ``sim.data`` (mutable). Hooks that push frames
    are coroutines, so a test knows the frames are written when they return.
    """

    def __init__(
        self, data: SimData | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        """Prepare the simulator; nothing listens until ``start()``."""
        self.data: SimData = data if data is not None else default_data()
        self.host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._sessions: list[SimSession] = []
        self._tokens: dict[str, _Token] = {}
        self._calls: dict[str, SimCall] = {}
        self._call_seq = itertools.count(1)
        self._handler_tasks: set[asyncio.Task[Any]] = set()
        self._frame_event = asyncio.Event()

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

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        """Listening port (the chosen one once started with ``port=0``)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:8090``."""
        return f"http://{self.host}:{self._port}"

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    @property
    def sessions(self) -> list[SimSession]:
        """Open WebSocket links, oldest first."""
        return [session for session in self._sessions if not session.closed]

    @property
    def silent(self) -> bool:
        """Whether ``go_silent()`` is in force."""
        return self._silent

    async def start(self) -> None:
        """Listen; after a ``stop()`` the same port is reused so clients can reconnect."""
        if self._runner is not None:
            return
        app = web.Application(middlewares=[self._failure_middleware])
        app.router.add_post(LOGIN_PATH, self._handle_login)
        app.router.add_get(CHECK_PATH, self._handle_check)
        app.router.add_get(CTI_PATH, self._handle_cti)
        # No access log: a real xuc's request log is not the client's, and it would
        # print the WebSocket URL's token into the logs the tests inspect for secrets.
        runner = web.AppRunner(
            app,
            handle_signals=False,
            shutdown_timeout=_SHUTDOWN_TIMEOUT,
            access_log=None,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._port = int(runner.addresses[0][1])
        self._runner = runner
        _LOGGER.debug("xuc simulator listening on %s", self.url)

    async def stop(self) -> None:
        """Close every WebSocket (close frame, code 1001) and the listening socket."""
        if self._runner is None:
            return
        await self.close_sessions(WSCloseCode.GOING_AWAY)
        runner, self._runner = self._runner, None
        await runner.cleanup()
        if self._handler_tasks:
            await asyncio.gather(*self._handler_tasks, return_exceptions=True)

    async def restart(self) -> None:
        """Stop, then listen again on the same port (a server reboot)."""
        await self.stop()
        await self.start()

    async def __aenter__(self) -> Self:
        """Start on entry, for ``async with XucSimulator() as sim``."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop on exit."""
        await self.stop()

    # ------------------------------------------------------------------ tokens

    def issue_token(self, login: str) -> str:
        """Create a token for ``login``, as a successful login would."""
        token = secrets.token_urlsafe(24)
        self._tokens[token] = _Token(login, time.time() + self.data.token_ttl)
        return token

    def expire_tokens(self) -> None:
        """Make every token issued so far expired (they then answer ``TokenExpired``)."""
        for token in self._tokens.values():
            token.revoked = True

    def expire_token(self, token: str) -> None:
        """Make one token expired."""
        if token in self._tokens:
            self._tokens[token].revoked = True

    def _token_error(self, token: str | None) -> Json | None:
        """Return the REST error for a token, or None when it is valid."""
        if not token or token not in self._tokens:
            return _error_body("InvalidToken", "Invalid token")
        if self._tokens[token].expired():
            return _error_body("TokenExpired", "Token expired")
        return None

    # ------------------------------------------------------------------ HTTP

    @web.middleware
    async def _failure_middleware(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Answer every request with the configured failure status, if any."""
        if self._http_failure is not None:
            return web.Response(
                status=self._http_failure,
                text=f"Simulated failure {self._http_failure}",
                content_type="text/plain",
            )
        return await handler(request)

    async def _handle_login(self, request: web.Request) -> web.Response:
        """``POST /auth/login``: check credentials and issue a token."""
        self.login_count += 1
        if request.content_type not in ("application/json", "text/json"):
            return web.json_response(
                _error_body("InvalidJson", "Expecting a JSON body"), status=400
            )
        try:
            body = json.loads(await request.text())
        except ValueError:
            body = None
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("login"), str)
            or not isinstance(body.get("password"), str)
        ):
            return web.json_response(
                _error_body(
                    "InvalidJson",
                    'Expecting {"login": <string>, "password": <string>}',
                ),
                status=400,
            )
        user = self.data.user(body["login"])
        if self.refuse_logins or user is None or user.password != body["password"]:
            return web.json_response(
                _error_body("InvalidCredentials", "Invalid username or password"),
                status=401,
            )
        token = self.issue_token(user.login)
        return web.json_response(
            {"login": user.login, "token": token, "TTL": self.data.token_ttl}
        )

    async def _handle_check(self, request: web.Request) -> web.Response:
        """``GET /auth/check``: validate a token and hand out a fresh one."""
        self.check_count += 1
        token = self._request_token(request)
        if (error := self._token_error(token)) is not None:
            return web.json_response(error, status=401)
        assert token is not None
        login = self._tokens[token].login
        new_token = self.issue_token(login)
        return web.json_response(
            {"login": login, "token": new_token, "TTL": self.data.token_ttl}
        )

    @staticmethod
    def _request_token(request: web.Request) -> str | None:
        """Read a REST token from the Bearer header, ``X-Auth-Token`` or the query."""
        authorization = request.headers.get("Authorization", "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return request.headers.get("X-Auth-Token") or request.query.get("token")

    # ------------------------------------------------------------------ WebSocket

    async def _handle_cti(self, request: web.Request) -> web.StreamResponse:
        """``GET /cti?token=``: refuse bad tokens with 401, else run one session."""
        token = request.query.get("token")
        if (error := self._token_error(token)) is not None:
            self.ws_rejected_count += 1
            return web.json_response(error, status=401)
        assert token is not None
        ws = web.WebSocketResponse(
            autoping=False,
            heartbeat=None,
            max_msg_size=_MAX_MSG_SIZE,
            timeout=_WS_CLOSE_TIMEOUT,
        )
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="Expected a WebSocket upgrade")
        await ws.prepare(request)
        self.ws_connect_count += 1
        session = SimSession(self._tokens[token].login, ws)
        self._sessions.append(session)
        task = asyncio.current_task()
        if task is not None:
            self._handler_tasks.add(task)
        try:
            await self._run_session(session)
        finally:
            if task is not None:
                self._handler_tasks.discard(task)
            if session.worker is not None:
                session.worker.cancel()
                await asyncio.gather(session.worker, return_exceptions=True)
            if session in self._sessions:
                self._sessions.remove(session)
            if not ws.closed:
                await ws.close()
        return ws

    async def _run_session(self, session: SimSession) -> None:
        """Greet the user (or refuse it), then read frames until the link ends."""
        user = self.data.user(session.login)
        if self.logged_on_error is not None or user is None:
            error = self.logged_on_error or "loggedOnFailed"
            await self._send(session, "LoggedOnError", {"Error": error})
            await session.ws.close(code=WSCloseCode.OK)
            return
        await self._greet(session, user)
        session.worker = asyncio.create_task(
            self._command_worker(session), name=f"xuc-sim-worker-{session.login}"
        )
        await self._read_loop(session)

    async def _greet(self, session: SimSession, user: SimUser) -> None:
        """Send the frames a client gets after connecting, in the simulator's order."""
        await self._send(
            session, "LoggedOn", {"userId": user.user_id, "login": user.login}
        )
        for msg_type, payload in self._statuses_messages():
            await self._send(session, msg_type, payload)
        await self._send(session, "UserConfigUpdate", self._full_config(user))
        await self._send(session, "UserStatusUpdate", {"status": user.status})
        await self._send(session, "UserPreference", self._preferences(user))
        await self._send(session, "VoiceMailStatusUpdate", self._voicemail(user))

    async def _read_loop(self, session: SimSession) -> None:
        """Read frames; answer WebSocket pings here so commands cannot delay them."""
        ws = session.ws
        while True:
            msg = await ws.receive()
            if msg.type is WSMsgType.TEXT:
                await self._on_text(session, msg.data)
            elif msg.type is WSMsgType.BINARY:
                self.invalid_frames.append((session.login, msg.data))
                if not self._silent:
                    await session.queue.put(
                        {"_invalid": "binary frames are not supported"}
                    )
            elif msg.type is WSMsgType.PING:
                if not self._silent:
                    await ws.pong(msg.data)
            elif msg.type is WSMsgType.PONG:
                continue
            else:  # CLOSE, CLOSING, CLOSED, ERROR
                return

    async def _on_text(self, session: SimSession, text: str) -> None:
        """Decode, record, and queue one text frame for the command worker."""
        try:
            frame = json.loads(text)
        except ValueError:
            frame = None
        if not isinstance(frame, dict):
            self.invalid_frames.append((session.login, text))
            if not self._silent:
                await session.queue.put({"_invalid": "frame is not a JSON object"})
            return
        self.received.append((session.login, frame))
        self._frame_event.set()
        self._frame_event = asyncio.Event()
        if self._silent or frame.get("claz") == "ping":
            return
        if frame.get("claz") == "web" and frame.get("command") in self.drop_commands:
            return
        await session.queue.put(frame)

    async def _command_worker(self, session: SimSession) -> None:
        """Handle queued commands one by one, after the configured reply delay."""
        while True:
            frame = await session.queue.get()
            if self._reply_delay > 0:
                await asyncio.sleep(self._reply_delay)
            try:
                await self._dispatch(session, frame)
            except CommandError as err:
                await self._send(session, "Error", {"Error": str(err)})

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

    # ------------------------------------------------------------------ payloads

    def _statuses_messages(self) -> list[tuple[str, Any]]:
        """Return the status-list envelope(s) chosen by ``statuses_message``."""
        messages: list[tuple[str, Any]] = []
        kind = self.data.statuses_message
        if kind in ("UsersStatuses", "both"):
            messages.append(
                (
                    "UsersStatuses",
                    [
                        {
                            "name": status.name,
                            "color": status.color,
                            "longName": status.long_name,
                            "actions": [
                                {"name": name, "parameters": parameters}
                                for name, parameters in status.actions
                            ],
                        }
                        for status in self.data.statuses
                    ],
                )
            )
        if kind in ("CtiStatuses", "both"):
            messages.append(
                (
                    "CtiStatuses",
                    [
                        {
                            "name": status.name,
                            "displayName": status.long_name,
                            "status": status.category,
                        }
                        for status in self.data.statuses
                    ],
                )
            )
        return messages

    @staticmethod
    def _full_config(user: SimUser) -> Json:
        """Return the complete ``UserConfigUpdate`` of a user."""
        return {
            "userId": user.user_id,
            "fullName": user.full_name,
            "firstName": user.given_name,
            "lastName": user.family_name,
            "mobileNumber": user.mobile_number,
            "agentId": user.agent_id,
            "voiceMailId": user.voicemail_id,
            "voiceMailEnabled": user.voicemail_enabled,
            "dndEnabled": user.dnd,
            "uncFwdEnabled": user.unc_fwd[0],
            "uncFwdDestination": user.unc_fwd[1],
            "naFwdEnabled": user.na_fwd[0],
            "naFwdDestination": user.na_fwd[1],
            "busyFwdEnabled": user.busy_fwd[0],
            "busyFwdDestination": user.busy_fwd[1],
            "lineIds": [user.effective_line_id],
        }

    @staticmethod
    def _partial_config(user: SimUser, keys: set[str]) -> Json:
        """Return a ``UserConfigUpdate`` with only ``keys`` (and userId) non-null."""
        full = XucSimulator._full_config(user)
        payload: Json = dict.fromkeys(CONFIG_KEYS)
        payload["userId"] = user.user_id
        for key in keys:
            payload[key] = full[key]
        return payload

    @staticmethod
    def _preferences(user: SimUser, keys: list[str] | None = None) -> Json:
        """Return a ``UserPreference`` map (all keys, or just ``keys``)."""
        return {
            key: {"value": value, "value_type": value_type}
            for key, (value, value_type) in user.preferences.items()
            if keys is None or key in keys
        }

    @staticmethod
    def _voicemail(user: SimUser) -> Json:
        """Return the ``VoiceMailStatusUpdate`` payload of a user."""
        return {
            "newMessages": user.voicemail_new,
            "waitingMessages": 1 if user.voicemail_new > 0 else 0,
            "oldMessages": user.voicemail_old,
        }

    def _entry(self, user: SimUser, contact: SimContact) -> Json:
        """Return one ``DirectoryResult``/``Favorites`` entry for a contact."""
        favorite = (contact.contact_id, contact.source) in user.favorites
        return {
            "status": self.data.phone_state(contact.number),
            "entry": [
                contact.first_name,
                contact.last_name,
                contact.number,
                contact.mobile,
                "true" if favorite else "false",
            ],
            "contact_id": contact.contact_id,
            "source": contact.source,
            "favorite": favorite,
        }

    def _sheet(self, user: SimUser, contact: SimContact) -> Json:
        """Return one ``ContactSheet`` sheet for a contact."""
        favorite = (contact.contact_id, contact.source) in user.favorites
        actions: list[Json] = [
            {"action": "Call", "args": [contact.number], "default": True}
        ]
        fields: list[Json] = [
            {"name": "Number", "data": contact.number, "dataType": "PhoneNumber"}
        ]
        if contact.mobile:
            actions.append(
                {"action": "Call", "args": [contact.mobile], "default": False}
            )
            fields.append(
                {"name": "Mobile", "data": contact.mobile, "dataType": "PhoneNumber"}
            )
        return {
            "name": contact.display_name,
            "subtitle1": contact.number,
            "subtitle2": contact.mobile,
            "picture": "",
            "isPersonal": contact.source == "personal",
            "isFavorite": favorite,
            "isMeetingroom": False,
            "canBeFavorite": True,
            "status": {
                "phone": self.data.phone_state(contact.number),
                "video": "Available",
            },
            "actions": actions,
            "sources": [{"name": contact.source, "id": contact.contact_id}],
            "details": [{"name": "Contact", "fields": fields}],
        }

    def _search(self, term: str) -> list[SimContact]:
        """Return the directory entries matching a look-up term."""
        folded = _fold(term.strip())
        if not folded:
            return []
        return [
            contact
            for contact in self.data.directory
            if any(
                folded in _fold(text)
                for text in (
                    contact.first_name,
                    contact.last_name,
                    f"{contact.first_name} {contact.last_name}",
                    contact.number,
                )
            )
        ]

    def _favorites(self, user: SimUser) -> Json:
        """Return the ``Favorites`` payload of a user, in favourite order."""
        entries = []
        for contact_id, source in user.favorites:
            contact = self.data.contact(contact_id, source)
            if contact is not None:
                entries.append(self._entry(user, contact))
        return {"headers": list(self.data.headers), "entries": entries}

    # ------------------------------------------------------------------ commands

    async def _dispatch(self, session: SimSession, frame: Json) -> None:
        """Validate one client frame and run its command."""
        if "_invalid" in frame:
            raise CommandError(f"Invalid frame: {frame['_invalid']}")
        claz = frame.get("claz")
        if claz != "web":
            raise CommandError(f"Invalid message: unknown claz {claz!r}")
        command = frame.get("command")
        if not isinstance(command, str):
            raise CommandError("Invalid message: missing command")
        entry = self._COMMANDS.get(command)
        if entry is None:
            raise CommandError(f"Invalid message: unknown command {command!r}")
        specs, handler = entry
        _validate(command, frame, specs)
        user = self.data.user(session.login)
        if user is None:
            raise CommandError(f"Unknown user {session.login!r}")
        await handler(self, session, user, frame)

    async def _cmd_get_favorites(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getFavorites`` → ``Favorites``."""
        await self._send(session, "Favorites", self._favorites(user))

    async def _cmd_add_favorite(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``addFavorite`` → ``FavoriteUpdated`` Added or Failed."""
        key = (frame["contactId"], frame["source"])
        added = self.data.contact(*key) is not None and key not in user.favorites
        if added:
            user.favorites.append(key)
        payload = {
            "action": "Added" if added else "Failed",
            "contact_id": key[0],
            "source": key[1],
        }
        if added:
            await self._push(user.login, "FavoriteUpdated", payload)
        else:
            await self._send(session, "FavoriteUpdated", payload)

    async def _cmd_remove_favorite(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``removeFavorite`` → ``FavoriteUpdated`` Removed or Failed."""
        key = (frame["contactId"], frame["source"])
        removed = key in user.favorites
        if removed:
            user.favorites.remove(key)
        payload = {
            "action": "Removed" if removed else "Failed",
            "contact_id": key[0],
            "source": key[1],
        }
        if removed:
            await self._push(user.login, "FavoriteUpdated", payload)
        else:
            await self._send(session, "FavoriteUpdated", payload)

    async def _cmd_directory_lookup(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``directoryLookUp`` → ``DirectoryResult``."""
        contacts = self._search(frame["term"])
        await self._send(
            session,
            "DirectoryResult",
            {
                "headers": list(self.data.headers),
                "entries": [self._entry(user, contact) for contact in contacts],
            },
        )

    async def _cmd_search_contacts(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``searchContacts`` → ``ContactSheet`` then ``DirectoryResult`` (D10)."""
        contacts = self._search(frame["term"])
        await self._send(
            session,
            "ContactSheet",
            {"sheets": [self._sheet(user, contact) for contact in contacts]},
        )
        await self._send(
            session,
            "DirectoryResult",
            {
                "headers": list(self.data.headers),
                "entries": [self._entry(user, contact) for contact in contacts],
            },
        )

    async def _cmd_user_status_update(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``userStatusUpdate`` → ``UserStatusUpdate`` (+ DND config if the status says so)."""
        status = self.data.status(frame["status"])
        if status is None:
            raise CommandError(f"Invalid status {frame['status']!r}")
        await self._apply_status(user, status)

    async def _cmd_display_name_lookup(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``displayNameLookup`` → ``UserDisplayName`` ("" for an unknown user)."""
        username = frame["username"]
        other = self.data.user(username)
        display_name = other.full_name if other is not None else ""
        if other is None:
            contact = next(
                (c for c in self.data.directory if c.username == username), None
            )
            if contact is not None:
                display_name = contact.display_name
        await self._send(
            session,
            "UserDisplayName",
            {"username": username, "displayName": display_name},
        )

    async def _cmd_set_user_preference(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``setUserPreference`` → ``UserPreference`` with the changed key only."""
        key, value, value_type = frame["key"], frame["value"], frame["value_type"]
        if value_type not in PREFERENCE_TYPES:
            raise CommandError(
                f"Invalid value_type {value_type!r} for setUserPreference"
            )
        if value_type == "Boolean" and value not in ("true", "false"):
            raise CommandError(f"Invalid Boolean value {value!r} for {key}")
        await self.set_preference(user.login, key, value, value_type)

    async def _cmd_dnd(self, session: SimSession, user: SimUser, frame: Json) -> None:
        """``dnd`` → partial ``UserConfigUpdate``."""
        user.dnd = frame["state"]
        await self._push(
            user.login, "UserConfigUpdate", self._partial_config(user, {"dndEnabled"})
        )

    async def _forward(self, user: SimUser, prefix: str, frame: Json) -> None:
        """Set one forward and push its Enabled + Destination pair."""
        setattr(user, _FORWARDS[prefix], (frame["state"], frame["destination"]))
        await self._push(
            user.login,
            "UserConfigUpdate",
            self._partial_config(
                user, {f"{prefix}FwdEnabled", f"{prefix}FwdDestination"}
            ),
        )

    async def _cmd_unc_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``uncFwd`` → partial ``UserConfigUpdate``."""
        await self._forward(user, "unc", frame)

    async def _cmd_na_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``naFwd`` → partial ``UserConfigUpdate``."""
        await self._forward(user, "na", frame)

    async def _cmd_busy_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``busyFwd`` → partial ``UserConfigUpdate``."""
        await self._forward(user, "busy", frame)

    async def _cmd_subscribe_hints(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``subscribeToPhoneHints`` → one ``PhoneHintStatusEvent`` per number now."""
        for number in frame["phoneNumbers"]:
            session.hints.add(number)
            await self._send(
                session,
                "PhoneHintStatusEvent",
                {"number": number, "status": self.data.phone_state(number)},
            )

    async def _cmd_unsubscribe_hints(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``unsubscribeFromAllPhoneHints``: no reply."""
        session.hints.clear()

    async def _cmd_get_config(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getConfig`` with ``objectType: "line"`` → ``LineConfig``."""
        if frame["objectType"] != "line":
            raise CommandError(
                f"Unsupported objectType {frame['objectType']!r} for getConfig"
            )
        await self._send(
            session,
            "LineConfig",
            {
                "id": user.effective_line_id,
                "number": user.line_number,
                "name": user.login,
            },
        )

    async def _cmd_current_calls(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getCurrentCallsPhoneEvents`` → ``CurrentCallsPhoneEvents``."""
        await self._send(
            session,
            "CurrentCallsPhoneEvents",
            {"events": self.current_calls(user.login)},
        )

    async def _cmd_dial(self, session: SimSession, user: SimUser, frame: Json) -> None:
        """``dial`` → ``PhoneEvent`` EventDialing on the user's line, hint 1."""
        destination = frame["destination"]
        call = SimCall(
            login=user.login,
            unique_id="",
            linked_id="",
            line_number=user.line_number,
            other_dn=destination,
            other_name=self._name_of_number(destination),
            direction="Outgoing",
        )
        self._new_call(call)
        await self._push(user.login, "PhoneEvent", call.event())
        await self.set_phone_state(user.line_number, 1)

    _COMMANDS: ClassVar[
        dict[
            str,
            tuple[
                tuple[_ArgSpec, ...],
                Callable[[XucSimulator, SimSession, SimUser, Json], Awaitable[None]],
            ],
        ]
    ] = {
        "getFavorites": ((), _cmd_get_favorites),
        "addFavorite": (
            (("contactId", _STR, True), ("source", _STR, True)),
            _cmd_add_favorite,
        ),
        "removeFavorite": (
            (("contactId", _STR, True), ("source", _STR, True)),
            _cmd_remove_favorite,
        ),
        "directoryLookUp": ((("term", _STR, True),), _cmd_directory_lookup),
        "searchContacts": ((("term", _STR, True),), _cmd_search_contacts),
        "userStatusUpdate": ((("status", _STR, True),), _cmd_user_status_update),
        "displayNameLookup": ((("username", _STR, True),), _cmd_display_name_lookup),
        "setUserPreference": (
            (("key", _STR, True), ("value", _STR, True), ("value_type", _STR, True)),
            _cmd_set_user_preference,
        ),
        "dnd": ((("state", _BOOL, True),), _cmd_dnd),
        "uncFwd": (
            (("state", _BOOL, True), ("destination", _STR, True)),
            _cmd_unc_fwd,
        ),
        "naFwd": (
            (("state", _BOOL, True), ("destination", _STR, True)),
            _cmd_na_fwd,
        ),
        "busyFwd": (
            (("state", _BOOL, True), ("destination", _STR, True)),
            _cmd_busy_fwd,
        ),
        "subscribeToPhoneHints": (
            (("phoneNumbers", _STR_LIST, True),),
            _cmd_subscribe_hints,
        ),
        "unsubscribeFromAllPhoneHints": ((), _cmd_unsubscribe_hints),
        "getConfig": ((("objectType", _STR, True),), _cmd_get_config),
        "getCurrentCallsPhoneEvents": ((), _cmd_current_calls),
        "dial": (
            (("destination", _STR, True), ("variables", _STR_MAP, False)),
            _cmd_dial,
        ),
    }
    """Implemented commands: argument specs (reference §3) and handlers."""

    # ------------------------------------------------------------------ hooks

    def _require_user(self, login: str) -> SimUser:
        """Return a user or fail loudly: a hook on an unknown login is a test bug."""
        user = self.data.user(login)
        if user is None:
            raise ValueError(f"Unknown login {login!r}")
        return user

    async def set_phone_state(self, number: str, code: int) -> None:
        """Change a number's hint and push it to subscribed sessions if it changed."""
        changed = self.data.phone_state(number) != code
        self.data.phone_states[number] = code
        if not changed:
            return
        payload = {"number": number, "status": code}
        for session in self.sessions:
            if number in session.hints:
                await self._send(session, "PhoneHintStatusEvent", payload)

    async def _apply_status(self, user: SimUser, status: SimStatus) -> None:
        """Set a presence, push it, and run its ``enablednd`` action if any."""
        user.status = status.name
        await self._push(user.login, "UserStatusUpdate", {"status": status.name})
        for action, parameters in status.actions:
            if action == "enablednd" and parameters in ("true", "false"):
                user.dnd = parameters == "true"
                await self._push(
                    user.login,
                    "UserConfigUpdate",
                    self._partial_config(user, {"dndEnabled"}),
                )

    async def set_user_status(self, login: str, name: str) -> None:
        """Another client changed the user's presence (actions apply, as on xuc)."""
        user = self._require_user(login)
        status = self.data.status(name)
        if status is None:
            raise ValueError(f"Unknown status {name!r}")
        await self._apply_status(user, status)

    async def update_user_config(self, login: str, **fields: Any) -> None:
        """Change user config fields (wire names, e.g. ``dndEnabled=True``) and push them.

        A forward's Enabled and Destination are always pushed together, as the
        client applies a forward only when its destination is non-null.
        """
        user = self._require_user(login)
        keys: set[str] = set()
        for key, value in fields.items():
            if key not in CONFIG_KEYS or key == "userId":
                raise ValueError(f"Unknown or read-only UserConfigUpdate field {key!r}")
            keys.add(key)
            if key.endswith(("FwdEnabled", "FwdDestination")):
                prefix = key.split("Fwd")[0]
                enabled, destination = getattr(user, _FORWARDS[prefix])
                if key.endswith("Enabled"):
                    enabled = bool(value)
                else:
                    destination = str(value)
                setattr(user, _FORWARDS[prefix], (enabled, destination))
                keys.update({f"{prefix}FwdEnabled", f"{prefix}FwdDestination"})
            elif key == "lineIds":
                user.line_id = int(value[0])
            else:
                setattr(user, _CONFIG_ATTRS[key], value)
        await self._push(login, "UserConfigUpdate", self._partial_config(user, keys))

    async def set_preference(
        self, login: str, key: str, value: str, value_type: str
    ) -> None:
        """Change one preference and push ``UserPreference`` with that key only."""
        user = self._require_user(login)
        user.preferences[key] = (value, value_type)
        await self._push(login, "UserPreference", self._preferences(user, [key]))

    async def add_favorite(self, login: str, contact_id: str, source: str) -> None:
        """Another client added a favourite: push ``FavoriteUpdated`` Added."""
        user = self._require_user(login)
        key = (contact_id, source)
        if self.data.contact(contact_id, source) is None or key in user.favorites:
            raise ValueError(f"Cannot add favorite {key!r}")
        user.favorites.append(key)
        await self._push(
            login,
            "FavoriteUpdated",
            {"action": "Added", "contact_id": contact_id, "source": source},
        )

    async def remove_favorite(self, login: str, contact_id: str, source: str) -> None:
        """Another client removed a favourite: push ``FavoriteUpdated`` Removed."""
        user = self._require_user(login)
        key = (contact_id, source)
        if key not in user.favorites:
            raise ValueError(f"{key!r} is not a favorite of {login!r}")
        user.favorites.remove(key)
        await self._push(
            login,
            "FavoriteUpdated",
            {"action": "Removed", "contact_id": contact_id, "source": source},
        )

    async def set_voicemail(self, login: str, new: int, old: int) -> None:
        """Change the message counts and push ``VoiceMailStatusUpdate``."""
        user = self._require_user(login)
        user.voicemail_new, user.voicemail_old = new, old
        await self._push(login, "VoiceMailStatusUpdate", self._voicemail(user))

    async def set_statuses(self, statuses: list[SimStatus]) -> None:
        """Replace the configured statuses and push the new list(s) to everyone."""
        self.data.statuses = list(statuses)
        messages = self._statuses_messages()
        for session in self.sessions:
            for msg_type, payload in messages:
                await self._send(session, msg_type, payload)

    def set_password(self, login: str, new: str) -> None:
        """Change a password (issued tokens stay valid)."""
        self._require_user(login).password = new

    def _name_of_number(self, number: str) -> str:
        """Directory name for a number, or "" when unknown."""
        for contact in self.data.directory:
            if number in (contact.number, contact.mobile) and number:
                return contact.display_name
        return ""

    def _new_call(self, call: SimCall) -> None:
        """Give a call Asterisk-like ids and track it."""
        unique_id = f"{int(time.time())}.{next(self._call_seq)}"
        call.unique_id = call.linked_id = unique_id
        self._calls[unique_id] = call

    def _call(self, login: str, unique_id: str) -> SimCall:
        """Return a tracked call of a user or fail loudly."""
        call = self._calls.get(unique_id)
        if call is None or call.login != login:
            raise ValueError(f"No call {unique_id!r} for {login!r}")
        return call

    def current_calls(self, login: str) -> list[Json]:
        """Return the latest ``PhoneEvent`` of each call on a user's line."""
        return [call.event() for call in self._calls.values() if call.login == login]

    async def incoming_call(
        self, login: str, caller_number: str, caller_name: str | None = None
    ) -> str:
        """Ring the user's line (EventRinging, hint 8); return the call's uniqueId."""
        user = self._require_user(login)
        call = SimCall(
            login=login,
            unique_id="",
            linked_id="",
            line_number=user.line_number,
            other_dn=caller_number,
            other_name=(
                caller_name
                if caller_name is not None
                else self._name_of_number(caller_number)
            ),
            direction="Incoming",
            user_data={
                "XIVO_USERID": str(user.user_id),
                "XIVO_SRCNUM": caller_number,
                "XIVO_DSTNUM": user.line_number,
            },
            event_type="EventRinging",
        )
        self._new_call(call)
        await self._push(login, "PhoneEvent", call.event())
        await self.set_phone_state(user.line_number, 8)
        return call.unique_id

    async def _call_event(
        self, login: str, unique_id: str, event_type: str, hint: int
    ) -> None:
        """Move a call to a new state, push its ``PhoneEvent`` and the line hint."""
        call = self._call(login, unique_id)
        call.event_type = event_type
        await self._push(login, "PhoneEvent", call.event())
        if event_type == "EventReleased":
            del self._calls[unique_id]
            others = [c for c in self._calls.values() if c.login == login]
            hint = _HINT_OF_EVENT[others[-1].event_type] if others else 0
        await self.set_phone_state(call.line_number, hint)

    async def answer_call(self, login: str, unique_id: str) -> None:
        """The call is answered: EventEstablished, hint 1."""
        await self._call_event(login, unique_id, "EventEstablished", 1)

    async def hang_up(self, login: str, unique_id: str) -> None:
        """The call ends: EventReleased, hint 0 (or the state of another call)."""
        await self._call_event(login, unique_id, "EventReleased", 0)

    async def hold_call(self, login: str, unique_id: str) -> None:
        """The call is put on hold: EventOnHold, hint 16."""
        await self._call_event(login, unique_id, "EventOnHold", 16)

    # ------------------------------------------------------------------ faults

    async def close_sessions(self, code: int = WSCloseCode.OK) -> None:
        """Close every open WebSocket from the server side with ``code``."""
        sessions = self.sessions
        if sessions:
            await asyncio.gather(
                *(session.ws.close(code=code) for session in sessions),
                return_exceptions=True,
            )

    def go_silent(self) -> None:
        """Hang: send nothing, answer nothing, not even WebSocket pings."""
        self._silent = True

    def resume(self) -> None:
        """End ``go_silent()``; frames received meanwhile stay unanswered."""
        self._silent = False

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame as is to every open session (bytes as a binary frame)."""
        for session in self.sessions:
            await self._write(session, data)

    def delay_replies(self, seconds: float) -> None:
        """Wait ``seconds`` before handling each command (0 to stop delaying)."""
        self._reply_delay = max(0.0, seconds)

    def fail_http(self, status: int | None = 503) -> None:
        """Answer every HTTP request with ``status`` and a text body; None clears."""
        self._http_failure = status

    def clear_http_failure(self) -> None:
        """Stop failing HTTP requests."""
        self._http_failure = None

    # ------------------------------------------------------------------ observation

    def commands(self, name: str) -> list[Json]:
        """Client frames for a command; ``"ping"`` gives the ``{"claz":"ping"}`` frames."""
        if name == "ping":
            return [frame for _, frame in self.received if frame.get("claz") == "ping"]
        return [
            frame
            for _, frame in self.received
            if frame.get("claz") == "web" and frame.get("command") == name
        ]

    def clear_received(self) -> None:
        """Forget the frames observed so far (counters are kept)."""
        self.received.clear()
        self.invalid_frames.clear()

    async def wait_for_command(
        self,
        name: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper signature
        *,
        count: int = 1,
    ) -> Json:
        """Wait until ``count`` frames for ``name`` were received; return the count-th.

        Counting starts at the beginning of ``received`` (or the last
        ``clear_received()``), so a frame sent before the call is found too.
        """
        async with asyncio.timeout(timeout):
            while True:
                frames = self.commands(name)
                if len(frames) >= count:
                    return frames[count - 1]
                await self._frame_event.wait()


_CONFIG_ATTRS: dict[str, str] = {
    "fullName": "full_name",
    "firstName": "first_name",
    "lastName": "last_name",
    "mobileNumber": "mobile_number",
    "agentId": "agent_id",
    "voiceMailId": "voicemail_id",
    "voiceMailEnabled": "voicemail_enabled",
    "dndEnabled": "dnd",
}
"""``UserConfigUpdate`` wire name → ``SimUser`` attribute, for plain fields."""

_HINT_OF_EVENT: dict[str, int] = {
    "EventDialing": 1,
    "EventRinging": 8,
    "EventEstablished": 1,
    "EventOnHold": 16,
}
"""Line hint implied by the state of a call that is still up."""


def _check_kind(value: Any, kind: str) -> bool:
    """Whether a JSON value has the kind a command argument needs."""
    if kind == _STR:
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == _STR_MAP:
        return isinstance(value, dict) and all(
            isinstance(v, str) for v in value.values()
        )
    raise AssertionError(kind)


def _validate(command: str, frame: Json, specs: tuple[_ArgSpec, ...]) -> None:
    """Refuse a frame whose arguments are missing or of the wrong JSON type."""
    for name, kind, required in specs:
        if name not in frame:
            if required:
                raise CommandError(f"Invalid {command}: missing argument {name!r}")
            continue
        if not _check_kind(frame[name], kind):
            raise CommandError(
                f"Invalid {command}: argument {name!r} must be a {kind}, "
                f"got {json.dumps(frame[name], ensure_ascii=False)}"
            )
