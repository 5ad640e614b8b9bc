"""The integration's actions, called through Home Assistant against the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

import custom_components.xivo as xivo_init
from custom_components.xivo.const import DOMAIN

from .common import state_is, wait_for_state
from .simulator import (
    ALICE_PASSWORD,
    BOB_PASSWORD,
    HEADERS_FR,
    XucSimulator,
    default_data,
)

EXCEPTIONS: dict[str, dict[str, str]] = json.loads(
    (
        Path(__file__).parents[1] / "custom_components/xivo/translations/en.json"
    ).read_text(encoding="utf-8")
)["exceptions"]

CONNECTION = "binary_sensor.alice_johnson_server_connection"
HAWKEYE_SENSOR = "sensor.alice_johnson_hawkeye_pierce"
PETER_SENSOR = "sensor.alice_johnson_peter_pan"

SERVICES = (
    "directory_lookup",
    "display_name_lookup",
    "add_favorite",
    "remove_favorite",
    "dial",
)

HAWKEYE: dict[str, Any] = {
    "name": "hawkeye pierce",
    "first_name": "hawkeye",
    "last_name": "pierce",
    "number": "1002",
    "mobile": "0761187406",
    "favorite": True,
    "status": "available",
    "contact_id": "3",
    "source": "internal",
    "fields": {
        "Firstname": "hawkeye",
        "Lastname": "pierce",
        "Number": "1002",
        "Mobile": "0761187406",
        "Favorite": "true",
    },
}
PETER: dict[str, Any] = {
    "name": "peter pan",
    "first_name": "peter",
    "last_name": "pan",
    "number": "1004",
    "mobile": "",
    "favorite": False,
    "status": None,
    "contact_id": "4",
    "source": "internal",
    "fields": {
        "Firstname": "peter",
        "Lastname": "pan",
        "Number": "1004",
        "Mobile": "",
        "Favorite": "false",
    },
}
EMILIE: dict[str, Any] = {
    "name": "Émilie Lefèvre",
    "first_name": "Émilie",
    "last_name": "Lefèvre",
    "number": "0427466347",
    "mobile": "0611223344",
    "favorite": True,
    "status": None,
    "contact_id": "42",
    "source": "phonebook",
    "fields": {
        "Firstname": "Émilie",
        "Lastname": "Lefèvre",
        "Number": "0427466347",
        "Mobile": "0611223344",
        "Favorite": "true",
    },
}


async def _call(
    hass: HomeAssistant,
    service: str,
    entry: MockConfigEntry | str,
    *,
    return_response: bool = False,
    **data: Any,
) -> Any:
    entry_id = entry if isinstance(entry, str) else entry.entry_id
    return await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry_id, **data},
        blocking=True,
        return_response=return_response,
    )


async def _lookup(hass: HomeAssistant, entry: MockConfigEntry | str, term: str) -> Any:
    return await _call(hass, "directory_lookup", entry, return_response=True, term=term)


async def _link_down(hass: HomeAssistant, xuc_server: XucSimulator) -> None:
    """Stop the server and wait until the entry shows the link as down."""
    await xuc_server.stop()
    await wait_for_state(hass, CONNECTION, state_is("off"))


def _assert_error(
    err: pytest.ExceptionInfo[HomeAssistantError],
    key: str,
    *,
    validation: bool = False,
    **placeholders: str,
) -> None:
    """The error is XiVO's translated `key`, a validation error or not, in English."""
    error = err.value
    assert isinstance(error, ServiceValidationError) is validation
    assert error.translation_domain == DOMAIN
    assert error.translation_key == key
    assert (error.translation_placeholders or {}) == placeholders
    message = EXCEPTIONS[key]["message"].format(**placeholders)
    assert str(error).rstrip(".") == message.rstrip(".")


def _favorite_entity(hass: HomeAssistant, key: str) -> str | None:
    """The entity id of the favorite sensor with this `source/contact_id` key."""
    return er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"alice@127.0.0.1_favorite_{key}"
    )


# ------------------------------------------------------------------ registration


async def test_actions_registered_once_in_async_setup(
    hass: HomeAssistant, xuc_server: XucSimulator
) -> None:
    """The actions exist before any entry is set up and survive an entry's unload."""
    with patch.object(
        xivo_init,
        "async_setup_services",
        wraps=xivo_init.async_setup_services,
    ) as setup_services:
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()
        for service in SERVICES:
            assert hass.services.has_service(DOMAIN, service), service

        entries = [
            MockConfigEntry(
                domain=DOMAIN,
                title=title,
                unique_id=f"{login}@127.0.0.1",
                data={
                    CONF_URL: xuc_server.url,
                    CONF_VERIFY_SSL: True,
                    CONF_USERNAME: login,
                    CONF_PASSWORD: password,
                },
            )
            for login, password, title in (
                ("alice", ALICE_PASSWORD, "Alice Johnson"),
                ("bob", BOB_PASSWORD, "Bob Martin"),
            )
        ]
        for entry in entries:
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            assert entry.state is ConfigEntryState.LOADED

        for entry in entries:
            assert await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            for service in SERVICES:
                assert hass.services.has_service(DOMAIN, service), service

    setup_services.assert_called_once()


async def test_response_support(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Look-ups only return data; the other actions return none."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "directory_lookup", init_integration, term="pierce")
    assert err.value.translation_key == "service_lacks_response_request"
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "dial",
            init_integration,
            return_response=True,
            number="1002",
        )
    assert err.value.translation_key == "service_does_not_support_response"


# ------------------------------------------------------------------ directory_lookup


async def test_directory_lookup(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Rows come back by header, with favorite flags and live phone states."""
    assert await _lookup(hass, init_integration, "pierce") == {"contacts": [HAWKEYE]}
    assert xuc_server.commands("directoryLookUp") == [
        {"claz": "web", "command": "directoryLookUp", "term": "pierce"}
    ]

    response = await _lookup(hass, init_integration, "e")
    contacts = {row["contact_id"]: row for row in response["contacts"]}
    assert set(contacts) == {"1", "3", "4", "42"}
    assert contacts["3"] == HAWKEYE
    assert contacts["4"] == PETER
    assert contacts["42"] == EMILIE
    assert contacts["1"]["favorite"] is False
    assert contacts["1"]["status"] == "available"
    assert [row["favorite"] for row in response["contacts"]] == [
        False,
        True,
        False,
        True,
    ]


async def test_directory_lookup_strips_term_and_finds_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The term is trimmed before it is sent; no match is an empty list."""
    assert await _lookup(hass, init_integration, "  nobody  ") == {"contacts": []}
    assert xuc_server.commands("directoryLookUp") == [
        {"claz": "web", "command": "directoryLookUp", "term": "nobody"}
    ]


async def test_directory_lookup_status_follows_live_hints(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The status is the latest phone hint, even for an existing favorite."""
    await xuc_server.set_phone_state("1002", 1)
    await wait_for_state(hass, HAWKEYE_SENSOR, state_is("calling"))
    response = await _lookup(hass, init_integration, "hawkeye")
    assert response["contacts"][0]["status"] == "calling"


@pytest.fixture
async def xuc_server_fr(socket_enabled: None) -> AsyncIterator[XucSimulator]:
    """A simulator of a French xuc: the directory's column titles are in French."""
    data = default_data()
    data.headers = list(HEADERS_FR)
    simulator = XucSimulator(data)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def french_entry(
    hass: HomeAssistant, xuc_server_fr: XucSimulator
) -> MockConfigEntry:
    """Alice's entry on the French simulator, set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Alice Johnson",
        unique_id="alice@127.0.0.1",
        data={
            CONF_URL: xuc_server_fr.url,
            CONF_VERIFY_SSL: True,
            CONF_USERNAME: "alice",
            CONF_PASSWORD: ALICE_PASSWORD,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_directory_lookup_french_headers(
    hass: HomeAssistant, french_entry: MockConfigEntry
) -> None:
    """French column titles map to the same keys; `fields` keeps the titles."""
    response = await _lookup(hass, french_entry, "LEFEVRE")
    assert response == {
        "contacts": [
            {
                **EMILIE,
                "fields": {
                    "Prénom": "Émilie",
                    "Nom": "Lefèvre",
                    "Numéro": "0427466347",
                    "Mobile": "0611223344",
                    "Favoris": "true",
                },
            }
        ]
    }
    response = await _lookup(hass, french_entry, "pan")
    assert response["contacts"][0]["first_name"] == "peter"
    assert response["contacts"][0]["number"] == "1004"
    assert response["contacts"][0]["favorite"] is False
    assert response["contacts"][0]["fields"]["Favoris"] == "false"


@pytest.mark.parametrize(
    "data",
    [
        {"term": ""},
        {"term": "   "},
        {"term": "\t\n"},
        {"term": "x" * 101},
        {},
        {"term": "pierce", "extra": 1},
    ],
    ids=["empty", "spaces", "whitespace", "101_chars", "missing", "extra_key"],
)
async def test_directory_lookup_invalid_term(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    data: dict[str, Any],
) -> None:
    """The schema refuses blank, too long or missing terms; nothing is sent."""
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            "directory_lookup",
            {"config_entry_id": init_integration.entry_id, **data},
            blocking=True,
            return_response=True,
        )
    assert xuc_server.commands("directoryLookUp") == []


async def test_directory_lookup_term_of_100_chars(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """100 characters is the longest term accepted."""
    assert await _lookup(hass, init_integration, "x" * 100) == {"contacts": []}
    assert len(xuc_server.commands("directoryLookUp")) == 1


async def test_unknown_config_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An id that names no entry is a validation error."""
    with pytest.raises(ServiceValidationError) as err:
        await _lookup(hass, "no_such_entry", "pierce")
    _assert_error(err, "integration_not_found", validation=True, target="no_such_entry")


async def test_config_entry_of_another_domain(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry of another integration is not a XiVO entry."""
    other = MockConfigEntry(domain="demo", title="Demo")
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "dial", other, number="1002")
    _assert_error(err, "integration_not_found", validation=True, target=other.entry_id)


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("directory_lookup", {"term": "pierce"}),
        ("display_name_lookup", {"username": "bob"}),
        ("add_favorite", {"contact_id": "4", "source": "internal"}),
        ("remove_favorite", {"contact_id": "3", "source": "internal"}),
        ("dial", {"number": "1002"}),
    ],
)
async def test_entry_not_loaded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """Every action refuses an entry that is not loaded."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            service,
            init_integration,
            return_response=service.endswith("_lookup"),
            **data,
        )
    _assert_error(err, "not_loaded", validation=True, target="Alice Johnson")


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("directory_lookup", {"term": "pierce"}),
        ("display_name_lookup", {"username": "bob"}),
        ("add_favorite", {"contact_id": "4", "source": "internal"}),
        ("remove_favorite", {"contact_id": "3", "source": "internal"}),
        ("dial", {"number": "1002"}),
    ],
)
async def test_link_down(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    service: str,
    data: dict[str, Any],
) -> None:
    """Every action fails fast with `not_connected` while the link is down."""
    await _link_down(hass, xuc_server)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            service,
            init_integration,
            return_response=service.endswith("_lookup"),
            **data,
        )
    assert loop.time() - started < 1.0
    _assert_error(err, "not_connected")


async def test_link_closed_by_server(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """After the server closes the session, actions fail until the link is back."""
    await xuc_server.close_sessions()
    await wait_for_state(hass, CONNECTION, state_is("off"))
    with pytest.raises(HomeAssistantError) as err:
        await _lookup(hass, init_integration, "pierce")
    _assert_error(err, "not_connected")

    await wait_for_state(hass, CONNECTION, state_is("on"), timeout=10)
    assert await _lookup(hass, init_integration, "pierce") == {"contacts": [HAWKEYE]}


async def test_link_drops_during_lookup(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A look-up in flight when the link drops fails at once, not after the 10 s timeout."""
    xuc_server.drop_commands = {"directoryLookUp"}  # the reply never comes
    task = hass.async_create_task(_lookup(hass, init_integration, "pierce"))
    await xuc_server.wait_for_command("directoryLookUp")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await xuc_server.close_sessions()
    with pytest.raises(HomeAssistantError) as err:
        await task
    assert loop.time() - started < 2.0
    _assert_error(err, "not_connected")


async def test_directory_lookup_timeout(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No reply: `command_timeout`; the next look-up works again.

    The client's command timeout is 10 s; it is cut to 0.5 s on the live client
    (`runtime_data.client.timings.command_timeout`) to keep the test fast.
    """
    init_integration.runtime_data.client.timings.command_timeout = 0.5
    xuc_server.drop_commands = {"directoryLookUp"}
    with pytest.raises(HomeAssistantError) as err:
        await _lookup(hass, init_integration, "pierce")
    _assert_error(err, "command_timeout")
    assert len(xuc_server.commands("directoryLookUp")) == 1

    xuc_server.drop_commands = set()
    assert await _lookup(hass, init_integration, "pierce") == {"contacts": [HAWKEYE]}
    assert init_integration.state is ConfigEntryState.LOADED


async def test_late_reply_after_timeout_does_not_answer_next_lookup(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A reply that arrives after its look-up gave up must not answer the next one.

    The command timeout is cut to 1 s on the live client; the server answers the
    first look-up after 1.5 s, while the second one (sent at 1 s) is waiting.
    """
    init_integration.runtime_data.client.timings.command_timeout = 1.0
    xuc_server.delay_replies(1.5)
    with pytest.raises(HomeAssistantError) as err:
        await _lookup(hass, init_integration, "pierce")
    _assert_error(err, "command_timeout")
    xuc_server.delay_replies(0)
    assert await _lookup(hass, init_integration, "pan") == {"contacts": [PETER]}


async def test_concurrent_lookups(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Ten look-ups at once each get the answer to their own term."""
    expected = {
        "alice": "1",
        "martin": "2",
        "hawkeye": "3",
        "pan": "4",
        "emilie": "42",
        "1000": "1",
        "1001": "2",
        "1002": "3",
        "1004": "4",
        "0427": "42",
    }
    xuc_server.delay_replies(0.02)
    responses = await asyncio.gather(
        *(_lookup(hass, init_integration, term) for term in expected)
    )
    for term, response in zip(expected, responses, strict=True):
        assert [row["contact_id"] for row in response["contacts"]] == [
            expected[term]
        ], term
    assert sorted(
        frame["term"] for frame in xuc_server.commands("directoryLookUp")
    ) == sorted(expected)


# ------------------------------------------------------------------ display_name_lookup


async def test_display_name_lookup(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A user's display name, and None for an unknown username."""
    response = await _call(
        hass,
        "display_name_lookup",
        init_integration,
        return_response=True,
        username="bob",
    )
    assert response == {"username": "bob", "display_name": "Bob Martin"}
    assert xuc_server.commands("displayNameLookup") == [
        {"claz": "web", "command": "displayNameLookup", "username": "bob"}
    ]
    response = await _call(
        hass,
        "display_name_lookup",
        init_integration,
        return_response=True,
        username=" nobody ",
    )
    assert response == {"username": "nobody", "display_name": None}


@pytest.mark.parametrize(
    "data",
    [{"username": ""}, {"username": "  "}, {"username": "u" * 101}, {}],
    ids=["empty", "spaces", "101_chars", "missing"],
)
async def test_display_name_lookup_invalid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    data: dict[str, Any],
) -> None:
    """The schema refuses blank, too long or missing usernames."""
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            "display_name_lookup",
            {"config_entry_id": init_integration.entry_id, **data},
            blocking=True,
            return_response=True,
        )
    assert xuc_server.commands("displayNameLookup") == []


async def test_missing_config_entry_id(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every action needs the entry id."""
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            "display_name_lookup",
            {"username": "bob"},
            blocking=True,
            return_response=True,
        )


async def test_display_name_lookup_timeout(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No reply: `command_timeout` (timeout cut to 0.5 s on the live client)."""
    init_integration.runtime_data.client.timings.command_timeout = 0.5
    xuc_server.drop_commands = {"displayNameLookup"}
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "display_name_lookup",
            init_integration,
            return_response=True,
            username="bob",
        )
    _assert_error(err, "command_timeout")


# ------------------------------------------------------------------ favorites


async def test_add_favorite(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The server confirms; a sensor for the new favorite appears, without a reload."""
    assert _favorite_entity(hass, "internal/4") is None
    await _call(
        hass, "add_favorite", init_integration, contact_id="4", source="internal"
    )
    assert xuc_server.commands("addFavorite") == [
        {
            "claz": "web",
            "command": "addFavorite",
            "contactId": "4",
            "source": "internal",
        }
    ]
    assert ("4", "internal") in xuc_server.data.user("alice").favorites
    # The action returns once the new list is in the snapshot.
    assert "internal/4" in init_integration.runtime_data.client.snapshot.favorites
    await hass.async_block_till_done()
    assert _favorite_entity(hass, "internal/4") == PETER_SENSOR
    state = hass.states.get(PETER_SENSOR)
    assert state is not None
    assert state.attributes["contact_id"] == "4"
    assert state.attributes["source"] == "internal"
    assert init_integration.state is ConfigEntryState.LOADED
    assert xuc_server.ws_connect_count == 1
    assert xuc_server.login_count == 1

    # The new favorite's line is watched: its sensor follows the phone hints. Each
    # subscription carries the whole followed set (right whether the server adds to
    # or replaces it): the favorites, the new one and Alice's line.
    count = len(xuc_server.commands("subscribeToPhoneHints"))
    if "1004" not in xuc_server.commands("subscribeToPhoneHints")[-1]["phoneNumbers"]:
        count += 1  # the new favorite's subscription is on its way
    assert await xuc_server.wait_for_command("subscribeToPhoneHints", count=count) == {
        "claz": "web",
        "command": "subscribeToPhoneHints",
        "phoneNumbers": ["0427466347", "1000", "1002", "1004"],
    }
    await xuc_server.set_phone_state("1004", 8)
    await wait_for_state(hass, PETER_SENSOR, state_is("ringing"))

    response = await _lookup(hass, init_integration, "pan")
    assert response["contacts"][0]["favorite"] is True


async def test_remove_favorite(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The server confirms; the favorite's sensor leaves the registry, no reload."""
    assert _favorite_entity(hass, "internal/3") == HAWKEYE_SENSOR
    await _call(
        hass, "remove_favorite", init_integration, contact_id="3", source="internal"
    )
    assert xuc_server.commands("removeFavorite") == [
        {
            "claz": "web",
            "command": "removeFavorite",
            "contactId": "3",
            "source": "internal",
        }
    ]
    assert ("3", "internal") not in xuc_server.data.user("alice").favorites
    await hass.async_block_till_done()
    assert _favorite_entity(hass, "internal/3") is None
    assert hass.states.get(HAWKEYE_SENSOR) is None
    assert (
        _favorite_entity(hass, "phonebook/42") == "sensor.alice_johnson_emilie_lefevre"
    )
    assert init_integration.state is ConfigEntryState.LOADED
    assert xuc_server.ws_connect_count == 1

    response = await _lookup(hass, init_integration, "hawkeye")
    assert response["contacts"][0]["favorite"] is False


async def test_remove_then_add_favorite_again(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A favorite removed and added again gets its sensor back."""
    await _call(
        hass, "remove_favorite", init_integration, contact_id="3", source="internal"
    )
    await hass.async_block_till_done()
    assert _favorite_entity(hass, "internal/3") is None
    await _call(
        hass, "add_favorite", init_integration, contact_id="3", source="internal"
    )
    await hass.async_block_till_done()
    assert _favorite_entity(hass, "internal/3") == HAWKEYE_SENSOR
    state = await wait_for_state(hass, HAWKEYE_SENSOR, state_is("available"))
    assert state is not None


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("add_favorite", {"contact_id": "999", "source": "internal"}),
        ("add_favorite", {"contact_id": "4", "source": "nowhere"}),
        ("add_favorite", {"contact_id": "3", "source": "internal"}),  # already one
        ("remove_favorite", {"contact_id": "4", "source": "internal"}),  # not one
    ],
    ids=["add_unknown", "add_unknown_source", "add_twice", "remove_non_favorite"],
)
async def test_favorite_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    service: str,
    data: dict[str, str],
) -> None:
    """A change the server answers with `Failed` is `command_refused`."""
    before = dict(init_integration.runtime_data.client.snapshot.favorites)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, service, init_integration, **data)
    _assert_error(err, "command_refused")
    assert dict(init_integration.runtime_data.client.snapshot.favorites) == before
    assert xuc_server.data.user("alice").favorites == [
        ("3", "internal"),
        ("42", "phonebook"),
    ]


@pytest.mark.parametrize("service", ["add_favorite", "remove_favorite"])
@pytest.mark.parametrize(
    "data",
    [
        {"contact_id": "", "source": "internal"},
        {"contact_id": "   ", "source": "internal"},
        {"contact_id": "4", "source": ""},
        {"contact_id": "4"},
        {"source": "internal"},
        {"contact_id": "4" * 201, "source": "internal"},
    ],
    ids=[
        "empty_id",
        "blank_id",
        "empty_source",
        "missing_source",
        "missing_id",
        "long_id",
    ],
)
async def test_favorite_invalid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    service: str,
    data: dict[str, Any],
) -> None:
    """The schema refuses empty or missing ids and sources; nothing is sent."""
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            service,
            {"config_entry_id": init_integration.entry_id, **data},
            blocking=True,
        )
    assert xuc_server.commands("addFavorite") == []
    assert xuc_server.commands("removeFavorite") == []


async def test_favorite_timeout(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No confirmation: `command_timeout` (timeout cut to 0.5 s on the live client)."""
    init_integration.runtime_data.client.timings.command_timeout = 0.5
    xuc_server.drop_commands = {"addFavorite"}
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass, "add_favorite", init_integration, contact_id="4", source="internal"
        )
    _assert_error(err, "command_timeout")
    assert _favorite_entity(hass, "internal/4") is None


# ------------------------------------------------------------------ dial


@pytest.mark.parametrize(
    ("number", "sent"),
    [
        ("1002", "1002"),
        (" 1002 ", "1002"),
        ("+33612345678", "+33612345678"),
        ("*8#", "*8#"),
    ],
)
async def test_dial(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    number: str,
    sent: str,
) -> None:
    """The server receives a `dial` with the (trimmed) destination, nothing else."""
    await _call(hass, "dial", init_integration, number=number)
    assert await xuc_server.wait_for_command("dial") == {
        "claz": "web",
        "command": "dial",
        "destination": sent,
    }
    assert len(xuc_server.commands("dial")) == 1


@pytest.mark.parametrize(
    "number",
    ["12a", "", "+", "   ", "1 2", "++12", "12+", "1" * 41, None],
)
async def test_dial_invalid_number(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    number: str | None,
) -> None:
    """The schema refuses anything but digits, a leading + and * or #."""
    with pytest.raises(vol.Invalid):
        await _call(hass, "dial", init_integration, number=number)
    await hass.async_block_till_done()
    assert xuc_server.commands("dial") == []
