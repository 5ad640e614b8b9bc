"""The user's own calls by voice: answer, hang up, hold, who called, call back, voicemail.

Each intent is handled by Home Assistant's intent helper against the simulator: the
calls ring, are answered and end there, and the missed calls are the call-back list
the integration keeps.
"""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.intent import (
    INTENT_ANSWER,
    INTENT_CALL_BACK,
    INTENT_HANG_UP,
    INTENT_HOLD,
    INTENT_MISSED_CALLS,
    INTENT_VOICEMAIL,
)
from custom_components.xivo.xuc import XucCommandError, XucTimeoutError

from .simulator import XucSimulator
from .test_intent import _is_error, handle, intents, speech, wait_for_snapshot

__all__ = ["intents"]  # the fixture, used by name


async def _ringing(
    entry: MockConfigEntry, xuc_server: XucSimulator, number: str
) -> str:
    call_id = await xuc_server.incoming_call("alice", number)
    await wait_for_snapshot(
        entry, lambda data: any(c.state == "ringing" for c in data.calls.values())
    )
    return call_id


async def _missed(
    entry: MockConfigEntry, xuc_server: XucSimulator, *numbers: str
) -> None:
    """Calls that ring and stop, one after the other: each joins the list."""
    missed = entry.runtime_data.missed
    for number in numbers:
        count = len(missed.items)
        call_id = await xuc_server.incoming_call("alice", number)
        await xuc_server.hang_up("alice", call_id)
        await wait_for_snapshot(entry, lambda _, c=count: len(missed.items) > c)


# ---------------------------------------------------------------------- call commands


async def test_answer_hold_resume_hang_up(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The ringing call is answered, held, taken back, hung up: each said."""
    await _ringing(intents, xuc_server, "1002")

    response = await handle(hass, INTENT_ANSWER)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == "Answering the call."
    await xuc_server.wait_for_command("answer")
    await wait_for_snapshot(
        intents, lambda data: any(c.state == "established" for c in data.calls.values())
    )

    assert speech(await handle(hass, INTENT_HOLD, language="fr")) == (
        "L'appel est en attente."
    )
    await xuc_server.wait_for_command("hold")
    await wait_for_snapshot(
        intents, lambda data: any(c.state == "on_hold" for c in data.calls.values())
    )
    assert speech(await handle(hass, INTENT_HOLD)) == "The call is back from hold."
    await xuc_server.wait_for_command("hold", count=2)
    await wait_for_snapshot(
        intents, lambda data: any(c.state == "established" for c in data.calls.values())
    )

    assert speech(await handle(hass, INTENT_HANG_UP, language="fr")) == "Je raccroche."
    await xuc_server.wait_for_command("hangup")
    await wait_for_snapshot(intents, lambda data: not data.calls)


@pytest.mark.parametrize(
    ("intent_type", "language", "answer"),
    [
        (INTENT_ANSWER, "en", "No ringing call to answer."),
        (INTENT_ANSWER, "fr", "Aucun appel ne sonne : rien à répondre."),
        (INTENT_HANG_UP, "en", "No call in progress to hang up."),
        (INTENT_HOLD, "fr", "Aucun appel en cours à mettre en attente."),
    ],
)
async def test_no_call_is_said_with_the_actions_text(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    intent_type: str,
    language: str,
    answer: str,
) -> None:
    """No call to act on: the refusal the buttons and actions show, nothing sent."""
    response = await handle(hass, intent_type, language=language)

    assert _is_error(response)
    assert speech(response) == answer
    await hass.async_block_till_done()
    assert [*xuc_server.commands("answer"), *xuc_server.commands("hangup")] == []


async def test_a_refused_call_command_is_a_spoken_error(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The server refuses: the `exceptions` text of that error."""
    await _ringing(intents, xuc_server, "1002")
    client = intents.runtime_data.client
    with (
        patch.object(client, "answer", side_effect=XucCommandError("no")),
        pytest.raises(intent.IntentHandleError) as err,
    ):
        await handle(hass, INTENT_ANSWER)

    assert str(err.value) == "The XiVO server refused the request."


# ---------------------------------------------------------------------- missed calls


async def test_who_called_most_recent_first_three_named(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """None, one, then four open missed calls: the three latest are named."""
    assert speech(await handle(hass, INTENT_MISSED_CALLS)) == (
        "You have no missed calls."
    )
    await _missed(intents, xuc_server, "1002")
    response = await handle(hass, INTENT_MISSED_CALLS)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    # The favorite's name, written in lower case, is said with capitals.
    assert speech(response) == "You have one missed call, from Hawkeye Pierce."

    await _missed(intents, xuc_server, "0600000001", "1001")
    assert speech(await handle(hass, INTENT_MISSED_CALLS, language="fr")) == (
        "Vous avez 3 appels manqués, de Bob Martin, 0600000001 et Hawkeye Pierce."
    )
    await _missed(intents, xuc_server, "0600000002")
    assert speech(await handle(hass, INTENT_MISSED_CALLS)) == (
        "You have 4 missed calls; the three most recent are from 0600000002, "
        "Bob Martin and 0600000001."
    )

    # Ticked done on the list: no longer said.
    missed = intents.runtime_data.missed
    missed.set_done(missed.items[0].key, done=True)
    assert speech(await handle(hass, INTENT_MISSED_CALLS)) == (
        "You have 3 missed calls, from Bob Martin, 0600000001 and Hawkeye Pierce."
    )


async def test_call_back_the_last_caller(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The latest open missed call is dialled and ticked done; then the one before."""
    await _missed(intents, xuc_server, "0600000001", "1002")

    response = await handle(hass, INTENT_CALL_BACK)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == "Calling back Hawkeye Pierce on 1002."
    assert (await xuc_server.wait_for_command("dial"))["destination"] == "1002"
    missed = intents.runtime_data.missed
    assert [item.done for item in missed.items] == [True, False]

    response = await handle(hass, INTENT_CALL_BACK, language="fr")
    assert speech(response) == "Je rappelle 0600000001 au 0600000001."
    assert (await xuc_server.wait_for_command("dial", count=2))["destination"] == (
        "0600000001"
    )

    response = await handle(hass, INTENT_CALL_BACK)
    assert _is_error(response)
    assert speech(response) == "You have no missed call to call back."
    await hass.async_block_till_done()
    assert len(xuc_server.commands("dial")) == 2


async def test_call_back_that_fails_keeps_the_call_open(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The dial times out: said so, and the missed call stays to call back."""
    await _missed(intents, xuc_server, "1002")
    client = intents.runtime_data.client
    with (
        patch.object(client, "dial", side_effect=XucTimeoutError("slow")),
        pytest.raises(intent.IntentHandleError) as err,
    ):
        await handle(hass, INTENT_CALL_BACK, language="fr")

    assert str(err.value) == "Le serveur XiVO n'a pas répondu à temps."
    assert [item.done for item in intents.runtime_data.missed.items] == [False]


# ---------------------------------------------------------------------- voicemail


@pytest.mark.parametrize(
    ("new", "language", "answer"),
    [
        (0, "en", "You have no new voicemail."),
        (1, "en", "You have one new voicemail message."),
        (3, "en", "You have 3 new voicemail messages."),
        (0, "fr", "Vous n'avez aucun nouveau message vocal."),
        (1, "fr", "Vous avez un nouveau message vocal."),
        (2, "fr", "Vous avez 2 nouveaux messages vocaux."),
    ],
)
async def test_voicemail(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    new: int,
    language: str,
    answer: str,
) -> None:
    """The new messages of the user's voicemail, as the server counts them."""
    await xuc_server.set_voicemail("alice", new, 5)
    await wait_for_snapshot(
        intents, lambda data: data.voicemail is not None and data.voicemail.new == new
    )

    response = await handle(hass, INTENT_VOICEMAIL, language=language)

    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == answer


async def test_voicemail_not_told_yet(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """No voicemail count from the server: said so."""
    coordinator = intents.runtime_data.coordinator
    coordinator.async_set_updated_data(coordinator.data.evolve(voicemail=None))

    assert speech(await handle(hass, INTENT_VOICEMAIL)) == (
        "I don't know whether you have voicemail."
    )
