"""New sessions against real-world servers (§19): the simulator's `ServerProfile`.

A server that never answers `getFavorites` (G2), one that greets with the user's
configuration after the favorites (G7), one that does not resend on a new session what
did not change (G8): the client still starts in time, names the user in its first
snapshot, and keeps what the server does not resend.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
import logging
import time

import aiohttp
import pytest

from custom_components.xivo.xuc import (
    Preference,
    Voicemail,
    XucClient,
    XucConnectionError,
    XucSnapshot,
)
from tests.simulator import ALICE_PASSWORD, IDEAL, XucSimulator, directory
from tests.simulator.greeting import CONFIG_LAST_DELAY

from .common import ClientFactory, Connections, barrier, wait_until, xuc_tasks

LIBRARY = "custom_components.xivo.xuc"


def favorites_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The library's warnings about a Favorites reply that did not come."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(LIBRARY)
        and record.levelno == logging.WARNING
        and "No Favorites reply" in record.getMessage()
    ]


async def test_unanswered_favorites_do_not_block_the_start(
    make_client: ClientFactory,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No `Favorites` reply: started after the greeting bound, warned once per client."""
    xuc_server.profile = replace(IDEAL, answer_favorites=False)
    client = make_client(greeting_timeout=0.3)
    snapshots: list[XucSnapshot] = []
    client.add_listener(snapshots.append)
    started = time.monotonic()
    await client.start()
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 1.0, elapsed
    assert client.connected
    assert len(snapshots) == 1
    assert snapshots[0].user.full_name == "Alice Johnson"
    assert snapshots[0].favorites == {}
    assert len(favorites_warnings(caplog)) == 1

    # A second session without a reply either: not warned again.
    await xuc_server.close_sessions()
    await wait_until(lambda: xuc_server.ws_connect_count == 2 and client.connected)
    assert len(favorites_warnings(caplog)) == 1

    # The favorites come whenever the server answers; their numbers get followed.
    xuc_server.profile = IDEAL
    await xuc_server.add_favorite("alice", "2", "internal")  # a new list is fetched
    await wait_until(lambda: "internal/2" in client.snapshot.favorites)
    assert set(client.snapshot.favorites) == {
        "internal/3",
        "phonebook/42",
        "internal/2",
    }
    await wait_until(lambda: "1001" in client.snapshot.phone_hints)


async def test_never_answered_favorites_with_default_timings(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """With the real defaults, such a server still gives a started client in ~3 s."""
    xuc_server.profile = replace(IDEAL, answer_favorites=False)
    client = XucClient(http, xuc_server.url, "alice", ALICE_PASSWORD)
    try:
        started = time.monotonic()
        await client.start()
        elapsed = time.monotonic() - started
        print(f"started {elapsed:.2f} s after start() without a Favorites reply")
        assert elapsed < 4.0  # the default greeting bound is 3 s; far within 10 s
        assert client.connected
        assert client.snapshot.user.full_name == "Alice Johnson"
    finally:
        await client.stop()


async def test_config_after_favorites_still_names_the_first_snapshot(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """`UserConfigUpdate` after `Favorites` (G7): the first snapshot has both."""
    xuc_server.profile = replace(IDEAL, greeting="config_last")
    client = make_client(greeting_timeout=2.0)
    snapshots: list[XucSnapshot] = []
    client.add_listener(snapshots.append)
    await client.start()
    first = snapshots[0]
    assert first.user.full_name == "Alice Johnson"
    assert set(first.favorites) == {"internal/3", "phonebook/42"}
    assert len(snapshots) == 1


async def test_first_snapshot_waits_for_a_late_name(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """`Favorites` at once, the configuration half a second later: one named snapshot."""
    xuc_server.profile = replace(IDEAL, greeting="config_last", answer_favorites=False)
    client = make_client(greeting_timeout=2.0)
    snapshots: list[XucSnapshot] = []
    client.add_listener(snapshots.append)
    started = time.monotonic()
    starting = asyncio.create_task(client.start())
    await xuc_server.wait_for_command("getFavorites")
    alice = xuc_server.data.user("alice")
    assert alice is not None
    payload = directory.favorites(xuc_server.data, alice, xuc_server.profile)
    await xuc_server.send_raw(
        json.dumps({"msgType": "Favorites", "ctiMessage": payload})
    )
    await starting
    elapsed = time.monotonic() - started
    assert CONFIG_LAST_DELAY <= elapsed < 2.0, elapsed  # waited for the name only
    assert len(snapshots) == 1
    assert snapshots[0].user.full_name == "Alice Johnson"
    assert set(snapshots[0].favorites) == {"internal/3", "phonebook/42"}


async def test_reconnect_keeps_what_the_server_does_not_resend(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """G8: presence, statuses, preferences, voicemail and config survive a reconnect.

    Calls start empty and come back from `CurrentCallsPhoneEvents`; favorites and
    phone hints are kept until fresh ones come (here: never, the server is mute).
    """
    xuc_server.profile = replace(IDEAL, resend_on_reconnect=False)
    client = make_client(phone_number="1001", greeting_timeout=0.3)
    await client.start()
    await xuc_server.set_user_status("alice", "away")
    await xuc_server.set_voicemail("alice", 2, 1)
    unique_id = await xuc_server.incoming_call("alice", "1002")
    await barrier(client)
    before = client.snapshot
    assert before.status_name == "away"
    assert before.phone_number == "1001"
    assert len(before.calls) == 1
    assert before.phone_hints["1002"] == 0

    xuc_server.profile = replace(
        IDEAL, resend_on_reconnect=False, answer_favorites=False
    )
    await xuc_server.hang_up("alice", unique_id)  # ends while the link is down...
    await xuc_server.close_sessions()
    await wait_until(lambda: xuc_server.ws_connect_count == 2 and client.connected)
    await barrier(client)
    after = client.snapshot
    assert after is not before
    assert after.status_name == "away"
    assert after.statuses == before.statuses
    assert after.preferences["PREFERRED_DEVICE"] == Preference(
        "PREFERRED_DEVICE", "TypePhoneDevice", "String"
    )
    assert after.voicemail == Voicemail(new=2, waiting=1, old=1)
    assert after.user.full_name == "Alice Johnson"  # resent here, kept anyway
    assert after.favorites == before.favorites  # no fresh Favorites came
    assert after.phone_number == "1001"
    assert after.calls == {}  # ...and the resync says so
    # The whole followed set is subscribed on the new socket at once.
    last = xuc_server.commands("subscribeToPhoneHints")[-1]["phoneNumbers"]
    assert last == ["0427466347", "1000", "1001", "1002"]


async def test_reconnect_replaces_kept_values_with_fresh_ones(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """What the server does resend replaces the kept values, before the publish."""
    client = make_client()
    connections = Connections(client)
    snapshots: list[XucSnapshot] = []
    await client.start()
    client.add_listener(snapshots.append)
    await xuc_server.stop()
    await wait_until(lambda: (False, None) in connections.events)
    alice = xuc_server.data.user("alice")
    assert alice is not None
    alice.status = "away"
    alice.favorites = [("4", "internal")]
    await xuc_server.start()
    await wait_until(lambda: client.connected, what="reconnection")
    # The reconnect is published once, already with the fresh values.
    assert snapshots[0].status_name == "away"
    assert set(snapshots[0].favorites) == {"internal/4"}


async def test_stop_during_the_greeting_ends_start(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """stop() while start() waits for the greeting: start() fails at once, no task."""
    xuc_server.profile = replace(IDEAL, answer_favorites=False)
    client = make_client(greeting_timeout=5.0)
    starting = asyncio.create_task(client.start())
    await wait_until(lambda: bool(xuc_server.commands("getFavorites")))
    started = time.monotonic()
    await client.stop()
    with pytest.raises(XucConnectionError):
        await starting
    assert time.monotonic() - started < 1.0
    assert not client.connected
    assert xuc_tasks() == []
