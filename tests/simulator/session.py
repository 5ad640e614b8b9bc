"""The ``/cti`` WebSocket: handshake, greeting or refusal, reading frames, one worker per link.

A bad token is refused with 401 and the same JSON body as ``/auth/check``,
before any upgrade; a token expiring later does not close an open socket.
``LoggedOnError`` is sent right after the handshake (no 10 s wait), then the
socket is closed with code 1000. ``{"claz":"ping"}`` gets no reply; WebSocket
pings get a pong from the read loop itself, so that a slow command cannot delay
it and ``go_silent()`` can withhold it. Commands are queued and handled one by
one by a worker, so replies keep the order of the requests.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import WSCloseCode, WSMsgType, web

from .auth import RestAuth
from .commands import CommandError, CommandHandlers
from .core import SimSession
from .observation import Observation

MAX_MSG_SIZE = 1024 * 1024
WS_CLOSE_TIMEOUT = 2.0


class WebSocketSessions(CommandHandlers, RestAuth, Observation):
    """Serve ``/cti``: one ``SimSession`` per socket, until either side closes it."""

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
            max_msg_size=MAX_MSG_SIZE,
            timeout=WS_CLOSE_TIMEOUT,
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
            await self._end_greeting(session)
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
        self._record(session.login, frame)
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
