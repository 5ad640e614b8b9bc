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
)

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
