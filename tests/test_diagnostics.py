"""Config-entry diagnostics, against the simulator: useful, and free of secrets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
import time
from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.xivo.const import CONF_PHONE_NUMBER, DOMAIN

from .common import state_is, wait_for_state
from .simulator import ALICE_PASSWORD, XucSimulator

REDACTED = "**REDACTED**"
CONNECTION = "binary_sensor.alice_johnson_server_connection"

# Phone numbers of the default data set that a diagnostics dump could carry: Alice's
# line and mobile, her favorites' numbers and mobiles, and other directory numbers.
PHONE_NUMBERS = (
    "1000",  # Alice's line, also her configured phone number
    "0612345678",  # Alice's mobile
    "1002",  # hawkeye pierce (favorite)
    "0761187406",  # hawkeye pierce's mobile
    "0427466347",  # Émilie Lefèvre (favorite)
    "0611223344",  # Émilie Lefèvre's mobile
    "1004",  # peter pan
    "1001",  # Bob's line
)

# Names of the default data set: Alice's login and name, her favorites'.
NAMES = ("alice", "Alice", "Johnson", "hawkeye", "pierce", "Émilie", "Lefèvre")


@pytest.fixture
async def diag_entry(hass: HomeAssistant, xuc_server: XucSimulator) -> MockConfigEntry:
    """Alice's entry, with her phone number configured, set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alice Johnson",
        unique_id="alice@127.0.0.1",
        data={
            CONF_URL: xuc_server.url,
            CONF_VERIFY_SSL: True,
            CONF_USERNAME: "alice",
            CONF_PASSWORD: ALICE_PASSWORD,
            CONF_PHONE_NUMBER: "1000",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _wait_until(hass: HomeAssistant, predicate: Callable[[], bool]) -> None:
    """Wait until `predicate()` holds (5 s at most)."""
    deadline = time.monotonic() + 5
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await hass.async_block_till_done()
        await asyncio.sleep(0.01)


def _secrets(entry: MockConfigEntry, xuc_server: XucSimulator) -> list[str]:
    """The password, every token the server issued, and the phone numbers."""
    tokens = list(xuc_server._tokens)
    token = entry.runtime_data.client._auth.token
    assert token is not None
    assert token.value in tokens
    return [ALICE_PASSWORD, *tokens, *PHONE_NUMBERS, *NAMES]


def _stable_text(diagnostics: dict[str, Any], xuc_server: XucSimulator) -> str:
    """The dump as JSON, with the values that are random or taken from the clock blanked.

    The entry id, the timestamps, the simulator's port and the calls' ids (Unix time
    based) are arbitrary digits in which a short number like "1000" can show up by
    chance; nothing else is touched.
    """
    data = json.loads(json.dumps(diagnostics))
    entry = data["entry"]
    for key in ("entry_id", "created_at", "modified_at"):
        entry[key] = f"<{key}>"
    assert entry["data"][CONF_URL] == xuc_server.url
    entry["data"][CONF_URL] = "<url>"
    data["snapshot"]["calls"] = [
        {**call, "unique_id": "<id>", "linked_id": "<id>"}
        for call in data["snapshot"]["calls"]
    ]
    for frame in data["protocol_journal"]:
        frame["at"] = "<at>"
        _blank_call_ids(frame["frame"])
    for seen in data["server_profile"].values():
        _blank_call_ids(seen["first"]["frame"])
    return json.dumps(data, ensure_ascii=False)


def _blank_call_ids(frame: Any) -> None:
    """Call ids are Unix times: digits in which a short number may show by chance."""
    if isinstance(frame, dict):
        for key in ("uniqueId", "linkedId"):
            if key in frame:
                frame[key] = "<id>"
        for value in frame.values():
            _blank_call_ids(value)
    elif isinstance(frame, list):
        for value in frame:
            _blank_call_ids(value)


def _assert_no_secret(
    diagnostics: dict[str, Any], entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    text = _stable_text(diagnostics, xuc_server)
    for secret in _secrets(entry, xuc_server):
        assert secret not in text, f"{secret!r} leaks into the diagnostics"


async def test_diagnostics_snapshot(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    snapshot: SnapshotAssertion,
) -> None:
    """The dump matches the snapshot (volatile fields excluded)."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    assert diagnostics["entry"]["data"][CONF_URL] == xuc_server.url
    assert diagnostics == snapshot(
        # The journal and the profile hold what the background history request
        # interleaves with: their content is checked by test_diagnostics_protocol_journal.
        exclude=props(
            "entry_id",
            "created_at",
            "modified_at",
            CONF_URL,
            "protocol_journal",
            "server_profile",
        )
    )


async def test_diagnostics_content(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """What helps debugging is there; secrets and numbers are redacted."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    assert diagnostics["connection"] == {
        "connected": True,
        "last_update_success": True,
        "last_error": None,
        "line": "present",
    }
    entry = diagnostics["entry"]
    assert entry["data"] == {
        CONF_URL: xuc_server.url,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: REDACTED,
        CONF_PASSWORD: REDACTED,
        CONF_PHONE_NUMBER: REDACTED,
    }
    assert entry["title"] == REDACTED
    assert entry["unique_id"] == REDACTED
    snapshot = diagnostics["snapshot"]
    assert snapshot["status_name"] == "available"
    assert snapshot["line_number"] == REDACTED
    assert snapshot["phone_hints"] == REDACTED
    # The user configuration: flags and ids kept, names, numbers, destinations not.
    fields = snapshot["user"]["fields"]
    assert fields["dndEnabled"] is False
    assert fields["uncFwdEnabled"] is False
    for key in ("fullName", "firstName", "lastName", "mobileNumber"):
        assert fields[key] == REDACTED
    for key in ("uncFwdDestination", "naFwdDestination", "busyFwdDestination"):
        assert fields.get(key, "") in ("", REDACTED)  # empty is no personal data
    # A list, not a mapping: a favorite's key may be its phone number.
    assert {(f["source"], f["contact_id"]) for f in snapshot["favorites"]} == {
        ("internal", "3"),
        ("phonebook", "42"),
    }
    for favorite in snapshot["favorites"]:
        assert favorite["number"] == REDACTED
        assert favorite["mobile"] == REDACTED
        assert favorite["fields"] == REDACTED
    _assert_no_secret(diagnostics, diag_entry, xuc_server)


async def test_diagnostics_no_secret_during_calls(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """Calls in progress show up without the other party's number."""
    await xuc_server.incoming_call("alice", "0761187406")
    await hass.services.async_call(
        DOMAIN,
        "dial",
        {"config_entry_id": diag_entry.entry_id, "number": "1004"},
        blocking=True,
    )
    await xuc_server.wait_for_command("dial")
    client = diag_entry.runtime_data.client
    await _wait_until(hass, lambda: len(client.snapshot.calls) == 2)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    calls = diagnostics["snapshot"]["calls"]
    assert len(calls) == 2
    assert {call["other_number"] for call in calls} == {REDACTED}
    _assert_no_secret(diagnostics, diag_entry, xuc_server)


async def test_diagnostics_link_down(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """While the link is down the dump says so, still without secrets."""
    await xuc_server.stop()
    await wait_for_state(hass, CONNECTION, state_is("off"))
    coordinator = diag_entry.runtime_data.coordinator
    await _wait_until(hass, lambda: coordinator.last_error is not None)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    connection = diagnostics["connection"]
    assert connection["connected"] is False
    assert connection["last_update_success"] is False
    assert connection["last_error"]  # why the link is down, e.g. refused connections
    _assert_no_secret(diagnostics, diag_entry, xuc_server)


async def test_diagnostics_favorites_without_ids(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """Favorites a server lists without contact ids do not leak their numbers."""
    await xuc_server.send_raw(
        json.dumps(
            {
                "msgType": "Favorites",
                "ctiMessage": {
                    "headers": [
                        "Firstname",
                        "Lastname",
                        "Number",
                        "Mobile",
                        "Favorite",
                    ],
                    "entries": [
                        {
                            "status": 0,
                            "entry": [
                                "hawkeye",
                                "pierce",
                                "1002",
                                "0761187406",
                                "true",
                            ],
                        }
                    ],
                },
            }
        )
    )
    client = diag_entry.runtime_data.client
    await _wait_until(hass, lambda: list(client.snapshot.favorites) == ["number/1002"])
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    _assert_no_secret(diagnostics, diag_entry, xuc_server)


async def test_diagnostics_protocol_journal(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    diag_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """The last frames both ways, oldest first, no pings; every type seen, redacted."""
    await hass.services.async_call(
        DOMAIN,
        "directory_lookup",
        {"config_entry_id": diag_entry.entry_id, "term": "pierce"},
        blocking=True,
        return_response=True,
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, diag_entry)
    journal = diagnostics["protocol_journal"]
    assert journal[0]["direction"] == "in"
    assert journal[0]["msg_type"] == "LoggedOn"
    assert [frame["at"] for frame in journal] == sorted(
        frame["at"] for frame in journal
    )
    commands = [frame["command"] for frame in journal if frame["direction"] == "out"]
    assert "getFavorites" in commands
    assert "directoryLookUp" in commands
    assert all(frame["frame"] != {"claz": "ping"} for frame in journal)
    lookup = next(f for f in journal if f.get("command") == "directoryLookUp")
    assert lookup["frame"]["term"] == REDACTED
    result = next(f for f in journal if f.get("msg_type") == "DirectoryResult")
    assert result["frame"]["ctiMessage"]["entries"] == REDACTED

    profile = diagnostics["server_profile"]
    assert profile["LoggedOn"]["count"] == 1
    statuses = profile["UsersStatuses"]["first"]["frame"]["ctiMessage"]
    assert "available" in json.dumps(statuses)  # status names explain presence: kept
    _assert_no_secret(diagnostics, diag_entry, xuc_server)
