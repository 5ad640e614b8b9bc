"""The link never dies for good, and says why an attempt failed.

Permanent failures carry their `ConnectionFailure` (refused session, refused
certificate, not a xuc); listeners hear of every failed attempt; each kind of failure
is warned about once per outage; a bug in the reader, the keepalive, the reconnect loop
or the supervisor is logged once with its traceback and the link goes on; `stop()`
never raises.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
import pytest
from yarl import URL

from custom_components.xivo.xuc import (
    Backoff,
    ConnectionFailure,
    Voicemail,
    XucConnectionError,
)
from custom_components.xivo.xuc.auth import Token
from custom_components.xivo.xuc.timings import Timings
from custom_components.xivo.xuc.transport import Link
from tests.simulator import XucSimulator

from .common import (
    CHECK_PATH,
    LOGIN_PATH,
    ClientFactory,
    Connections,
    barrier,
    loop_errors,
    self_signed_context,
    tiny_server,
    wait_until,
    xuc_tasks,
)

LIBRARY = "custom_components.xivo.xuc"


def records(
    caplog: pytest.LogCaptureFixture, level: int, text: str
) -> list[logging.LogRecord]:
    """The library's records at `level` whose message contains `text`."""
    return [
        record
        for record in caplog.records
        if record.name.startswith(LIBRARY)
        and record.levelno == level
        and text in record.getMessage()
    ]


async def _token_reply(_request: web.Request) -> web.Response:
    return web.json_response({"login": "alice", "token": "t0k3n", "TTL": 3600})


# ---------------------------------------------------------------------- failures


async def test_handshake_404_is_not_a_xuc(
    make_client: ClientFactory, socket_enabled: None
) -> None:
    """REST answers, but there is no CTI WebSocket at the URL: NOT_XUC."""
    routes = {("POST", LOGIN_PATH): _token_reply, ("GET", CHECK_PATH): _token_reply}
    async with tiny_server(routes) as url:
        client = make_client(url)
        with pytest.raises(XucConnectionError) as caught:
            await client.start()
    assert caught.value.failure is ConnectionFailure.NOT_XUC
    assert "t0k3n" not in str(caught.value)
    assert xuc_tasks() == []


class _StubAuth:
    """Hands out a token without any REST call (the TLS test needs only the socket)."""

    token: Token | None = None

    async def fresh_token(self) -> Token:
        return Token(login="alice", value="t0k3n", ttl=None, obtained_at=0.0)

    login = fresh_token


class _NoHandler:
    """A link handler for a link that must never get as far as a session."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the handler was asked for {name}")


async def test_refused_certificate_on_the_websocket(
    http: aiohttp.ClientSession, socket_enabled: None, tmp_path: Path
) -> None:
    """A TLS certificate refused at the WebSocket handshake: CERTIFICATE."""

    async def cti(_request: web.Request) -> web.Response:
        raise AssertionError("the handshake must fail before any request")

    with loop_errors() as errors:  # the server reports the broken-off handshake
        async with tiny_server(
            {("GET", "/xuc/api/2.0/cti"): cti}, self_signed_context(tmp_path)
        ) as url:
            link = Link(
                http,
                URL(url),
                _StubAuth(),  # type: ignore[arg-type]
                _NoHandler(),
                timings=Timings(request_timeout=2.0),
                backoff=Backoff(),
                verify_ssl=True,
                name="alice",
            )
            with pytest.raises(XucConnectionError) as caught:
                await link.open()
            for _ in range(50):  # let the server side notice, inside the block
                if errors:
                    break
                await asyncio.sleep(0.01)
    assert caught.value.failure is ConnectionFailure.CERTIFICATE
    assert "t0k3n" not in str(caught.value)
    assert not link.is_open


async def test_each_failed_attempt_is_told_and_warned_once_per_outage(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A listener hears of each failed attempt; the log warns once, then at debug."""
    caplog.set_level(logging.DEBUG, logger=LIBRARY)
    client = make_client(backoff=Backoff(minimum=0.02, maximum=0.02))
    connections = Connections(client)
    await client.start()
    await xuc_server.stop()
    await wait_until(lambda: len(connections.events) >= 6, what="failed attempts")
    failed = connections.events[2:]
    assert all(
        connected is False and isinstance(error, XucConnectionError)
        for connected, error in failed
    )
    assert len(records(caplog, logging.WARNING, "Reconnecting to")) == 1
    assert len(records(caplog, logging.DEBUG, "Reconnecting to")) >= 3

    # Back, then a second outage: warned about again, once.
    await xuc_server.start()
    await wait_until(lambda: client.connected, what="reconnection")
    told = len(connections.events)
    await xuc_server.stop()
    await wait_until(lambda: len(connections.events) >= told + 3)
    assert len(records(caplog, logging.WARNING, "Reconnecting to")) == 2


async def test_refused_session_is_a_permanent_failure_in_a_row(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """`loggedOnFailed` at every attempt: the same failure, attempt after attempt."""
    client = make_client()
    connections = Connections(client)
    await client.start()
    xuc_server.logged_on_error = "loggedOnFailed"
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) >= 5, what="three refusals")
    refusals = connections.events[2:5]
    assert all(
        isinstance(error, XucConnectionError)
        and error.failure is ConnectionFailure.SESSION_REFUSED
        for _connected, error in refusals
    ), refusals
    xuc_server.logged_on_error = None
    await wait_until(lambda: client.connected, what="reconnection")
    assert connections.events[-1] == (True, None)


# ---------------------------------------------------------------------- bugs


async def test_bug_handling_a_frame_drops_that_frame_only(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception while handling frames: logged once with its traceback, link kept."""
    client = make_client()
    await client.start()
    await barrier(client)
    handle = client._session.frame_received

    def buggy(data: str) -> Any:
        message = json.loads(data)
        if message["msgType"] == "VoiceMailStatusUpdate" and (
            message["ctiMessage"]["newMessages"] == 7
        ):
            raise RuntimeError("a bug")
        return handle(data)

    client._link._handler.frame_received = buggy  # type: ignore[method-assign]
    with loop_errors() as errors:
        for _ in range(2):
            await xuc_server.set_voicemail("alice", 7, 0)
            await xuc_server.set_voicemail("alice", 1, 0)
        await xuc_server.set_voicemail("alice", 3, 0)
        await barrier(client)
    assert errors == []
    assert client.snapshot.voicemail == Voicemail(new=3, waiting=1, old=0)
    assert xuc_server.ws_connect_count == 1
    logged = records(caplog, logging.ERROR, "Error handling a frame")
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "a bug" in caplog.text


async def test_bug_in_the_keepalive_is_logged_and_the_keepalive_goes_on(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A keepalive round that raises: one traceback, the next rounds ping again."""
    client = make_client(keepalive_interval=0.03)
    await client.start()
    ws = client._link._ws
    assert ws is not None
    send = ws.send_str
    failures = [RuntimeError("first"), RuntimeError("second")]

    async def flaky(text: str, compress: int | None = None) -> None:
        if text == '{"claz":"ping"}' and failures:
            raise failures.pop(0)
        await send(text, compress)

    ws.send_str = flaky  # type: ignore[method-assign]
    await wait_until(lambda: not failures, what="failing rounds")
    pings = len(xuc_server.commands("ping"))
    await wait_until(lambda: len(xuc_server.commands("ping")) >= pings + 3)
    logged = records(caplog, logging.ERROR, "Error in the keepalive")
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert client.connected
    assert xuc_server.ws_connect_count == 1


async def test_bug_while_reconnecting_is_an_attempt_that_failed(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected exception in an attempt: logged with its traceback, retried."""
    client = make_client()
    connections = Connections(client)
    await client.start()
    fresh_token = client._auth.fresh_token
    calls = 0

    async def buggy() -> Token:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise KeyError("a bug")
        return await fresh_token()

    client._auth.fresh_token = buggy  # type: ignore[method-assign]
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) >= 4, what="reconnection")
    lost, failed, back = connections.events[1:4]
    assert lost == (False, None)
    assert failed[0] is False
    assert isinstance(failed[1], XucConnectionError)
    assert "KeyError" in str(failed[1])
    assert back == (True, None)
    logged = records(caplog, logging.ERROR, "Error while reconnecting")
    assert len(logged) == 1
    assert logged[0].exc_info is not None


async def test_bug_in_the_supervisor_is_logged_and_it_goes_on(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The supervision loop itself raises once: it backs off and reconnects anyway."""
    client = make_client()
    await client.start()
    lose = client._link._lose
    failures = [RuntimeError("supervisor bug")]

    async def buggy() -> None:
        if failures:
            raise failures.pop(0)
        await lose()

    client._link._lose = buggy  # type: ignore[method-assign]
    await xuc_server.close_sessions()
    await wait_until(lambda: xuc_server.ws_connect_count == 2, what="reconnection")
    await wait_until(lambda: client.connected)
    await barrier(client)
    logged = records(caplog, logging.ERROR, "Error supervising")
    assert len(logged) == 1
    assert logged[0].exc_info is not None


async def test_stop_never_raises(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """Even when closing the socket fails, stop() returns and leaves no task."""
    client = make_client()
    await client.start()
    ws = client._link._ws
    assert ws is not None

    async def broken() -> None:
        raise RuntimeError("close failed")

    client._link._close_ws = broken  # type: ignore[method-assign]
    try:
        await client.stop()
        assert xuc_tasks() == []
        assert not client.connected
    finally:
        await ws.close()  # what the broken close left open
