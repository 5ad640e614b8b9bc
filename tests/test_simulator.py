"""Tests of the xuc simulator itself, with a plain aiohttp client on loopback.

The integration's tests trust the simulator to speak the protocol reference;
these tests pin the parts they rely on most (auth, greeting, one round trip,
errors, silence and restart) and each switch of its ``ServerProfile``, frame by
frame, without going through the integration.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import os
from pathlib import Path
import random
import signal
import sys
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from tests.simulator import (
    ALICE_PASSWORD,
    BOB_PASSWORD,
    HEADERS_FR,
    HEADERS_FR_FACTORY,
    IDEAL,
    REAL,
    XucSimulator,
    default_data,
    greeting as greeting_module,
    make_agent,
)
from tests.simulator.agents import AGENT_COMMANDS, AGENT_STATE_COMMANDS
from tests.simulator.control import CONTROL_PREFIX, start_control
from tests.simulator.demo import demo_data, run_demo_activity

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytestmark = pytest.mark.usefixtures("socket_enabled")

LOGIN = "/xuc/api/2.0/auth/login"
CHECK = "/xuc/api/2.0/auth/check"
CTI = "/xuc/api/2.0/cti"
IDEAL_GREETING = [
    "LoggedOn",
    "UsersStatuses",
    "CtiStatuses",
    "UserConfigUpdate",
    "UserStatusUpdate",
    "UserPreference",
    "VoiceMailStatusUpdate",
]
PASSWORDS = {"alice": ALICE_PASSWORD, "bob": BOB_PASSWORD}


@pytest.fixture
async def sim() -> AsyncIterator[XucSimulator]:
    """A running simulator with the default data."""
    simulator = XucSimulator(default_data())
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp client session."""
    async with aiohttp.ClientSession() as session:
        yield session


async def _login(
    sim: XucSimulator,
    http: aiohttp.ClientSession,
    password: str = ALICE_PASSWORD,
    login: str = "alice",
) -> tuple[int, dict[str, Any]]:
    """Log a user in; return the HTTP status and the JSON body."""
    async with http.post(
        sim.url + LOGIN, json={"login": login, "password": password}
    ) as resp:
        return resp.status, await resp.json()


async def _receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """Read the next JSON envelope, failing fast instead of hanging the test."""
    msg = await ws.receive(timeout=2)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    data: dict[str, Any] = msg.json()
    return data


async def _open(
    sim: XucSimulator, http: aiohttp.ClientSession, login: str = "alice", **kwargs: Any
) -> aiohttp.ClientWebSocketResponse:
    """Log in and open the CTI socket, leaving the greeting unread."""
    _, body = await _login(sim, http, PASSWORDS[login], login)
    return await http.ws_connect(f"{sim.url}{CTI}?token={body['token']}", **kwargs)


async def _connect(
    sim: XucSimulator, http: aiohttp.ClientSession, **kwargs: Any
) -> aiohttp.ClientWebSocketResponse:
    """Log alice in, open the CTI socket and consume the ideal greeting."""
    ws = await _open(sim, http, **kwargs)
    for _ in IDEAL_GREETING:
        await _receive(ws)
    return ws


async def _command(
    ws: aiohttp.ClientWebSocketResponse, command: str, **args: Any
) -> dict[str, Any]:
    """Send one command and return the next envelope (its reply, frames being ordered)."""
    await ws.send_json({"claz": "web", "command": command, **args})
    return await _receive(ws)


async def _types_until(
    ws: aiohttp.ClientWebSocketResponse, last: str
) -> list[dict[str, Any]]:
    """Read envelopes up to and including the first of type ``last``."""
    frames = [await _receive(ws)]
    while frames[-1]["msgType"] != last:
        frames.append(await _receive(ws))
    return frames


async def test_login_ok_and_refused(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """Good credentials get a token and a TTL; bad ones get InvalidCredentials."""
    status, body = await _login(sim, http)
    assert status == 200
    assert body["login"] == "alice"
    assert body["TTL"] == 3600
    assert isinstance(body["token"], str)
    assert body["token"]

    status, body = await _login(sim, http, password="wrong")
    assert (status, body["error"]) == (401, "InvalidCredentials")

    sim.refuse_logins = True
    status, body = await _login(sim, http)
    assert (status, body["error"]) == (401, "InvalidCredentials")

    async with http.post(sim.url + LOGIN, json={"login": "alice"}) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"] == "InvalidJson"
    assert sim.login_count == 4


async def test_check_renews_token(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """A check returns a new token; the old one stays valid; junk is InvalidToken."""
    _, body = await _login(sim, http)
    old = body["token"]
    headers = {"Authorization": f"Bearer {old}"}
    async with http.get(sim.url + CHECK, headers=headers) as resp:
        assert resp.status == 200
        renewed = await resp.json()
    assert renewed["login"] == "alice"
    assert renewed["token"] != old
    async with http.get(sim.url + CHECK, headers=headers) as resp:
        assert resp.status == 200
    async with http.get(
        sim.url + CHECK, headers={"Authorization": "Bearer nope"}
    ) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"] == "InvalidToken"
    assert sim.check_count == 3


async def test_expired_token_rejected_at_handshake(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """An expired token gets a 401 JSON reply instead of a WebSocket."""
    _, body = await _login(sim, http)
    sim.expire_tokens()
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await http.ws_connect(f"{sim.url}{CTI}?token={body['token']}")
    assert err.value.status == 401
    async with http.get(f"{sim.url}{CTI}?token={body['token']}") as resp:
        assert resp.status == 401
        assert (await resp.json())["error"] == "TokenExpired"
    async with http.get(
        sim.url + CHECK, headers={"Authorization": f"Bearer {body['token']}"}
    ) as resp:
        assert (await resp.json())["error"] == "TokenExpired"
    assert sim.ws_connect_count == 0


async def test_first_frames(sim: XucSimulator, http: aiohttp.ClientSession) -> None:
    """The greeting comes in the documented simulator order with full payloads."""
    async with await _open(sim, http) as ws:
        frames = [await _receive(ws) for _ in IDEAL_GREETING]
    assert [frame["msgType"] for frame in frames] == IDEAL_GREETING
    by_type = {frame["msgType"]: frame["ctiMessage"] for frame in frames}
    assert by_type["LoggedOn"] == {"userId": 1, "login": "alice"}
    assert {"name": "available", "displayName": "Disponible", "status": 0} in by_type[
        "CtiStatuses"
    ]
    assert by_type["UserConfigUpdate"]["fullName"] == "Alice Johnson"
    assert by_type["UserConfigUpdate"]["dndEnabled"] is False
    assert by_type["UserStatusUpdate"] == {"status": "available"}
    assert by_type["UserPreference"]["PREFERRED_DEVICE"] == {
        "value": "TypePhoneDevice",
        "value_type": "String",
    }
    assert by_type["VoiceMailStatusUpdate"] == {
        "newMessages": 0,
        "waitingMessages": 0,
        "oldMessages": 0,
    }


async def test_directory_lookup_french_headers(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """A look-up ignores case and accents and answers with the configured headers."""
    sim.data.headers = list(HEADERS_FR)
    ws = await _connect(sim, http)
    await ws.send_json({"claz": "web", "command": "directoryLookUp", "term": "EMILIE"})
    reply = await _receive(ws)
    assert reply["msgType"] == "DirectoryResult"
    assert reply["ctiMessage"]["headers"] == HEADERS_FR
    assert reply["ctiMessage"]["entries"] == [
        {
            "status": -2,
            "entry": ["Émilie", "Lefèvre", "0427466347", "0611223344", "true"],
            "contact_id": "42",
            "source": "phonebook",
            "favorite": True,
        }
    ]
    assert (await sim.wait_for_command("directoryLookUp"))["term"] == "EMILIE"
    await ws.close()


async def test_malformed_command_gets_error(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """Ill-typed arguments and unknown commands get Error; the link stays usable."""
    ws = await _connect(sim, http)
    await ws.send_json({"claz": "web", "command": "dnd", "state": "true"})
    error = await _receive(ws)
    assert error["msgType"] == "Error"
    assert "state" in error["ctiMessage"]["Error"]
    await ws.send_json({"claz": "web", "command": "noSuchCommand"})
    assert (await _receive(ws))["msgType"] == "Error"
    await ws.send_str("not json")
    assert (await _receive(ws))["msgType"] == "Error"
    await ws.send_json({"claz": "web", "command": "dnd", "state": True})
    update = await _receive(ws)
    assert update["msgType"] == "UserConfigUpdate"
    assert update["ctiMessage"]["dndEnabled"] is True
    assert update["ctiMessage"]["fullName"] is None
    await ws.close()


async def test_go_silent_stops_pongs(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """While silent the server answers neither WebSocket pings nor commands."""
    ws = await _connect(sim, http, autoping=False)
    await ws.ping(b"1")
    assert (await ws.receive(timeout=1)).type is aiohttp.WSMsgType.PONG

    sim.go_silent()
    await ws.ping(b"2")
    await ws.send_json({"claz": "web", "command": "getFavorites"})
    with pytest.raises(TimeoutError):
        await ws.receive(timeout=1)
    assert sim.commands("getFavorites")  # read and recorded, never answered

    sim.resume()
    await ws.ping(b"3")
    assert (await ws.receive(timeout=1)).type is aiohttp.WSMsgType.PONG
    await ws.close()


async def test_restart_on_same_port(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """A restart closes sockets with a close frame and listens on the same port."""
    port = sim.port
    ws = await _connect(sim, http)
    await sim.restart()
    msg = await ws.receive(timeout=2)
    assert msg.type is aiohttp.WSMsgType.CLOSE
    assert msg.data == aiohttp.WSCloseCode.GOING_AWAY
    assert sim.port == port
    assert sim.sessions == []
    status, _ = await _login(sim, http)
    assert status == 200
    await ws.close()


# --------------------------------------------------------------------- profiles


async def test_simulator_profile_is_a_copy(sim: XucSimulator) -> None:
    """The default is IDEAL; tweaking ``sim.profile`` never alters IDEAL or REAL."""
    assert sim.profile == IDEAL
    sim.profile.answer_favorites = False
    sim.profile = REAL
    sim.profile.check_html_401 = False
    assert IDEAL.answer_favorites
    assert REAL.check_html_401
    assert XucSimulator(default_data(), REAL).profile == REAL


async def test_simulator_partial_config(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G1: per-change updates carry every key; ideal nulls, or real defaults."""
    alice = sim.data.users[0]
    alice.unc_fwd = (True, "0611")
    ws = await _connect(sim, http)
    keys = set((await _command(ws, "dnd", state=True))["ctiMessage"])
    ideal = (await _command(ws, "naFwd", state=True, destination="1234"))["ctiMessage"]
    assert len(keys) == 16
    assert set(ideal) == keys
    assert ideal["dndEnabled"] is None
    assert (ideal["uncFwdEnabled"], ideal["uncFwdDestination"]) == (None, None)

    sim.profile = replace(IDEAL, partial_config=True)
    dnd = (await _command(ws, "dnd", state=False))["ctiMessage"]
    assert set(dnd) == keys
    assert dnd["userId"] == 1
    assert dnd["dndEnabled"] is False
    for prefix in ("unc", "na", "busy"):  # alice's real unc/na forwards are on
        assert dnd[f"{prefix}FwdEnabled"] is False
        assert dnd[f"{prefix}FwdDestination"] is None
    assert dnd["fullName"] is None
    assert dnd["mobileNumber"] is None
    fwd = (await _command(ws, "busyFwd", state=True, destination="42"))["ctiMessage"]
    assert (fwd["busyFwdEnabled"], fwd["busyFwdDestination"]) == (True, "42")
    assert (fwd["uncFwdEnabled"], fwd["uncFwdDestination"]) == (False, None)
    assert fwd["dndEnabled"] is False
    await sim.update_user_config("alice", fullName="Alice Doe")
    renamed = (await _receive(ws))["ctiMessage"]
    assert renamed["fullName"] == "Alice Doe"
    assert renamed["naFwdEnabled"] is False
    await ws.close()


async def test_simulator_unanswered_favorites(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G2: ``getFavorites`` is recorded but never answered; later commands are."""
    sim.profile = replace(IDEAL, answer_favorites=False)
    ws = await _connect(sim, http)
    await ws.send_json({"claz": "web", "command": "getFavorites"})
    reply = await _command(ws, "directoryLookUp", term="pierce")
    assert reply["msgType"] == "DirectoryResult"
    assert len(sim.commands("getFavorites")) == 1
    sim.profile = IDEAL
    assert (await _command(ws, "getFavorites"))["msgType"] == "Favorites"
    await ws.close()


@pytest.mark.parametrize(
    ("mode", "incoming", "outgoing"),
    [
        ("explicit", "Incoming", "Outgoing"),
        ("unknown", "DirectionUnknown", "DirectionUnknown"),
        ("absent", None, None),
    ],
)
async def test_simulator_call_direction(
    sim: XucSimulator,
    http: aiohttp.ClientSession,
    mode: Any,
    incoming: str | None,
    outgoing: str | None,
) -> None:
    """G3: ``callDirection`` is explicit, ``DirectionUnknown``, or absent."""
    sim.profile = replace(IDEAL, call_direction=mode)
    ws = await _connect(sim, http)
    await sim.incoming_call("alice", "0427466347")
    ringing = (await _receive(ws))["ctiMessage"]
    dialing = (await _command(ws, "dial", destination="1002"))["ctiMessage"]
    resync = (await _command(ws, "getCurrentCallsPhoneEvents"))["ctiMessage"]
    for event, expected in ((ringing, incoming), (dialing, outgoing)):
        assert event.get("callDirection", "missing") == (expected or "missing")
    assert [event.get("callDirection") for event in resync["events"]] == [
        incoming,
        outgoing,
    ]
    await ws.close()


async def test_simulator_call_ids(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G4: linkedId ≠ uniqueId; uniqueId stays, or changes on answer and transfer."""
    ws = await _connect(sim, http)

    async def call_ids() -> list[tuple[str, str, str]]:
        """Ring, answer, transfer, hang up (by the first id); the events' ids."""
        first = await sim.incoming_call("alice", "0427466347")
        await sim.answer_call("alice", first)
        await sim.transfer_call("alice", first, "1002")
        await sim.hang_up("alice", first)
        events = [(await _receive(ws))["ctiMessage"] for _ in range(4)]
        return [(e["eventType"], e["linkedId"], e["uniqueId"]) for e in events]

    stable = await call_ids()
    assert len({linked for _, linked, _ in stable}) == 1
    assert len({unique for _, _, unique in stable}) == 1
    assert stable[0][1] != stable[0][2]

    sim.profile = replace(IDEAL, stable_unique_id=False)
    moving = await call_ids()
    types = [event_type for event_type, _, _ in moving]
    assert types == [
        "EventRinging",
        "EventEstablished",
        "EventEstablished",
        "EventReleased",
    ]
    assert len({linked for _, linked, _ in moving}) == 1
    uniques = [unique for _, _, unique in moving]
    assert len(set(uniques[:3])) == 3  # a new leg on answer, then on transfer
    assert uniques[3] == uniques[2]  # released with the latest
    assert sim.current_calls("alice") == []
    await ws.close()


async def test_simulator_directory_single_name_fr(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G5: the French factory display; a renamed contact shows at the next request."""
    sim.profile = replace(IDEAL, directory="single_name_fr")
    ws = await _connect(sim, http)
    lookup = (await _command(ws, "directoryLookUp", term="emilie"))["ctiMessage"]
    assert lookup == {
        "headers": HEADERS_FR_FACTORY,
        "entries": [
            {
                "status": -2,
                "entry": [
                    "Émilie Lefèvre",
                    "0427466347",
                    "0611223344",
                    "",
                    "true",
                    "",
                    "false",
                ],
                "contact_id": "42",
                "source": "phonebook",
                "favorite": True,
            }
        ],
    }
    sim.rename_contact("3", "Hawkeye", "Pierce-Smith")
    favorites = (await _command(ws, "getFavorites"))["ctiMessage"]
    assert favorites["headers"] == HEADERS_FR_FACTORY
    assert [entry["entry"][0] for entry in favorites["entries"]] == [
        "Hawkeye Pierce-Smith",
        "Émilie Lefèvre",
    ]
    with pytest.raises(ValueError, match="No contact"):
        sim.rename_contact("3", "x", "y", source="personal")
    await ws.close()


async def test_simulator_line_config(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G6: LineConfig with or without a number; ``id: "-"`` for a user with no line."""
    sim.data.users[1].has_line = False
    alice = await _connect(sim, http)
    bob = await _open(sim, http, "bob")
    bob_config = (await _types_until(bob, "UserConfigUpdate"))[-1]["ctiMessage"]
    assert bob_config["lineIds"] == []
    await _types_until(bob, "VoiceMailStatusUpdate")

    def line(ws: aiohttp.ClientWebSocketResponse) -> Any:
        return _command(ws, "getConfig", objectType="line")

    assert (await line(alice))["ctiMessage"] == {
        "id": 1,
        "number": "1000",
        "name": "alice",
    }
    assert (await line(bob))["ctiMessage"] == {"id": "-", "name": ""}
    sim.profile = replace(IDEAL, line_number=False)
    assert (await line(alice))["ctiMessage"] == {
        "id": 1,
        "name": "alice",
        "webRtc": False,
        "hasDevice": True,
    }
    assert (await line(bob))["ctiMessage"] == {
        "id": "-",
        "name": "",
        "webRtc": False,
        "hasDevice": False,
    }
    await alice.close()
    await bob.close()


async def test_simulator_greeting_config_after_favorites(
    sim: XucSimulator, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G7: no presence; the config waits for the first ``Favorites``, and comes once."""
    monkeypatch.setattr(greeting_module, "CONFIG_LAST_DELAY", 60)
    sim.profile = REAL
    ws = await _open(sim, http)
    greeting = [(await _receive(ws))["msgType"] for _ in range(5)]
    assert greeting == [
        "LoggedOn",
        "UsersStatuses",
        "CtiStatuses",
        "UserPreference",
        "VoiceMailStatusUpdate",
    ]
    assert (await _command(ws, "getConfig", objectType="line"))["msgType"] == (
        "LineConfig"
    )
    assert (await _command(ws, "getFavorites"))["msgType"] == "Favorites"
    config = await _receive(ws)
    assert config["msgType"] == "UserConfigUpdate"
    assert config["ctiMessage"]["fullName"] == "Alice Johnson"
    assert (await _command(ws, "getFavorites"))["msgType"] == "Favorites"
    assert (await _command(ws, "getConfig", objectType="line"))["msgType"] == (
        "LineConfig"
    )
    await ws.close()


async def test_simulator_greeting_config_after_delay(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G7: without any ``Favorites``, the config comes 0.5 s after ``LoggedOn``."""
    sim.profile = replace(IDEAL, greeting="config_last", answer_favorites=False)
    loop = asyncio.get_running_loop()
    ws = await _open(sim, http)
    assert (await _receive(ws))["msgType"] == "LoggedOn"
    logged_on = loop.time()
    await ws.send_json({"claz": "web", "command": "getFavorites"})
    frames = await _types_until(ws, "UserConfigUpdate")
    assert loop.time() - logged_on >= greeting_module.CONFIG_LAST_DELAY - 0.05
    assert [frame["msgType"] for frame in frames] == [
        "UsersStatuses",
        "CtiStatuses",
        "UserPreference",
        "VoiceMailStatusUpdate",
        "UserConfigUpdate",
    ]
    await ws.close()


async def test_simulator_no_resend_on_reconnect(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G8: a login's later sessions get LoggedOn and the config only, until a restart."""
    sim.profile = replace(IDEAL, resend_on_reconnect=False)
    first = await _open(sim, http)
    assert [(await _receive(first))["msgType"] for _ in IDEAL_GREETING] == (
        IDEAL_GREETING
    )
    second = await _open(sim, http)
    assert (await _receive(second))["msgType"] == "LoggedOn"
    assert (await _receive(second))["msgType"] == "UserConfigUpdate"
    reply = await _command(second, "getConfig", objectType="line")
    assert reply["msgType"] == "LineConfig"
    await sim.set_voicemail("alice", 2, 0)
    assert (await _receive(second))["msgType"] == "VoiceMailStatusUpdate"
    await first.close()
    await second.close()

    await sim.restart()
    third = await _open(sim, http)
    assert [(await _receive(third))["msgType"] for _ in IDEAL_GREETING] == (
        IDEAL_GREETING
    )
    await third.close()


async def test_simulator_check_html_401(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """G10: ``/auth/check`` refuses with nginx's HTML page; other routes stay JSON."""
    sim.profile = replace(IDEAL, check_html_401=True)
    _, body = await _login(sim, http)
    headers = {"Authorization": f"Bearer {body['token']}"}
    async with http.get(sim.url + CHECK, headers=headers) as resp:
        assert resp.status == 200
    sim.expire_tokens()
    async with http.get(sim.url + CHECK, headers=headers) as resp:
        assert resp.status == 401
        assert resp.content_type == "text/html"
        assert "<center>nginx</center>" in await resp.text()
    async with http.get(f"{sim.url}{CTI}?token={body['token']}") as resp:
        assert resp.status == 401
        assert (await resp.json())["error"] == "TokenExpired"
    status, body = await _login(sim, http, password="wrong")
    assert (status, body["error"]) == (401, "InvalidCredentials")


async def test_simulator_cli_profile(http: aiohttp.ClientSession) -> None:
    """``python -m tests.simulator --profile real`` serves the real profile."""
    root = Path(__file__).parent.parent
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.simulator",
        "--port",
        "0",
        "--profile",
        "real",
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert banner.endswith("(profile real)\n"), banner
        url = banner.split()[4]
        async with http.post(
            url + LOGIN, json={"login": "demo", "password": "demo"}
        ) as resp:
            token = (await resp.json())["token"]
        async with http.ws_connect(f"{url}{CTI}?token={token}") as ws:
            await ws.send_json(
                {"claz": "web", "command": "getConfig", "objectType": "line"}
            )
            frames = await _types_until(ws, "LineConfig")
        assert "UserStatusUpdate" not in [frame["msgType"] for frame in frames]
        assert frames[-1]["ctiMessage"] == {
            "id": 1,
            "name": "demo",
            "webRtc": False,
            "hasDevice": True,
        }
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_call_control_frames_drive_the_calls(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """A queue call rings with its queue and attached data; answer, hold, hang up.

    Commands that apply to no call, and a DTMF key that is not one keypad key, are
    refused with an ``Error``.
    """
    ws = await _connect(sim, http)
    unique_id = await sim.incoming_call(
        "alice", "1002", queue="bluesky", user_data={"USR_ticket": "42"}
    )
    ringing = (await _types_until(ws, "PhoneEvent"))[-1]["ctiMessage"]
    assert ringing["queueName"] == "bluesky"
    assert ringing["userData"]["USR_ticket"] == "42"
    assert ringing["userData"]["XIVO_SRCNUM"] == "1002"
    events = []
    for command, args in (
        ("answer", {"uniqueId": unique_id}),
        ("hold", {}),
        ("hold", {}),
        ("hangup", {}),
    ):
        await ws.send_json({"claz": "web", "command": command, **args})
        event = (await _types_until(ws, "PhoneEvent"))[-1]["ctiMessage"]
        assert event["queueName"] == "bluesky"
        events.append(event["eventType"])
    assert events == [
        "EventEstablished",
        "EventOnHold",
        "EventEstablished",
        "EventReleased",
    ]
    for command, args in (
        ("answer", {}),
        ("hangup", {"uniqueId": "1.1"}),
        ("completeTransfer", {}),
        ("sendDtmf", {"key": "12"}),
        ("sendDtmf", {"key": "a"}),
    ):
        reply = await _command(ws, command, **args)
        assert reply["msgType"] == "Error", (command, args)
    await ws.send_json({"claz": "web", "command": "sendDtmf", "key": "#"})
    await ws.send_json({"claz": "web", "command": "conference"})
    # Neither is answered: the reply to the look-up after them shows they were handled.
    reply = await _command(ws, "displayNameLookup", username="bob")
    assert reply["msgType"] == "UserDisplayName"
    assert sim.dtmf == [("alice", "#")]
    assert sim.conferences == ["alice"]
    await ws.close()


async def test_call_history_requests(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """Ended calls are in the history, newest first; reply type and refusal switch."""
    ws = await _connect(sim, http)
    missed = await sim.incoming_call("alice", "1002")
    await sim.hang_up("alice", missed)
    answered = await sim.incoming_call("alice", "1001", "Bob Martin")
    await sim.answer_call("alice", answered)
    await sim.hang_up("alice", answered)
    await ws.send_json({"claz": "web", "command": "getUserCallHistory", "size": None})
    reply = (await _types_until(ws, "CallHistory"))[-1]["ctiMessage"]
    assert [(e["status"], e["srcNum"], e["dstNum"]) for e in reply] == [
        ("answered", "1001", "1000"),
        ("missed", "1002", "1000"),
    ]
    assert (reply[0]["srcFirstName"], reply[0]["srcLastName"]) == ("Bob", "Martin")
    assert (reply[0]["dstUsername"], reply[0]["srcUsername"]) == ("alice", "bob")
    assert reply[1]["duration"] == "00:00:00"
    assert isinstance(reply[1]["srcPhoneStatus"], int)

    sim.history_reply = "RichCallHistory"
    reply = await _command(ws, "getUserCallHistoryByDays", days=1)
    assert reply["msgType"] == "RichCallHistory"
    assert len(reply["ctiMessage"]) == 2
    sim.refuse_history = True
    assert (await _command(ws, "getUserCallHistory", size=5))["msgType"] == "Error"
    assert (await _command(ws, "getUserCallHistoryByDays", days="1"))[
        "msgType"
    ] == "Error"
    await ws.close()


# --- Contact center: agents and queues (agents.py, queues.py, control.py) --------------


async def _agent_socket(
    sim: XucSimulator, http: aiohttp.ClientSession
) -> aiohttp.ClientWebSocketResponse:
    """Alice as agent 12 (queues 1 and 2), subscribed to agent events and stats."""
    ws = await _connect(sim, http)
    await ws.send_json({"claz": "web", "command": "subscribeToAgentEvents"})
    await ws.send_json(
        {"claz": "web", "command": "getList", "objectType": "queuemember"}
    )
    await _types_until(ws, "QueueMemberList")
    await ws.send_json({"claz": "web", "command": "subscribeToQueueStats"})
    await _types_until(ws, "QueueStatistics")
    await _types_until(ws, "QueueStatistics")  # one per queue
    return ws


@pytest.fixture
def agent_sim(sim: XucSimulator) -> XucSimulator:
    """The simulator, alice an agent (12) in queues 1 and 2, bob agent 13 in queue 1."""
    make_agent(sim.data, monitor_state="ACTIVE")
    make_agent(sim.data, "bob", agent_id=13, queues={1: 0})
    return sim


async def test_agent_lists_states_and_stats(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """The lists, the states snapshot and the stats snapshot of an own-scope server."""
    ws = await _connect(agent_sim, http)
    queues = await _command(ws, "getList", objectType="queue")
    assert queues == {
        "msgType": "QueueList",
        "ctiMessage": [
            {"id": 1, "name": "bluesky", "displayName": "Blue Sky", "number": "3000"},
            {"id": 2, "name": "support", "displayName": "Support", "number": "3001"},
        ],
    }
    members = await _command(ws, "getList", objectType="queuemember")
    assert members["ctiMessage"] == [
        {"agentId": 12, "queueId": 1, "penalty": 0},
        {"agentId": 12, "queueId": 2, "penalty": 0},
    ]  # not bob's: IDEAL filters to the own agent
    agents = await _command(ws, "getList", objectType="agent")
    assert [a["id"] for a in agents["ctiMessage"]] == [12, 13]
    assert agents["ctiMessage"][0]["userId"] == 1
    assert (await _command(ws, "getList", objectType="meetme"))["msgType"] == "Error"
    state = await _command(ws, "getAgentStates")
    assert state["ctiMessage"] == {
        "agentId": 12,
        "name": "AgentLoggedOut",
        "phoneNb": "null",
        "since": 0,
        "queues": [1, 2],
        "acd": False,
        "monitorState": "ACTIVE",
    }
    stats = await _command(ws, "subscribeToQueueStats")
    assert stats["ctiMessage"]["queueId"] == 1
    counters = {c["statName"]: c["value"] for c in stats["ctiMessage"]["counters"]}
    assert counters["WaitingCalls"] == 0
    assert counters["LoggedAgents"] == 0
    await ws.close()


async def test_agent_commands_and_their_pushes(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """Login (AgentLogin, AgentReady), pause with a reason, unpause, recording, logout."""
    ws = await _agent_socket(agent_sim, http)

    async def state_after(command: str, **args: Any) -> dict[str, Any]:
        await ws.send_json({"claz": "web", "command": command, **args})
        return (await _types_until(ws, "AgentStateEvent"))[-1]["ctiMessage"]

    login = await state_after("agentLogin", agentphonenumber="1000")
    assert (login["name"], login["phoneNb"]) == ("AgentLogin", "1000")
    assert (await _types_until(ws, "AgentStateEvent"))[-1]["ctiMessage"][
        "name"
    ] == "AgentReady"
    paused = await state_after("pauseAgent", agentid=12, reason="outtolunch")
    assert (paused["name"], paused["cause"]) == ("AgentOnPause", "outtolunch")
    plain = await state_after("pauseAgent")
    assert "cause" not in plain
    assert (await state_after("unpauseAgent", agentid=12))["name"] == "AgentReady"
    assert (await state_after("monitorPause", agentid=12))["monitorState"] == "PAUSED"
    assert (await state_after("monitorUnpause"))["monitorState"] == "ACTIVE"
    logout = await state_after("agentLogout", agentid=12)
    assert (logout["name"], logout["phoneNb"]) == ("AgentLoggedOut", "null")
    for command, args in (
        ("pauseAgent", {}),  # logged out
        ("unpauseAgent", {}),
        ("pauseAgent", {"agentid": "12"}),  # not a number
        ("agentLogin", {"agentphonenumber": "1000", "agentid": 99}),
    ):
        await ws.send_json({"claz": "web", "command": command, **args})
        error = (await _types_until(ws, "Error"))[-1]["ctiMessage"]["Error"]
        assert command in error or "agentid" in error, error
    await agent_sim.set_monitor_state(12, "DISABLED")
    await ws.send_json({"claz": "web", "command": "monitorPause"})
    error = (await _types_until(ws, "Error"))[-1]["ctiMessage"]["Error"]
    assert "recording is off" in error
    await ws.close()


async def test_agent_login_errors_and_takeover(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """PhoneNumberUnknown; LoggedInOnAnotherPhone with both numbers; a line taken over."""
    agent_sim.profile = replace(IDEAL, agent_scope="all")
    ws = await _agent_socket(agent_sim, http)
    unknown = await _command(ws, "agentLogin", agentphonenumber="1999")
    assert unknown == {
        "msgType": "AgentError",
        "ctiMessage": {"Error": "PhoneNumberUnknown"},
    }
    await agent_sim.login_agent(13, "1000")  # bob's agent on alice's line
    await ws.send_json(
        {"claz": "web", "command": "agentLogin", "agentphonenumber": "1000"}
    )
    frames = await _types_until(ws, "AgentStateEvent")
    while frames[-1]["ctiMessage"]["agentId"] != 12:
        frames = await _types_until(ws, "AgentStateEvent")
    bob = agent_sim.data.agent(13)
    assert bob is not None
    assert (bob.state, bob.phone_number) == ("AgentLoggedOut", None)
    agent_sim.profile = replace(agent_sim.profile, agent_error_type="Error")
    elsewhere = await _command(ws, "agentLogin", agentphonenumber="1001", agentid=12)
    while elsewhere["msgType"] != "Error":
        elsewhere = await _receive(ws)
    assert elsewhere["ctiMessage"] == {
        "Error": "LoggedInOnAnotherPhone",
        "phoneNb": "1000",
        "RequestedNb": "1001",
    }
    await ws.close()


async def test_queue_commands_callers_and_stats_by_name(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """SetAgentQueue / removeAgentFromQueue (-1); callers; stats keyed by queueRef."""
    agent_sim.profile = replace(IDEAL, queue_stats_key="ref")
    ws = await _agent_socket(agent_sim, http)
    member = await _command(ws, "setAgentQueue", agentId=12, queueId=1, penalty=2)
    assert member == {
        "msgType": "QueueMember",
        "ctiMessage": {"agentId": 12, "queueId": 1, "penalty": 2},
    }
    await ws.send_json({"claz": "web", "command": "removeAgentFromQueue", "queueId": 1})
    removed = (await _types_until(ws, "QueueMember"))[-1]
    assert removed["ctiMessage"] == {"agentId": 12, "queueId": 1, "penalty": -1}
    assert (12, 1) not in agent_sim.data.memberships
    for args in ({"queueId": 9, "penalty": 0}, {"queueId": 2, "penalty": -1}):
        await ws.send_json({"claz": "web", "command": "setAgentQueue", **args})
        await _types_until(ws, "Error")
    assert await agent_sim.add_caller(2, waited=40) == 1
    stats = (await _types_until(ws, "QueueStatistics"))[-1]["ctiMessage"]
    assert stats["queueRef"] == "support"
    assert "queueId" not in stats
    counters = {c["statName"]: c["value"] for c in stats["counters"]}
    assert counters["WaitingCalls"] == 1
    assert counters["LongestWaitTime"] >= 40
    assert set(counters) == {
        "WaitingCalls",
        "LongestWaitTime",
        "TotalNumberCallsEntered",
    }
    assert await agent_sim.remove_caller(2, abandoned=True) == 0
    stats = (await _types_until(ws, "QueueStatistics"))[-1]["ctiMessage"]
    assert {c["statName"]: c["value"] for c in stats["counters"]} == {
        "WaitingCalls": 0,
        "LongestWaitTime": 0,
        "TotalNumberCallsAbandonned": 1,
    }
    with pytest.raises(ValueError, match="Nobody waits"):
        await agent_sim.remove_caller(2)
    with pytest.raises(ValueError, match="Unknown queue"):
        await agent_sim.add_caller(9)
    await ws.close()


async def test_scope_all_pushes_every_agent_and_own_filters(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """§12.8: a no-profile server (``all``) tells about bob's agent; ``own`` does not."""
    ws = await _agent_socket(agent_sim, http)
    await agent_sim.set_agent_state(13, "AgentReady", phone_number="1001")
    await agent_sim.set_agent_state(12, "AgentOnPause", cause="ook")
    event = (await _types_until(ws, "AgentStateEvent"))[-1]["ctiMessage"]
    assert (event["agentId"], event["cause"]) == (12, "ook")
    agent_sim.profile = replace(IDEAL, agent_scope="all")
    await agent_sim.set_agent_state(13, "AgentOnCall", acd=True, direction="Incoming")
    event = (await _types_until(ws, "AgentStateEvent"))[-1]["ctiMessage"]
    assert (event["agentId"], event["acd"], event["direction"]) == (
        13,
        True,
        "Incoming",
    )
    await agent_sim.set_membership(13, 2, 5)
    assert (await _types_until(ws, "QueueMember"))[-1]["ctiMessage"] == {
        "agentId": 13,
        "queueId": 2,
        "penalty": 5,
    }
    with pytest.raises(ValueError, match="Unknown agent"):
        await agent_sim.set_agent_state(99, "AgentReady")
    await ws.close()


async def test_control_api_drives_agents_and_queues(
    agent_sim: XucSimulator, http: aiohttp.ClientSession
) -> None:
    """``/_sim/agent``, ``/_sim/caller``, ``/_sim/member``, ``/_sim/recording``."""
    runner = await start_control(agent_sim, 0)
    try:
        port = runner.addresses[0][1]
        base = f"http://127.0.0.1:{port}{CONTROL_PREFIX}"

        async def post(path: str, **params: Any) -> tuple[int, dict[str, Any]]:
            query = {k: str(v) for k, v in params.items()}
            async with http.post(f"{base}/{path}", params=query) as resp:
                return resp.status, await resp.json()

        assert (await post("agent", agent=12, state="AgentOnPause", cause="ook"))[
            0
        ] == 200
        alice = agent_sim.data.agent(12)
        assert alice is not None
        assert (alice.state, alice.cause) == ("AgentOnPause", "ook")
        assert await post("caller", queue=1, action="in", waited=5) == (
            200,
            {"queue": 1, "waiting": 1},
        )
        assert await post("caller", queue=1, action="out") == (
            200,
            {"queue": 1, "waiting": 0},
        )
        assert (await post("caller", queue=1, action="out"))[0] == 400
        assert (await post("caller", queue=1, action="sideways"))[0] == 400
        assert (await post("member", agent=12, queue=2, penalty=-1))[0] == 200
        assert (12, 2) not in agent_sim.data.memberships
        assert (await post("recording", agent=12, state="PAUSED"))[0] == 200
        assert alice.monitor_state == "PAUSED"
        assert (await post("agent", agent=77, state="AgentReady"))[0] == 400
    finally:
        await runner.cleanup()


def test_demo_user_is_an_agent_in_two_queues() -> None:
    data = demo_data()
    demo = data.user("demo")
    assert demo is not None
    assert demo.agent_id == 12
    assert sorted(q for a, q in data.memberships if a == 12) == [1, 2]
    assert default_data().users[0].agent_id == 0  # the default user stays no agent


async def test_demo_activity_brings_callers(agent_sim: XucSimulator) -> None:
    rng = random.Random(3)  # noqa: S311 - demo timing
    task = asyncio.create_task(
        run_demo_activity(agent_sim, min_interval=0, max_interval=0.001, rng=rng)
    )
    try:
        async with asyncio.timeout(5):
            while not any(q.entered for q in agent_sim.data.queues):
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_agent_state_commands_are_in_the_command_table() -> None:
    """What changes the server's state, for the soak's books of unasked frames."""
    assert set(AGENT_COMMANDS) >= AGENT_STATE_COMMANDS
    assert "getAgentStates" not in AGENT_STATE_COMMANDS
