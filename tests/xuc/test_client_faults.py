"""The xuc client against a misbehaving simulator: every fault hook, over loopback.

Refused logins, HTTP failures, nothing listening, `LoggedOnError`, a greeting that never
comes, sessions closed by the server, a restart, expired tokens, a changed password, a
server that hangs, garbage frames, slow replies, and `stop()` in the middle of a
reconnection.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import logging
import socket
import time
from typing import Any

import aiohttp
import pytest

from custom_components.xivo.xuc import (
    Backoff,
    ConnectionFailure,
    Voicemail,
    XucAuthError,
    XucClient,
    XucConnectionError,
    XucTimeoutError,
)
from tests.simulator import ALICE_PASSWORD, IDEAL, XucSimulator

from .common import (
    FAST,
    ClientFactory,
    Connections,
    barrier,
    loop_errors,
    wait_until,
    xuc_tasks,
)

LIBRARY_LOGGER = "custom_components.xivo.xuc"


@pytest.fixture
def client_timings() -> dict[str, Any]:
    """Fault tests wait for LoggedOn half as long: some of them wait it out."""
    return {**FAST, "logged_on_timeout": 0.5}


class RecordingBackoff(Backoff):
    """A Backoff that remembers every delay it handed out."""

    def __init__(self, minimum: float, maximum: float) -> None:
        """Same bounds as Backoff."""
        super().__init__(minimum=minimum, maximum=maximum)
        self.delays: list[float] = []

    def next(self) -> float:
        """The next delay, recorded."""
        delay = super().next()
        self.delays.append(delay)
        return delay


# ---------------------------------------------------------------------- start() errors


async def test_refused_login(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """Refused credentials: XucAuthError, no socket opened, nothing left running."""
    xuc_server.refuse_logins = True
    client = make_client()
    with pytest.raises(XucAuthError) as caught:
        await client.start()
    assert ALICE_PASSWORD not in str(caught.value)
    assert xuc_server.login_count == 1
    assert xuc_server.ws_connect_count == 0
    assert not client.connected
    assert xuc_tasks() == []


async def test_login_checks_credentials(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """login() alone: the login the server knows, or XucAuthError."""
    client = make_client()
    assert await client.login() == "alice"
    xuc_server.refuse_logins = True
    with pytest.raises(XucAuthError):
        await client.login()


async def test_http_503(make_client: ClientFactory, xuc_server: XucSimulator) -> None:
    """A server answering 503: try again later (XucConnectionError)."""
    xuc_server.fail_http(503)
    client = make_client()
    with pytest.raises(XucConnectionError, match="503") as caught:
        await client.start()
    assert not isinstance(caught.value, XucAuthError)  # not "ask for a new password"
    assert xuc_server.ws_connect_count == 0
    assert xuc_tasks() == []


async def test_nothing_listening(
    make_client: ClientFactory, socket_enabled: None
) -> None:
    """No server on the port: XucConnectionError."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}")
    with pytest.raises(XucConnectionError):
        await client.start()
    assert xuc_tasks() == []


@pytest.mark.parametrize("kind", ["loggedOnFailed", "loggedOnTimeout"])
async def test_logged_on_error(
    make_client: ClientFactory, xuc_server: XucSimulator, kind: Any
) -> None:
    """LoggedOnError: XucConnectionError saying the server refused the session."""
    xuc_server.logged_on_error = kind
    client = make_client()
    started = time.monotonic()
    with pytest.raises(XucConnectionError) as caught:
        await client.start()
    assert type(caught.value) is XucConnectionError
    assert str(caught.value) == f"the server refused the CTI session ({kind})"
    # Only a refusal is permanent; the server's own time-out is worth another try.
    expected = ConnectionFailure.SESSION_REFUSED if kind == "loggedOnFailed" else None
    assert caught.value.failure is expected
    assert time.monotonic() - started < FAST["logged_on_timeout"]  # not a timeout
    assert xuc_tasks() == []


async def test_logged_on_never_comes(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """A socket that opens but is never greeted: XucTimeoutError after the timeout."""
    xuc_server.go_silent()
    with loop_errors():  # see test_no_unretrieved_logged_on_future
        client = XucClient(
            http,
            xuc_server.url,
            "alice",
            ALICE_PASSWORD,
            **{**FAST, "logged_on_timeout": 0.3},
        )
        started = time.monotonic()
        with pytest.raises(XucTimeoutError):
            await client.start()
        elapsed = time.monotonic() - started
        await client.stop()
        del client
    assert 0.3 <= elapsed < 1.5, elapsed
    assert xuc_server.ws_connect_count == 1
    assert xuc_tasks() == []
    await wait_until(lambda: not xuc_server.sessions, what="socket closed")


@pytest.mark.parametrize("when", ["start", "reconnect"])
async def test_no_unretrieved_logged_on_future(
    http: aiohttp.ClientSession, xuc_server: XucSimulator, when: str
) -> None:
    """Giving up on LoggedOn must not leave a failed future nobody looks at."""
    with loop_errors() as errors:
        await _give_up_on_logged_on(http, xuc_server, when)
    assert errors == []


async def _give_up_on_logged_on(
    http: aiohttp.ClientSession, xuc_server: XucSimulator, when: str
) -> None:
    """Make a client give up waiting for LoggedOn at start() or while reconnecting."""
    client = XucClient(
        http,
        xuc_server.url,
        "alice",
        ALICE_PASSWORD,
        **{**FAST, "logged_on_timeout": 0.2},
        backoff=Backoff(minimum=0.02, maximum=0.02),
    )
    connections = Connections(client)
    try:
        if when == "start":
            xuc_server.go_silent()
            with pytest.raises(XucTimeoutError):
                await client.start()
        else:
            await client.start()
            xuc_server.go_silent()
            await wait_until(lambda: len(connections.events) == 2)
            await asyncio.sleep(0.5)  # attempts time out on LoggedOn
            xuc_server.resume()
            await wait_until(lambda: client.connected)
    finally:
        await client.stop()


# ---------------------------------------------------------------------- reconnecting


async def test_close_sessions_reconnects(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A session closed by the server: lost, then back, with a fresh snapshot."""
    client = make_client()
    connections = Connections(client)
    snapshots: list[Any] = []
    await client.start()
    client.add_listener(snapshots.append)
    assert connections.events == [(True, None)]

    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) >= 3, what="reconnection")
    assert connections.events == [(True, None), (False, None), (True, None)]
    assert client.connected
    assert xuc_server.ws_connect_count == 2
    assert len(xuc_server.sessions) == 1
    assert snapshots[-1] is client.snapshot
    assert client.snapshot.user.full_name == "Alice Johnson"
    await barrier(client)


async def test_resync_after_changes_while_down(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """Changes made while the link was down show in the snapshot after reconnecting."""
    backoff = RecordingBackoff(minimum=0.02, maximum=0.08)
    client = make_client(backoff=backoff)
    connections = Connections(client)
    await client.start()
    await barrier(client)
    assert client.snapshot.status_name == "available"

    await xuc_server.stop()
    await wait_until(lambda: (False, None) in connections.events)
    alice = xuc_server.data.user("alice")
    assert alice is not None
    alice.status = "away"
    alice.dnd = True
    alice.busy_fwd = (True, "0699999999")
    alice.voicemail_new = 3
    alice.preferences["PREFERRED_DEVICE"] = ("WebApp", "String")
    alice.favorites = [("4", "internal")]
    xuc_server.data.phone_states["1004"] = 2
    # Several failed attempts, enough for the back-off to reach its maximum.
    await wait_until(lambda: len(backoff.delays) >= 5, what="failed attempts")
    assert not client.connected
    await xuc_server.start()
    await wait_until(lambda: client.connected, what="reconnection")
    await barrier(client)

    snapshot = client.snapshot
    assert snapshot.status_name == "away"
    assert snapshot.user.dnd is True
    assert snapshot.user.busy_forward.destination == "0699999999"
    assert snapshot.voicemail == Voicemail(new=3, waiting=1, old=0)
    assert snapshot.preferences["PREFERRED_DEVICE"].value == "WebApp"
    assert set(snapshot.favorites) == {"internal/4"}
    assert snapshot.phone_hints.get("1004") == 2  # re-subscribed on the new socket
    # Lost, then each failed attempt told with its error, then back.
    events = connections.events
    assert events[:2] == [(True, None), (False, None)]
    assert events[-1] == (True, None)
    failed = events[2:-1]
    assert len(failed) == len(backoff.delays) - 1  # the last attempt succeeded
    assert all(
        connected is False
        and isinstance(error, XucConnectionError)
        and error.failure is None
        for connected, error in failed
    ), failed

    assert len(backoff.delays) >= 4
    assert all(0.02 <= delay <= 0.08 for delay in backoff.delays), backoff.delays
    # It grew to the maximum (give or take the jitter of 20 % below it).
    assert max(backoff.delays) >= 0.08 * 0.8


async def test_restart_same_port_default_timings(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """A server reboot on the same port: the client comes back by itself (defaults)."""
    client = XucClient(http, xuc_server.url, "alice", ALICE_PASSWORD)
    connections = Connections(client)
    try:
        await client.start()
        started = time.monotonic()
        await xuc_server.restart()
        await wait_until(lambda: len(connections.events) >= 3, timeout=5)
        elapsed = connections.times[2] - started
        print(f"reconnected {elapsed:.2f} s after restart()")
        assert connections.events == [(True, None), (False, None), (True, None)]
        # Default back-off: first delay 1 s +-20 %.
        assert 0.7 <= elapsed <= 2.5, elapsed
        await barrier(client)
    finally:
        await client.stop()


async def test_expired_token_renewed_silently(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """On reconnect the token is renewed with /auth/check, or by logging in again."""
    client = make_client()
    connections = Connections(client)
    await client.start()
    assert (xuc_server.login_count, xuc_server.check_count) == (1, 0)

    # A valid token: renewed with /auth/check, no new login.
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) == 3)
    assert (xuc_server.login_count, xuc_server.check_count) == (1, 1)

    # An expired token: /auth/check refuses it, the client logs in again.
    xuc_server.expire_tokens()
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) == 5)
    assert (xuc_server.login_count, xuc_server.check_count) == (2, 2)
    assert all(error is None for _, error in connections.events)
    assert client.connected
    assert xuc_server.ws_rejected_count == 0
    await barrier(client)


async def test_html_401_on_check_logs_in_again(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """G10: a proxy's HTML 401 refusing the token: the client logs in again."""
    xuc_server.profile = replace(IDEAL, check_html_401=True)
    client = make_client()
    connections = Connections(client)
    await client.start()
    xuc_server.expire_tokens()
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) == 3, what="reconnection")
    assert connections.events == [(True, None), (False, None), (True, None)]
    assert (xuc_server.login_count, xuc_server.check_count) == (2, 1)
    await barrier(client)


async def test_password_changed_stops_retrying(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A password changed on the server: one XucAuthError, then no more attempts."""
    client = make_client(backoff=Backoff(minimum=0.03, maximum=0.03))
    connections = Connections(client)
    await client.start()

    # Tokens stay valid after a password change (simulator choice, as on xuc): the
    # client renews its token and keeps working.
    xuc_server.set_password("alice", "new-password")
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) == 3)
    assert connections.events[-1] == (True, None)

    # Once the token is gone too, the old password is refused.
    xuc_server.expire_tokens()
    await xuc_server.close_sessions()
    await wait_until(lambda: len(connections.events) == 5, what="auth error")
    assert connections.events[3] == (False, None)
    connected, error = connections.events[4]
    assert connected is False
    assert isinstance(error, XucAuthError)
    assert "new-password" not in str(error)
    assert ALICE_PASSWORD not in str(error)
    logins = xuc_server.login_count
    await asyncio.sleep(0.3)  # ten back-off periods
    assert xuc_server.login_count == logins
    assert len(connections.events) == 5
    assert not client.connected
    assert xuc_tasks() == []


# ---------------------------------------------------------------------- liveness


async def test_silent_server_detected_then_reconnect(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A hung server is declared dead within dead_after + keepalive_interval."""
    keepalive, dead_after = 0.1, 0.5
    client = make_client(
        keepalive_interval=keepalive,
        dead_after=dead_after,
        backoff=Backoff(minimum=0.3, maximum=0.3),
    )
    connections = Connections(client)
    await client.start()
    await asyncio.sleep(0.3)  # a few healthy keepalive rounds

    silent_at = time.monotonic()
    xuc_server.go_silent()
    await wait_until(lambda: len(connections.events) >= 2, what="dead link")
    detection = connections.times[1] - silent_at
    print(f"dead link detected after {detection:.3f} s")
    assert connections.events[1] == (False, None)
    # Idle time counts from the last pong, which came up to two intervals before.
    assert dead_after - 2 * keepalive <= detection, detection
    assert detection <= dead_after + keepalive + 0.15, detection

    # Resumed before the first attempt: an attempt that meets the silent server
    # is covered by test_no_unretrieved_logged_on_future.
    resumed_at = time.monotonic()
    xuc_server.resume()
    await wait_until(lambda: len(connections.events) >= 3, what="reconnection")
    print(f"reconnected {connections.times[2] - resumed_at:.3f} s after resume")
    assert connections.events[2] == (True, None)
    assert xuc_server.ws_connect_count == 2
    await barrier(client)


async def test_quiet_healthy_link_is_kept(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """No pushes for many keepalive intervals, but pongs come back: the link stays."""
    client = make_client(keepalive_interval=0.05, dead_after=0.25)
    connections = Connections(client)
    await client.start()
    await asyncio.sleep(1.0)  # 20 keepalive intervals, 4 dead_after periods
    assert connections.events == [(True, None)]
    assert client.connected
    assert xuc_server.ws_connect_count == 1
    assert len(xuc_server.commands("ping")) >= 15
    await barrier(client)


# ---------------------------------------------------------------------- bad frames

_HUGE = (
    '{"msgType":"UserStatusUpdate","ctiMessage":{"status":"away","padding":"'
    + "x" * (2 * 1024 * 1024)
    + '"}}'
)


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param('{"msgType":"UserStatusUpdate","ctiMessage":{', id="bad-json"),
        pytest.param('["not", "an", "envelope"]', id="no-msgtype"),
        pytest.param('{"msgType":"NoSuchType","ctiMessage":{}}', id="unknown-type"),
        pytest.param(
            '{"msgType":"UserStatusUpdate","ctiMessage":["away"]}', id="wrong-shape"
        ),
        pytest.param(
            '{"msgType":"PhoneHintStatusEvent","ctiMessage":{"number":"1000"}}',
            id="missing-field",
        ),
        pytest.param(_HUGE, id="2MiB"),
        pytest.param(
            b'{"msgType":"UserStatusUpdate","ctiMessage":{"status":"away"}}',
            id="binary",
        ),
        pytest.param(b"\xff\xfe\x80\x81 not utf-8", id="non-utf8-binary"),
    ],
)
async def test_bad_frame_ignored_and_warned_once(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
    frame: str | bytes,
) -> None:
    """A bad frame is dropped with one warning; the link stays and keeps working."""
    client = make_client()
    connections = Connections(client)
    await client.start()
    await barrier(client)
    before = client.snapshot

    def warnings() -> list[logging.LogRecord]:
        return [
            record
            for record in caplog.records
            if record.name.startswith(LIBRARY_LOGGER)
            and record.levelno >= logging.WARNING
        ]

    caplog.set_level(logging.DEBUG, logger=LIBRARY_LOGGER)
    await xuc_server.send_raw(frame)
    await barrier(client)
    assert len(warnings()) == 1, [r.getMessage() for r in warnings()]
    assert len(warnings()[0].getMessage()) < 300  # the frame is not dumped
    assert client.snapshot is before  # nothing applied (not even the 2 MiB "away")

    await xuc_server.send_raw(frame)
    await barrier(client)
    assert len(warnings()) == 1  # the same kind again: debug only

    await xuc_server.set_voicemail("alice", 4, 0)
    await barrier(client)
    assert client.snapshot.voicemail == Voicemail(new=4, waiting=1, old=0)
    assert client.connected
    assert connections.events == [(True, None)]
    assert xuc_server.ws_connect_count == 1


# ---------------------------------------------------------------------- slow replies


async def test_slow_replies(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A reply slower than command_timeout times out; a faster one arrives."""
    client = make_client(command_timeout=0.4)
    await client.start()
    await barrier(client)
    xuc_server.delay_replies(0.15)
    result = await client.directory_lookup("pierce")
    assert [contact.number for contact in result.contacts] == ["1002"]

    xuc_server.delay_replies(0.6)
    started = time.monotonic()
    with pytest.raises(XucTimeoutError):
        await client.directory_lookup("martin")
    assert 0.35 <= time.monotonic() - started < 0.6
    assert client.connected
    xuc_server.delay_replies(0)
    await asyncio.sleep(0.3)  # the late reply arrives and is dropped
    result = await client.directory_lookup("pan")
    assert [contact.number for contact in result.contacts] == ["1004"]


async def test_late_reply_not_given_to_next_request(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A timed-out lookup's late reply must not become the next lookup's result."""
    client = make_client(command_timeout=0.3)
    await client.start()
    await barrier(client)
    xuc_server.delay_replies(0.5)
    with pytest.raises(XucTimeoutError):
        await client.directory_lookup("martin")
    xuc_server.delay_replies(0)
    result = await client.directory_lookup("pan")  # sent before the late reply
    assert [contact.number for contact in result.contacts] == ["1004"]


# ---------------------------------------------------------------------- stop()


async def test_stop_during_backoff_leaves_no_task(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """stop() while waiting to reconnect ends every task at once."""
    client = make_client(backoff=Backoff(minimum=5, maximum=5))
    connections = Connections(client)
    await client.start()
    assert {task.get_name() for task in xuc_tasks()} == {
        "xuc supervisor alice",
        "xuc reader alice",
        "xuc keepalive alice",
    }
    await xuc_server.close_sessions()
    await wait_until(lambda: (False, None) in connections.events)
    await asyncio.sleep(0.05)  # now sleeping in the back-off
    assert [task.get_name() for task in xuc_tasks()] == ["xuc supervisor alice"]
    started = time.monotonic()
    await client.stop()
    assert time.monotonic() - started < 0.5
    assert xuc_tasks() == []
    assert connections.events == [(True, None), (False, None)]  # stop is not a loss
    assert xuc_server.ws_connect_count == 1


async def test_stop_while_connected_and_twice(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """stop() on a live session closes it, tells no listener, and can be repeated."""
    client = make_client()
    connections = Connections(client)
    await client.start()
    await client.stop()
    await client.stop()
    assert xuc_tasks() == []
    assert not client.connected
    assert connections.events == [(True, None)]
    await wait_until(lambda: not xuc_server.sessions, what="server saw the close")
