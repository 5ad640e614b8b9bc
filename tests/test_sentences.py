"""The custom sentence files, through Home Assistant's built-in conversation agent.

The files are copied into the test configuration's `custom_sentences/<language>/`
folder, where the built-in agent loads them as it does on a real installation; the
sentences then reach the intents, and the intents the simulator.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.xivo.intent import INTENT_TYPES

from .simulator import SimContact, SimStatus, XucSimulator, make_agent
from .test_accounts import SENTENCES, async_setup_agent
from .test_intent import wait_for_snapshot

# From Home Assistant 2025.5 or so, the built-in agent's matcher (hassil) and sentences
# are requirements of the conversation integration, not of Home Assistant itself: a
# test environment without them cannot run the agent.
pytest.importorskip(
    "homeassistant.components.conversation.default_agent",
    reason="the conversation agent's requirements (hassil, home-assistant-intents, "
    "gazetteer-matcher) are not installed",
)

from hassil import Intents
from homeassistant.components import conversation

LANGUAGES = ("en", "fr")


def _load(language: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (SENTENCES / language / "xivo.yaml").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentence_files_parse(language: str) -> None:
    """Each file is valid for hassil, in its language, with a sentence per intent."""
    data = _load(language)
    assert data["language"] == language
    assert set(data["intents"]) == set(INTENT_TYPES)
    parsed = Intents.from_dict(data)
    assert {
        name for name, parsed_intent in parsed.intents.items() if parsed_intent.data
    } == set(INTENT_TYPES)
    # Custom lists must not be called `name`: the agent fills that one with entities.
    lists = data["lists"]
    assert all(name.startswith("xivo_") for name in lists)
    assert lists["xivo_status"] == lists["xivo_contact"] == {"wildcard": True}
    # Durations are numbers: hours up to a day, minutes up to a day's worth.
    assert lists["xivo_hours"] == {"range": {"from": 1, "to": 24}}
    assert lists["xivo_minutes"] == {"range": {"from": 1, "to": 1440}}


@pytest.fixture
async def assistant(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tmp_path: Path,
) -> MockConfigEntry:
    """The built-in agent with the sentence files (the intents register themselves)."""
    await async_setup_agent(hass, tmp_path)
    return init_integration


async def converse(
    hass: HomeAssistant, text: str, language: str
) -> intent.IntentResponse:
    """What the built-in agent answers to a sentence."""
    result = await conversation.async_converse(
        hass, text, None, Context(), language=language
    )
    return result.response


def speech(response: intent.IntentResponse) -> str:
    """The plain speech of a response."""
    return str(response.speech["plain"]["speech"])


def intent_type(response: intent.IntentResponse) -> str | None:
    """The intent a sentence was matched to."""
    return response.intent.intent_type if response.intent else None


async def check_case(
    hass: HomeAssistant, xuc_server: XucSimulator, case: Case, language: str
) -> None:
    """A sentence reaches its intent with its answer, and sends its command if any.

    A command's argument is checked when the case names one ("" names none).
    """
    text, expected_intent, answer, command = case
    xuc_server.clear_received()
    response = await converse(hass, text, language)

    assert (intent_type(response), speech(response)) == (expected_intent, answer), text
    if command is not None:
        name, argument, value = command
        frame = await xuc_server.wait_for_command(name)
        assert not argument or frame.get(argument) == value, text


# Sentence, intent it matches, answer, and the command the server receives (command,
# argument, value) if any. Run in order on one Home Assistant per language, since the
# agent's first sentence in a language loads all its sentences, which takes seconds.
type Case = tuple[str, str, str, tuple[str, str, str] | None]

ENGLISH: list[Case] = [
    ("what is my status", "XivoGetPresence", "Your status is Disponible.", None),
    (
        "What's my current status?",
        "XivoGetPresence",
        "Your status is Disponible.",
        None,
    ),
    (
        "set my status to out to lunch",
        "XivoSetPresence",
        "Your status is now Parti Manger.",
        ("userStatusUpdate", "status", "outtolunch"),
    ),
    (
        "Change my presence to Do Not Disturb",
        "XivoSetPresence",
        "Your status is now Ne pas déranger.",
        ("userStatusUpdate", "status", "donotdisturb"),
    ),
    (
        "is Peter Pan available",
        "XivoColleagueAvailable",
        "Peter Pan is on the phone.",
        None,
    ),
    (
        "Is peter pan available?",
        "XivoColleagueAvailable",
        "Peter Pan is on the phone.",
        None,
    ),
    ("is Hawkeye free", "XivoColleagueAvailable", "Hawkeye Pierce is available.", None),
    (
        "what is Hawkeye's number",
        "XivoColleagueNumber",
        "Hawkeye Pierce: number 1002, mobile 0761187406.",
        None,
    ),
    (
        "What's the phone number of Peter Pan?",
        "XivoColleagueNumber",
        "Peter Pan: number 1004.",
        None,
    ),
    (
        "call Hawkeye",
        "XivoCall",
        "Calling Hawkeye Pierce on 1002.",
        ("dial", "destination", "1002"),
    ),
    (
        "Call Hawkeye Pierce.",
        "XivoCall",
        "Calling Hawkeye Pierce on 1002.",
        ("dial", "destination", "1002"),
    ),
    ("dial 1004", "XivoCall", "Calling 1004.", ("dial", "destination", "1004")),
    # Refused aloud: nothing is dialled.
    (
        "call Martin",
        "XivoCall",
        (
            "Not calling: 2 contacts match Martin: Bob Martin and Jean Martin. "
            "Say the full name or the number."
        ),
        None,
    ),
    # For a while: the previous status comes back at the end (presence_timer.py).
    (
        "set me to do not disturb for 45 minutes",
        "XivoSetPresenceFor",
        (
            "Your status is now Ne pas déranger for 45 minutes; then the previous "
            "one comes back."
        ),
        ("userStatusUpdate", "status", "donotdisturb"),
    ),
    (
        "set my status to away for an hour",
        "XivoSetPresenceFor",
        "Your status is now Sorti for 1 hour; then the previous one comes back.",
        ("userStatusUpdate", "status", "away"),
    ),
    (
        "put me on lunch for 1 hour and 30 minutes",
        "XivoSetPresenceFor",
        (
            "Your status is now Parti Manger for 1 hour and 30 minutes; then the "
            "previous one comes back."
        ),
        ("userStatusUpdate", "status", "outtolunch"),
    ),
]

FRENCH: list[Case] = [
    ("quel est mon statut", "XivoGetPresence", "Votre statut est Disponible.", None),
    (
        "Quel est mon statut actuel ?",
        "XivoGetPresence",
        "Votre statut est Disponible.",
        None,
    ),
    (
        "mets mon statut sur parti manger",
        "XivoSetPresence",
        "Votre statut est maintenant Parti Manger.",
        ("userStatusUpdate", "status", "outtolunch"),
    ),
    (
        "Passe-moi en bientôt de retour",
        "XivoSetPresence",
        "Votre statut est maintenant Bientôt de retour.",
        ("userStatusUpdate", "status", "berightback"),
    ),
    # Unknown: the valid ones are listed, nothing is sent.
    (
        "mets mon statut sur en vacances",
        "XivoSetPresence",
        (
            "Il n'y a pas de statut « en vacances ». Vous pouvez choisir Disponible, "
            "Sorti, Parti Manger, Ne pas déranger, Bientôt de retour ou Déconnecté."
        ),
        None,
    ),
    (
        "est-ce que Peter Pan est disponible",
        "XivoColleagueAvailable",
        "Peter Pan est au téléphone.",
        None,
    ),
    (
        "Est-ce que Peter Pan est disponible ?",
        "XivoColleagueAvailable",
        "Peter Pan est au téléphone.",
        None,
    ),
    (
        "quel est le numéro de Hawkeye",
        "XivoColleagueNumber",
        "Hawkeye Pierce : numéro 1002, portable 0761187406.",
        None,
    ),
    (
        "quel est le numéro d'Émilie",
        "XivoColleagueNumber",
        "Émilie Lefèvre : numéro 0427466347, portable 0611223344.",
        None,
    ),
    (
        "appelle Hawkeye",
        "XivoCall",
        "J'appelle Hawkeye Pierce au 1002.",
        ("dial", "destination", "1002"),
    ),
    (
        "appelle le 1004",
        "XivoCall",
        "J'appelle le 1004.",
        ("dial", "destination", "1004"),
    ),
    (
        "ne pas déranger pendant 45 minutes",
        "XivoSetPresenceFor",
        (
            "Votre statut est maintenant Ne pas déranger pendant 45 minutes ; "
            "ensuite le précédent reviendra."
        ),
        ("userStatusUpdate", "status", "donotdisturb"),
    ),
    (
        "mets-moi en parti manger pendant 2 heures",
        "XivoSetPresenceFor",
        (
            "Votre statut est maintenant Parti Manger pendant 2 heures ; ensuite le "
            "précédent reviendra."
        ),
        ("userStatusUpdate", "status", "outtolunch"),
    ),
]


@pytest.mark.parametrize(
    ("language", "cases"), [("en", ENGLISH), ("fr", FRENCH)], ids=LANGUAGES
)
async def test_sentences(
    hass: HomeAssistant,
    *,
    assistant: MockConfigEntry,
    xuc_server: XucSimulator,
    language: str,
    cases: list[Case],
) -> None:
    """Each sentence reaches its intent, is answered, and sends what it must."""
    xuc_server.data.phone_states["1004"] = 2
    xuc_server.data.directory.append(
        SimContact("7", "phonebook", "Jean", "Martin", "0102030405")
    )
    for case in cases:
        await check_case(hass, xuc_server, case, language)
        text, _intent, _answer, command = case
        await hass.async_block_till_done()
        if command is None:
            sent = [
                *xuc_server.commands("userStatusUpdate"),
                *xuc_server.commands("dial"),
            ]
            assert sent == [], text
        elif command[0] == "userStatusUpdate":
            await wait_for_snapshot(
                assistant, lambda data, v=command[2]: data.status_name == v
            )


async def test_link_down_sentence(
    hass: HomeAssistant, assistant: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """With the link down the agent answers with a failure, it does not crash.

    The built-in agent speaks its own generic text for a handling error; the
    intent's message is what LLM assistants and other callers get.
    """
    await xuc_server.stop()
    async with asyncio.timeout(5):
        while assistant.runtime_data.client.connected:
            await asyncio.sleep(0.01)

    response = await converse(hass, "what is my status", "en")

    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE


# The user's own calls: sentence, intent, answer, and the command sent (if any). Run
# in order: a call rings, is answered, held and hung up; one is missed, then called back.
CALL_SENTENCES: dict[str, list[Case]] = {
    "en": [
        ("answer the call", "XivoAnswer", "Answering the call.", ("answer", "", "")),
        ("put the call on hold", "XivoHold", "The call is on hold.", ("hold", "", "")),
        ("hang up", "XivoHangUp", "Hanging up.", ("hangup", "", "")),
        (
            "who called me?",
            "XivoMissedCalls",
            "You have one missed call, from Hawkeye Pierce.",
            None,
        ),
        (
            "any missed calls",
            "XivoMissedCalls",
            "You have one missed call, from Hawkeye Pierce.",
            None,
        ),
        (
            "call back the last caller",
            "XivoCallBack",
            "Calling back Hawkeye Pierce on 1002.",
            ("dial", "destination", "1002"),
        ),
        (
            "do I have voicemail?",
            "XivoVoicemail",
            "You have 2 new voicemail messages.",
            None,
        ),
    ],
    "fr": [
        ("décroche", "XivoAnswer", "Je réponds à l'appel.", ("answer", "", "")),
        (
            "mets l'appel en attente",
            "XivoHold",
            "L'appel est en attente.",
            ("hold", "", ""),
        ),
        ("raccroche", "XivoHangUp", "Je raccroche.", ("hangup", "", "")),
        (
            "qui m'a appelé ?",
            "XivoMissedCalls",
            "Vous avez un appel manqué, de Hawkeye Pierce.",
            None,
        ),
        (
            "est-ce que j'ai des appels manqués",
            "XivoMissedCalls",
            "Vous avez un appel manqué, de Hawkeye Pierce.",
            None,
        ),
        (
            "rappelle le dernier appelant",
            "XivoCallBack",
            "Je rappelle Hawkeye Pierce au 1002.",
            ("dial", "destination", "1002"),
        ),
        (
            "est-ce que j'ai des messages vocaux ?",
            "XivoVoicemail",
            "Vous avez 2 nouveaux messages vocaux.",
            None,
        ),
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_call_sentences(
    hass: HomeAssistant,
    *,
    assistant: MockConfigEntry,
    xuc_server: XucSimulator,
    language: str,
) -> None:
    """The own-call sentences reach their intents, against live simulated calls."""
    await xuc_server.set_voicemail("alice", 2, 0)
    await xuc_server.incoming_call("alice", "1002")
    await wait_for_snapshot(assistant, lambda data: bool(data.calls))
    missed = assistant.runtime_data.missed
    for case in CALL_SENTENCES[language]:
        expected_intent = case[1]
        if expected_intent == "XivoMissedCalls" and not missed.items:
            call_id = await xuc_server.incoming_call("alice", "1002")
            await xuc_server.hang_up("alice", call_id)
            await wait_for_snapshot(assistant, lambda _: bool(missed.items))
        await check_case(hass, xuc_server, case, language)
        if expected_intent == "XivoAnswer":
            await wait_for_snapshot(
                assistant,
                lambda data: any(c.state == "established" for c in data.calls.values()),
            )
        if expected_intent == "XivoHangUp":
            await wait_for_snapshot(assistant, lambda data: not data.calls)


AGENT_SENTENCES: dict[str, list[Case]] = {
    "en": [
        ("am I paused?", "XivoAgentPaused", "No, you are not paused.", None),
        (
            "pause me for lunch",
            "XivoAgentPause",
            "You are paused: Parti Manger.",
            ("pauseAgent", "reason", "outtolunch"),
        ),
        ("am I paused", "XivoAgentPaused", "Yes, you are paused: Parti Manger.", None),
        (
            "I'm ready for calls",
            "XivoAgentReady",
            "You are ready for calls.",
            ("unpauseAgent", "", ""),
        ),
        (
            "how many calls are waiting?",
            "XivoQueueCalls",
            "No call is waiting in your queues.",
            None,
        ),
        (
            "log me out of the queues",
            "XivoAgentLogout",
            "You are logged out of your queues.",
            ("agentLogout", "", ""),
        ),
    ],
    "fr": [
        (
            "mets-moi en pause déjeuner",
            "XivoAgentPause",
            "Vous êtes en pause : Déjeuner.",
            ("pauseAgent", "reason", "meal"),
        ),
        (
            "suis-je en pause ?",
            "XivoAgentPaused",
            "Oui, vous êtes en pause : Déjeuner.",
            None,
        ),
        (
            "mets-moi en pause",
            "XivoAgentPause",
            "Vous êtes en pause.",
            ("pauseAgent", "", ""),
        ),
        (
            "je suis disponible pour les appels",
            "XivoAgentReady",
            "Vous êtes disponible pour les appels.",
            ("unpauseAgent", "", ""),
        ),
        (
            "combien d'appels attendent ?",
            "XivoQueueCalls",
            "Aucun appel n'attend dans vos files d'attente.",
            None,
        ),
        (
            "déconnecte-moi des files",
            "XivoAgentLogout",
            "Votre agent est déconnecté de ses files d'attente.",
            ("agentLogout", "", ""),
        ),
    ],
}


@pytest.fixture
def alice_agent(xuc_server: XucSimulator) -> XucSimulator:
    """Alice a ready agent in two queues, with a second pause reason (« déjeuner »).

    Changed before her entry logs in (the fixtures that need this one come after).
    """
    make_agent(xuc_server.data, "alice", agent_id=12, state="AgentReady")
    xuc_server.data.statuses.append(
        SimStatus("meal", "Déjeuner", "#00FF00", 1, [("queuepause_all", "true")])
    )
    return xuc_server


@pytest.mark.parametrize("language", LANGUAGES)
async def test_agent_sentences(
    hass: HomeAssistant,
    alice_agent: XucSimulator,
    assistant: MockConfigEntry,
    language: str,
) -> None:
    """The agent sentences reach their intents; the simulator confirms each command."""
    xuc_server = alice_agent
    await wait_for_snapshot(
        assistant,
        lambda data: data.agent is not None and bool(data.queue_stats),
    )
    for case in AGENT_SENTENCES[language]:
        await check_case(hass, xuc_server, case, language)
