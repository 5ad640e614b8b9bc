"""The link to xuc: one WebSocket at a time, read, kept alive, reopened with back-off.

The link knows sockets, tokens and time, not the protocol's messages: it hands every
text frame to its handler (the session), and asks the handler to greet a new socket
before the session counts as up. Liveness follows the official client (an application
ping every 5 s) and is judged with WebSocket protocol pings, so a quiet but healthy
server is never dropped. Nothing unexpected ends the link for good: a bug in handling
a frame drops the frame, one in the keepalive or the reconnect loop is logged with its
traceback and the loop goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Final, Protocol

import aiohttp

from .auth import api_url
from .codec import PING_FRAME
from .exceptions import (
    ConnectionFailure,
    XucAuthError,
    XucConnectionError,
    XucError,
    XucNotConnectedError,
    XucTimeoutError,
)
from .logonce import OnceLog
from .ready import ReadyOrWait

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from yarl import URL

    from .auth import XucAuth
    from .backoff import Backoff
    from .timings import Timings

_LOGGER = logging.getLogger(__name__)

CTI_PATH: Final = "/xuc/api/2.0/cti"
# Frames a little over the application limit are read and dropped by the session; only
# absurd ones make aiohttp fail the link (then it is reopened).
WS_MAX_MSG_SIZE: Final = 16 * 1024 * 1024


class LinkHandler(Protocol):
    """What the link tells the session, and asks of it."""

    def frame_received(self, data: str) -> Awaitable[None] | None:
        """Apply one text frame at once; return a follow-up for the reader to await."""

    def frames_read(self) -> None:
        """Every frame read so far was handed over: the reader is about to wait."""

    async def session_opening(self) -> None:
        """Greet a new socket (the reader already runs); raise to fail the attempt."""

    def session_up(self) -> None:
        """The new session is greeted and kept alive."""

    def link_closed(self) -> None:
        """The reader ended, whatever the phase (a greeting in progress fails)."""

    def session_lost(self) -> None:
        """The socket is gone; requests in flight fail; say so if it was up."""

    def attempt_failed(self, error: XucError) -> None:
        """A reconnection attempt failed with `error` (the link tries again)."""


class _HandshakeRefusedError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Link:
    """One account's WebSocket to a xuc server, supervised until `stop()`."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: URL,
        auth: XucAuth,
        handler: LinkHandler,
        *,
        timings: Timings,
        backoff: Backoff,
        verify_ssl: bool,
        name: str,
    ) -> None:
        """Prepare the link; nothing is opened before `open()`."""
        self._http = http
        self._base_url = base_url
        self._auth = auth
        self._handler = handler
        self._timings = timings
        self.backoff = backoff
        self._verify_ssl = verify_ssl
        self._name = name
        self._log = OnceLog(_LOGGER)
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._keepalive: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._last_seen = 0.0
        self._stopping = False

    @property
    def _host(self) -> str | None:
        return self._base_url.host

    # ------------------------------------------------------------------ opening

    async def open(self) -> None:
        """Open one session: token, handshake, then the handler's greeting.

        Raises `XucAuthError`, `XucConnectionError` or `XucTimeoutError`; a failed
        attempt leaves no socket and no task behind.
        """
        self._stopping = False
        token = await self._auth.fresh_token()
        try:
            ws = await self._handshake(token.value)
        except _HandshakeRefusedError:
            # The token was refused at the door: a fresh login gets a new one.
            _LOGGER.debug("WebSocket handshake refused the token; logging in again")
            self._auth.token = None
            token = await self._auth.login()
            try:
                ws = await self._handshake(token.value)
            except _HandshakeRefusedError as err:
                raise XucConnectionError(
                    f"WebSocket handshake refused (HTTP {err.status})"
                ) from None
        self._ws = ws
        self._last_seen = time.monotonic()
        self._reader = asyncio.create_task(
            self._read_loop(ws), name=f"xuc reader {self._name}"
        )
        try:
            await self._handler.session_opening()
        except BaseException:
            await self._abort()
            raise
        if self._stopping:  # stop() came during the greeting
            await self._abort()
            raise XucNotConnectedError("the client was stopped")
        self._keepalive = asyncio.create_task(
            self._keepalive_loop(ws), name=f"xuc keepalive {self._name}"
        )
        self.backoff.reset()
        _LOGGER.debug("Session with %s is up", self._host)
        self._handler.session_up()

    async def _abort(self) -> None:
        await self._close_ws()
        await _end(self._reader)
        self._reader = None

    async def _handshake(self, token: str) -> aiohttp.ClientWebSocketResponse:
        scheme = "wss" if self._base_url.scheme == "https" else "ws"
        url = api_url(self._base_url, CTI_PATH).with_scheme(scheme)
        try:
            async with asyncio.timeout(self._timings.request_timeout):
                return await self._http.ws_connect(
                    url.with_query(token=token),
                    ssl=self._verify_ssl,
                    autoping=False,
                    heartbeat=None,
                    max_msg_size=WS_MAX_MSG_SIZE,
                    timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
                )
        # The errors' texts hold the URL, hence the token: never chain them.
        except aiohttp.WSServerHandshakeError as err:
            if err.status in {401, 403}:
                raise _HandshakeRefusedError(err.status) from None
            raise XucConnectionError(
                f"WebSocket handshake failed (HTTP {err.status})",
                failure=ConnectionFailure.NOT_XUC if err.status == 404 else None,
            ) from None
        except TimeoutError:
            raise XucTimeoutError("WebSocket handshake timed out") from None
        except aiohttp.ClientConnectorCertificateError:
            raise XucConnectionError(
                "WebSocket: the server's TLS certificate was refused",
                failure=ConnectionFailure.CERTIFICATE,
            ) from None
        except aiohttp.ClientSSLError as err:
            raise XucConnectionError(
                f"WebSocket TLS error ({type(err).__name__})"
            ) from None
        except aiohttp.ClientError as err:
            raise XucConnectionError(
                f"WebSocket connection failed ({type(err).__name__})"
            ) from None

    # ------------------------------------------------------------------ running

    @property
    def is_open(self) -> bool:
        """Whether a socket is open (greeted or not)."""
        return self._ws is not None and not self._ws.closed

    async def send_text(self, text: str) -> None:
        """Send one text frame; `XucNotConnectedError` when there is no socket."""
        ws = self._ws
        if ws is None or ws.closed:
            raise XucNotConnectedError("not connected to the server")
        try:
            await ws.send_str(text)
        except (ConnectionError, aiohttp.ClientError) as err:
            raise XucNotConnectedError(
                f"sending failed ({type(err).__name__})"
            ) from None

    async def _read_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read frames until the link closes; a frame that fails is dropped, never fatal."""
        handler = self._handler
        try:
            while True:
                msg = await ReadyOrWait(ws.receive(), self._frames_read)
                self._last_seen = time.monotonic()
                if msg.type is aiohttp.WSMsgType.TEXT:
                    try:  # free unless it raises; the link must survive a bug
                        follow_up = handler.frame_received(msg.data)
                        if follow_up is not None:
                            await follow_up
                    except Exception:  # noqa: BLE001 - a bug drops a frame, not the link
                        self._log.exception(
                            "frame", "Error handling a frame from %s", self._host
                        )
                elif msg.type is aiohttp.WSMsgType.PING:
                    await ws.pong(msg.data)
                elif msg.type is aiohttp.WSMsgType.PONG:
                    continue
                elif msg.type is aiohttp.WSMsgType.BINARY:
                    self._log.warning(
                        "binary", "Ignoring binary frames from the server"
                    )
                else:  # CLOSE, CLOSING, CLOSED, ERROR
                    break
        except (ConnectionError, aiohttp.ClientError) as err:
            _LOGGER.debug("Link error: %s", type(err).__name__)
        except Exception:  # noqa: BLE001 - the supervisor reopens the link
            self._log.exception("reader", "Error reading from %s", self._host)
        finally:
            handler.link_closed()

    def _frames_read(self) -> None:
        """Tell the handler the reader is about to wait; its bug is logged, not fatal."""
        try:
            self._handler.frames_read()
        except Exception:  # noqa: BLE001 - a bug drops a burst's snapshot, not the link
            self._log.exception("frame", "Error handling frames from %s", self._host)

    async def _keepalive_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Application ping every interval; protocol ping when quiet; close when dead.

        A quiet link is healthy as long as it answers protocol pings with pongs, so a
        server that pushes nothing for hours is never dropped.
        """
        timings = self._timings
        while not ws.closed:
            await asyncio.sleep(timings.keepalive_interval)
            try:
                idle = time.monotonic() - self._last_seen
                if idle >= timings.dead_after:
                    _LOGGER.warning(
                        "No answer from %s for %.0f s; reconnecting", self._host, idle
                    )
                    if self._reader is not None:
                        self._reader.cancel()
                    await ws.close()
                    return
                await ws.send_str(PING_FRAME)
                if idle >= timings.keepalive_interval:
                    await ws.ping()
            except (ConnectionError, aiohttp.ClientError) as err:
                _LOGGER.debug("Keepalive stopped: %s", type(err).__name__)
                return
            except Exception:  # noqa: BLE001 - liveness is still judged next round
                self._log.exception(
                    "keepalive", "Error in the keepalive of %s", self._host
                )

    # ------------------------------------------------------------------ supervision

    def supervise(self) -> None:
        """Watch the open session in the background and reopen it whenever it drops."""
        self._supervisor = asyncio.create_task(
            self._supervise(), name=f"xuc supervisor {self._name}"
        )

    async def _supervise(self) -> None:
        while not self._stopping:
            try:
                if self._reader is not None:
                    await asyncio.wait([self._reader])
                await self._lose()
                if not await self._reconnect():
                    return
            except Exception:  # noqa: BLE001 - the link never dies for good
                self._log.exception(
                    "supervisor", "Error supervising the link to %s", self._host
                )
                await asyncio.sleep(self.backoff.next())

    async def _reconnect(self) -> bool:
        """Attempt after attempt with back-off; False when retrying cannot help."""
        while not self._stopping:
            delay = self.backoff.next()
            _LOGGER.debug("Reconnecting to %s in %.1f s", self._host, delay)
            await asyncio.sleep(delay)
            try:
                await self.open()
            except XucAuthError as err:
                _LOGGER.warning(
                    "The server refused the credentials of %s; not retrying",
                    self._name,
                )
                self._handler.attempt_failed(err)
                return False
            except XucError as err:
                failure = getattr(err, "failure", None)
                self._log.warning(
                    f"reconnect:{type(err).__name__}:{failure}",
                    "Reconnecting to %s failed: %s",
                    self._host,
                    err,
                )
                self._handler.attempt_failed(err)
            except Exception as err:  # noqa: BLE001 - a bug must not end the link
                self._log.exception(
                    f"reconnect:bug:{type(err).__name__}",
                    "Error while reconnecting to %s",
                    self._host,
                )
                self._handler.attempt_failed(
                    XucConnectionError(
                        f"unexpected error while reconnecting ({type(err).__name__})"
                    )
                )
            else:
                # Each kind of failure is worth a warning again in the next outage.
                self._log.forget("reconnect:")
                return True
        return False

    async def _lose(self) -> None:
        await _end(self._keepalive)
        self._keepalive = None
        await self._close_ws()
        self._handler.session_lost()

    async def _close_ws(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None and not ws.closed:
            with contextlib.suppress(Exception):
                await ws.close()

    async def stop(self) -> None:
        """Close the socket and end every task of the link; never raises."""
        self._stopping = True
        tasks = [
            task
            for task in (self._supervisor, self._keepalive, self._reader)
            if task is not None
        ]
        for task in tasks:
            task.cancel()
        try:
            await self._close_ws()
        except Exception:  # stopping must always succeed
            _LOGGER.exception("Error while closing the link to %s", self._host)
        await asyncio.gather(*tasks, return_exceptions=True)
        self._supervisor = self._keepalive = self._reader = None


async def _end(task: asyncio.Task[None] | None) -> None:
    """Cancel a task of the link and wait until it is over."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
