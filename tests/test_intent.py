"""Intents, handled by Home Assistant's intent helper against the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import dataclasses
import importlib.util
import json
import logging
from pathlib import Path
import string
import time
from typing import Any
from unittest.mock import Mock, patch

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo import intent as intent_module
from custom_components.xivo.const import DOMAIN
from custom_components.xivo.intent import (
    INTENT_CALL,
    INTENT_COLLEAGUE_AVAILABLE,
    INTENT_COLLEAGUE_NUMBER,
    INTENT_GET_PRESENCE,
    INTENT_SET_PRESENCE,
    INTENT_TYPES,
    async_remove_intents,
    async_setup_intents,
)
from custom_components.xivo.llm import async_get_tools
from custom_components.xivo.xuc import (
    XucCommandError,
    XucError,
    XucNotConnectedError,
    XucProtocolError,
    XucSnapshot,
    XucTimeoutError,
)

from .simulator import BOB_PASSWORD, SimContact, XucSimulator

ALL_LABELS_EN = (
    "Disponible, Sorti, Parti Manger, Ne pas déranger, Bientôt de retour or Déconnecté"
)
ALL_LABELS_FR = (
    "Disponible, Sorti, Parti Manger, Ne pas déranger, Bientôt de retour ou Déconnecté"
)
NOT_CONNECTED = {
    "en": "The XiVO server is not connected right now; try again when the connection is back.",
    "fr": "Le serveur XiVO n'est pas connecté en ce moment ; réessayez quand la connexion sera rétablie.",
}
# Four contacts whose first name starts with "jean", one more than an answer names.
JEANS = (
    SimContact("5", "internal", "Jean", "Dupont", "1005", "0605050505"),
    SimContact("6", "internal", "Jeanne", "Durand", "1006"),
    SimContact("7", "phonebook", "Jean", "Martin", "0102030405", "0607080910"),
    SimContact("8", "internal", "Jean-Pierre", "Leroy", "1008"),
)
# The Assist API's tools are the intents up to 2025.x, an `llm` platform's after.
HAS_LLM_COMPONENT = importlib.util.find_spec("homeassistant.components.llm") is not None
TOOL_PREFIX = f"{DOMAIN}__" if HAS_LLM_COMPONENT else ""


@pytest.fixture
async def intents(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> MockConfigEntry:
    """Alice's entry, loaded, with the intents registered (as `__init__` will do)."""
    await async_setup_intents(hass)
    return init_integration


async def handle(
    hass: HomeAssistant,
    intent_type: str,
    slots: dict[str, str] | None = None,
    language: str = "en",
) -> intent.IntentResponse:
    """Handle an intent the way the conversation agent does."""
    return await intent.async_handle(
        hass,
        "test",
        intent_type,
        {key: {"value": value} for key, value in (slots or {}).items()},
        language=language,
    )


def speech(response: intent.IntentResponse) -> str:
    """The plain speech of a response."""
    return str(response.speech["plain"]["speech"])


async def wait_for_snapshot(
    entry: MockConfigEntry,
    predicate: Callable[[XucSnapshot], bool],
    timeout: float = 5.0,  # noqa: ASYNC109 - a bounded poll with a clear failure message
) -> None:
    """Wait until the coordinator's snapshot satisfies `predicate`."""
    deadline = time.monotonic() + timeout
    while not predicate(entry.runtime_data.coordinator.data):
        if time.monotonic() > deadline:
            raise AssertionError("the snapshot never matched")
        await asyncio.sleep(0.01)


async def add_bob(hass: HomeAssistant, xuc_server: XucSimulator) -> MockConfigEntry:
    """Bob's account on the same simulator, set up next to Alice's."""
    bob = MockConfigEntry(
        domain=DOMAIN,
        title="Bob Martin",
        unique_id="bob@127.0.0.1",
        data={
            CONF_URL: xuc_server.url,
            CONF_VERIFY_SSL: True,
            CONF_USERNAME: "bob",
            CONF_PASSWORD: BOB_PASSWORD,
        },
    )
    bob.add_to_hass(hass)
    assert await hass.config_entries.async_setup(bob.entry_id)
    await hass.async_block_till_done()
    return bob


def _is_error(response: intent.IntentResponse) -> bool:
    return (
        response.response_type is intent.IntentResponseType.ERROR
        and response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    )


# ---------------------------------------------------------------------- presence


@pytest.mark.parametrize(
    ("spoken", "language", "name", "answer"),
    [
        (
            "parti manger",
            "fr",
            "outtolunch",
            "Votre statut est maintenant Parti Manger.",
        ),
        (
            "PARTI MANGER",
            "fr-FR",
            "outtolunch",
            "Votre statut est maintenant Parti Manger.",
        ),
        ("out to lunch", "en", "outtolunch", "Your status is now Parti Manger."),
        ("lunch", "en-US", "outtolunch", "Your status is now Parti Manger."),
        (
            "ne pas deranger",
            "fr",
            "donotdisturb",
            "Votre statut est maintenant Ne pas déranger.",
        ),
        ("Do Not Disturb", "en", "donotdisturb", "Your status is now Ne pas déranger."),
        (
            "bientot de retour",
            "fr",
            "berightback",
            "Votre statut est maintenant Bientôt de retour.",
        ),
        ("away", "de", "away", "Your status is now Sorti."),
    ],
)
async def test_set_presence(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    spoken: str,
    language: str,
    name: str,
    answer: str,
) -> None:
    """Label or name, any case, with or without accents, whole or a unique part."""
    response = await handle(hass, INTENT_SET_PRESENCE, {"status": spoken}, language)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == answer
    frame = await xuc_server.wait_for_command("userStatusUpdate")
    assert frame["status"] == name
    await wait_for_snapshot(intents, lambda data: data.status_name == name)


@pytest.mark.parametrize(
    ("spoken", "language", "answer"),
    [
        (
            "on holiday",
            "en",
            f'There is no status "on holiday". You can choose {ALL_LABELS_EN}.',
        ),
        (
            "en vacances",
            "fr",
            f"Il n'y a pas de statut « en vacances ». Vous pouvez choisir {ALL_LABELS_FR}.",
        ),
        ("?!", "en", f'There is no status "?!". You can choose {ALL_LABELS_EN}.'),
        # A part of two statuses ("Ne pas déranger", "Bientôt de retour") is no choice.
        ("de", "en", f'There is no status "de". You can choose {ALL_LABELS_EN}.'),
    ],
)
async def test_set_unknown_presence_lists_the_valid_ones(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    spoken: str,
    language: str,
    answer: str,
) -> None:
    """An unknown status is answered with the statuses to choose from, nothing sent."""
    response = await handle(hass, INTENT_SET_PRESENCE, {"status": spoken}, language)

    assert _is_error(response)
    assert speech(response) == answer
    assert xuc_server.commands("userStatusUpdate") == []


async def test_set_presence_with_two_statuses_of_one_label(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A label two statuses share lists both, told apart by their names."""
    statuses = xuc_server.data.statuses
    statuses[1].long_name = "Disponible"  # "away" now shows as "Disponible" too
    await xuc_server.set_statuses(statuses)
    await wait_for_snapshot(
        intents, lambda data: data.statuses[1].label == "Disponible"
    )

    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "disponible"})

    assert _is_error(response)
    assert "Disponible (available), Disponible (away), Parti Manger" in speech(response)
    # The names still tell them apart.
    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "away"})
    assert speech(response) == "Your status is now Disponible."
    assert (await xuc_server.wait_for_command("userStatusUpdate"))["status"] == "away"


async def test_set_presence_with_one_status(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A single status to choose from is said alone."""
    await xuc_server.set_statuses(xuc_server.data.statuses[:1])
    await wait_for_snapshot(intents, lambda data: len(data.statuses) == 1)

    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "away"})

    assert speech(response) == 'There is no status "away". You can choose Disponible.'


async def test_set_presence_without_statuses(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No status known (the client ignores an empty list pushed later): said so."""
    coordinator = intents.runtime_data.coordinator
    coordinator.async_set_updated_data(coordinator.data.evolve(statuses=()))

    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "away"}, "fr")

    assert _is_error(response)
    assert speech(response) == "Le serveur XiVO ne propose aucun statut."
    assert xuc_server.commands("userStatusUpdate") == []


async def test_set_presence_needs_a_status(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """A blank status is invalid slot data."""
    with pytest.raises(intent.InvalidSlotInfo):
        await handle(hass, INTENT_SET_PRESENCE, {"status": "  "})


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("en", "Your status is Disponible.", "Your status is Sorti."),
        ("fr", "Votre statut est Disponible.", "Votre statut est Sorti."),
    ],
)
async def test_get_presence(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    language: str,
    before: str,
    after: str,
) -> None:
    """The current status's label, following changes made elsewhere."""
    response = await handle(hass, INTENT_GET_PRESENCE, language=language)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == before

    await xuc_server.set_user_status("alice", "away")
    await wait_for_snapshot(intents, lambda data: data.status_name == "away")
    assert speech(await handle(hass, INTENT_GET_PRESENCE, language=language)) == after


async def test_get_presence_unlisted_or_unknown(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """A status missing from the list is said by its name; no status at all is unknown."""
    coordinator = intents.runtime_data.coordinator
    coordinator.async_set_updated_data(
        dataclasses.replace(coordinator.data, status_name="meeting")
    )
    assert speech(await handle(hass, INTENT_GET_PRESENCE)) == "Your status is meeting."

    coordinator.async_set_updated_data(
        dataclasses.replace(coordinator.data, status_name=None)
    )
    assert speech(await handle(hass, INTENT_GET_PRESENCE, language="fr")) == (
        "Je ne connais pas votre statut actuel."
    )


# ---------------------------------------------------------------------- colleagues


@pytest.mark.parametrize(
    ("code", "english", "french"),
    [
        (0, "Hawkeye Pierce is available.", "Hawkeye Pierce est disponible."),
        (1, "Hawkeye Pierce is on a call.", "Hawkeye Pierce est en communication."),
        (2, "Hawkeye Pierce is on the phone.", "Hawkeye Pierce est au téléphone."),
        (4, "Hawkeye Pierce is not available.", "Hawkeye Pierce n'est pas disponible."),
        (
            8,
            "Hawkeye Pierce's phone is ringing.",
            "Le téléphone de Hawkeye Pierce sonne.",
        ),
        (
            9,
            "Hawkeye Pierce is on the phone and another call is ringing.",
            "Hawkeye Pierce est au téléphone et un autre appel sonne.",
        ),
        (
            16,
            "Hawkeye Pierce has a call on hold.",
            "Hawkeye Pierce a un appel en attente.",
        ),
        (
            -1,
            "Hawkeye Pierce's phone is deactivated.",
            "Le téléphone de Hawkeye Pierce est désactivé.",
        ),
        (
            -2,
            "I don't know whether Hawkeye Pierce is available.",
            "Je ne sais pas si Hawkeye Pierce est disponible.",
        ),
    ],
)
async def test_colleague_available_follows_the_phone_state(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    code: int,
    english: str,
    french: str,
) -> None:
    """A favorite's live phone state, in words (its lower-case name gets capitals)."""
    await xuc_server.set_phone_state("1002", code)
    await wait_for_snapshot(intents, lambda data: data.phone_hints.get("1002") == code)

    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "hawkeye"})
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == english
    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "Hawkeye"}, "fr")
    assert speech(response) == french
    # Favorites are answered without a directory search.
    assert xuc_server.commands("directoryLookUp") == []


@pytest.mark.parametrize(
    "spoken",
    [
        "emilie",
        "ÉMILIE LEFÈVRE",
        "Lefevre",
        "lefèvre émilie",
        "Emilie's",
        "émilielefèvre",
    ],
)
async def test_colleague_available_matches_favorites_loosely(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator, spoken: str
) -> None:
    """Accents, case, word order, a possessive and spaces do not matter."""
    await xuc_server.set_phone_state("0427466347", 0)
    await wait_for_snapshot(
        intents, lambda data: data.phone_hints.get("0427466347") == 0
    )

    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": spoken})

    assert speech(response) == "Émilie Lefèvre is available."
    assert xuc_server.commands("directoryLookUp") == []


async def test_a_part_of_a_word_is_searched_in_the_directory(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A favorite is matched on whole words: "jean" is not the favorite "Jeanne"."""
    xuc_server.data.directory.extend(JEANS)
    await xuc_server.add_favorite("alice", "6", "internal")  # Jeanne Durand
    await wait_for_snapshot(intents, lambda data: len(data.favorites) == 3)

    response = await handle(hass, INTENT_CALL, {"name": "jean"})

    assert _is_error(response)
    assert speech(response).startswith("Not calling: 4 contacts match jean")
    assert (await xuc_server.wait_for_command("directoryLookUp"))["term"] == "jean"
    assert speech(await handle(hass, INTENT_CALL, {"name": "Jeanne"})) == (
        "Calling Jeanne Durand on 1006."
    )


async def test_colleague_available_from_the_directory(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Someone who is no favorite is searched in the directory; its row gives the state."""
    xuc_server.data.phone_states["1004"] = 2

    response = await handle(
        hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "Peter Pan"}, "fr"
    )

    assert speech(response) == "Peter Pan est au téléphone."
    assert (await xuc_server.wait_for_command("directoryLookUp"))["term"] == "Peter Pan"


async def test_directory_duplicates_are_one_contact(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The same person in two directory sources is one contact."""
    xuc_server.data.directory.append(
        SimContact("11", "personal", "Peter", "Pan", "1004")
    )

    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": "peter pan"})

    assert speech(response) == "Peter Pan: number 1004."
    response = await handle(hass, INTENT_CALL, {"name": "peter pan"})
    assert speech(response) == "Calling Peter Pan on 1004."


async def test_colleague_available_no_match(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A name that matches nobody gets a clear answer."""
    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "Zorro"})

    assert _is_error(response)
    assert speech(response) == (
        "I found no one called Zorro in your favorites or the directory."
    )
    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "Zorro"}, "fr")
    assert speech(response) == (
        "Je ne trouve personne du nom de Zorro dans vos favoris ni dans l'annuaire."
    )


async def test_colleague_available_several_matches(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Several contacts: the count, then the first three."""
    xuc_server.data.directory.extend(JEANS)
    xuc_server.data.phone_states.update({"1005": 0, "1006": 2, "0102030405": 4})

    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "jean"})

    assert speech(response) == (
        "I found 4 contacts for jean. Here are the first three. Jean Dupont is "
        "available. Jeanne Durand is on the phone. Jean Martin is not available."
    )


# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("spoken", "language", "answer"),
    [
        ("Hawkeye's", "en", "Hawkeye Pierce: number 1002, mobile 0761187406."),
        ("hawkeye", "fr", "Hawkeye Pierce : numéro 1002, portable 0761187406."),
        ("peter", "en", "Peter Pan: number 1004."),
        ("Bob Martin", "fr", "Bob Martin : numéro 1001, portable 0698765432."),
    ],
)
async def test_colleague_number(
    hass: HomeAssistant,
    intents: MockConfigEntry,
    spoken: str,
    language: str,
    answer: str,
) -> None:
    """Number and mobile, whichever the directory has."""
    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": spoken}, language)

    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == answer


async def test_colleague_number_several_or_none(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Several matches: the first three; a contact without numbers says so."""
    xuc_server.data.directory.extend(JEANS)
    xuc_server.data.directory.append(SimContact("9", "personal", "Nemo", "", ""))

    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": "Jean"}, "fr")
    assert speech(response) == (
        "J'ai trouvé 4 contacts pour Jean. Voici les trois premiers. "
        "Jean Dupont : numéro 1005, portable 0605050505. "
        "Jeanne Durand : numéro 1006. "
        "Jean Martin : numéro 0102030405, portable 0607080910."
    )

    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": "Jeanne"})
    assert speech(response) == "Jeanne Durand: number 1006."

    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": "nemo"})
    assert speech(response) == "Nemo has no number in the directory."

    response = await handle(hass, INTENT_COLLEAGUE_NUMBER, {"name": "Zorro"}, "fr")
    assert _is_error(response)


# ---------------------------------------------------------------------- calls


@pytest.mark.parametrize(
    ("slots", "language", "destination", "answer"),
    [
        ({"name": "hawkeye"}, "en", "1002", "Calling Hawkeye Pierce on 1002."),
        ({"name": "Hawkeye"}, "fr", "1002", "J'appelle Hawkeye Pierce au 1002."),
        ({"name": "Peter Pan"}, "en", "1004", "Calling Peter Pan on 1004."),
        (
            {"number": "+33 4 27 46 63 47"},
            "en",
            "+33427466347",
            "Calling +33427466347.",
        ),
        ({"number": "1002"}, "fr", "1002", "J'appelle le 1002."),
        # A name that is a number is dialled as a number.
        ({"name": "10 04"}, "en", "1004", "Calling 1004."),
        ({"name": "le numéro 10.04"}, "fr", "1004", "J'appelle le 1004."),
        ({"name": "the number 1004"}, "en", "1004", "Calling 1004."),
    ],
)
async def test_call(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    slots: dict[str, str],
    language: str,
    destination: str,
    answer: str,
) -> None:
    """One contact or a number: the call is placed from the user's phone."""
    response = await handle(hass, INTENT_CALL, slots, language)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == answer
    frame = await xuc_server.wait_for_command("dial")
    assert frame["destination"] == destination
    assert [login for login, sent in xuc_server.received if sent is frame] == ["alice"]


async def test_call_a_whole_name_among_longer_ones(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The exact name wins over names that start like it; no number: the mobile."""
    xuc_server.data.directory.extend(JEANS)
    xuc_server.data.directory.append(
        SimContact("10", "internal", "Jean", "Dupontel", "", "0611111111")
    )

    response = await handle(hass, INTENT_CALL, {"name": "jean dupont"})
    assert speech(response) == "Calling Jean Dupont on 1005."
    assert (await xuc_server.wait_for_command("dial"))["destination"] == "1005"

    response = await handle(hass, INTENT_CALL, {"name": "Jean Dupontel"})
    assert speech(response) == "Calling Jean Dupontel on 0611111111."
    frame = await xuc_server.wait_for_command("dial", count=2)
    assert frame["destination"] == "0611111111"


@pytest.mark.parametrize(
    ("slots", "language", "answer"),
    [
        (
            {"name": "jean"},
            "en",
            (
                "Not calling: 4 contacts match jean: Jean Dupont, Jeanne Durand, "
                "Jean Martin and others. Say the full name or the number."
            ),
        ),
        (
            {"name": "martin"},
            "fr",
            (
                "Je n'appelle pas : 2 contacts correspondent à martin : Bob Martin "
                "et Jean Martin. Dites le nom complet ou le numéro."
            ),
        ),
        ({"name": "Zorro"}, "en", "Not calling: I found no one called Zorro."),
        (
            {"name": "Zorro"},
            "fr",
            "Je n'appelle pas : je ne trouve personne du nom de Zorro.",
        ),
        ({"name": "Nemo"}, "en", "Not calling: Nemo has no number."),
        (
            {"number": "extension nine"},
            "en",
            'Not calling: "extension nine" is not a number I can dial.',
        ),
        ({}, "fr", "Dites-moi un nom ou un numéro à appeler."),
    ],
)
async def test_call_refused(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    slots: dict[str, str],
    language: str,
    answer: str,
) -> None:
    """No match, several matches, no number, no valid number: no call, and why."""
    xuc_server.data.directory.extend(JEANS)
    xuc_server.data.directory.append(SimContact("9", "personal", "Nemo", "", ""))

    response = await handle(hass, INTENT_CALL, slots, language)

    assert _is_error(response)
    assert speech(response) == answer
    await hass.async_block_till_done()
    assert xuc_server.commands("dial") == []


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("intent_type", "slots"),
    [
        (INTENT_SET_PRESENCE, {"status": "away"}),
        (INTENT_GET_PRESENCE, {}),
        (INTENT_COLLEAGUE_AVAILABLE, {"name": "hawkeye"}),
        (INTENT_COLLEAGUE_NUMBER, {"name": "peter"}),
        (INTENT_CALL, {"name": "hawkeye"}),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
async def test_link_down_is_a_spoken_error(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    intent_type: str,
    slots: dict[str, str],
    language: str,
) -> None:
    """With the link down every intent raises a handling error that says so."""
    await xuc_server.stop()
    await wait_for_snapshot(
        intents, lambda _: not intents.runtime_data.client.connected
    )

    with pytest.raises(intent.IntentHandleError) as err:
        await handle(hass, intent_type, slots, language)

    assert str(err.value) == NOT_CONNECTED[language]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (XucNotConnectedError("gone"), NOT_CONNECTED["en"]),
        (XucTimeoutError("slow"), "The XiVO server did not answer in time."),
        (XucCommandError("no"), "The XiVO server refused the request."),
        (XucProtocolError("bad"), "The request to the XiVO server failed."),
    ],
)
@pytest.mark.parametrize(
    ("intent_type", "slots", "method"),
    [
        (INTENT_SET_PRESENCE, {"status": "away"}, "change_status"),
        (INTENT_COLLEAGUE_AVAILABLE, {"name": "peter"}, "directory_lookup"),
        (INTENT_CALL, {"number": "1002"}, "dial"),
    ],
)
async def test_command_failure_is_a_spoken_error(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    intent_type: str,
    slots: dict[str, str],
    method: str,
    error: XucError,
    message: str,
) -> None:
    """A command that fails while the link is up raises an error that says how."""
    client = intents.runtime_data.client
    with (
        patch.object(client, method, side_effect=error),
        pytest.raises(intent.IntentHandleError) as err,
    ):
        await handle(hass, intent_type, slots)

    assert str(err.value) == message
    assert isinstance(err.value.__cause__, XucError)


async def test_no_loaded_entry(hass: HomeAssistant) -> None:
    """Registered without a loaded account: a handling error, in the language."""
    await async_setup_intents(hass)

    with pytest.raises(
        intent.IntentHandleError, match=r"^No XiVO account is loaded\.$"
    ):
        await handle(hass, INTENT_GET_PRESENCE)
    with pytest.raises(intent.IntentHandleError, match="Aucun compte XiVO"):
        await handle(hass, INTENT_GET_PRESENCE, language="fr")


# ---------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("fr", "Votre statut est Disponible."),
        ("fr_FR", "Votre statut est Disponible."),
        ("FR-ca", "Votre statut est Disponible."),
        ("en-GB", "Your status is Disponible."),
        # No translations, or no language tag at all: English.
        ("de-DE", "Your status is Disponible."),
        ("zh-Hans", "Your status is Disponible."),
        ("../fr", "Your status is Disponible."),
        ("", "Your status is Disponible."),
    ],
)
async def test_answers_follow_the_primary_language(
    hass: HomeAssistant, intents: MockConfigEntry, language: str, answer: str
) -> None:
    """The translation of the intent's primary language, else English."""
    assert speech(await handle(hass, INTENT_GET_PRESENCE, language=language)) == answer


def _spoken_texts(language: str) -> dict[str, str]:
    """The `common` and `exceptions` texts of a translation file, flattened."""
    path = Path(intent_module.__file__).parent / "translations" / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        **{f"common.{key}": text for key, text in data["common"].items()},
        **{
            f"exceptions.{key}": value["message"]
            for key, value in data["exceptions"].items()
        },
    }


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_fills_the_same_placeholders() -> None:
    """Home Assistant drops a translation whose placeholders differ from English."""
    english = _spoken_texts("en")
    french = _spoken_texts("fr")
    assert set(french) == set(english)
    assert {key: _placeholders(text) for key, text in french.items()} == {
        key: _placeholders(text) for key, text in english.items()
    }


# ---------------------------------------------------------------------- accounts


async def test_two_accounts_and_no_link_ask_which_and_do_nothing(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Two accounts loaded, nothing tells whose: the answer asks, nothing is sent.

    This replaces the old behaviour (the first loaded entry acted, by chance); who
    is "me" is tested whole in `test_accounts.py`.
    """
    await add_bob(hass, xuc_server)

    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "sorti"})
    assert _is_error(response)
    assert speech(response) == "Which account: Alice Johnson or Bob Martin?"
    response = await handle(hass, INTENT_COLLEAGUE_AVAILABLE, {"name": "Zorro"}, "fr")
    assert speech(response) == "Quel compte : Alice Johnson ou Bob Martin ?"
    await hass.async_block_till_done()
    assert xuc_server.commands("userStatusUpdate") == []
    assert xuc_server.commands("directoryLookUp") == []

    # When Alice's entry unloads, Bob's is the only one: it acts, no account named.
    assert await hass.config_entries.async_unload(intents.entry_id)
    response = await handle(hass, INTENT_GET_PRESENCE)
    assert speech(response) == "Your status is Disponible."


# ---------------------------------------------------------------------- registration


async def test_setup_is_idempotent_and_remove_unregisters(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Registering twice keeps one handler each, silently; removing leaves others."""
    other = Mock(spec=intent.IntentHandler, intent_type="OtherIntent")
    intent.async_register(hass, other)
    caplog.set_level(logging.WARNING)

    await async_setup_intents(hass)
    await async_setup_intents(hass)

    registered = {handler.intent_type for handler in intent.async_get(hass)}
    assert registered == {*INTENT_TYPES, "OtherIntent"}
    assert "overwritten" not in caplog.text
    assert len(INTENT_TYPES) == 17

    async_remove_intents(hass)
    async_remove_intents(hass)  # nothing left to remove: no error

    assert [handler.intent_type for handler in intent.async_get(hass)] == [
        "OtherIntent"
    ]
    with pytest.raises(intent.UnknownIntent):
        await handle(hass, INTENT_GET_PRESENCE)


async def test_intent_integration_registers_them_through_the_platform(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """`intent.py` is an intent platform: the `intent` integration registers them."""
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done()

    registered = {handler.intent_type for handler in intent.async_get(hass)}
    assert set(INTENT_TYPES) <= registered
    assert (
        speech(await handle(hass, INTENT_GET_PRESENCE)) == "Your status is Disponible."
    )


async def test_remove_before_any_intent_is_registered(hass: HomeAssistant) -> None:
    """Removing when no intent was ever registered is a no-op."""
    async_remove_intents(hass)
    assert list(intent.async_get(hass)) == []


# ---------------------------------------------------------------------- LLM tools


def _llm_context(language: str = "en") -> llm.LLMContext:
    """An LLM context on the fields of this Home Assistant's `LLMContext`.

    2025.4 has `user_prompt` (required); later versions dropped it.
    """
    values: dict[str, Any] = {
        "platform": "test",
        "context": Context(),
        "language": language,
        "assistant": "conversation",
        "device_id": None,
    }
    if "user_prompt" in {field.name for field in dataclasses.fields(llm.LLMContext)}:
        values["user_prompt"] = None
    return llm.LLMContext(**values)


async def _assist_api(hass: HomeAssistant, language: str = "en") -> llm.APIInstance:
    """The Assist API, as an LLM conversation agent gets it."""
    assert await async_setup_component(hass, "homeassistant", {})
    if HAS_LLM_COMPONENT:
        # The `llm` integration registers the Assist API and asks each integration's
        # `llm` platform (`xivo/llm.py`) for its tools.
        assert await async_setup_component(hass, "llm", {})
    return await llm.async_get_api(hass, llm.LLM_API_ASSIST, _llm_context(language))


def _openapi(api: llm.APIInstance, tool: llm.Tool) -> dict[str, Any]:
    """A tool's parameters as the OpenAPI schema an LLM integration sends."""
    if HAS_LLM_COMPONENT:
        import probatio  # type: ignore[import-not-found]

        return dict(
            probatio.to_openapi(
                tool.parameters, custom_serializer=api.custom_serializer
            )
        )
    import voluptuous_openapi

    return dict(
        voluptuous_openapi.convert(
            tool.parameters, custom_serializer=api.custom_serializer
        )
    )


async def test_assist_api_lists_the_intents_as_tools(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """LLM assistants see each intent as a tool, with its description and slots."""
    api = await _assist_api(hass)
    tools = {tool.name: tool for tool in api.tools}
    handlers = {handler.intent_type: handler for handler in intent.async_get(hass)}

    for intent_type in INTENT_TYPES:
        tool = tools[f"{TOOL_PREFIX}{intent_type}"]
        assert tool.description == handlers[intent_type].description
        assert "XiVO" in str(tool.description)

    schema = _openapi(api, tools[f"{TOOL_PREFIX}{INTENT_SET_PRESENCE}"])
    assert schema["required"] == ["status"]
    assert schema["properties"]["status"]["type"] == "string"
    assert "Parti Manger" in schema["properties"]["status"]["description"]
    schema = _openapi(api, tools[f"{TOOL_PREFIX}{INTENT_CALL}"])
    assert set(schema["properties"]) == {"name", "number"}
    assert not schema.get("required")
    assert (
        _openapi(api, tools[f"{TOOL_PREFIX}{INTENT_GET_PRESENCE}"]).get(
            "properties", {}
        )
        == {}
    )


async def test_assist_api_tool_call_reaches_the_server(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A tool call is the intent: the status is sent and the answer comes back.

    The tool is called directly: on later versions `APIInstance.async_call_tool` also
    records a conversation trace, which imports the conversation agent's requirements.
    """
    api = await _assist_api(hass, "fr")
    tool = next(
        tool for tool in api.tools if tool.name == f"{TOOL_PREFIX}{INTENT_SET_PRESENCE}"
    )

    result: Any = await tool.async_call(
        hass,
        llm.ToolInput(tool.name, {"status": "parti manger"}),
        api.llm_context,
    )

    data = getattr(result, "data", result)  # a ToolResult on later versions
    assert data["speech"]["plain"]["speech"] == (
        "Votre statut est maintenant Parti Manger."
    )
    assert (await xuc_server.wait_for_command("userStatusUpdate"))["status"] == (
        "outtolunch"
    )


async def test_llm_platform_tools(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """The `llm` platform's tools: prefixed, tagged, one per intent, Assist only."""
    context = _llm_context()
    if not HAS_LLM_COMPONENT:
        # Before the `llm` integration existed the intents were the tools.
        assert async_get_tools(hass, context, llm.LLM_API_ASSIST) is None
        return
    result = async_get_tools(hass, context, llm.LLM_API_ASSIST)
    tools = {tool.name: tool for tool in result.tools}
    assert set(tools) == {f"{DOMAIN}__{intent_type}" for intent_type in INTENT_TYPES}
    assert {tool.integration for tool in tools.values()} == {DOMAIN}
    assert tools[f"{DOMAIN}__{INTENT_GET_PRESENCE}"].annotations.read_only
    assert not tools[f"{DOMAIN}__{INTENT_CALL}"].annotations.read_only
    assert async_get_tools(hass, context, "another_api") is None
    async_remove_intents(hass)
    assert async_get_tools(hass, context, llm.LLM_API_ASSIST) is None
