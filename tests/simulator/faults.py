"""Fault hooks: break the server the ways a real one breaks, and mend it.

Plain switches (``refuse_logins``, ``logged_on_error``, ``drop_commands``) are
attributes set in ``core.py``; the hooks here act on the open links or change
how every later frame or request is answered. What silence means exactly is in
``server.py``'s list of choices: frames are still read and recorded, nothing is
answered, no pong, no greeting; REST keeps answering.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import WSCloseCode, web

from .core import SimulatorCore

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable


class FaultHooks(SimulatorCore):
    """Close links, go silent, send junk, delay replies, fail HTTP."""

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
        """Wait ``seconds`` before handling each command (0 to stop delaying).

        The delay covers replies and their side effects, in order, but not
        pongs, pushes from hooks or the greeting.
        """
        self._reply_delay = max(0.0, seconds)

    def fail_http(self, status: int | None = 503) -> None:
        """Answer every HTTP request with ``status`` and a text body; None clears.

        Every route fails, the ``/cti`` handshake included.
        """
        self._http_failure = status

    def clear_http_failure(self) -> None:
        """Stop failing HTTP requests."""
        self._http_failure = None

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
