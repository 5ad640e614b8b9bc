"""Tests of the xuc simulator itself, with a plain aiohttp client on loopback.

The integration's tests trust the simulator to speak the protocol reference;
these tests pin the parts they rely on most (auth, greeting, one round trip,
errors, silence and restart) without going through the integration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from tests.simulator import ALICE_PASSWORD, HEADERS_FR, XucSimulator, default_data

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytestmark = pytest.mark.usefixtures("socket_enabled")

LOGIN = "/xuc/api/2.0/auth/login"
CHECK = "/xuc/api/2.0/auth/check"
CTI = "/xuc/api/2.0/cti"


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
    sim: XucSimulator, http: aiohttp.ClientSession, password: str = ALICE_PASSWORD
) -> tuple[int, dict[str, Any]]:
    """Log alice in; return the HTTP status and the JSON body."""
    async with http.post(
        sim.url + LOGIN, json={"login": "alice", "password": password}
    ) as resp:
        return resp.status, await resp.json()


async def _receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """Read the next JSON envelope, failing fast instead of hanging the test."""
    msg = await ws.receive(timeout=2)
    assert msg.type is aiohttp.WSMsgType.TEXT, msg
    data: dict[str, Any] = msg.json()
    return data


async def _connect(
    sim: XucSimulator, http: aiohttp.ClientSession, **kwargs: Any
) -> aiohttp.ClientWebSocketResponse:
    """Log in, open the CTI socket and consume the six greeting frames."""
    _, body = await _login(sim, http)
    ws = await http.ws_connect(f"{sim.url}{CTI}?token={body['token']}", **kwargs)
    for _ in range(7):  # LoggedOn, 2 status lists, config, status, prefs, voicemail
        await _receive(ws)
    return ws


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
    _, body = await _login(sim, http)
    async with http.ws_connect(f"{sim.url}{CTI}?token={body['token']}") as ws:
        frames = [await _receive(ws) for _ in range(7)]
    assert [frame["msgType"] for frame in frames] == [
        "LoggedOn",
        "UsersStatuses",
        "CtiStatuses",
        "UserConfigUpdate",
        "UserStatusUpdate",
        "UserPreference",
        "VoiceMailStatusUpdate",
    ]
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
