"""A simulated XiVO xuc CTI server: REST auth plus the User API 2.0 WebSocket.

The simulator is an independent implementation of the server side of
``/work/shared/xuc-protocol.md`` (it deliberately imports nothing from
``custom_components``), so that client bugs show up as protocol errors instead of
being mirrored by shared code. It listens on a real loopback socket, so the
client under test uses its real aiohttp stack. ``sim.profile`` (``profile.py``)
chooses between the ideal server and the quirks of real ones (§19).

It is built in layers, one concept a module, all on the state of ``core.py``:
``auth.py`` (REST), ``session.py`` (the WebSocket) and ``greeting.py``,
``commands.py``, ``hooks.py``, ``calls.py``, ``agents.py`` and ``queues.py``
(what drives the server; the contact center's choices are in the last two),
``faults.py`` and ``observation.py``; the payloads are in ``payloads.py`` and
``directory.py``. This module puts them together and runs the listener.

Choices made where the protocol reference is silent (each one is the simulator's,
not a verified fact about xuc; the modules' docstrings give the details):

* Greeting (``greeting.py``): ``LoggedOn`` ``{"userId", "login"}``, then
  ``UsersStatuses`` and/or ``CtiStatuses`` (in that order, per
  ``SimData.statuses_message``), the full ``UserConfigUpdate``,
  ``UserStatusUpdate``, ``UserPreference`` (all keys), ``VoiceMailStatusUpdate``;
  the profile may hold the config back and skip what did not change (G7, G8).
  No ``PhoneStatusUpdate`` and no ``RightProfile`` are sent.
* HTTP statuses (``auth.py``): 401 for bad credentials and bad tokens, 400 for
  ``InvalidJson`` (also when the Content-Type is not JSON). ``/auth/check``
  errors are ``TokenExpired`` (known but expired token) and ``InvalidToken``
  (unknown or missing), or an nginx HTML page with ``check_html_401`` (G10). The
  token may come as ``Authorization: Bearer``, ``X-Auth-Token`` or ``?token=``.
  A bad token on ``/cti`` is refused with 401 and the JSON body, before any
  upgrade. A token expiring does not close an open socket.
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
  other per-user change go to all sockets of that user. ``getFavorites`` may go
  unanswered (G2).
* ``directoryLookUp`` matches the term, case- and accent-insensitively, as a
  substring of the first name, the last name, "first last", or the number; an
  empty term returns no entries. Rows have the five columns first, last,
  number, mobile, favourite ("true"/"false"), or XiVO's seven-column French
  factory display (G5).
* ``setUserPreference`` accepts any key; ``value_type`` must be ``String`` or
  ``Boolean`` and a ``Boolean`` value must be ``"true"`` or ``"false"``.
* ``getConfig`` only knows ``objectType: "line"``; ``LineConfig`` is
  ``{"id": <line id>, "number": <line number>, "name": <login>}`` (unverified),
  or without ``number`` (G6); ``id`` is ``"-"`` for a user without a line.
* A per-change ``UserConfigUpdate`` carries every key: the changed ones real,
  the others null, or xivo-ctid-like defaults (G1).
* Calls (``calls.py``): ``linkedId`` and ``uniqueId`` differ; ``uniqueId`` may
  change on answer and transfer (G4); ``callDirection`` may be unknown or
  absent (G3).
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
import logging
from typing import Self

from aiohttp import WSCloseCode, web

from .commands import CommandError
from .core import SimSession
from .data import SimCall
from .faults import FaultHooks
from .payloads import CONFIG_KEYS
from .session import WebSocketSessions

__all__ = ["CONFIG_KEYS", "CommandError", "SimCall", "SimSession", "XucSimulator"]

_LOGGER = logging.getLogger(__name__)

API_PREFIX = "/xuc/api/2.0"
LOGIN_PATH = f"{API_PREFIX}/auth/login"
CHECK_PATH = f"{API_PREFIX}/auth/check"
CTI_PATH = f"{API_PREFIX}/cti"

_SHUTDOWN_TIMEOUT = 1.0


class XucSimulator(WebSocketSessions, FaultHooks):
    """A xuc server on 127.0.0.1 for tests and demos, with hooks to drive and break it.

    ``XucSimulator(data, profile=IDEAL)``; start it with ``await sim.start()``;
    ``sim.url`` is then the base URL to give the client. State lives in
    ``sim.data`` (mutable), behaviour in ``sim.profile`` (replaceable at any
    time). Hooks that push frames are coroutines, so a test knows the frames
    are written when they return.
    """

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

    async def start(self) -> None:
        """Listen; after a ``stop()`` the same port is reused so clients can reconnect.

        A start is a fresh server process: it forgets which logins it greeted
        (``resend_on_reconnect``).
        """
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
        self._greeted_logins.clear()
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
